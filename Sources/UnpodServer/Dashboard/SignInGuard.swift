import Foundation
import Synchronization
import UnpodPersistence

/// Sign-in checks that neither reveal which emails have accounts nor let anyone guess passwords
/// at speed.
///
/// - Failures are counted per account (the email as typed, whether or not it exists) and per
///   client address; over either limit, sign-in answers 429 with the same message.
/// - bcrypt runs on NIO's thread pool, off the event loops and the Swift concurrency pool.
/// - An unknown email is checked against a stand-in hash of the same cost, so it takes about as
///   long as a wrong password, and the page says the same thing for both.
///
/// The counters are in the database (``SharedFailureWindows``): several nodes behind a balancer
/// share one budget per account and per address.
final class SignInGuard: Sendable {
    static let refusal = "Wrong email or password."

    private let accounts: SharedFailureWindows
    private let addresses: SharedFailureWindows
    private let store: SQLStore
    private let standIn = Mutex<String?>(nil)

    init(accountRule: RateLimiter.Rule, addressRule: RateLimiter.Rule, store: SQLStore) {
        accounts = SharedFailureWindows(rule: accountRule, store: store)
        addresses = SharedFailureWindows(rule: addressRule, store: store)
        self.store = store
    }

    /// Throws 429 when the account or the address has used its failures for now.
    func admit(email: String, address: String, at now: Date) async throws {
        if let wait = try await accounts.wait(Self.accountKey(email), at: now) {
            throw Self.throttled(wait)
        }
        if let wait = try await addresses.wait(Self.addressKey(address), at: now) { throw Self.throttled(wait) }
    }

    func recordFailure(email: String, address: String, at now: Date) async throws {
        try await accounts.record(Self.accountKey(email), at: now)
        try await addresses.record(Self.addressKey(address), at: now)
    }

    /// Whether `password` matches `hash`; with no hash (no such user), false after the same work.
    func verify(_ password: String, hash: String?) async throws -> Bool {
        guard let hash else {
            _ = try await store.passwordMatches(password, hash: standInHash())
            return false
        }
        return try await store.passwordMatches(password, hash: hash)
    }

    private func standInHash() async throws -> String {
        if let hash = standIn.withLock({ $0 }) { return hash }
        let hash = try await store.passwordHash("unpod stand-in password")
        standIn.withLock { $0 = $0 ?? hash }
        return hash
    }

    private static func accountKey(_ email: String) -> String {
        "sign-in account:" + email.trimmingCharacters(in: .whitespaces).lowercased()
    }

    private static func addressKey(_ address: String) -> String { "sign-in address:" + address }

    private static func throttled(_ seconds: Int) -> DashboardError {
        let minutes = max(1, (seconds + 59) / 60)
        return .throttled(
            "Too many sign-in attempts. Try again in \(minutes) minute\(minutes == 1 ? "" : "s").", retryAfter: seconds)
    }
}
