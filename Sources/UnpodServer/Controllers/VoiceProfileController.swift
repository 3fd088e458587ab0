import Hummingbird
import UnpodCore
import UnpodPersistence

/// VPR-1 `GET /voice-profiles/` and VPR-2 `GET /voice-profiles/{profile_id}/` (platform-api.md
/// 3.3): the read-only catalogue, for any authenticated key; `Org-Handle` is not required (it is
/// checked when sent). Answers are doubly wrapped, as the Python client's reference backend does.
struct VoiceProfileController {
    let store: SQLStore

    func addRoutes(to group: GuardedRoutes) {
        group.get("voice-profiles", use: list)
        group.get("voice-profiles/:profile_id", use: show)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let paging = try Pagination(query)
        var language: String?
        if let text = query["language"] {
            guard (2...16).contains(text.count), text.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "-") }) else {
                throw APIError.invalidParameters("language must be a language code such as hi or en")
            }
            language = text.lowercased()
        }
        let page = try await store.voiceProfiles(language: language, page: paging.page, pageSize: paging.pageSize)
        return JSONResponse.make(
            NestedEnvelope(count: page.count, message: "Voice profiles fetched successfully.", data: page.items))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let profileID = try context.parameters.require("profile_id")
        guard profileID.count <= 100, let profile = try await store.voiceProfile(profileID) else {
            throw APIError.notFound("Voice profile not found.")
        }
        return JSONResponse.make(NestedEnvelope(message: "Voice profile fetched successfully.", data: profile))
    }
}
