import ArgumentParser
import Foundation
import SyncCore

/// The options every command takes: the database file and the output format.
struct NodeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The replica's database file.", valueName: "path"))
    var db = "./replica.sqlite"

    @Flag(name: .long, help: "Print machine-readable JSON instead of text.")
    var json = false

    /// Opens the replica database; only `init` may create it, so that a mistyped path is reported
    /// instead of silently starting an empty replica.
    func openStore(creating: Bool = false) throws -> ReplicaStore {
        if !creating && !FileManager.default.fileExists(atPath: db) {
            throw CommandFailure(
                code: "not-initialized",
                message: "no replica database at \(db); run 'replica-node init' to create it, or pass --db PATH",
                exitCode: CommandFailure.configurationError
            )
        }
        for warning in PrivateFile.tighten(databaseAt: db) { Console.warn(warning) }
        return try ReplicaStore(path: db, schema: try Schema.running())
    }

    /// Runs a command on the store; a failure becomes a one-line message on the standard error and
    /// a non-zero exit status.
    func perform(creating: Bool = false, _ body: (ReplicaStore) throws -> Void) throws {
        do {
            try body(try openStore(creating: creating))
        } catch {
            throw reported(error)
        }
    }

    /// Runs an asynchronous command on the store, reporting failures like ``perform(creating:_:)``.
    func performAsync(_ body: (ReplicaStore) async throws -> Void) async throws {
        do {
            try await body(try openStore())
        } catch {
            throw reported(error)
        }
    }

    /// Reports an error and returns what to throw to end the process: ArgumentParser's own errors
    /// pass through, every other one is printed once and becomes an exit status.
    func reported(_ error: any Error) -> any Error {
        if error is ValidationError || error is ExitCode || error is CleanExit { return error }
        let failure = CommandFailure.wrapping(error)
        failure.report(json: json)
        return failure.exitCode
    }

    /// Prints a result: JSON with `--json`, otherwise the text that `human` makes.
    func emit<Value: Encodable>(_ value: Value, human: () -> String) throws {
        if json {
            Console.line(try Self.encodeJSON(value))
        } else {
            let text = human()
            if !text.isEmpty { Console.line(text) }
        }
    }

    /// Encodes a value as readable, stable JSON (sorted keys, UTF-8 text unescaped).
    static func encodeJSON<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
