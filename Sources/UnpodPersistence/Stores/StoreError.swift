import PostgresNIO
import SQLiteNIO

/// What the store refuses, in domain words; the server maps these to HTTP answers in one place.
public enum StoreError: Error, Equatable, Sendable {
    /// A unique value is taken (an email, an organization handle).
    case duplicate(String)
    /// A named row does not exist (or is not the caller's to see).
    case notFound(String)
    /// The request contradicts the stored state (e.g. rotating a key that is already rotated).
    case invalidState(String)
}

/// True when `error` is a unique-constraint violation on either engine.
func isUniqueViolation(_ error: any Error) -> Bool {
    if let error = error as? SQLiteError {
        return error.reason == .constraintUniqueFailed || error.reason == .constraintPrimaryKeyFailed
            || error.reason == .constraint
    }
    if let error = error as? PSQLError {
        return error.serverInfo?[.sqlState] == PostgresError.Code.uniqueViolation.raw
    }
    return false
}

extension StoreError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .duplicate(let text), .notFound(let text), .invalidState(let text): text
        }
    }
}
