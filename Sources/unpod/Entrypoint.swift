import ArgumentParser
import UnpodCLI

/// The `unpod` binary: everything lives in UnpodCLI, so tests can drive the commands in process.
@main
extension UnpodCommand {}
