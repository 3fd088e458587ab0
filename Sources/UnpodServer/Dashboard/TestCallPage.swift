import Foundation

/// The test-call page: where the caller side connects, and the call's page once it has ended.
/// The caller token is written into the page (never into a URL), for the page's script only.
struct TestCallPage: Sendable {
    let agent: String
    let callID: String
    let mediaURL: String
    let token: String
    let callLink: String
}
