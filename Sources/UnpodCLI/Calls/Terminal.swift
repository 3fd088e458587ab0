import Foundation

/// What `unpod call` prints as the conversation goes: whole lines, and a streamed reply's chunks
/// as they come (unbuffered, so the reply appears while it streams).
enum Terminal {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
