import Synchronization
import UnpodCore

/// Verified keys (and unknown ones) by token tag, so the auth check usually asks no database and
/// computes no HMAC: a token is named here by its SipHash-2-4-128 under a key drawn when the
/// process starts (``SipHash128``), not by its lookup hash, which is computed only on a miss.
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
        var entries: [TokenTag: Entry] = [:]
        var unknownCount = 0
    }

    /// Caps the unknown-key entries an attacker can add with well-formed made-up tokens.
    private let maximumUnknown: Int
    private let state = Mutex(State())
    private let tagger = SipHash128.random()

    init(maximumUnknown: Int = 10_000) {
        self.maximumUnknown = maximumUnknown
    }

    /// The name of a presented token (its bytes, read in place) in this cache.
    func tag(of token: UnsafeBufferPointer<UInt8>) -> TokenTag {
        TokenTag(words: tagger.tag(UnsafeRawBufferPointer(token)))
    }

    func lookup(_ tag: TokenTag) -> (entry: Entry?, generation: UInt64) {
        state.withLock { ($0.entries[tag], $0.generation) }
    }

    func insert(_ entry: Entry, for tag: TokenTag, readAt generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if case .unknown = entry {
                if state.unknownCount >= maximumUnknown {
                    state.entries = state.entries.filter { if case .known = $0.value { true } else { false } }
                    state.unknownCount = 0
                }
                state.unknownCount += 1
            }
            state.entries[tag] = entry
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

/// A token's name in ``AuthCache``: 128 bits of a keyed pseudorandom function of the token.
struct TokenTag: Hashable, Sendable {
    let words: (UInt64, UInt64)

    static func == (lhs: TokenTag, rhs: TokenTag) -> Bool {
        // Constant time, like the lookup hash's: no telling how many leading bits matched.
        (lhs.words.0 ^ rhs.words.0) | (lhs.words.1 ^ rhs.words.1) == 0
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
    }
}
