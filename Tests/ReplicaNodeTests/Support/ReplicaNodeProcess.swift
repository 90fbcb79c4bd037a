import Foundation
import SyncTestSupport

/// What a run of the `replica-node` binary printed and how it ended.
struct CommandResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
    var stdoutBytes: [UInt8]
}

/// Runs the built `replica-node` binary as a subprocess, as scripts and people do.
struct ReplicaNodeProcess: Sendable {
    /// The folder of the replica's files.
    let folder: TemporaryDirectory
    /// The database file.
    var database: String { folder.path("replica.sqlite") }

    /// The binary: `REPLICA_NODE_BIN`, or `replica-node` beside the test bundle in the build folder.
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["REPLICA_NODE_BIN"] { return URL(fileURLWithPath: path) }
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("replica-node"))
        }
        candidates.append(
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
                "replica-node"
            )
        )
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/replica-node"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }()

    init() throws {
        folder = try TemporaryDirectory()
    }

    /// Runs a command against this replica's database (`--db` is added).
    func callAsFunction(_ arguments: String...) async throws -> CommandResult {
        try await run(arguments + ["--db", database])
    }

    /// Runs the binary with exactly these arguments; `stop`, when given, runs while the process
    /// does and receives it with the file its standard error goes to.
    func run(
        _ arguments: [String],
        input: String? = nil,
        until stop: (@Sendable (Process, URL) async -> Void)? = nil
    ) async throws -> CommandResult {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = folder.url
        let outURL = folder.url.appendingPathComponent("stdout-\(UUID().uuidString)")
        let errURL = folder.url.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        if let input {
            let inURL = folder.url.appendingPathComponent("stdin-\(UUID().uuidString)")
            try Data(input.utf8).write(to: inURL)
            process.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        let exited = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in exited.continuation.yield() }
        try process.run()
        await stop?(process, errURL)
        for await _ in exited.stream { break }
        let out = try Data(contentsOf: outURL)
        return CommandResult(
            status: process.terminationStatus,
            stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self),
            stdoutBytes: Array(out)
        )
    }

    /// Sets the replica up for a commune and hub.
    @discardableResult
    func initialize(commune: String = "essaouira", hub: String = "http://127.0.0.1:9") async throws -> CommandResult {
        let tokenFile = try write("hub.token", Array(TestHub.token.utf8))
        return try await self("init", "--commune", commune, "--hub", hub, "--token-file", tokenFile)
    }

    /// Writes a file in the replica's folder.
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = folder.path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
