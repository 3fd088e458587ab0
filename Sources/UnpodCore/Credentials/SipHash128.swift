/// SipHash-2-4 with its 128-bit output (Aumasson and Bernstein, 2012): a keyed pseudorandom
/// function, checked against the reference implementation's test vectors.
///
/// It names a presented token in the server's in-memory auth cache, under a key drawn at random
/// when the process starts and never stored. Without that key nobody can make a token whose tag
/// matches a cached key's (a 128-bit guess per request, and failed guesses are throttled); and
/// the cache holds no token, only tags. It costs a few hundred instructions for a 72-byte token,
/// where the HMAC-SHA-256 lookup hash costs over 10,000: so a cached key is recognised without
/// the HMAC, which is computed only when the store must be asked.
public struct SipHash128: Sendable {
    private let k0: UInt64
    private let k1: UInt64

    public init(k0: UInt64, k1: UInt64) {
        self.k0 = k0
        self.k1 = k1
    }

    /// A key from the system's random source.
    public static func random() -> SipHash128 {
        var generator = SystemRandomNumberGenerator()
        return SipHash128(k0: generator.next(), k1: generator.next())
    }

    /// The 16-byte tag as two words: the first and the second eight bytes, little-endian.
    public func tag(_ message: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        var state = State(k0: k0, k1: k1)
        let whole = message.count & ~7
        var offset = 0
        while offset < whole {
            state.absorb(UInt64(littleEndian: message.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            offset += 8
        }
        var last = UInt64(truncatingIfNeeded: message.count) << 56
        for index in 0..<(message.count - whole) {
            last |= UInt64(message[whole + index]) << (8 * UInt64(index))
        }
        state.absorb(last)
        return state.finalize()
    }

    private struct State {
        var v0: UInt64 = 0x736f_6d65_7073_6575
        var v1: UInt64 = 0x646f_7261_6e64_6f6d
        var v2: UInt64 = 0x6c79_6765_6e65_7261
        var v3: UInt64 = 0x7465_6462_7974_6573

        init(k0: UInt64, k1: UInt64) {
            v3 ^= k1
            v2 ^= k0
            v1 ^= k1 ^ 0xee  // 0xee: the 128-bit output variant
            v0 ^= k0
        }

        mutating func absorb(_ word: UInt64) {
            v3 ^= word
            round()
            round()
            v0 ^= word
        }

        mutating func finalize() -> (UInt64, UInt64) {
            v2 ^= 0xee
            round(); round(); round(); round()
            let first = v0 ^ v1 ^ v2 ^ v3
            v1 ^= 0xdd
            round(); round(); round(); round()
            return (first, v0 ^ v1 ^ v2 ^ v3)
        }

        @inline(__always)
        mutating func round() {
            v0 &+= v1; v1 = v1.rotatedLeft(13); v1 ^= v0; v0 = v0.rotatedLeft(32)
            v2 &+= v3; v3 = v3.rotatedLeft(16); v3 ^= v2
            v0 &+= v3; v3 = v3.rotatedLeft(21); v3 ^= v0
            v2 &+= v1; v1 = v1.rotatedLeft(17); v1 ^= v2; v2 = v2.rotatedLeft(32)
        }
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotatedLeft(_ count: UInt64) -> UInt64 {
        (self &<< count) | (self &>> (64 &- count))
    }
}
