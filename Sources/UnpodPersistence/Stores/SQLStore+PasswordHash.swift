import HummingbirdBcrypt
import NIOPosix

/// bcrypt, always on NIO's blocking thread pool: at cost 12 a hash or a check takes a quarter of a
/// second of one core; run inline it would hold one of the few threads every request's task shares
/// (two on a 2-core machine) for all that time.
extension SQLStore {
    /// A bcrypt hash of `password` at the store's cost.
    public func passwordHash(_ password: String) async throws -> String {
        let cost = bcryptCost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches the bcrypt `hash`.
    public func passwordMatches(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
