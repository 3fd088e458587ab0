import NIOCore
import Synchronization

/// Encoded list answers (bridges, call logs), per organization and query string, kept until the
/// organization's data changes.
///
/// Integrations poll these lists; serving a poll from memory is what puts `GET /telephony/bridges/`
/// at tens of times the DRF peer's rate (issue 6's benchmark). Correctness rests on versions:
/// - a writer bumps its organization's version after its transaction committed: on this node at
///   once (``AuthGuard``), on other nodes and after command-line writes when
///   ``DataChangeWatcher`` sees the audit log move (every write is audited in its transaction);
/// - a reader takes the version *before* it reads the store and files its answer under that
///   version, so an answer read before a commit can never be served after the bump.
/// So a node answers its own writes at once (read-your-writes on one node), and another node's
/// writes within one poll interval (250 ms by default), the same promise as key revocation.
/// Memory is bounded: past ``capacity`` entries the cache starts over.
final class ListCache: Sendable {
    struct Key: Hashable, Sendable {
        var orgID: Int
        var list: String
        var query: String
    }

    private struct Entry {
        var version: UInt64
        var body: ByteBuffer
    }

    private struct State {
        var versions: [Int: UInt64] = [:]
        /// Added to every version; bumped when everything must go (the change feed was unreadable).
        var generation: UInt64 = 0
        var entries: [Key: Entry] = [:]
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    /// The organization's current version: take it before reading the store.
    func version(orgID: Int) -> UInt64 {
        state.withLock { $0.generation &+ ($0.versions[orgID] ?? 0) }
    }

    /// The stored answer, if it was read at the organization's current version.
    func body(for key: Key) -> ByteBuffer? {
        state.withLock { state in
            guard let entry = state.entries[key],
                entry.version == state.generation &+ (state.versions[key.orgID] ?? 0)
            else { return nil }
            return entry.body
        }
    }

    func store(_ body: ByteBuffer, for key: Key, readAt version: UInt64) {
        state.withLock { state in
            guard version == state.generation &+ (state.versions[key.orgID] ?? 0) else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = Entry(version: version, body: body)
        }
    }

    /// The organization's data changed (its answers are dropped lazily, on their next lookup).
    func invalidate(orgID: Int) {
        state.withLock { $0.versions[orgID, default: 0] &+= 1 }
    }

    func invalidateAll() {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll(keepingCapacity: true)
        }
    }

    /// The cached answer for `key`, or the one `produce` encodes (and files under the version taken first).
    func response(for key: Key, produce: () async throws -> ByteBuffer) async throws -> ByteBuffer {
        if let body = body(for: key) { return body }
        let version = version(orgID: key.orgID)
        let body = try await produce()
        store(body, for: key, readAt: version)
        return body
    }
}
