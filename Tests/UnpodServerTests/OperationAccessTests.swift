import Foundation
import Testing
@testable import UnpodServer

/// Every operation of the generated server has its access policy (issue 16, item 3): the
/// operations the generator is told to make (its config's `filter`) are exactly the table's, so an
/// operation added to the document without a policy fails here, before a request is refused.
@Suite struct OperationAccessTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/UnpodAPI")

    @Test func everyGeneratedOperationHasAnAccessPolicy() throws {
        let config = try String(contentsOf: Self.sources.appendingPathComponent("openapi-generator-config.yaml"), encoding: .utf8)
        var generated: Set<String> = []
        var inOperations = false
        for line in config.split(separator: "\n") {
            if line.hasPrefix("  operations:") { inOperations = true; continue }
            guard inOperations else { continue }
            guard line.hasPrefix("    - ") else { break }
            generated.insert(String(line.dropFirst(6)))
        }
        #expect(generated.contains("listOrganizations") && generated.contains("createBridge"), "the config's filter was not read")
        let table = Set(OperationAccess.policies.keys)
        #expect(generated.subtracting(table).isEmpty, "generated without a policy: \(generated.subtracting(table).sorted())")
        #expect(table.subtracting(generated).isEmpty, "a policy for no generated operation: \(table.subtracting(generated).sorted())")

        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: Self.sources.appendingPathComponent("openapi.json")))
                as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let described = Set(paths.values.flatMap { $0.values.compactMap { ($0 as? [String: Any])?["operationId"] as? String } })
        #expect(generated.subtracting(described).isEmpty, "not in the document: \(generated.subtracting(described).sorted())")
    }
}
