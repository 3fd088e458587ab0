/// HMAC-SHA-256 (RFC 2104, FIPS 180-4) under one fixed key, for the lookup hash that finds a key
/// in the store (computed when a key is created, and on each auth-cache miss).
///
/// Why not swift-crypto's `HMAC<SHA256>`: it gives the same bytes (tested against it on random
/// keys and messages of every length up to several blocks), but each MAC copies its BoringSSL
/// contexts on the heap, which on the request path cost about as much as the rest of the auth
/// check together. Here the two pad blocks are compressed once, at startup, and a MAC is then
/// three compressions for a 72-byte token, on the stack, with no allocation and no branch that
/// depends on the message's bytes.
public struct PrecomputedHMAC: Sendable {
    private let inner: SHA256State
    private let outer: SHA256State

    /// - Parameter key: at most 64 bytes (the pepper is 32); a longer key would first be hashed
    ///   (RFC 2104), which no caller needs.
    public init(key: [UInt8]) {
        precondition(key.count <= SHA256State.blockSize, "HMAC keys longer than a block are not supported")
        func padded(_ pad: UInt8) -> SHA256State {
            var block = [UInt8](repeating: pad, count: SHA256State.blockSize)
            for (index, byte) in key.enumerated() { block[index] ^= byte }
            var state = SHA256State.initial
            block.withUnsafeBytes { state.compress(block: $0.baseAddress!) }
            return state
        }
        self.inner = padded(0x36)
        self.outer = padded(0x5C)
    }

    /// The MAC of `message` as SHA-256's eight big-endian words.
    public func authenticationCode(_ message: UnsafeRawBufferPointer) -> SHA256State {
        var state = inner
        state.absorbFinal(message, precedingBytes: SHA256State.blockSize)
        let innerDigest = state
        state = outer
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: SHA256State.digestSize) { digest in
            innerDigest.write(to: digest)
            state.absorbFinal(UnsafeRawBufferPointer(digest), precedingBytes: SHA256State.blockSize)
        }
        return state
    }
}

/// SHA-256's chaining value: eight words, and the compression function over 64-byte blocks.
public struct SHA256State: Sendable, Equatable {
    static let blockSize = 64
    static let digestSize = 32

    public var h0, h1, h2, h3, h4, h5, h6, h7: UInt32

    static let initial = SHA256State(
        h0: 0x6a09_e667, h1: 0xbb67_ae85, h2: 0x3c6e_f372, h3: 0xa54f_f53a,
        h4: 0x510e_527f, h5: 0x9b05_688c, h6: 0x1f83_d9ab, h7: 0x5be0_cd19)

    /// The digest of `message` alone (plain SHA-256), for the tests that hold this to swift-crypto.
    public static func digest(_ message: UnsafeRawBufferPointer) -> SHA256State {
        var state = initial
        state.absorbFinal(message, precedingBytes: 0)
        return state
    }

    /// The 32 digest bytes, big-endian.
    public func write(to bytes: UnsafeMutableBufferPointer<UInt8>) {
        func put(_ word: UInt32, at index: Int) {
            bytes[index * 4] = UInt8(truncatingIfNeeded: word >> 24)
            bytes[index * 4 + 1] = UInt8(truncatingIfNeeded: word >> 16)
            bytes[index * 4 + 2] = UInt8(truncatingIfNeeded: word >> 8)
            bytes[index * 4 + 3] = UInt8(truncatingIfNeeded: word)
        }
        put(h0, at: 0); put(h1, at: 1); put(h2, at: 2); put(h3, at: 3)
        put(h4, at: 4); put(h5, at: 5); put(h6, at: 6); put(h7, at: 7)
    }

    /// Absorbs the message's last part and its padding; `precedingBytes` already went into the state
    /// (whole blocks: the HMAC pad block).
    mutating func absorbFinal(_ message: UnsafeRawBufferPointer, precedingBytes: Int) {
        var offset = 0
        while message.count - offset >= Self.blockSize {
            compress(block: message.baseAddress! + offset)
            offset += Self.blockSize
        }
        let remaining = message.count - offset
        let bitLength = UInt64(precedingBytes + message.count) &* 8
        // The rest, 0x80, zeros, and the 64-bit length: one block, or two if the rest is 56 bytes or more.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * Self.blockSize) { tail in
            let blocks = remaining < Self.blockSize - 8 ? 1 : 2
            let end = blocks * Self.blockSize
            tail.initialize(repeating: 0)
            if remaining > 0 {
                UnsafeMutableRawBufferPointer(tail).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: message[offset...]))
            }
            tail[remaining] = 0x80
            for index in 0..<8 { tail[end - 1 - index] = UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(index))) }
            let base = UnsafeRawPointer(tail.baseAddress!)
            for block in 0..<blocks { compress(block: base + block * Self.blockSize) }
        }
    }

    /// FIPS 180-4 section 6.2.2 over the 64 bytes at `block`: the message schedule, then the 64
    /// rounds eight at a time with the working variables' roles rotated (as the reference code's
    /// macros do) instead of moved, which halves the instructions per round.
    mutating func compress(block: UnsafeRawPointer) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for t in 0..<16 {
                w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: t * 4, as: UInt32.self))
            }
            for t in 16..<64 {
                let w15 = w[t - 15], w2 = w[t - 2]
                let s0 = w15.rotatedRight(7) ^ w15.rotatedRight(18) ^ (w15 >> 3)
                let s1 = w2.rotatedRight(17) ^ w2.rotatedRight(19) ^ (w2 >> 10)
                w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, h) = (h0, h1, h2, h3, h4, h5, h6, h7)
            SHA256State.roundConstants.withUnsafeBufferPointer { k in
                var t = 0
                while t < 64 {
                    Self.round(a, b, c, &d, e, f, g, &h, k[t] &+ w[t])
                    Self.round(h, a, b, &c, d, e, f, &g, k[t + 1] &+ w[t + 1])
                    Self.round(g, h, a, &b, c, d, e, &f, k[t + 2] &+ w[t + 2])
                    Self.round(f, g, h, &a, b, c, d, &e, k[t + 3] &+ w[t + 3])
                    Self.round(e, f, g, &h, a, b, c, &d, k[t + 4] &+ w[t + 4])
                    Self.round(d, e, f, &g, h, a, b, &c, k[t + 5] &+ w[t + 5])
                    Self.round(c, d, e, &f, g, h, a, &b, k[t + 6] &+ w[t + 6])
                    Self.round(b, c, d, &e, f, g, h, &a, k[t + 7] &+ w[t + 7])
                    t += 8
                }
            }
            h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d
            h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= h
        }
    }

    /// One round: `d` takes T1 added, `h` becomes T1 + T2; the caller rotates the names.
    @inline(__always)
    private static func round(
        _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
        _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ constantPlusWord: UInt32
    ) {
        let t1 = h &+ (e.rotatedRight(6) ^ e.rotatedRight(11) ^ e.rotatedRight(25)) &+ (g ^ (e & (f ^ g))) &+ constantPlusWord
        let t2 = (a.rotatedRight(2) ^ a.rotatedRight(13) ^ a.rotatedRight(22)) &+ ((a & b) | (c & (a | b)))
        d &+= t1
        h = t1 &+ t2
    }

    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]
}

extension UInt32 {
    @inline(__always)
    fileprivate func rotatedRight(_ count: UInt32) -> UInt32 {
        (self &>> count) | (self &<< (32 &- count))
    }
}
