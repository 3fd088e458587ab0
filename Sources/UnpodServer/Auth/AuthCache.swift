import Synchronization
import UnpodCore

/// Verified keys (and unknown ones) by lookup hash, so the auth check usually asks no database.
///
/// Correctness rests on invalidation: any change to keys, users or memberships bumps the auth
/// epoch; the node that made it clears this cache at once, other nodes within one poll
/// (``AuthEpochWatcher``). A read that started before a clear must not repopulate the cache with
/// what it read, so inserts carry the generation they started under and are dropped if it moved.
final class AuthCache: Sendable {
    enum Entry: Sendable {
        case known(Caller)
        case unknown
    }

    private struct State {
        var generation: UInt64 = 0
        var entries: [LookupHash: Entry] = [:]
        var unknownCount = 0
    }

    /// Caps the unknown-key entries an attacker can add with well-formed made-up tokens.
    private let maximumUnknown: Int
    private let state = Mutex(State())

    init(maximumUnknown: Int = 10_000) {
        self.maximumUnknown = maximumUnknown
    }

    func lookup(_ hash: LookupHash) -> (entry: Entry?, generation: UInt64) {
        state.withLock { ($0.entries[hash], $0.generation) }
    }

    func insert(_ entry: Entry, for hash: LookupHash, readAt generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if case .unknown = entry {
                if state.unknownCount >= maximumUnknown {
                    state.entries = state.entries.filter { if case .known = $0.value { true } else { false } }
                    state.unknownCount = 0
                }
                state.unknownCount += 1
            }
            state.entries[hash] = entry
        }
    }

    func invalidateAll() {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll(keepingCapacity: true)
            state.unknownCount = 0
        }
    }
}
