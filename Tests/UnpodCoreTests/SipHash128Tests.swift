import Testing
@testable import UnpodCore

/// The auth cache's token tags: SipHash-2-4-128 must give the reference implementation's bytes
/// (github.com/veorq/SipHash, vectors.h, `vectors_sip128`: key 00…0f, message 00…(n-1)).
@Suite struct SipHash128Tests {
    private static let vectors: [Int: String] = [
        0: "a3817f04ba25a8e66df67214c7550293",
        1: "da87c1d86b99af44347659119b22fc45",
        7: "a1f1ebbed8dbc153c0b84aa61ff08239",
        8: "3b62a9ba6258f5610f83e264f31497b4",
        15: "5493e99933b0a8117e08ec0f97cfc3d9",
        16: "6ee2a4ca67b054bbfd3315bf85230577",
        63: "5150d1772f50834a503e069a973fbd7c",
    ]

    @Test(arguments: vectors.keys.sorted())
    func referenceVector(length: Int) {
        let key = [UInt8](0..<16)
        func word(_ offset: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(key[offset + $1]) << (8 * UInt64($1)) } }
        let siphash = SipHash128(k0: word(0), k1: word(8))
        let message = [UInt8]((0..<length).map { UInt8($0) })
        let (first, second) = message.withUnsafeBytes { siphash.tag($0) }
        let bytes = (0..<8).map { UInt8(truncatingIfNeeded: first >> (8 * UInt64($0))) }
            + (0..<8).map { UInt8(truncatingIfNeeded: second >> (8 * UInt64($0))) }
        #expect(bytes.hexString == Self.vectors[length])
    }

    @Test func differentKeysGiveDifferentTags() {
        let token = Array(APIKeyToken.generate().text.utf8)
        let one = token.withUnsafeBytes { SipHash128.random().tag($0) }
        let other = token.withUnsafeBytes { SipHash128.random().tag($0) }
        #expect(one != other)
    }
}
