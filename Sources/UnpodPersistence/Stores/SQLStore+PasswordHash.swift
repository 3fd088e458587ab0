import HummingbirdBcrypt
import NIOPosix

extension SQLStore {
    /// A bcrypt hash of `password` at the store's cost, computed on NIO's blocking thread pool.
    ///
    /// At cost 12 a hash takes a quarter of a second of one core; run inline it would hold one of
    /// the few threads every request's task shares (two on a 2-core machine) for all that time.
    func passwordHash(_ password: String) async throws -> String {
        let cost = bcryptCost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }
}
