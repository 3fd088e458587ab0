import Crypto
import Foundation
import Hummingbird
import Logging
import UnpodAPI
import UnpodCore
import UnpodPersistence

/// Task creation (platform-api.md 2.4): TSK-2 and TSK-2b, one implementation. A space token finds
/// its organization; `Org-Handle`, when sent, must name it.
///
/// Task creation answers once per `Idempotency-Key` (as Stripe does): a retry with the same key
/// and the same body gets the first answer again (with `Idempotent-Replayed: true`), the same key
/// with another body 409. The key, the run and its tasks are written in one transaction.
extension APIHandlers {
    func createTasks(_ input: Operations.CreateTasks.Input) async throws -> Operations.CreateTasks.Output {
        let created = try await createRun(
            spaceToken: input.path.spaceToken, idempotencyKey: input.headers.idempotencyKey, body: input.body.map { .init($0) })
        return .ok(.init(headers: .init(idempotentReplayed: created.replayed ? ._true : nil), body: .json(created.envelope)))
    }

    func createTasksAlternate(_ input: Operations.CreateTasksAlternate.Input) async throws
        -> Operations.CreateTasksAlternate.Output
    {
        let created = try await createRun(
            spaceToken: input.path.spaceToken, idempotencyKey: input.headers.idempotencyKey, body: input.body.map { .init($0) })
        return .ok(.init(headers: .init(idempotentReplayed: created.replayed ? ._true : nil), body: .json(created.envelope)))
    }

    /// The run a request creates, or the first answer to its `Idempotency-Key`.
    private func createRun(spaceToken: String, idempotencyKey: String?, body: TaskCreationBody?) async throws
        -> (envelope: Components.Schemas.CreatedRunEnvelope, replayed: Bool)
    {
        let context = try APIRequestScope.current()
        let space = try await WorkspaceLookup.space(token: spaceToken, context: context, store: store)
        _ = try context.writableMembership(owning: space.orgID, notFound: WorkspaceLookup.spaceNotFound)
        let caller = try context.requireCaller()

        var idempotency: (key: String, requestHash: String)?
        if let key = idempotencyKey {
            guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw APIError.invalidParameters("Idempotency-Key must be 1 to 255 printable characters")
            }
            // The same key means the same request only for the same space and the same bytes.
            let sent = APIRequestScope.bodyBytes()
            let hash = SHA256.hash(data: Data(space.space.token.utf8) + [0] + (sent.isEmpty ? Array("{}".utf8) : sent)).hexString
            idempotency = (key, hash)
            if let answer = try await replay(orgID: space.orgID, key: key, requestHash: hash) { return (answer, true) }
        }

        guard let body else { throw APIError.invalidParameters("pilot is required") }
        guard let agent = try await store.agent(handle: body.request.pilot), agent.orgID == space.orgID else {
            throw APIError.notFound("Agent not found.")
        }
        let (inputs, refIDs) = try TaskDocumentRules.documents(body.request.documents)
        let scheduledAt = try schedule(body.request.schedule)
        guard agent.agent.state == .published else {
            throw APIError.businessFailure(
                "Task creation failed", "agent \(agent.agent.handle) is \(agent.agent.state.rawValue), not published")
        }
        let new = NewRun(
            space: space, agent: agent, userID: caller.userID, objective: body.request.context ?? "", inputs: inputs,
            refIDs: refIDs, scheduledAt: scheduledAt, idempotency: idempotency)
        let created: CreatedRun
        do {
            created = try await store.createRun(new, actor: try auditActor())
        } catch where idempotency != nil {
            // Another request with the same key committed first: answer as it was answered.
            if let idempotency, let answer = try await replay(orgID: space.orgID, key: idempotency.key, requestHash: idempotency.requestHash) {
                return (answer, true)
            }
            throw error
        }
        dispatch.notify()
        context.logger.info("run created", metadata: ["run_id": "\(created.runID)", "tasks": "\(inputs.count)"])
        return (Self.envelope(created), false)
    }

    /// The first answer to this key, if the same request made it; 409 if another did.
    private func replay(orgID: Int, key: String, requestHash: String) async throws -> Components.Schemas.CreatedRunEnvelope? {
        guard let stored = try await store.storedAnswer(orgID: orgID, idempotencyKey: key) else { return nil }
        guard stored.requestHash == requestHash else {
            throw APIError.conflict(
                "Idempotency-Key already used.", errors: "this Idempotency-Key was used with another request body or space")
        }
        return Self.envelope(try JSONDecoder.unpod().decode(CreatedRun.self, from: Data(stored.body.utf8)))
    }

    private static func envelope(_ created: CreatedRun) -> Components.Schemas.CreatedRunEnvelope {
        .init(
            statusCode: ._200, message: "Task Created Successfully",
            data: .init(runId: created.runID, taskIds: created.taskIDs, status: .pending))
    }

    /// `now` (or no schedule): nil. `at`: that time, at most a year ahead.
    private func schedule(_ schedule: Components.Schemas.CreateTasksRequest.SchedulePayload?) throws -> Date? {
        guard let schedule, schedule._type == .at else { return nil }
        guard let time = schedule.time else { throw APIError.invalidParameters("schedule.time is required when schedule.type is at") }
        guard time.timeIntervalSince(clock.now()) <= 366 * 86_400 else {
            throw APIError.invalidParameters("schedule.time may be at most a year ahead")
        }
        return time
    }
}

/// TSK-2 and TSK-2b read the same body; each operation's generated input names it its own way.
struct TaskCreationBody {
    let request: Components.Schemas.CreateTasksRequest

    init(_ body: Operations.CreateTasks.Input.Body) {
        switch body { case .json(let request): self.request = request }
    }

    init(_ body: Operations.CreateTasksAlternate.Input.Body) {
        switch body { case .json(let request): self.request = request }
    }
}
