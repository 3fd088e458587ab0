/// Where a socket that dialed a call ended up: attached on this node (which holds the call),
/// relayed to the node that holds it, or refused.
enum CallAttachment: Sendable {
    case here
    case relayed
    case refused(CallSocketRefusal)
}
