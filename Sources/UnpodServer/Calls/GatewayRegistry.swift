import Foundation
import Synchronization
import UnpodCore

/// The phone gateways connected to this node (workers registered with `gateway: true`), per
/// organization: which may take a phone call, how many each carries, and how to reach each one.
final class GatewayRegistry: Sendable {
    struct Gateway: Sendable {
        let connectionID: Int
        let orgID: Int
        let capacity: Int
        /// Registered as a gateway (`gateway: true`): takes the organization's phone calls. Every
        /// worker is here, so that the calls of the tasks it leases reach it.
        let carriesPhoneCalls: Bool
        var carrying: Int = 0
        let send: @Sendable (WorkerServerMessage) -> Void
    }

    private let gateways = Mutex<[Int: Gateway]>([:])
    private let nextConnection = Atomic<Int>(1)
    /// Told when a gateway comes, goes or fills up (the other nodes hear of it).
    private let changed = Mutex<(@Sendable () -> Void)?>(nil)

    func onChange(_ handler: @escaping @Sendable () -> Void) {
        changed.withLock { $0 = handler }
    }

    private func notify() {
        changed.withLock { $0 }?()
    }

    /// The organizations with a phone gateway on this node that has room for another call.
    func phoneOrganizations() -> [Int] {
        gateways.withLock { gateways in
            Array(Set(gateways.values.filter { $0.carriesPhoneCalls && $0.carrying < $0.capacity }.map(\.orgID))).sorted()
        }
    }

    func add(orgID: Int, capacity: Int, carriesPhoneCalls: Bool, send: @escaping @Sendable (WorkerServerMessage) -> Void) -> Int {
        let connectionID = nextConnection.add(1, ordering: .relaxed).oldValue
        gateways.withLock {
            $0[connectionID] = Gateway(
                connectionID: connectionID, orgID: orgID, capacity: capacity, carriesPhoneCalls: carriesPhoneCalls, send: send)
        }
        notify()
        return connectionID
    }

    func remove(connectionID: Int) {
        gateways.withLock { _ = $0.removeValue(forKey: connectionID) }
        notify()
    }

    /// The least loaded gateway of the organization with room, now carrying one more call.
    func take(orgID: Int) -> Gateway? {
        defer { notify() }
        return gateways.withLock { gateways in
            guard
                let chosen = gateways.values.filter({ $0.carriesPhoneCalls && $0.orgID == orgID && $0.carrying < $0.capacity })
                    .min(by: { $0.carrying * 1000 / $0.capacity < $1.carrying * 1000 / $1.capacity })
            else { return nil }
            gateways[chosen.connectionID]?.carrying += 1
            return chosen
        }
    }

    /// This gateway, now carrying one more call (the inbound call it reported), or nil when it is gone.
    func take(connectionID: Int) -> Gateway? {
        defer { notify() }
        return gateways.withLock { gateways in
            gateways[connectionID]?.carrying += 1
            return gateways[connectionID]
        }
    }

    func release(connectionID: Int) {
        gateways.withLock { gateways in
            if let carrying = gateways[connectionID]?.carrying { gateways[connectionID]?.carrying = max(0, carrying - 1) }
        }
        notify()
    }

    func send(connectionID: Int, _ message: WorkerServerMessage) {
        gateways.withLock { $0[connectionID] }?.send(message)
    }
}
