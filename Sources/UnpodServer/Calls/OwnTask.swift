/// Runs a socket's hub work in a task of its own, awaited (so frames keep their order). A task
/// keeps the stack slabs its deepest call needed until it ends, and a call's socket task lives as
/// long as the call: the hub's deep paths (the greeting's database write, the attach, the end)
/// would otherwise hold about 10 KiB per socket for the whole call (heaptrack, 300 calls at once).
enum OwnTask {
    static func run<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
        await Task { await body() }.value
    }
}
