import Foundation
import Hummingbird
import NIOCore

/// An `application/x-www-form-urlencoded` body, as the dashboard's forms post it. A field may
/// repeat (the scope check boxes); ``subscript(_:)`` gives its first value.
struct FormFields: Sendable {
    private var values: [String: [String]] = [:]

    /// Reads the body (at most the configured upload size); a body that is not a form is 400.
    static func read(_ request: Request, context: AppRequestContext) async throws -> FormFields {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        guard let text = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes),
            let fields = FormFields(encoded: text)
        else { throw DashboardError.badRequest("The form could not be read. Reload the page and try again.") }
        return fields
    }

    /// Nil when a name or value is not valid percent-encoded UTF-8.
    init?(encoded text: String) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = Self.decode(parts.count > 1 ? parts[1] : "") else {
                return nil
            }
            values[name, default: []].append(value)
        }
    }

    subscript(_ name: String) -> String? { values[name]?.first }

    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// A field that must be there and not blank.
    func required(_ name: String, label: String) throws -> String {
        guard let value = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            throw DashboardError.badRequest("\(label) is required.")
        }
        return value
    }

    private static func decode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
