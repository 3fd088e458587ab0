import Foundation
import SQLKit
import UnpodCore

extension SQLStore {
    /// VPR-1: active profiles, optionally those speaking `language` (their main language or one of
    /// their languages), by id.
    public func voiceProfiles(language: String?, page: Int, pageSize: Int) async throws -> Page<VoiceProfile> {
        var conditions: SQLQueryString = "active = \(bind: true)"
        if let language {
            // languages is a JSON array of codes: match the quoted code inside it.
            conditions = conditions + " AND (language = \(bind: language) OR languages LIKE \(bind: "%\"\(language)\"%"))"
        }
        return try await self.page(
            of: "voice_profiles", where: conditions, orderBy: "id", page: page, pageSize: pageSize,
            decode: Self.voiceProfile(from:))
    }

    /// VPR-2: one active profile by its `profile_id`.
    public func voiceProfile(_ profileID: String) async throws -> VoiceProfile? {
        try await database.withConnection { db in
            try await db.raw("SELECT * FROM voice_profiles WHERE profile_id = \(bind: profileID) AND active = \(bind: true)")
                .first().map(Self.voiceProfile(from:))
        }
    }

    static func voiceProfile(from row: any SQLRow) throws -> VoiceProfile {
        let languages = try row.decode(column: "languages", as: String.self)
        return VoiceProfile(
            profileId: try row.decode(column: "profile_id", as: String.self),
            persona: try row.decode(column: "persona", as: String.self),
            description: try row.decode(column: "description", as: String?.self),
            gender: try row.decode(column: "gender", as: String?.self),
            qualityTier: try row.decode(column: "quality_tier", as: String?.self),
            languages: (try? JSONDecoder().decode([String].self, from: Data(languages.utf8))) ?? [],
            language: try row.decode(column: "language", as: String?.self),
            sttProvider: try row.decode(column: "stt_provider", as: String?.self),
            sttModel: try row.decode(column: "stt_model", as: String?.self),
            ttsProvider: try row.decode(column: "tts_provider", as: String?.self),
            ttsModel: try row.decode(column: "tts_model", as: String?.self),
            ttsVoice: try row.decode(column: "tts_voice", as: String?.self),
            pricePerMinute: try row.decode(column: "price_per_minute", as: String?.self).flatMap(Double.init),
            latencyP95Ms: try row.decode(column: "latency_p95_ms", as: Int?.self),
            created: Date(millis: try row.decode(column: "created_at", as: Int64.self)))
    }
}
