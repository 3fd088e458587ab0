import HummingbirdWebSocket
import NIOWebSocket

/// Writes a socket's outgoing texts in order, and its close last.
enum SocketWriter {
    static func run(_ outgoing: AsyncStream<SocketOutgoing>, to outbound: WebSocketOutboundWriter) async {
        for await item in outgoing {
            switch item {
            case .text(let text): try? await outbound.write(.text(text))
            case .close(let code, let reason):
                try? await outbound.close(.init(codeNumber: Int(code)), reason: reason)
                return
            }
        }
    }
}
