import AsyncHTTPClient
import Foundation
import NIOCore
import UnpodCore

/// `GET /rtc/validate` with a room connection's query: why the server refuses it (its close code
/// and reason), asked when the socket ended before `joined` without a close frame.
enum RoomValidation {
    static func refusal(serverURL: String, query: String) async -> (code: Int, reason: String)? {
        let base = serverURL.hasPrefix("wss://") ? "https://" + serverURL.dropFirst(6) : serverURL.hasPrefix("ws://") ? "http://" + serverURL.dropFirst(5) : serverURL
        let request = HTTPClientRequest(url: base + RoomValidationAnswer.path + "?" + query)
        guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(10)),
            let body = try? await response.body.collect(upTo: 64 << 10),
            let answer = try? JSONDecoder().decode(RoomValidationAnswer.self, from: Data(body.readableBytesView)),
            !answer.valid, let code = answer.code
        else { return nil }
        return (code, answer.reason ?? "")
    }
}
