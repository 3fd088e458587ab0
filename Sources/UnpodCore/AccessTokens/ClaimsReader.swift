import Foundation

/// A strict JSON reader (RFC 8259) for access-token claims: reads LiveKit's layout into
/// ``AccessTokenClaims`` and skips any other member, whatever its value. Duplicate members: the
/// last wins, as in the JSON readers of PyJWT and Go. Nesting is limited to 32 levels.
struct ClaimsReader {
    struct Invalid: Error {}

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    static func claims(_ json: UnsafeBufferPointer<UInt8>) throws(Invalid) -> AccessTokenClaims {
        var reader = ClaimsReader(json)
        var claims = AccessTokenClaims(issuer: "", identity: "", notBefore: nil, expires: nil)
        try reader.object { reader, key throws(Invalid) in
            switch key {
            case "iss": claims.iss = try reader.string()
            case "sub": claims.sub = try reader.string()
            case "nbf": claims.nbf = try reader.seconds()
            case "exp": claims.exp = try reader.seconds()
            case "iat": claims.iat = try reader.seconds()
            case "jti": claims.jti = try reader.string()
            case "name": claims.name = try reader.string()
            case "metadata": claims.metadata = try reader.string()
            case "kind": claims.kind = try reader.string()
            case "sha256": claims.sha256 = try reader.string()
            case "roomPreset": claims.roomPreset = try reader.string()
            case "unpod_org": claims.organization = try reader.string()
            case "attributes":
                var attributes: [String: String] = [:]
                try reader.object { reader, name throws(Invalid) in attributes[name.string] = try reader.string() }
                claims.attributes = attributes
            case "video": claims.video = try reader.videoGrant()
            case "sip":
                var grant = SIPGrant()
                try reader.object { reader, name throws(Invalid) in
                    switch name {
                    case "admin": grant.admin = try reader.bool()
                    case "call": grant.call = try reader.bool()
                    default: try reader.skipValue(depth: 1)
                    }
                }
                claims.sip = grant
            default: try reader.skipValue(depth: 0)
            }
        }
        try reader.end()
        return claims
    }

    /// A JOSE header's `alg`.
    static func algorithm(ofHeader json: UnsafeBufferPointer<UInt8>) throws(Invalid) -> String? {
        var reader = ClaimsReader(json)
        var algorithm: String?
        try reader.object { reader, key throws(Invalid) in
            if case "alg" = key { algorithm = try reader.string() } else { try reader.skipValue(depth: 0) }
        }
        try reader.end()
        return algorithm
    }

    private mutating func videoGrant() throws(Invalid) -> VideoGrant {
        var grant = VideoGrant()
        try object { reader, key throws(Invalid) in
            switch key {
            case "roomCreate": grant.roomCreate = try reader.bool()
            case "roomList": grant.roomList = try reader.bool()
            case "roomRecord": grant.roomRecord = try reader.bool()
            case "roomAdmin": grant.roomAdmin = try reader.bool()
            case "roomJoin": grant.roomJoin = try reader.bool()
            case "room": grant.room = try reader.string()
            case "destinationRoom": grant.destinationRoom = try reader.string()
            case "canPublish": grant.canPublish = try reader.bool()
            case "canSubscribe": grant.canSubscribe = try reader.bool()
            case "canPublishData": grant.canPublishData = try reader.bool()
            case "canUpdateOwnMetadata": grant.canUpdateOwnMetadata = try reader.bool()
            case "ingressAdmin": grant.ingressAdmin = try reader.bool()
            case "hidden": grant.hidden = try reader.bool()
            case "recorder": grant.recorder = try reader.bool()
            case "agent": grant.agent = try reader.bool()
            case "canPublishSources":
                var sources: [String] = []
                try reader.array { reader throws(Invalid) in sources.append(try reader.string()) }
                grant.canPublishSources = sources
            default: try reader.skipValue(depth: 1)
            }
        }
        return grant
    }

    // MARK: Values

    /// A member name as read: its bytes in place when it has no escapes (every name LiveKit's
    /// layout uses), so matching it against the known names allocates nothing.
    struct Key {
        let raw: UnsafeBufferPointer<UInt8>?
        let decoded: String?

        var string: String { decoded ?? String(decoding: raw!, as: UTF8.self) }

        static func ~= (pattern: StaticString, key: Key) -> Bool {
            guard let raw = key.raw else { return key.decoded == pattern.description }
            return raw.count == pattern.utf8CodeUnitCount
                && (raw.count == 0 || memcmp(raw.baseAddress!, pattern.utf8Start, raw.count) == 0)
        }
    }

    /// A member name: in place when it is plain ASCII without escapes, else decoded.
    private mutating func key() throws(Invalid) -> Key {
        try expect(UInt8(ascii: "\""))
        let start = index
        while let byte = peek(), byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte >= 0x20, byte < 0x80 { index += 1 }
        if peek() == UInt8(ascii: "\"") {
            defer { index += 1 }
            return Key(raw: UnsafeBufferPointer(rebasing: bytes[start..<index]), decoded: nil)
        }
        index = start - 1
        return Key(raw: nil, decoded: try string())
    }

