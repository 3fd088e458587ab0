import UnpodCore

extension APIError {
    /// A body or parameter that could not be read, named by where in it the problem is: the same
    /// words whether a handler decoded it or the generated server did.
    static func invalidParameters(_ error: DecodingError) -> APIError {
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
            return .invalidParameters(describe(context))
        case .keyNotFound(let key, _):
            return .invalidParameters("\(key.stringValue) is required")
        @unknown default:
            return .invalidParameters("the body is not valid JSON")
        }
    }

    private static func describe(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        return path.isEmpty ? "the body is not a valid JSON object" : "\(path): \(context.debugDescription)"
    }
}
