import Foundation
import Testing
import UnpodClient
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// A campaign whose agent has a brain (issue 17, items 4 and 5): each task becomes a live call, the
/// worker (`unpod worker --simulate`) speaks for the contact, the agent's brain for the agent, and
/// the call's end completes the task in the same transaction, with the conversation as its output.
@Suite struct CampaignCallTests {
    @Test(arguments: TestDatabase.all)
    func aRunOfTwentyTasksIsCarriedOutAsConversations(_ engine: TestDatabase) async throws {
        try await ScriptedModelServer.with { model in
            try await withTestStore(engine) { store, database in
                let world = try await WorkerEndToEndTests.world(store)
                let server = try await ServerProcess(
                    database: database.location, arguments: ["--llm-url", model.url, "--llm-model", "scripted-1"])
                defer { server.stop() }
                let token = world.owner.token
                let base = server.baseURL
                // The workspace's agent gets a brain on the speech plane (and room for the campaign).
                let (status, body) = try await PhoneCallTests.send(
                    .PUT, base + PhoneCallTests.speech + "/agents/sales-bot", token,
                    #"{"brain":{"type":"prompt","ref":"You sell demos."},"greeting":"Hi, this is Acme.","max_concurrent":4}"#)
                #expect(status == 200, "\(body)")
                let worker = try WorkerProcess(url: base, apiKey: token, agent: "sales-bot", concurrency: 4, callMilliseconds: 50)
                defer { worker.stop() }
                let client = UnpodClient(baseURL: base, token: token, orgHandle: "acme")
                let run = try await client.createTasks(
                    inSpace: world.space.token, pilot: "sales-bot", documents: WorkerEndToEndTests.contacts(20), context: "Demo")
                let finished: Components.Schemas.Run
                do {
                    finished = try await WorkerEndToEndTests.waitForRun(client, space: world.space.token, runID: run.runId, seconds: 90)
                } catch {
                    Issue.record("worker: \(worker.output.suffix(3000))\nserver: \(server.output.suffix(5000))")
                    throw error
                }
                #expect(finished.status == .completed, "\(worker.output)")

                let tasks = try await client.tasks(ofRun: run.runId, inSpace: world.space.token, pageSize: 100)
                #expect(tasks.count == 20 && tasks.data.allSatisfy { $0.status == .completed })
                var answered = 0
                for task in tasks.data {
                    // The task's output is its call: the same id, status and conversation as calls.get.
                    let callID = try #require(task.output["call_id"]?.stringValue)
                    let call = try #require(try await PhoneCallTests.send(.GET, base + PhoneCallTests.speech + "/calls/" + callID, token).1["data"] as? [String: Any])
                    #expect(call["to_number"] as? String == task.input["contact_number"]?.stringValue)
                    let lines = ServerBrainTests.lines(call)
                    let output: [String] =
                        if case .array(let turns)? = task.output["transcript"] {
                            turns.map { "\($0["role"]?.stringValue == "user" ? "user" : "agent"): \($0["content"]?.stringValue ?? "")" }
                        } else { [] }
                    #expect(output == lines, "the task's transcript is the call's")
                    if call["status"] as? String == "connected" {
                        answered += 1
                        #expect(task.output["call_status"] == .string("completed") && lines.first == "agent: Hi, this is Acme.")
                        for (index, line) in lines.enumerated() where line.hasPrefix("user: ") {
                            #expect(index + 1 < lines.count && lines[index + 1] == "agent: You said: \(line.dropFirst(6)). Anything else?", "\(lines)")
                        }
                    } else {
                        #expect(call["status"] as? String == "notConnected" && task.output["call_status"] == .string("missed"))
                    }
                }
                #expect(answered > 0 && answered < 20, "some contacts answer, some do not: \(answered)")
                // One call log per task's call, none twice.
                let logs = try await client.callLogs(pageSize: 100)
                #expect(logs.count == 20 && Set(logs.data.map(\.callId)).count == 20)
                #expect(worker.completions == 20, "every lease answered completed once: \(worker.output)")
            }
        }
    }
}
