import Foundation
import SQLKit
import UnpodCore

/// Where attached numbers' calls end (NUM-2).
public enum NumberTermination: Sendable, Equatable {
    case agent(String?)
    case pipeline(String)
}

extension SQLStore {
    /// NUM-2: puts the organization's numbers on a bridge (the one named, or the organization's
    /// first, made on the spot when it has none) with their termination. One result per input, in
    /// order; a number already attached elsewhere, inactive, malformed or not the organization's
    /// is refused on its own line. Returns nil when `bridgeSlug` names no bridge of the organization.
    public func attachNumbers(
        _ numbers: [String], orgID: Int, termination: NumberTermination, bridgeSlug: String?, region: String?,
        actor: AuditActor
    ) async throws -> [NumberResult]? {
        let now = clock.now().millis
        return try await database.transaction { db in
            guard let bridge = try await Self.resolveBridge(db, orgID: orgID, slug: bridgeSlug, region: region, now: now) else {
                return nil
            }
            let (kind, agentID, pipeID): (String, String?, String?) =
                switch termination {
                case .agent(let agent): ("agent", agent, nil)
                case .pipeline(let pipe): ("pipeline", nil, pipe)
                }
            var results: [NumberResult] = []
            var changed: [NumberResult] = []
            for text in numbers {
                guard PhoneNumber.isE164(text) else {
                    results.append(.init(numberId: 0, number: text, connectionState: nil, ok: false, error: "Not an E.164 number."))
                    continue
                }
                guard let row = try await Self.attachmentRow(db, number: text, orgID: orgID) else {
                    results.append(
                        .init(numberId: 0, number: text, connectionState: nil, ok: false, error: "Number not found in this organization."))
                    continue
                }
                let state = try row.decode(column: "connection_state", as: String.self)
                let id = try row.decode(column: "id", as: Int.self)
                guard try row.decode(column: "active", as: Bool.self) else {
                    results.append(.init(numberId: id, number: text, connectionState: state, ok: false, error: "The number is inactive."))
                    continue
                }
                let currentBridge = try row.decode(column: "bridge_id", as: Int?.self)
                let currentAgent = try row.decode(column: "agent_id", as: String?.self)
                let currentPipe = try row.decode(column: "pipe_id", as: String?.self)
                if currentBridge != nil {
                    let same = currentBridge == bridge && currentAgent == agentID && currentPipe == pipeID
                    results.append(
                        .init(
                            numberId: id, number: text, connectionState: state, agentId: currentAgent, ok: same,
                            error: same ? nil : "The number is attached already; detach it first."))
                    continue
                }
                try await db.raw(
                    """
                    UPDATE numbers SET bridge_id = \(bind: bridge), agent_id = \(bind: agentID), pipe_id = \(bind: pipeID),
                        termination_kind = \(bind: kind)
                    WHERE id = \(bind: id) AND org_id = \(bind: orgID)
                    """
                ).run()
                results.append(.init(numberId: id, number: text, connectionState: state, agentId: agentID, ok: true, error: nil))
                changed.append(results[results.count - 1])
            }
            try await auditNumbers(db, "number.attached", changed, orgID: orgID, details: ["termination": kind], by: actor)
            return results
        }
    }

    /// NUM-3: takes numbers off their bridge and termination; they stay the organization's and are
    /// attachable again.
    public func detachNumbers(_ numbers: [String], orgID: Int, actor: AuditActor) async throws -> [NumberResult] {
        try await database.transaction { db in
            var results: [NumberResult] = []
            for text in numbers {
                guard PhoneNumber.isE164(text), let row = try await Self.attachmentRow(db, number: text, orgID: orgID) else {
                    results.append(
                        .init(numberId: 0, number: text, connectionState: nil, ok: false, error: "Number not found in this organization."))
                    continue
                }
                let id = try row.decode(column: "id", as: Int.self)
                let state = try row.decode(column: "connection_state", as: String.self)
                guard try row.decode(column: "bridge_id", as: Int?.self) != nil else {
                    results.append(.init(numberId: id, number: text, connectionState: state, ok: false, error: "The number is not attached."))
                    continue
                }
                try await Self.releaseFromBridge(db, where: "id = \(bind: id) AND org_id = \(bind: orgID)")
                results.append(.init(numberId: id, number: text, connectionState: state, ok: true, error: nil))
            }
            try await auditNumbers(db, "number.detached", results, orgID: orgID, by: actor)
            return results
        }
    }

