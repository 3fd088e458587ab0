import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import UnpodCore
import UnpodServer
import UnpodTestSupport

/// Domain dictionaries (issue 18, item 4): reads merge the bundled seed with the organization's
/// rows (its rows win per key); a write replaces the organization's layer; names with `/` travel
/// percent-encoded; an agent has one domain; a clone never overwrites (409); deleting a seeded
/// domain resets it, deleting a custom one untags its agents.
@Suite struct DomainDictionaryTests {
    static let base = "/api/v2/platform/speech/v1/domain-dictionaries"

    @Test(arguments: TestDatabase.all)
    func dictionariesMergeTagCloneAndDelete(engine: TestDatabase) async throws {
        try await withServer(engine, seed: WorkspaceTests.seed, Self.walk)
    }

    static func send(_ server: TestServer, _ method: HTTPRequest.Method, _ path: String, _ token: String, _ json: String? = nil) async throws
        -> TestResponse
    {
        try await server.request(method, base + path, authorization: "Token \(token)", orgHandle: "acme", json: json)
    }

    static func walk(_ server: TestServer, _ seed: WorkspaceTests.Seed) async throws {
        let token = seed.owner.token
        // The seed alone; then the organization's row overrides one seed key and adds one.
        let banking = try await send(server, .get, "/banking", token)
        let seeded = try #require(banking.json["data"] as? [String: Any], "\(banking.text)")
        #expect(seeded["seeded"] as? Bool == true && seeded["resolved_key"] as? String == "banking")
        let saved = try await send(
            server, .put, "/banking", token, #"{"vocabulary":[{"key":"KYC","value":"know your customer"},{"key":"ACH","value":""}],"pronunciation":[],"fillers":[]}"#)
        let merged = try #require((saved.json["data"] as? [String: Any])?["vocabulary"] as? [[String: String]], "\(saved.text)")
        #expect(merged.map { $0["key"] ?? "" } == ["IBAN", "KYC", "overdraft", "SWIFT code", "ACH"])
        #expect(merged[1]["value"] == "know your customer")
        #expect(((saved.json["data"] as? [String: Any])?["seed_vocabulary"] as? [[String: String]])?[1]["value"] == "kay why see")

        // A custom domain whose name has a slash, percent-encoded in the path.
        let custom = try await send(server, .put, "/acme%2Fsupport", token, #"{"vocabulary":[{"key":"Unpod","value":"un pod"}]}"#)
        #expect((custom.json["data"] as? [String: Any])?["domain"] as? String == "acme/support", "\(custom.text)")
        let duplicate = try await send(server, .put, "/acme%2Fsupport", token, #"{"vocabulary":[{"key":"a","value":""},{"key":"A","value":""}]}"#)
        #expect(duplicate.error == .unprocessable("vocabulary has the key A twice"))
        let missing = try await send(server, .get, "/nowhere", token)
        #expect(missing.status.code == 404)

        // An agent has one domain: tagging it with another moves it.
        _ = try await send(server, .post, "/acme%2Fsupport/attach", token, #"{"agent_id":"sales-bot"}"#)
        let moved = try await send(server, .post, "/banking/attach", token, #"{"agent_id":"sales-bot"}"#)
        #expect((moved.json["data"] as? [String: Any])?["agent_ids"] as? [String] == ["sales-bot"])
        let left = try await send(server, .get, "/acme%2Fsupport", token)
        #expect((left.json["data"] as? [String: Any])?["agent_ids"] as? [String] == [])
        _ = try await send(server, .post, "/acme%2Fsupport/attach", token, #"{"agent_id":"sales-bot"}"#)

        // A clone copies the merged rows; into a domain that has rows it is refused.
        let cloned = try await send(server, .post, "/banking/clone", token, #"{"new_domain":"acme/bank"}"#)
        #expect(((cloned.json["data"] as? [String: Any])?["vocabulary"] as? [[String: String]])?.count == 5, "\(cloned.text)")
        let again = try await send(server, .post, "/banking/clone", token, #"{"new_domain":"acme/bank"}"#)
        #expect(again.status.code == 409)

        // Deleting a seeded domain resets it to the seed; a custom one is gone and its agents untagged.
        let reset = try await send(server, .delete, "/banking", token)
        #expect((reset.json["data"] as? [String: Any])?["reset"] as? Bool == true)
        let afterReset = try await send(server, .get, "/banking", token)
        #expect(((afterReset.json["data"] as? [String: Any])?["vocabulary"] as? [[String: String]])?.count == 4)
        _ = try await send(server, .delete, "/acme%2Fsupport", token)
        let gone = try await send(server, .get, "/acme%2Fsupport", token)
        #expect(gone.status.code == 404)
        let listed = try await send(server, .get, "", token)
        let names = (listed.json["data"] as? [[String: Any]] ?? []).compactMap { $0["domain"] as? String }
        #expect(names == ["acme/bank", "banking", "hospital", "real_estate"], "\(listed.text)")
        #expect((listed.json["data"] as? [[String: Any]] ?? []).allSatisfy { ($0["agent_ids"] as? [String]) == [] })
    }
}
