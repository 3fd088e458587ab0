import Hummingbird
import HummingbirdCore
import UnpodCore

/// `page` (from 1) and `page_size` (1 to 100, default 20), as every list takes them (decisions.md section 4).
struct Pagination {
    static let defaultPageSize = 20
    static let maximumPageSize = 100

    let page: Int
    let pageSize: Int

    init(_ query: FlatDictionary<Substring, Substring>) throws {
        page = try Self.integer(query["page"], name: "page", range: 1...Int(Int32.max)) ?? 1
        pageSize =
            try Self.integer(query["page_size"], name: "page_size", range: 1...Self.maximumPageSize)
            ?? Self.defaultPageSize
    }

    /// The same rules, for the generated server's typed query values.
    init(page: Int?, pageSize: Int?) throws {
        self.page = try Self.checked(page, name: "page", range: 1...Int(Int32.max)) ?? 1
        self.pageSize = try Self.checked(pageSize, name: "page_size", range: 1...Self.maximumPageSize) ?? Self.defaultPageSize
    }

    private static func checked(_ value: Int?, name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let value else { return nil }
        guard range.contains(value) else { throw outOfRange(name, range) }
        return value
    }

    private static func outOfRange(_ name: String, _ range: ClosedRange<Int>) -> APIError {
        APIError.invalidParameters("\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
    }

    private static func integer(_ text: Substring?, name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), range.contains(value) else { throw outOfRange(name, range) }
        return value
    }
}
