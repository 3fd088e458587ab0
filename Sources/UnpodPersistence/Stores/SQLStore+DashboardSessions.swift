import Crypto
import Foundation
import SQLKit
import UnpodCore

/// A signed-in dashboard user: who, and the CSRF token every form of theirs must carry.
public struct DashboardSession: Sendable, Equatable {
    public var user: User
    public var csrfToken: String
    public var expiresAt: Date
}

extension SQLStore {
    /// Starts a session for a user whose password was just checked, and returns the cookie's
    /// token (stored as its SHA-256 only, like nothing else a thief could replay).
    public func startDashboardSession(user: User, lifetime: TimeInterval, actor: AuditActor) async throws
        -> (token: String, session: DashboardSession)
    {
        var generator = SystemRandomNumberGenerator()
        let token = Base62.random(count: 43, using: &generator)
        let csrf = Base62.random(count: 43, using: &generator)
        let now = clock.now()
        let expires = Date(millis: now.addingTimeInterval(lifetime).millis)
        try await database.transaction { db in
            // Expired sessions go away here rather than in a background task.
            try await db.raw("DELETE FROM dashboard_sessions WHERE expires_at <= \(bind: now.millis)").run()
            try await db.raw(
                """
                INSERT INTO dashboard_sessions (token_hash, user_id, csrf_token, created_at, expires_at, client_address)
                VALUES (\(bind: Self.sessionHash(token)), \(bind: user.id), \(bind: csrf), \(bind: now.millis),
                        \(bind: expires.millis), \(bind: actor.clientAddress))
                """
            ).run()
            try await audit(
                db, AuditRecord(action: "user.signed_in", targetType: "user", targetID: user.email, subjectUserID: user.id),
                by: actor)
        }
        return (token, DashboardSession(user: user, csrfToken: csrf, expiresAt: expires))
    }

    /// The live session a cookie names: unexpired, of an active user. One query.
    public func dashboardSession(token: String) async throws -> DashboardSession? {
        guard (20...100).contains(token.utf8.count) else { return nil }
        let now = clock.now()
        return try await database.withConnection { db in
            guard
                let row = try await db.raw(
                    """
                    SELECT u.id, u.email, u.is_active, u.created_at, s.csrf_token, s.expires_at
                    FROM dashboard_sessions s JOIN users u ON u.id = s.user_id
                    WHERE s.token_hash = \(bind: Self.sessionHash(token)) AND s.expires_at > \(bind: now.millis)
                      AND u.is_active = \(bind: true)
                    """
                ).first()
            else { return nil }
            return DashboardSession(
                user: try Self.user(from: row), csrfToken: try row.decode(column: "csrf_token", as: String.self),
                expiresAt: Date(millis: try row.decode(column: "expires_at", as: Int64.self)))
        }
    }

    /// Signs out: the session ends on every node at once (each request reads it from the database).
    public func endDashboardSession(token: String, user: User, actor: AuditActor) async throws {
        try await database.transaction { db in
            try await db.raw("DELETE FROM dashboard_sessions WHERE token_hash = \(bind: Self.sessionHash(token))").run()
            try await audit(
                db, AuditRecord(action: "user.signed_out", targetType: "user", targetID: user.email, subjectUserID: user.id),
                by: actor)
        }
    }

    /// Changes a password after checking the current one was given, and ends the user's other
    /// sessions in the same transaction (someone who knew the old password is signed out).
    public func changePassword(user: User, to password: String, keeping token: String, actor: AuditActor) async throws {
        guard password.count >= 8 else { throw StoreError.invalidState("a password has at least 8 characters") }
        guard password.utf8.count <= 72 else { throw StoreError.invalidState("a password has at most 72 bytes") }
        let hash = try await passwordHash(password)
        try await database.transaction { db in
            try await db.raw("UPDATE users SET password_hash = \(bind: hash) WHERE id = \(bind: user.id)").run()
            try await db.raw(
                """
                DELETE FROM dashboard_sessions
                WHERE user_id = \(bind: user.id) AND token_hash <> \(bind: Self.sessionHash(token))
                """
            ).run()
            try await audit(
                db,
                AuditRecord(action: "user.password_changed", targetType: "user", targetID: user.email, subjectUserID: user.id),
                by: actor)
        }
    }

    /// A user and their bcrypt hash, for a sign-in check the caller runs off the event loop.
    public func passwordHash(email: String) async throws -> (user: User, hash: String)? {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard email.utf8.count <= 254 else { return nil }
        return try await database.withConnection { db in
            guard
                let row = try await db.raw(
                    "SELECT id, email, is_active, created_at, password_hash FROM users WHERE email = \(bind: email)"
                ).first()
            else { return nil }
            return (try Self.user(from: row), try row.decode(column: "password_hash", as: String.self))
        }
    }

    static func sessionHash(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).hexString
    }
}
