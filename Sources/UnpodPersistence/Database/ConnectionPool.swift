import SQLKit

/// A small async pool: a few long-lived connections, leased for one query or one transaction.
///
/// Both engines use it, so a transaction always runs on one connection (SQLKit's pooled databases
/// may send consecutive queries over different connections).
actor ConnectionPool<Connection: Sendable> {
    private let maximum: Int
    private let open: @Sendable () async throws -> Connection
    private let isUsable: @Sendable (Connection) -> Bool
    private let close: @Sendable (Connection) async -> Void
    private var idle: [Connection] = []
    private var opened = 0
    private var waiters: [CheckedContinuation<Connection, any Error>] = []
    private var isShutDown = false
    /// Shutdown waits here for connections still lent out.
    private var drained: [CheckedContinuation<Void, Never>] = []
    /// How many leases had to wait for a connection, since the start.
    private var waits = 0

    init(
        maximum: Int,
        open: @escaping @Sendable () async throws -> Connection,
        isUsable: @escaping @Sendable (Connection) -> Bool,
        close: @escaping @Sendable (Connection) async -> Void
    ) {
        self.maximum = max(1, maximum)
        self.open = open
        self.isUsable = isUsable
        self.close = close
    }

    func lease() async throws -> Connection {
        guard !isShutDown else { throw CancellationError() }
        while let connection = idle.popLast() {
            if isUsable(connection) { return connection }
            opened -= 1
            await close(connection)
        }
        if opened < maximum {
            opened += 1
            do {
                return try await open()
            } catch {
                opened -= 1
                throw error
            }
        }
        waits += 1
        return try await withCheckedThrowingContinuation { waiters.append($0) }
    }

    /// Connections lent out and idle, leases waiting now, and leases that waited since the start.
    func statistics() -> PoolStatistics {
        PoolStatistics(inUse: opened - idle.count, idle: idle.count, waiting: waiters.count, totalWaits: waits)
    }

    func release(_ connection: Connection) async {
        guard !isShutDown, isUsable(connection) else {
            opened -= 1
            await close(connection)
            if isShutDown, opened == 0 {
                for waiter in drained { waiter.resume() }
                drained.removeAll()
            }
            if !waiters.isEmpty, !isShutDown, opened < maximum {
                let waiter = waiters.removeFirst()
                opened += 1
                do { waiter.resume(returning: try await open()) } catch {
                    opened -= 1
                    waiter.resume(throwing: error)
                }
            }
            return
        }
        if waiters.isEmpty {
            idle.append(connection)
        } else {
            waiters.removeFirst().resume(returning: connection)
        }
    }

    /// Closes every connection, waiting for those still lent out to come back first.
    func shutdown() async {
        isShutDown = true
        for waiter in waiters { waiter.resume(throwing: CancellationError()) }
        waiters.removeAll()
        let closing = idle
        idle.removeAll()
        opened -= closing.count
        for connection in closing { await close(connection) }
        if opened > 0 {
            await withCheckedContinuation { drained.append($0) }
        }
    }
}

/// A snapshot of a connection pool, for `/metrics`.
public struct PoolStatistics: Sendable, Equatable {
    public var inUse: Int
    public var idle: Int
    public var waiting: Int
    public var totalWaits: Int
}
