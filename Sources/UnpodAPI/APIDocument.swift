import Foundation

/// The API description (`openapi.json` beside this file): the source the generator reads, and
/// what the server answers at `GET /api/v2/platform/openapi.json`, byte for byte.
public enum APIDocument {
    /// The document's bytes, read from the target's bundled resource once.
    public static let bytes: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else {
            fatalError("openapi.json is missing from the UnpodAPI resources beside the binary")
        }
        return [UInt8](data)
    }()
}
