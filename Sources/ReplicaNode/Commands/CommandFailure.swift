import ArgumentParser
import Foundation
import SyncCore
import SyncHTTP

/// A failure of a command as the person or script running it sees it: a stable code, a message
/// that says what to do, and an exit status.
///
/// Exit statuses follow `sysexits.h`, so that scripts can tell a hub that is down (75, try again
/// later) from data that will never be accepted (65).
struct CommandFailure: Error {
    /// The stable, machine-readable code, such as `transport` or `not-initialized`.
    var code: String
    /// What failed and what to do next.
    var message: String
    /// The process exit status.
    var exitCode: ExitCode

    /// Bad data: an invalid field, an over-long text, a malformed file.
    static let dataError = ExitCode(65)
    /// A record or file that does not exist.
    static let notFound = ExitCode(66)
    /// A bug: an error nobody expected.
    static let internalError = ExitCode(70)
    /// The database could not be read or written.
    static let storageError = ExitCode(74)
    /// The hub is unreachable or failed: try again later.
    static let temporaryFailure = ExitCode(75)
    /// The hub speaks another protocol or schema version.
    static let protocolError = ExitCode(76)
    /// The credential was refused.
    static let permissionDenied = ExitCode(77)
    /// The replica is not set up (run init) or this machine's clock is wrong.
    static let configurationError = ExitCode(78)

    init(code: String, message: String, exitCode: ExitCode) {
        self.code = code
        self.message = message
        self.exitCode = exitCode
    }

    /// Maps an engine error to its exit status.
    init(_ error: SyncError) {
        self.init(code: error.code.description, message: error.message, exitCode: ExitCode(error.exitStatus))
    }

    /// The failure of a command run on a replica that has no commune, hub or credential yet.
    static func notInitialized(_ database: String) -> CommandFailure {
        CommandFailure(
            code: "not-initialized",
            message: "the replica at \(database) is not set up yet; run 'replica-node init --commune NAME --hub URL "
                + "--token-file FILE --db \(database)' with the credential from 'hub-server enroll' saved in FILE",
            exitCode: configurationError
        )
    }

    /// Wraps any error; errors nobody expected keep their description for the bug report.
    static func wrapping(_ error: any Error) -> CommandFailure {
        switch error {
        case let failure as CommandFailure:
            failure
        case let error as SyncError:
            CommandFailure(error)
        default:
            CommandFailure(
                code: "internal",
                message: "unexpected failure (\(String(describing: error).prefix(300))); please report it",
                exitCode: internalError
            )
        }
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Writes the failure on the standard error, as one line of text or of JSON.
    func report(json: Bool) {
        if json, let data = try? Self.encoder.encode(ErrorResponse(code: code, message: message)) {
            Console.line(String(decoding: data, as: UTF8.self), to: .standardError)
        } else {
            Console.line("error: \(message)", to: .standardError)
        }
    }
}
