import Synchronization

/// The known `Product-ID` values, held in memory and refreshed with the auth epoch.
final class ProductCatalog: Sendable {
    /// What a request without `Product-ID` means (decisions.md section 2).
    static let defaultProduct = "unpod.ai"

    private let handles: Mutex<Set<String>>

    init(_ handles: Set<String>) {
        self.handles = Mutex(handles)
    }

    func contains(_ handle: some StringProtocol) -> Bool {
        let handle = String(handle)
        return handles.withLock { $0.contains(handle) }
    }

    func replace(with handles: Set<String>) {
        self.handles.withLock { $0 = handles }
    }
}
