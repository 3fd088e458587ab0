/// The documented failure message of the operations that have one (platform-api.md 2.9 and
/// 2.12): a body the generated decoder cannot read is answered under it, as
/// `{"message": "Bridge creation failed.", "errors": "<what is wrong>"}`, like every other
/// refusal of that operation.
enum OperationFailures {
    static let messages: [String: String] = [
        "createBridge": "Bridge creation failed.",
        "updateBridge": "Bridge update failed.",
        "connectBridgeProvider": "Failed to connect provider.",
        "disconnectBridgeProvider": "Failed to disconnect provider.",
        "createProviderConfiguration": "Provider configuration creation failed.",
        "updateProviderConfiguration": "Provider configuration update failed.",
    ]
}
