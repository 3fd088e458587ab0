import Foundation
import SQLKit
import UnpodCore

extension SQLStore {
    /// Creates a user with a bcrypt-hashed password. Emails are compared case-insensitively.
    public func createUser(email: String, password: String, actor: AuditActor = .cli) async throws -> User {
        let email = try Self.normalizedEmail(email)
        let hash = try await passwordHash(password)
        let now = clock.now()
        do {
            return try await database.transaction { db in
                if try await db.raw("SELECT id FROM users WHERE email = \(bind: email)").first() != nil {
                    throw StoreError.duplicate("a user with email \(email) exists")
                }
                let row = try await db.raw(
                    """
                    INSERT INTO users (email, password_hash, is_active, created_at)
                    VALUES (\(bind: email), \(bind: hash), \(bind: true), \(bind: now.millis)) RETURNING id
                    """
                ).first()
                let id = try row!.decode(column: "id", as: Int.self)
                try await audit(
                    db, AuditRecord(action: "user.created", targetType: "user", targetID: email, subjectUserID: id),
                    by: actor)
                return User(id: id, email: email, isActive: true, createdAt: Date(millis: now.millis))
            }
        } catch where isUniqueViolation(error) {
            throw StoreError.duplicate("a user with email \(email) exists")
        }
    }

    public func user(email: String) async throws -> User? {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        return try await database.withConnection { db in
            try await db.raw("SELECT id, email, is_active, created_at FROM users WHERE email = \(bind: email)")
                .first().map(Self.user(from:))
        }
    }

    public func userCount() async throws -> Int {
        try await database.withConnection { db in
            try await db.raw("SELECT COUNT(*) AS n FROM users").first()!.decode(column: "n", as: Int.self)
        }
    }

    /// Checks a password against the stored bcrypt hash (for the dashboard's sign-in).
    public func verifyPassword(email: String, password: String) async throws -> User? {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        let row = try await database.withConnection { db in
            try await db.raw(
                "SELECT id, email, is_active, created_at, password_hash FROM users WHERE email = \(bind: email)"
            ).first()
        }
        guard let row else { return nil }
        guard try await passwordMatches(password, hash: try row.decode(column: "password_hash", as: String.self)) else { return nil }
        return try Self.user(from: row)
    }

    /// Deactivates or reactivates a user; their keys stop (or resume) working on every node.
    public func setUserActive(_ userID: Int, _ active: Bool, actor: AuditActor = .cli) async throws {
        try await database.transaction { db in
            let email = try await Self.email(db, userID: userID)
            try await db.raw("UPDATE users SET is_active = \(bind: active) WHERE id = \(bind: userID)").run()
            try await Self.bumpAuthEpoch(db)
            try await audit(
                db,
                AuditRecord(
                    action: active ? "user.activated" : "user.deactivated", targetType: "user", targetID: email,
                    subjectUserID: userID),
                by: actor)
        }
    }

    /// Replaces a user's password (bcrypt). Their API keys keep working: keys are not passwords.
    public func setPassword(_ userID: Int, password: String, actor: AuditActor = .cli) async throws {
        guard password.count >= 8 else { throw StoreError.invalidState("a password has at least 8 characters") }
        let hash = try await passwordHash(password)
        try await database.transaction { db in
            let email = try await Self.email(db, userID: userID)
            try await db.raw("UPDATE users SET password_hash = \(bind: hash) WHERE id = \(bind: userID)").run()
            try await audit(
                db,
                AuditRecord(action: "user.password_changed", targetType: "user", targetID: email, subjectUserID: userID),
                by: actor)
        }
    }

    static func email(_ db: any SQLDatabase, userID: Int) async throws -> String {
        guard let row = try await db.raw("SELECT email FROM users WHERE id = \(bind: userID)").first() else {
            throw StoreError.notFound("no such user")
        }
        return try row.decode(column: "email", as: String.self)
    }

    static func user(from row: any SQLRow) throws -> User {
        User(
            id: try row.decode(column: "id", as: Int.self),
            email: try row.decode(column: "email", as: String.self),
            isActive: try row.decode(column: "is_active", as: Bool.self),
            createdAt: Date(millis: try row.decode(column: "created_at", as: Int64.self)))
    }

    static func normalizedEmail(_ email: String) throws -> String {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, email.count <= 254,
            !email.contains(where: \.isWhitespace)
        else { throw StoreError.invalidState("\(email) is not an email address") }
        return email
    }
}
