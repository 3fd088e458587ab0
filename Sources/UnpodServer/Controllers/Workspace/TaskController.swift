import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import UnpodCore
import UnpodPersistence

/// Task creation (platform-api.md 2.4): TSK-2 and TSK-2b, one handler. A space token finds its organization; `Org-Handle`, when sent, must name it.
///
/// Task creation answers once per `Idempotency-Key` (as Stripe does): a retry with the same key
/// and the same body gets the first answer again (with `Idempotent-Replayed: true`), the same key
/// with another body 409. The key, the run and its tasks are written in one transaction.
struct TaskController {
    static let maximumDocuments = 10_000

    let store: SQLStore
    let clock: any WallClock
    let addresses: ClientAddressResolver
    /// Wakes this node's idle workers when a run is created.
    let dispatch: DispatchSignal

    func addRoutes(to group: GuardedRoutes) {
        group.post("spaces/:space_token/tasks/create", use: create)
        group.post("spaces/:space_token/tasks", use: create)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let space = try await WorkspaceLookup.space(
            token: try context.parameters.require("space_token"), context: context, store: store)
        _ = try context.writableMembership(owning: space.orgID, notFound: WorkspaceLookup.spaceNotFound)
        let caller = try context.requireCaller()
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let body = buffer.readableBytes == 0 ? Data("{}".utf8) : Data(buffer.readableBytesView)

        var idempotency: (key: String, requestHash: String)?
        if let key = request.headers[.idempotencyKey] {
            guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw APIError.invalidParameters("Idempotency-Key must be 1 to 255 printable characters")
            }
            // The same key means the same request only for the same space and the same bytes.
            let hash = SHA256.hash(data: Data(space.space.token.utf8) + [0] + body).hexString
            idempotency = (key, hash)
            if let answer = try await replay(orgID: space.orgID, key: key, requestHash: hash) { return answer }
        }

        let parsed = try JSONResponse.decode(CreateTasksRequest.self, from: body)
        guard let agent = try await store.agent(handle: parsed.pilot), agent.orgID == space.orgID else {
            throw APIError.notFound("Agent not found.")
        }
        let (inputs, refIDs) = try Self.documents(parsed.documents)
        let scheduledAt = try schedule(parsed.schedule)
        guard agent.agent.state == .published else {
            throw APIError.businessFailure(
                "Task creation failed", "agent \(agent.agent.handle) is \(agent.agent.state.rawValue), not published")
        }
        let new = NewRun(
            space: space, agent: agent, userID: caller.userID, objective: parsed.context ?? "", inputs: inputs, refIDs: refIDs,
            scheduledAt: scheduledAt, idempotency: idempotency)
        let created: CreatedRun
        do {
            created = try await store.createRun(new, actor: try context.auditActor(request, addresses: addresses))
        } catch where idempotency != nil {
            // Another request with the same key committed first: answer as it was answered.
            if let idempotency, let answer = try await replay(orgID: space.orgID, key: idempotency.key, requestHash: idempotency.requestHash) {
                return answer
            }
            throw error
        }
        dispatch.notify()
        context.logger.info("run created", metadata: ["run_id": "\(created.runID)", "tasks": "\(inputs.count)"])
        return JSONResponse.make(ObjectEnvelope(message: "Task Created Successfully", data: created))
    }

    /// The first answer to this key, if the same request made it; 409 if another did.
    private func replay(orgID: Int, key: String, requestHash: String) async throws -> Response? {
        guard let stored = try await store.storedAnswer(orgID: orgID, idempotencyKey: key) else { return nil }
        guard stored.requestHash == requestHash else {
            throw APIError.conflict(
                "Idempotency-Key already used.", errors: "this Idempotency-Key was used with another request body or space")
        }
        let data = try JSONDecoder.unpod().decode(CreatedRun.self, from: Data(stored.body.utf8))
        var response = JSONResponse.make(ObjectEnvelope(statusCode: stored.status, message: "Task Created Successfully", data: data))
        response.headers[.idempotentReplayed] = "true"
        return response
    }

    /// Each document stored whole; `name` and `contact_number` must be non-empty strings.
    static func documents(_ documents: [JSONValue]) throws -> (inputs: [String], refIDs: [String?]) {
        guard !documents.isEmpty else { throw APIError.invalidParameters("documents must hold at least one document") }
        guard documents.count <= maximumDocuments else {
            throw APIError.invalidParameters("documents may hold at most \(maximumDocuments) documents per request")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var inputs: [String] = []
        var refIDs: [String?] = []
        inputs.reserveCapacity(documents.count)
        for (index, document) in documents.enumerated() {
            guard case .object = document else { throw APIError.invalidParameters("documents[\(index)] must be an object") }
            for field in ["name", "contact_number"] {
                guard let text = document[field]?.stringValue, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw APIError.invalidParameters("documents[\(index)].\(field) is required (a non-empty string)")
                }
            }
            let refID: String?
            switch document["document_id"] {
            case nil, .null?: refID = nil
            case .string(let text)?: refID = text
            case .integer(let number)?: refID = String(number)
            default: throw APIError.invalidParameters("documents[\(index)].document_id must be a string")
            }
            inputs.append(String(decoding: try encoder.encode(document), as: UTF8.self))
            refIDs.append(refID)
        }
        return (inputs, refIDs)
    }

    /// `now` (or no schedule): nil. `at`: that time, at most a year ahead.
    private func schedule(_ schedule: CreateTasksRequest.Schedule?) throws -> Date? {
        guard case .at(let time) = schedule else { return nil }
        guard time.timeIntervalSince(clock.now()) <= 366 * 86_400 else {
            throw APIError.invalidParameters("schedule.time may be at most a year ahead")
        }
        return time
    }
}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
    static let idempotentReplayed = Self("Idempotent-Replayed")!
}
