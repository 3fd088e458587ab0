import Foundation
import Hummingbird

/// A read-only, paginated, filterable table: what the security log and the telephony and call
/// lists render with the one `table` template.
struct TableContent {
    struct Filter {
        let name: String
        let label: String
        let value: String
        let options: [Choice]
        let isSelect: Bool
        let isDate: Bool
        let isText: Bool

        static func select(_ name: String, _ label: String, options: [String], query: Query) -> Filter {
            let value = query[name] ?? ""
            return Filter(
                name: name, label: label, value: value,
                options: [Choice(value: "", label: "Any", selected: value.isEmpty)]
                    + options.map { Choice(value: $0, selected: $0 == value) },
                isSelect: true, isDate: false, isText: false)
        }

        static func date(_ name: String, _ label: String, query: Query) -> Filter {
            Filter(name: name, label: label, value: query[name] ?? "", options: [], isSelect: false, isDate: true, isText: false)
        }

        static func text(_ name: String, _ label: String, query: Query) -> Filter {
            Filter(name: name, label: label, value: query[name] ?? "", options: [], isSelect: false, isDate: false, isText: true)
        }
    }

    /// A row: its first cell (a link when the row leads somewhere) and the rest.
    struct Row {
        let first: String
        let link: String?
        let rest: [String]
    }

    /// Previous and next page links keep the filters.
    struct Pager {
        let summary: String
        let previous: String?
        let next: String?
    }

    /// The request's query, as the filters and the pager read it.
    typealias Query = [String: String]

    let action: String
    let org: String
    let hidden: [Filter]
    let filters: [Filter]
    let columns: [String]
    let rows: [Row]
    let empty: String
    let pager: Pager
    // Stored, not computed: Mustache reads values through Mirror, which sees stored properties only.
    let hasRows: Bool
    let hasFilters: Bool

    init(
        action: String, org: String, hidden: [Filter] = [], filters: [Filter], columns: [String], rows: [[String]],
        links: [String]? = nil, empty: String, total: Int, page: Int, pageSize: Int, query: Query
    ) {
        self.action = action
        self.org = org
        self.hidden = hidden
        self.filters = filters
        self.columns = columns
        self.rows = rows.enumerated().map { index, cells in
            Row(first: cells.first ?? "", link: links?[index], rest: Array(cells.dropFirst()))
        }
        hasRows = !rows.isEmpty
        hasFilters = !filters.isEmpty
        self.empty = empty
        let first = (page - 1) * pageSize
        func link(_ page: Int) -> String {
            var query = query
            query["page"] = String(page)
            query["org"] = org
            let items = query.sorted { $0.key < $1.key }.filter { !$0.value.isEmpty }.map { name, value in
                "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            }
            return action + "?" + items.joined(separator: "&")
        }
        pager = Pager(
            summary: total == 0 ? "" : "\(min(first + 1, total))–\(min(first + rows.count, total)) of \(total)",
            previous: page > 1 ? link(page - 1) : nil, next: first + rows.count < total ? link(page + 1) : nil)
    }

    /// The query parameters of a request, for filters and pager links.
    static func query(_ request: Request) -> Query {
        var query: Query = [:]
        for (name, value) in request.uri.queryParameters { query[String(name)] = String(value) }
        return query
    }
}
