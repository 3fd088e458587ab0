import ArgumentParser
import Foundation
import UnpodClient
import UnpodCore

/// How the command line reaches a server's API as a user: the URL, the key in `UNPOD_API_KEY`
/// (like `unpod worker`), and the organization (`--org`, else `UNPOD_ORG_HANDLE`).
struct APIConnectionOptions: ParsableArguments {
    @Option(help: "The server's URL.") var url = "http://127.0.0.1:8000"
    @Option(help: "The organization's Org-Handle (default: UNPOD_ORG_HANDLE).") var org: String?

    func client() throws -> UnpodClient {
        let environment = ProcessInfo.processInfo.environment
        guard let apiKey = environment["UNPOD_API_KEY"], APIKeyToken.parse(apiKey) != nil else {
            throw CommandError("set UNPOD_API_KEY to an API key")
        }
        guard let handle = org ?? environment["UNPOD_ORG_HANDLE"], !handle.isEmpty else {
            throw CommandError("name the organization with --org or UNPOD_ORG_HANDLE")
        }
        return UnpodClient(baseURL: url, token: apiKey, orgHandle: handle)
    }
}
