import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A cookie-keeping client for the dashboard over a real socket: what a browser does with
/// `Set-Cookie` (store, replace, delete at `Max-Age=0`) and forms (url-encoded posts).
struct Browser {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    /// Every `Set-Cookie` header received, for tests of the cookie's attributes.
    var setCookieHeaders: [String] = []
    var headers: HTTPFields = [:]

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    mutating func get(_ path: String) async throws -> TestResponse {
        try await send(.get, path, body: nil)
    }

    mutating func post(_ path: String, _ fields: [(String, String)]) async throws -> TestResponse {
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(.post, path, body: body)
    }

    /// Opens the sign-in page and posts the form with its CSRF token.
    mutating func signIn(_ email: String, _ password: String) async throws -> TestResponse {
        let page = try await get("/dashboard/sign-in")
        let csrf = Self.input("csrf", in: page.text) ?? ""
        return try await post("/dashboard/sign-in", [("csrf", csrf), ("email", email), ("password", password)])
    }

    /// Opens a page and posts one of its forms (the first that posts to `action`) with `fields`
    /// added to the form's hidden inputs.
    mutating func submit(page path: String, action: String, _ fields: [(String, String)]) async throws -> TestResponse {
        let page = try await get(path)
        guard let form = Self.form(action: action, in: page.text) else {
            throw BrowserError("no form posting to \(action) on \(path): \(page.text)")
        }
        let hidden = Self.hiddenInputs(in: form).filter { name, _ in !fields.contains { $0.0 == name } }
        return try await post(action, hidden + fields)
    }

    private mutating func send(_ method: HTTPRequest.Method, _ path: String, body: String?) async throws -> TestResponse {
        var headers = self.headers
        if !cookies.isEmpty {
            headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let response = try await client.execute(
            uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        for header in response.headers[values: .setCookie] {
            setCookieHeaders.append(header)
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0]).trimmingCharacters(in: .whitespaces)
            if header.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = pair.count > 1 ? String(pair[1]) : "" }
        }
        return response
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// The value of the first input named `name`.
    static func input(_ name: String, in html: String) -> String? {
        first(#"<input[^>]*name="\#(name)"[^>]*value="([^"]*)""#, in: html)
    }

    /// The text of the element with this id.
    static func element(_ id: String, in html: String) -> String? {
        first(#"id="\#(id)"[^>]*>([^<]*)<"#, in: html)
    }

    static func form(action: String, in html: String) -> String? {
        guard let start = html.range(of: "method=\"post\" action=\"\(action)\"") else { return nil }
        guard let end = html.range(of: "</form>", range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[start.lowerBound..<end.lowerBound])
    }

    static func hiddenInputs(in form: String) -> [(String, String)] {
        let pattern = try! NSRegularExpression(pattern: #"<input type="hidden" name="([^"]*)" value="([^"]*)">"#)
        let text = form as NSString
        return pattern.matches(in: form, range: NSRange(location: 0, length: text.length)).map {
            (text.substring(with: $0.range(at: 1)), text.substring(with: $0.range(at: 2)))
        }
    }

    private static func first(_ pattern: String, in html: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: html, range: NSRange(html.startIndex..., in: html)),
            let range = Range(match.range(at: 1), in: html)
        else { return nil }
        return String(html[range])
    }
}

struct BrowserError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
