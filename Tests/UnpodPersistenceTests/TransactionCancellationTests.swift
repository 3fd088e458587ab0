import Foundation
import SQLKit
import Testing
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// A caller cancelled in the middle of a transaction (a client that hangs up, a worker that
/// disconnects) must not leave its connection inside the transaction: seen as "cannot start a
/// transaction within a transaction" on the next use of that connection.
@Suite struct TransactionCancellationTests {
    @Test(arguments: TestDatabase.all)
    func aCancelledCallerDoesNotLeaveItsConnectionInATransaction(engine: TestDatabase) async throws {
        let instance = try await TestDatabaseInstance.make(engine)
        let store = try await instance.openStore(maxConnections: 1)
        do {
            let owner = try await Fixture.make(store)
            let caller = Task {
                try await store.database.transaction { db in
                    try await db.raw("UPDATE users SET is_active = \(bind: true) WHERE id = \(bind: owner.user.id)").run()
                    try await Task.sleep(for: .milliseconds(200))
                    try await db.raw("UPDATE users SET is_active = \(bind: true) WHERE id = \(bind: owner.user.id)").run()
                }
            }
            try await Task.sleep(for: .milliseconds(50))
            caller.cancel()
            _ = await caller.result
            // The only connection is usable for a new transaction.
            try await store.setUserActive(owner.user.id, false)
            #expect(try await store.user(email: owner.user.email)?.isActive == false)
            await store.shutdown()
            await instance.remove()
        } catch {
            await store.shutdown()
            await instance.remove()
            throw error
        }
    }
}
