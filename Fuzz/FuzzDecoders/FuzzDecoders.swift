// A libFuzzer target on what the hub decodes from the network and a replica reads from a bundle
// file: each input is read as a `HelloRequest`, a `PullRequest`, a `ChangeBatch`, a bundle header
// and a bundle frame (`SyncBundle.open`, with a fixed key); a batch that decodes is then validated and
// applied to a scratch store, as a push is. Build and run with scripts/fuzz.sh (ENABLE_FUZZING=1).
// Any crash, trap or sanitizer report is a defect: malformed input must only ever throw.

import Foundation
import SyncCore

/// The scratch store pushed batches are applied to, in a temporary folder.
nonisolated(unsafe) private var scratch: ReplicaStore?

private func store() -> ReplicaStore? {
    if let scratch { return scratch }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-decoders-\(getpid())")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    scratch = try? ReplicaStore(path: folder.appendingPathComponent("hub.sqlite").path)
    return scratch
}

/// The key every fuzzed bundle is checked with.
private let fuzzKey = SyncBundle.key(forToken: "esw1.fuzz.fuzz-key")

/// libFuzzer's driver: it parses the command line and calls the callback with each input.
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// The program's entry point: SwiftPM links an executable's `main` to `<module>_main`, so the
/// target defines it and hands over to libFuzzer's driver.
@_cdecl("FuzzDecoders_main")
func fuzzDecodersMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { start, size in fuzzOneInput(start, size) }
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    _ = try? SyncBundle.open(Array(data), schemaVersion: 1, maxBytes: 1 << 20) { _ in fuzzKey }
    let decoder = JSONDecoder()
    _ = try? decoder.decode(SyncBundle.Header.self, from: data)
    _ = try? decoder.decode(HelloRequest.self, from: data)
    _ = try? decoder.decode(PullRequest.self, from: data)
    guard let batch = try? decoder.decode(ChangeBatch.self, from: data) else { return 0 }
    _ = try? JSONEncoder().encode(batch)
    if batch.changes.count <= 5_000, let store = store() {
        _ = try? store.apply(batch)
    }
    return 0
}