    /// NUM-4: every number of the organization with where its calls go.
    public func numberOverview(orgID: Int) async throws -> [NumberOverview] {
        try await database.withConnection { db in
            try await db.raw(
                """
                SELECT n.id, n.number, n.connection_state, n.termination_kind, n.agent_id, n.trunk_id, p.slug, b.slug AS bridge_slug
                FROM numbers n JOIN providers p ON p.id = n.provider_id LEFT JOIN bridges b ON b.id = n.bridge_id
                WHERE n.org_id = \(bind: orgID) ORDER BY n.id
                """
            ).all().map { row in
                let kind = try row.decode(column: "termination_kind", as: String?.self)
                let onTrunk = try row.decode(column: "trunk_id", as: Int?.self) != nil
                return NumberOverview(
                    number: try row.decode(column: "number", as: String.self),
                    numberId: try row.decode(column: "id", as: Int.self),
                    bridgeSlug: try row.decode(column: "bridge_slug", as: String?.self),
                    connectionState: try row.decode(column: "connection_state", as: String.self),
                    terminationKind: kind ?? (onTrunk ? "sip" : nil),
                    agentId: try row.decode(column: "agent_id", as: String?.self),
                    provider: try row.decode(column: "slug", as: String.self))
            }
        }
    }

    /// Takes the matching numbers off their bridge and termination, in the caller's transaction:
    /// detach, a bridge's deletion and a variant-B disconnect all release a number the same way.
    static func releaseFromBridge(_ db: any SQLDatabase, where condition: SQLQueryString) async throws {
        try await db.raw(
            "UPDATE numbers SET bridge_id = NULL, agent_id = NULL, pipe_id = NULL, termination_kind = NULL WHERE "
                + condition
        ).run()
    }

    private static func attachmentRow(_ db: any SQLDatabase, number: String, orgID: Int) async throws -> (any SQLRow)? {
        try await db.raw(
            "SELECT id, active, bridge_id, agent_id, pipe_id, connection_state FROM numbers WHERE number = \(bind: number) AND org_id = \(bind: orgID)"
        ).first()
    }

    /// The bridge named by `slug`, else the organization's first, else a new draft one.
    private static func resolveBridge(_ db: any SQLDatabase, orgID: Int, slug: String?, region: String?, now: Int64)
        async throws -> Int?
    {
        if let slug {
            return try await db.raw("SELECT id FROM bridges WHERE org_id = \(bind: orgID) AND slug = \(bind: slug)")
                .first()?.decode(column: "id", as: Int.self)
        }
        if let existing = try await db.raw("SELECT id FROM bridges WHERE org_id = \(bind: orgID) ORDER BY id").first() {
            return try existing.decode(column: "id", as: Int.self)
        }
        let slug = "default-" + String((0..<8).map { _ in "abcdefghijklmnopqrstuvwxyz".randomElement()! })
        return try await db.raw(
            """
            INSERT INTO bridges (org_id, slug, name, description, status, region, created_at, updated_at)
            VALUES (\(bind: orgID), \(bind: slug), 'Default bridge', 'Made when numbers were first attached.', 'DRAFT',
                    \(bind: region), \(bind: now), \(bind: now))
            RETURNING id
            """
        ).first()!.decode(column: "id", as: Int.self)
    }

    private func auditNumbers(
        _ db: any SQLDatabase, _ action: String, _ results: [NumberResult], orgID: Int, details: [String: String] = [:],
        by actor: AuditActor
    ) async throws {
        for result in results where result.ok {
            try await audit(
                db,
                AuditRecord(
                    action: action, targetType: "number", targetID: result.number ?? String(result.numberId), orgID: orgID,
                    orgHandle: try await Self.handle(db, orgID: orgID),
                    details: details.merging(result.agentId.map { ["agent_id": $0] } ?? [:]) { $1 }),
                by: actor)
        }
    }
}

extension SQLStore {
    /// Where an inbound call to `number` goes: nil when the number is not the organization's (or
    /// not active); else the handle of the agent it is attached to, nil when it is attached to none.
    public func numberAttachment(_ number: String, orgID: Int) async throws -> String?? {
        try await database.withConnection { db in
            guard
                let row = try await db.raw(
                    "SELECT agent_id FROM numbers WHERE number = \(bind: number) AND org_id = \(bind: orgID) AND active = \(bind: true)"
                ).first()
            else { return nil }
            return .some(try row.decode(column: "agent_id", as: String?.self))
        }
    }
}
