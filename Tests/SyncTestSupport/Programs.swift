public import Foundation

/// Where the programs that process-level tests start are found.
///
/// A built product (`replica-node`, `hub-server`) is looked up in `<NAME>_BIN` (such as
/// `REPLICA_NODE_BIN`), then beside the test bundle, then in the package's `.build/debug`.
/// A system tool (`sqlite3`, `python3`) is looked up on the `PATH`.
///
/// ```swift
/// let node = Programs.product("replica-node")
/// ```
public enum Programs {
    /// The package's root folder.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The path of a product built by this package.
    ///
    /// - Parameter name: The product, such as `replica-node`.
    /// - Returns: The executable's path (possibly missing, when the product was not built).
    public static func product(_ name: String) -> String {
        let variable = name.uppercased().replacingOccurrences(of: "-", with: "_") + "_BIN"
        if let path = ProcessInfo.processInfo.environment[variable] { return path }
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent(name))
        }
        candidates.append(
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
        )
        candidates.append(packageRoot.appendingPathComponent(".build/debug/\(name)"))
        let found = candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
        return (found ?? candidates.last!).path
    }

    /// The path of a tool on the `PATH`, or `nil`.
    ///
    /// - Parameter name: The tool, such as `sqlite3`.
    /// - Returns: Its path.
    public static func tool(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A file of the test tools folder (`Tests/Tools`).
    ///
    /// - Parameter name: The file's name.
    /// - Returns: Its path.
    public static func testTool(_ name: String) -> String {
        packageRoot.appendingPathComponent("Tests/Tools/\(name)").path
    }

    /// Runs a program to its end.
    ///
    /// - Parameters:
    ///   - executable: The program's path.
    ///   - arguments: Its arguments.
    ///   - environment: Variables added to this process's environment.
    ///   - folder: Where its output files go.
    /// - Returns: How it ended and what it printed.
    /// - Throws: When it cannot be started.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        folder: TemporaryDirectory
    ) async throws -> ProgramResult {
        try await ChildProcess.spawn(executable, arguments, environment: environment, folder: folder).wait()
    }

    /// `PRAGMA integrity_check` of a database file, with the `sqlite3` command-line tool.
    ///
    /// - Parameters:
    ///   - database: The file.
    ///   - folder: Where the tool's output files go.
    /// - Returns: What the check printed: `ok` for a sound file.
    /// - Throws: When `sqlite3` is missing or cannot be started.
    public static func integrityCheck(_ database: String, folder: TemporaryDirectory) async throws -> String {
        guard let sqlite = tool("sqlite3") else {
            throw ProgramFailure("sqlite3 is not installed; run scripts/install-deps.sh")
        }
        let result = try await run(sqlite, [database, "PRAGMA integrity_check;"], folder: folder)
        return result.trimmedOutput + result.stderr
    }

    /// One value printed by a `sqlite3` query of a database file.
    ///
    /// - Parameters:
    ///   - database: The file.
    ///   - sql: A query.
    ///   - folder: Where the tool's output files go.
    /// - Returns: What the query printed.
    /// - Throws: When `sqlite3` is missing or cannot be started.
    public static func query(_ database: String, _ sql: String, folder: TemporaryDirectory) async throws -> String {
        guard let sqlite = tool("sqlite3") else {
            throw ProgramFailure("sqlite3 is not installed; run scripts/install-deps.sh")
        }
        return try await run(sqlite, [database, sql], folder: folder).trimmedOutput
    }
}

/// A test program that could not do its job.
public struct ProgramFailure: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String

    /// Creates a failure.
    ///
    /// - Parameter description: What went wrong.
    public init(_ description: String) {
        self.description = description
    }
}
