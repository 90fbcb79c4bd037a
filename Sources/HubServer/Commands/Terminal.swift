import ArgumentParser
import Foundation
import Logging
import SyncCore

/// The commands' output: buffered writes to standard output, and errors reported on standard
/// error with a non-zero exit status.
enum Terminal {
    /// Whether standard output is a terminal (and not a pipe or a file).
    static var isInteractive: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Writes text to standard output.
    ///
    /// - Parameter text: The text, written as UTF-8.
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes bytes to standard output.
    ///
    /// - Parameter bytes: The bytes.
    static func write(bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }

    /// Writes a warning line on standard error.
    ///
    /// - Parameter text: The warning, without the program's name.
    static func warn(_ text: String) {
        FileHandle.standardError.write(Data("hub-server: warning: \(text)\n".utf8))
    }

    /// Runs a command's body, turning a ``SyncError`` into a message on standard error and exit
    /// status 1.
    ///
    /// - Parameter body: The command's work.
    /// - Returns: What the body returned.
    /// - Throws: `ExitCode.failure` after reporting a ``SyncError``; other errors unchanged.
    @discardableResult
    static func reportingErrors<Value>(_ body: () throws -> Value) throws -> Value {
        do {
            return try body()
        } catch let error as SyncError {
            FileHandle.standardError.write(Data("hub-server: \(error.message)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// A logger that prints nothing, for the one-shot commands' database connections.
    static var quietLogger: Logger { Logger(label: "hub-server", factory: { _ in SwiftLogNoOpLogHandler() }) }

    /// Runs an asynchronous command's body, turning a ``SyncError`` into a message on standard
    /// error and exit status 1.
    ///
    /// - Parameter body: The command's work.
    /// - Returns: What the body returned.
    /// - Throws: `ExitCode.failure` after reporting a ``SyncError``; other errors unchanged.
    @discardableResult
    static func reportingAsyncErrors<Value>(_ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch let error as SyncError {
            FileHandle.standardError.write(Data("hub-server: \(error.message)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// Encodes a value as JSON with sorted keys, followed by a newline.
    ///
    /// - Parameter value: The value.
    /// - Returns: The JSON text.
    /// - Throws: An encoding error.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
