import Foundation
import Testing
import UnpodServer
import UnpodTestSupport

/// The API description and the server agree (issue 5, item 1): every route the server answers is
/// in the API description (`Sources/UnpodAPI/openapi.json`, the generator's source), every
/// operation there is answered, and the served copy is that file, byte for byte.
@Suite struct RouteCoverageTests {
    static let repositoryDocument = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/UnpodAPI/openapi.json")

    @Test func everyRouteIsDescribedAndEveryDescribedRouteIsAnswered() async throws {
        try await withServer(.sqlite) { server in
            let routes = Set(try await routeList(store: server.store).map(Self.normalized))
            let served = try await server.get("/api/v2/platform/openapi.json")
            #expect(served.status == .ok)
            #expect(served.headers[.contentType] == "application/json")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(served.text.utf8)) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var described: Set<String> = []
            for (path, operations) in paths {
                for method in operations.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                    described.insert(Self.normalized("\(method.uppercased()) \(path)"))
                }
            }
            #expect(routes.count >= 9)
            #expect(routes.subtracting(described).isEmpty, "answered but not described: \(routes.subtracting(described).sorted())")
            #expect(described.subtracting(routes).isEmpty, "described but not answered: \(described.subtracting(routes).sorted())")

            let file = try String(contentsOf: Self.repositoryDocument, encoding: .utf8)
            #expect(file == served.text, "the served document differs from Sources/UnpodAPI/openapi.json")
        }
    }

    /// `GET /api/v2/platform/api-keys/{key_id}/` and `GET /api/v2/platform/api-keys/{keyID}` compare equal.
    static func normalized(_ route: String) -> String {
        var text = route.replacingOccurrences(of: #"\{[^}]*\}"#, with: "{}", options: .regularExpression)
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