    private mutating func object(_ member: (inout ClaimsReader, Key) throws(Invalid) -> Void) throws(Invalid) {
        try expect(UInt8(ascii: "{"))
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipSpace()
            let key = try key()
            skipSpace()
            try expect(UInt8(ascii: ":"))
            skipSpace()
            try member(&self, key)
            skipSpace()
            guard let next = next() else { throw Invalid() }
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { throw Invalid() }
        }
    }

    private mutating func array(_ element: (inout ClaimsReader) throws(Invalid) -> Void) throws(Invalid) {
        try expect(UInt8(ascii: "["))
        skipSpace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            skipSpace()
            try element(&self)
            skipSpace()
            guard let next = next() else { throw Invalid() }
            if next == UInt8(ascii: "]") { return }
            guard next == UInt8(ascii: ",") else { throw Invalid() }
        }
    }

    private mutating func skipValue(depth: Int) throws(Invalid) {
        guard depth < 32, let first = peek() else { throw Invalid() }
        switch first {
        case UInt8(ascii: "{"): try object { reader, _ throws(Invalid) in try reader.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["): try array { reader throws(Invalid) in try reader.skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try bool()
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try number()
        }
    }

    private mutating func bool() throws(Invalid) -> Bool {
        if peek() == UInt8(ascii: "t") {
            try literal("true")
            return true
        }
        try literal("false")
        return false
    }

    /// A NumericDate: whole seconds, a fraction rounded down (RFC 7519 allows one).
    private mutating func seconds() throws(Invalid) -> Int64 {
        let value = try number()
        guard value.isFinite, abs(value) < 1e15 else { throw Invalid() }
        return Int64(value.rounded(.down))
    }

    private mutating func number() throws(Invalid) -> Double {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let lead = peek(), isDigit(lead) else { throw Invalid() }
        index += 1
        if lead != UInt8(ascii: "0") { while let digit = peek(), isDigit(digit) { index += 1 } }
        var integral = true
        if peek() == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard let digit = peek(), isDigit(digit) else { throw Invalid() }
            while let digit = peek(), isDigit(digit) { index += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            integral = false
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard let digit = peek(), isDigit(digit) else { throw Invalid() }
            while let digit = peek(), isDigit(digit) { index += 1 }
        }
        let text = UnsafeBufferPointer(rebasing: bytes[start..<index])
        if integral, text.count <= 15 {
            var value: Int64 = 0
            for digit in text where digit != UInt8(ascii: "-") { value = value * 10 + Int64(digit - UInt8(ascii: "0")) }
            return Double(text.first == UInt8(ascii: "-") ? -value : value)
        }
        guard let value = Double(String(decoding: text, as: UTF8.self)) else { throw Invalid() }
        return value
    }

    private mutating func string() throws(Invalid) -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        // The common case: no escapes, valid UTF-8, read in place.
        while let byte = peek(), byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte >= 0x20 { index += 1 }
        if peek() == UInt8(ascii: "\"") {
            defer { index += 1 }
            let text = UnsafeBufferPointer(rebasing: bytes[start..<index])
            // ASCII is valid UTF-8 as it is; anything else is validated (the generic path costs more).
            if text.allSatisfy({ $0 < 0x80 }) { return String(decoding: text, as: UTF8.self) }
            guard let valid = String(validating: Array(text), as: UTF8.self) else { throw Invalid() }
            return valid
        }
        var scalars = Array(bytes[start..<index])
        while true {
            guard let byte = next() else { throw Invalid() }
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: scalars, as: UTF8.self) else { throw Invalid() }
                return text
            case UInt8(ascii: "\\"):
                guard let escape = next() else { throw Invalid() }
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code) {
                        // A high surrogate must be followed by a low one.
                        guard next() == UInt8(ascii: "\\"), next() == UInt8(ascii: "u") else { throw Invalid() }
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw Invalid() }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(code) {
                        throw Invalid()
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw Invalid() }
                    scalars.append(contentsOf: String(scalar).utf8)
                default: throw Invalid()
                }
            default:
                guard byte >= 0x20 else { throw Invalid() }
                scalars.append(byte)
            }
        }
    }

    private mutating func hex4() throws(Invalid) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = next() else { throw Invalid() }
            let digit: UInt32 =
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw Invalid()
                }
            value = value << 4 | digit
        }
        return value
    }

    // MARK: Bytes

    private mutating func literal(_ word: StaticString) throws(Invalid) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw Invalid() }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw Invalid() }
        index += count
    }

    private mutating func expect(_ byte: UInt8) throws(Invalid) {
        guard next() == byte else { throw Invalid() }
    }

    private mutating func end() throws(Invalid) {
        skipSpace()
        guard index == bytes.count else { throw Invalid() }
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func next() -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    private mutating func skipSpace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
