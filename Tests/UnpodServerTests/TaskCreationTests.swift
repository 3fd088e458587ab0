import Foundation
import HummingbirdTesting
import HTTPTypes
import Testing
import UnpodAPI
import UnpodCore
import UnpodPersistence
import UnpodServer
import UnpodTestSupport

/// TSK-2, TSK-2b, TSK-1, RUN-1, RUN-2 and `Idempotency-Key` (issue 9, item 2), over a real socket
/// on SQLite and PostgreSQL.
@Suite struct TaskCreationTests {
    static let api = WorkspaceTests.api

    @Test(arguments: TestDatabase.all)
    func bothPathsCreateOneRunWithATaskPerDocumentInOrder(engine: TestDatabase) async throws {
        try await withServer(engine, seed: WorkspaceTests.seed, Self.create)
    }

    static func create(_ server: TestServer, _ seed: WorkspaceTests.Seed) async throws {
        let space = seed.space.token
        let auth = "Token \(seed.owner.token)"
        let first = try await server.request(
            .post, "\(api)/spaces/\(space)/tasks/create/", authorization: auth, orgHandle: "acme",
            json: #"{"pilot": "sales-bot", "context": "Offer the demo", "documents": [\#(WorkspaceTests.documents(3))], "schedule": {"type": "now"}}"#)
        #expect(first.status == .ok && first.json["message"] as? String == "Task Created Successfully")
        let created = try first.decode(ObjectEnvelope<CreatedRun>.self).data
        #expect(created.status == .pending && created.taskIDs.count == 3 && Set(created.taskIDs).count == 3)

        let later = Date(timeIntervalSince1970: (server.clock.now().timeIntervalSince1970 + 7200).rounded())
        let second = try await server.request(
            .post, "\(api)/spaces/\(space)/tasks/", authorization: auth,
            json: #"{"pilot": "sales-bot", "documents": [\#(WorkspaceTests.documents(2, offset: 3))], "schedule": {"type": "at", "time": "\#(Timestamp.format(later))"}}"#)
        #expect(second.status == .ok)
        let secondRun = try second.decode(ObjectEnvelope<CreatedRun>.self).data

        // RUN-2: the run's tasks in document order, each the full task object with its document whole.
        let runTasks = try await server.get("\(api)/spaces/\(space)/runs/\(created.runID)/tasks/", token: seed.owner.token)
        #expect(runTasks.json["message"] as? String == "Tasks Fetched Successfully")
        let tasks = try runTasks.decode(ListEnvelope<CallTask>.self).data
        #expect(tasks.map(\.taskID) == created.taskIDs)
        let task = tasks[1]
        #expect(task.input["name"] == .string("Contact 1") && task.input["quality"] == .number(0.5) && task.input["time"] == .null)
        #expect(task.input["labels"] == .array([.string("vip")]))
        #expect(task.refID == "doc-1" && task.task.objective == "Offer the demo" && task.assignee == "sales-bot")
        #expect(task.status == .pending && task.output == .emptyObject && task.runID == created.runID)
        #expect(task.userInfo.email == seed.owner.user.email && task.scheduledTimestamp == nil && task.failureCount == 0)
        #expect(task.storageID.count == 24 && task.executionType == "call")
        let raw = try #require((runTasks.json["data"] as? [[String: Any]])?.first)
        #expect(
            Set(raw.keys) == [
                "_id", "thread_id", "user_info", "task_id", "run_id", "task", "input", "output", "attachments", "assignee",
                "status", "execution_type", "ref_id", "run_mode", "failure_count", "last_failure_reason", "retry_attempt",
                "last_status_change", "scheduled_timestamp", "created", "modified",
            ])

        // TSK-1: newest first, paginated, with the true count.
        let spaceTasks = try await server.get("\(api)/spaces/\(space)/tasks/?page=1&page_size=2", token: seed.owner.token)
        let page = try spaceTasks.decode(ListEnvelope<CallTask>.self)
        #expect(page.count == 5 && page.data.count == 2 && page.data.allSatisfy { $0.runID == secondRun.runID })
        #expect(page.data.first?.scheduledTimestamp == later)

        let runs = try await server.get("\(api)/spaces/\(space)/runs/", token: seed.owner.token)
        #expect(runs.json["message"] as? String == "Runs Fetched Successfully")
        let runList = try runs.decode(ListEnvelope<Components.Schemas.Run>.self).data
        #expect(runList.map(\.runId) == [secondRun.runID, created.runID] && runList.allSatisfy { $0.status == .pending })
        #expect(runList.first?.collectionRef == space)
        let executions = try await server.get("\(api)/agents/sales-bot/executions/", token: seed.owner.token)
        let listed = try executions.decode(ListEnvelope<Components.Schemas.Execution>.self).data
        #expect(listed.map(\.totalTasks) == [2, 3] && listed.allSatisfy { $0.completedTasks == 0 })
        let agentTasks = try await server.get("\(api)/agents/sales-bot/tasks/", token: seed.owner.token)
        #expect(try agentTasks.decode(ListEnvelope<CallTask>.self).count == 5)
        expectError(
            try await server.get("\(api)/spaces/\(space)/runs/run_unknown/tasks/", token: seed.owner.token), .notFound("Run not found."))

        let events = try await server.store.auditEvents(AuditFilter(orgID: seed.owner.organization.id, action: "run.created"), page: 1, pageSize: 10)
        #expect(events.count == 2 && events.items.first?.details["tasks"] == "2" && events.items.first?.actor.keyId == seed.owner.key.keyId)
    }

    @Test(arguments: TestDatabase.all)
    func badRequestsAreRefusedAndNothingIsStored(engine: TestDatabase) async throws {
        try await withServer(engine, seed: WorkspaceTests.seed, Self.refusals)
    }

    static func refusals(_ server: TestServer, _ seed: WorkspaceTests.Seed) async throws {
        let path = "\(api)/spaces/\(seed.space.token)/tasks/"
        let auth = "Token \(seed.owner.token)"
        func post(_ json: String, authorization: String? = nil) async throws -> TestResponse {
            try await server.request(.post, path, authorization: authorization ?? auth, json: json)
        }
        expectInvalid(try await post(#"{"pilot": "sales-bot", "documents": []}"#), "documents must hold at least one document")
        expectInvalid(
            try await post(#"{"pilot": "sales-bot", "documents": [{"name": "A"}]}"#),
            "documents[0].contact_number is required (a non-empty string)")
        expectInvalid(
            try await post(#"{"pilot": "sales-bot", "documents": [{"name": " ", "contact_number": "+1"}]}"#),
            "documents[0].name is required (a non-empty string)")
        expectInvalid(try await post(#"{"pilot": "sales-bot", "documents": ["x"]}"#), "documents[0] must be an object")
        #expect((try await post(#"{"documents": [\#(WorkspaceTests.documents(1))]}"#)).status == .badRequest)
        #expect((try await post(#"{"pilot": "sales-bot", "documents": [\#(WorkspaceTests.documents(1))], "schedule": {"type": "later"}}"#)).status == .badRequest)
        #expect((try await post("not json")).status == .badRequest)
        expectError(try await post(#"{"pilot": "nobody", "documents": [\#(WorkspaceTests.documents(1))]}"#), .notFound("Agent not found."))
        // A draft agent: the documented 206, without status_code.
        let draft = try await post(#"{"pilot": "draft-bot", "documents": [\#(WorkspaceTests.documents(1))]}"#)
        #expect(draft.status.code == 206)
        #expect(draft.text == #"{"errors":"agent draft-bot is draft, not published","message":"Task creation failed"}"#)

        // Members and read-only keys do not create tasks.
        let member = try await server.store.createUser(email: "member@example.com", password: "correct horse battery")
        try await server.store.setMembership(userID: member.id, orgID: seed.owner.organization.id, role: .member)
        let memberKey = try await server.store.createAPIKey(
            userID: member.id, name: "m", scopes: .all, organization: nil, expiresAt: nil)
        expectError(try await post(#"{"pilot": "sales-bot", "documents": [\#(WorkspaceTests.documents(1))]}"#, authorization: "Token \(memberKey.token)"), .permissionDenied)
        let readOnly = try await server.store.createAPIKey(
            userID: seed.owner.user.id, name: "r", scopes: [.read], organization: nil, expiresAt: nil)
        expectError(try await post(#"{"pilot": "sales-bot", "documents": [\#(WorkspaceTests.documents(1))]}"#, authorization: "Token \(readOnly.token)"), .permissionDenied)

        let runs = try await server.get("\(api)/spaces/\(seed.space.token)/runs/", token: seed.owner.token)
        #expect(runs.json["count"] as? Int == 0, "no refused request stored anything")
    }

    @Test(arguments: TestDatabase.all)
    func anIdempotencyKeyIsAnsweredOnce(engine: TestDatabase) async throws {
        try await withServer(engine, seed: WorkspaceTests.seed, Self.idempotency)
    }

    static func idempotency(_ server: TestServer, _ seed: WorkspaceTests.Seed) async throws {
        let path = "\(api)/spaces/\(seed.space.token)/tasks/create/"
        let body = #"{"pilot": "sales-bot", "documents": [\#(WorkspaceTests.documents(2))]}"#
        func post(_ key: String, _ json: String) async throws -> TestResponse {
            try await server.request(
                .post, path, authorization: "Token \(seed.owner.token)", headers: [HTTPField.Name("Idempotency-Key")!: key], json: json)
        }
        let first = try await post("order-42", body)
        let retry = try await post("order-42", body)
        #expect(first.status == .ok && retry.status == .ok)
        #expect(retry.text == first.text)
        #expect(retry.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
        #expect(first.headers[HTTPField.Name("Idempotent-Replayed")!] == nil)
        let other = try await post("order-42", #"{"pilot": "sales-bot", "documents": [\#(WorkspaceTests.documents(3))]}"#)
        #expect(other.status == .conflict && other.error?.code == "conflict")

        // Ten requests at once with one new key: one run, ten identical answers.
        let answers = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<10 { group.addTask { try await post("burst-7", body).text } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(answers).count == 1, "\(Set(answers))")
        let runs = try await server.get("\(api)/spaces/\(seed.space.token)/runs/", token: seed.owner.token)
        #expect(runs.json["count"] as? Int == 2, "order-42 and burst-7: one run each")
    }
}

/// A 400 `Invalid request parameters` whose `errors` names what is wrong.
func expectInvalid(_ response: TestResponse, _ detail: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(response.status == .badRequest, sourceLocation: sourceLocation)
    #expect(response.error == .invalidParameters(detail), "body: \(response.text)", sourceLocation: sourceLocation)
}
