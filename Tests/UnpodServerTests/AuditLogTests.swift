import Foundation
import HTTPTypes
import Testing
import UnpodAPI
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// The audit log (issue 5, item 7): one event per change, with its actor and target, in the
/// change's own transaction; read per organization by its owners and admins, or per user.
@Suite struct AuditLogTests {
    static let auditLog = "/api/v2/platform/audit-log/"

    @Test(arguments: TestDatabase.all)
    func eachChangeMakesExactlyOneEventWithItsActorAndTarget(_ engine: TestDatabase) async throws {
        try await withServer(engine) { try await Self.eachChange($0) }
    }

    static func eachChange(_ server: TestServer) async throws {
        do {
            let store = server.store
            let owner = try await Fixture.make(store)
            let ownerKeyID = try #require(APIKeyToken.parse(owner.token)?.keyID)
            // On the command line (actor `cli`).
            let member = try await store.createUser(email: "member@example.com", password: "long enough password")
            try await store.setMembership(userID: member.id, orgID: owner.organization.id, role: .member)
            try await store.setMembership(userID: member.id, orgID: owner.organization.id, role: .admin)
            try await store.setUserActive(member.id, false)
            try await store.setUserActive(member.id, true)
            try await store.setPassword(member.id, password: "another long password")
            try await store.removeMembership(userID: member.id, orgID: owner.organization.id)

            // Over the API (actor: the owner's key, from this address, under the answer's request id).
            let auth = "Token \(owner.token)"
            let created = try await server.request(.post, Paths.keys, authorization: auth, json: #"{"name": "ci", "org_handle": "acme"}"#)
            #expect(created.status.code == 201)
            let createdRequestID = try #require(created.headers[HTTPField.Name("X-Request-ID")!])
            let oldKey = try created.decode(ObjectEnvelope<Components.Schemas.CreatedAPIKey>.self).data
            let rotated = try await server.request(.post, Paths.keys + "\(oldKey.keyId)/rotate/", authorization: auth)
            let newKey = try rotated.decode(ObjectEnvelope<Components.Schemas.CreatedAPIKey>.self).data
            // The old key used twice after its rotation, in two flushes: audited once.
            #expect(try await server.get(Paths.organizations, token: oldKey.token).status == .ok)
            try await Task.sleep(for: .milliseconds(500))
            server.clock.advance(by: 2)
            #expect(try await server.get(Paths.organizations, token: oldKey.token).status == .ok)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await server.request(.delete, Paths.keys + "\(newKey.keyId)/", authorization: auth).status == .noContent)

            let everything = try await store.auditEvents(AuditFilter(), page: 1, pageSize: 100).items
            var counts: [String: Int] = [:]
            for event in everything { counts[event.action, default: 0] += 1 }
            #expect(
                counts == [
                    "user.created": 2, "organization.created": 1, "api_key.created": 2, "membership.added": 1,
                    "membership.role_changed": 1, "user.deactivated": 1, "user.activated": 1, "user.password_changed": 1,
                    "membership.removed": 1, "api_key.rotated": 1, "api_key.used_after_rotation": 1, "api_key.revoked": 1,
                ])
            #expect(try Self.one("membership.role_changed", in: everything).details == ["role": "admin", "previous_role": "member"])
            #expect(try Self.one("membership.removed", in: everything).target == .init(type: "membership", id: "member@example.com"))
            #expect(try Self.one("user.password_changed", in: everything).actor == .init(type: "cli"))
            #expect(try Self.one("user.deactivated", in: everything).target == .init(type: "user", id: "member@example.com"))

            let apiCreated = try #require(everything.first { $0.action == "api_key.created" && $0.target.id == oldKey.keyId })
            #expect(apiCreated.actor == .init(type: "api_key", userId: owner.user.id, email: "owner@example.com", keyId: ownerKeyID))
            #expect(apiCreated.clientAddress == "127.0.0.1")
            #expect(apiCreated.requestId == createdRequestID)
            #expect(apiCreated.orgHandle == "acme")
            let rotation = try Self.one("api_key.rotated", in: everything)
            #expect(rotation.target == .init(type: "api_key", id: oldKey.keyId))
            #expect(rotation.details["new_key_id"] == newKey.keyId)
            #expect(try Self.one("api_key.used_after_rotation", in: everything).actor.keyId == oldKey.keyId)
            #expect(try Self.one("api_key.revoked", in: everything).target.id == newKey.keyId)
            #expect(try Self.one("api_key.revoked", in: everything).actor.keyId == ownerKeyID)

            // Over the API: the organization's events, newest first, filtered and paginated.
            let listed = try await server.get(Self.auditLog, token: owner.token, orgHandle: "acme")
            #expect(listed.status == .ok)
            let page = try listed.decode(ListEnvelope<Components.Schemas.AuditEvent>.self)
            #expect(page.message == "Audit events fetched successfully")
            #expect(page.count == 8, "organization, membership x3, key created, rotated, used, revoked")
            #expect(page.data.first?.action == "api_key.revoked")
            #expect(page.data.map(\.occurredAt) == page.data.map(\.occurredAt).sorted(by: >))
            let byAction = try await server.get(Self.auditLog + "?action=api_key.rotated", token: owner.token, orgHandle: "acme")
            #expect(try byAction.decode(ListEnvelope<Components.Schemas.AuditEvent>.self).count == 1)
            let byActor = try await server.get(Self.auditLog + "?actor=cli&page_size=2", token: owner.token, orgHandle: "acme")
            let cliPage = try byActor.decode(ListEnvelope<Components.Schemas.AuditEvent>.self)
            #expect(cliPage.count == 4 && cliPage.data.count == 2)
            let byEmail = try await server.get(Self.auditLog + "?actor=owner@example.com", token: owner.token, orgHandle: "acme")
            #expect(try byEmail.decode(ListEnvelope<Components.Schemas.AuditEvent>.self).count == 4, "created, rotated, used after rotation, revoked")
            let future = try await server.get(Self.auditLog + "?start_date=2100-01-01", token: owner.token, orgHandle: "acme")
            #expect(try future.decode(ListEnvelope<Components.Schemas.AuditEvent>.self).count == 0)
            let badAction = try await server.get(Self.auditLog + "?action=nope", token: owner.token, orgHandle: "acme")
            #expect(badAction.status == .badRequest && badAction.error?.code == "invalid_parameters")

            // No token or secret in any event.
            for token in [owner.token, oldKey.token, newKey.token] {
                #expect(!listed.text.contains(token))
                #expect(!listed.text.contains(try #require(APIKeyToken.parse(token)).secret))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anotherOrganizationsAdminAndAMemberSeeNone(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let owner = try await Fixture.make(server.store)
            let created = try await server.request(
                .post, Paths.keys, authorization: "Token \(owner.token)", json: #"{"org_handle": "acme"}"#)
            #expect(created.status.code == 201)
            let outsider = try await Fixture.make(server.store, email: "b@example.com", handle: "beta")
            let member = try await server.store.createUser(email: "m@example.com", password: "long enough password")
            try await server.store.setMembership(userID: member.id, orgID: owner.organization.id, role: .member)
            let memberKey = try await server.store.createAPIKey(
                userID: member.id, name: "m", scopes: .all, organization: nil, expiresAt: nil)

            // Beta's owner sees beta's events only, and cannot name acme.
            let beta = try await server.get(Self.auditLog, token: outsider.token, orgHandle: "beta")
            let betaEvents = try beta.decode(ListEnvelope<Components.Schemas.AuditEvent>.self).data
            #expect(betaEvents.map(\.action) == ["organization.created"])
            #expect(betaEvents.allSatisfy { $0.orgHandle == "beta" })
            expectError(try await server.get(Self.auditLog, token: outsider.token, orgHandle: "acme"), .invalidOrganization)
            // An acme member is not an admin: 403 for the organization's log; their own with scope=self.
            expectError(try await server.get(Self.auditLog, token: memberKey.token, orgHandle: "acme"), .permissionDenied)
            let own = try await server.get(Self.auditLog + "?scope=self", token: memberKey.token)
            let ownEvents = try own.decode(ListEnvelope<Components.Schemas.AuditEvent>.self).data
            #expect(Set(ownEvents.map(\.action)) == ["user.created", "membership.added", "api_key.created"])
            #expect(ownEvents.allSatisfy { $0.target.id == "m@example.com" || $0.target.id == memberKey.keyId })
            // An owner whose key lacks the admin scope cannot read the organization's log.
            let readKey = try await server.store.createAPIKey(
                userID: owner.user.id, name: "r", scopes: [.read], organization: nil, expiresAt: nil)
            expectError(try await server.get(Self.auditLog, token: readKey.token, orgHandle: "acme"), .permissionDenied)
            expectError(try await server.get(Self.auditLog, token: owner.token), .orgHandleRequired)
        }
    }

    static func one(_ action: String, in events: [AuditEvent]) throws -> AuditEvent {
        try #require(events.first { $0.action == action }, "no \(action) event")
    }
}
