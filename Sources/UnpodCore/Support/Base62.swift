/// Base62 (`0-9A-Za-z`) helpers for the token format.
public enum Base62 {
    static let alphabet: [UInt8] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// 1 for the 62 digits, 0 for every other byte value.
    private static let digitTable: [UInt8] = (0...255).map { byte in
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) ? 1 : 0
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        digitTable[Int(byte)] == 1
    }

    /// Whether every byte is a digit: one table load a byte, without a branch, because the shape
    /// check reads 65 bytes of every presented token (a fifth of the cost of range comparisons).
    static func allDigits(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        digitTable.withUnsafeBufferPointer { table in
            var all: UInt8 = 1
            for byte in bytes { all &= table[Int(byte)] }
            return all == 1
        }
    }

    static func value(of byte: UInt8) -> UInt64? {
        switch byte {
        case 0x30...0x39: UInt64(byte - 0x30)
        case 0x41...0x5A: UInt64(byte - 0x41 + 10)
        case 0x61...0x7A: UInt64(byte - 0x61 + 36)
        default: nil
        }
    }

    /// `value` in exactly `width` digits, most significant first, zero-padded.
    static func fixedWidth(_ value: UInt64, width: Int) -> String {
        var digits = [UInt8](repeating: alphabet[0], count: width)
        var rest = value
        for index in stride(from: width - 1, through: 0, by: -1) {
            digits[index] = alphabet[Int(rest % 62)]
            rest /= 62
        }
        return String(decoding: digits, as: UTF8.self)
    }

    static func decode(_ digits: some Collection<UInt8>) -> UInt64? {
        var result: UInt64 = 0
        for byte in digits {
            guard let digit = value(of: byte) else { return nil }
            let (shifted, overflow) = result.multipliedReportingOverflow(by: 62)
            guard !overflow else { return nil }
            result = shifted + digit
        }
        return result
    }

    /// `count` characters, each uniform over the 62 (rejection sampling avoids modulo bias).
    public static func random(count: Int, using generator: inout some RandomNumberGenerator) -> String {
        var result = [UInt8]()
        result.reserveCapacity(count)
        while result.count < count {
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            if byte < 248 { result.append(alphabet[Int(byte % 62)]) }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
