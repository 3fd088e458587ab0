import Testing
import UnpodCore

@testable import UnpodServer

/// How the `Authorization` header is read, shape by shape: the usual `Token <key>` (read with
/// `memchr`) and every other spelling (read word by word) give DRF's answers.
@Suite struct AuthorizationHeaderTests {
    static func read(_ header: String) -> Result<String, APIError> {
        var header = header
        return header.withUTF8 { bytes in
            do {
                return .success(String(decoding: try Authenticator.credential(inHeader: bytes), as: UTF8.self))
            } catch let error as APIError {
                return .failure(error)
            } catch {
                Issue.record("unexpected \(error)")
                return .failure(.notAuthenticated)
            }
        }
    }

    @Test(arguments: [
        ("Token abc", "abc"), ("token abc", "abc"), ("TOKEN abc", "abc"), ("Bearer abc", "abc"), ("Token  abc", "abc"),
        ("Token\tabc", "abc"), (" Token abc", "abc"), ("Token abc ", "abc"), ("Token abc\t", "abc"), ("Token a", "a"),
    ])
    func keys(_ header: String, _ key: String) {
        #expect(Self.read(header) == .success(key), "\(header)")
    }

    @Test(arguments: [
        ("Token", APIError.headerWithoutCredentials), ("Token ", .headerWithoutCredentials), ("Token  ", .headerWithoutCredentials),
        ("Token a b", .headerWithSpaces), ("Token a\tb", .headerWithSpaces), ("Token a  b", .headerWithSpaces),
        ("Tokens abc", .notAuthenticated), ("Basic abc", .notAuthenticated), ("", .notAuthenticated),
        ("Token\u{0}abc", .notAuthenticated), ("Token\u{1}abc", .notAuthenticated), ("JWT a.b.c", .invalidToken),
    ])
    func refusals(_ header: String, _ error: APIError) {
        #expect(Self.read(header) == .failure(error), "\(header.debugDescription)")
    }
}
