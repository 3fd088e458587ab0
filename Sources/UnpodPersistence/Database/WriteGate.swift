/// Lets one write transaction at a time into an SQLite file from this process.
///
/// SQLite allows one writer; a second `BEGIN IMMEDIATE` would wait in SQLite's busy handler,
/// sleeping up to 100 ms between tries while holding a thread. Queueing here instead hands the
/// lock over the moment it is free. Other processes on the same file still meet the busy timeout.
actor WriteGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
