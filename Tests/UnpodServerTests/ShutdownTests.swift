import Foundation
import Testing
import UnpodClient
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// The real binary, stopped with SIGTERM: last-used times still in memory are written on the way out.
@Suite(.serialized) struct ShutdownTests {
    @Test(arguments: TestDatabase.all)
    func aGracefulStopWritesPendingLastUsedTimes(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, database in
            let admin = try await Fixture.make(store)
            let server = try await ServerProcess(database: database.location)
            let started = Date()
            _ = try await UnpodClient(baseURL: server.baseURL, token: admin.token).organizations()
            // The periodic flush runs every 5 s; stopping at once leaves only the shutdown flush.
            server.stop()
            #expect(Date().timeIntervalSince(started) < 4, "the server stopped promptly")
            let lastUsed = try #require(try await store.apiKeys(of: .anyone).first?.lastUsedAt)
            #expect(lastUsed >= started.addingTimeInterval(-1))
        }
    }
}
