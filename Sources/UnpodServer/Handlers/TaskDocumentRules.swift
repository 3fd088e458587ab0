import Foundation
import UnpodCore

/// A run's documents as the platform checks them (platform-api.md 2.4): each an object stored whole
/// as its task's input; `name` and `contact_number` non-empty strings; `document_id`, when sent,
/// the task's reference.
enum TaskDocumentRules {
    static let maximumDocuments = 10_000

    static func documents(_ documents: [JSONValue]) throws -> (inputs: [String], refIDs: [String?]) {
        guard !documents.isEmpty else { throw APIError.invalidParameters("documents must hold at least one document") }
        guard documents.count <= maximumDocuments else {
            throw APIError.invalidParameters("documents may hold at most \(maximumDocuments) documents per request")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var inputs: [String] = []
        var refIDs: [String?] = []
        inputs.reserveCapacity(documents.count)
        for (index, document) in documents.enumerated() {
            guard case .object = document else { throw APIError.invalidParameters("documents[\(index)] must be an object") }
            for field in ["name", "contact_number"] {
                guard let text = document[field]?.stringValue, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw APIError.invalidParameters("documents[\(index)].\(field) is required (a non-empty string)")
                }
            }
            let refID: String?
            switch document["document_id"] {
            case nil, .null?: refID = nil
            case .string(let text)?: refID = text
            case .integer(let number)?: refID = String(number)
            default: throw APIError.invalidParameters("documents[\(index)].document_id must be a string")
            }
            inputs.append(String(decoding: try encoder.encode(document), as: UTF8.self))
            refIDs.append(refID)
        }
        return (inputs, refIDs)
    }
}
