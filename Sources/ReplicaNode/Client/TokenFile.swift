import Foundation
import SyncCore

#if canImport(Glibc)
import Glibc
#endif

/// Reads a credential kept in a file (so that it appears in no command line or shell history).
enum TokenFile {
    /// Reads and checks a token file: one `esw1.<id>.<secret>` credential, surrounding blanks ignored.
    ///
    /// - Parameter path: The file.
    /// - Returns: The token.
    /// - Throws: ``CommandFailure`` naming the file when it is missing, too large or not a credential.
    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure(
                code: "not-found",
                message: "cannot read the token file \(path); save the credential printed by 'hub-server enroll' "
                    + "or 'peer add' there",
                exitCode: CommandFailure.notFound
            )
        }
        return try token(in: Array(data), from: "the token file \(path)")
    }

    /// Reads a credential from standard input (`replica-node init --token-stdin`): one line,
    /// surrounding blanks ignored; on a terminal it is asked for without echo.
    ///
    /// - Returns: The token.
    /// - Throws: ``CommandFailure`` when standard input holds no credential.
    static func readStandardInput() throws -> String {
        // On a terminal, ask without echo, as for a password.
        var saved = termios()
        let interactive = isatty(STDIN_FILENO) == 1 && tcgetattr(STDIN_FILENO, &saved) == 0
        if interactive {
            Console.write("Credential (esw1.…): ", to: .standardError)
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        }
        defer {
            if interactive {
                tcsetattr(STDIN_FILENO, TCSANOW, &saved)
                Console.write("\n", to: .standardError)
            }
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1_024)
        while bytes.count < 1_024 {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
            if bytes.contains(UInt8(ascii: "\n")) { break }
        }
        let line = Array(bytes.prefix { $0 != UInt8(ascii: "\n") })
        return try token(in: line, from: "standard input")
    }

    private static func token(in bytes: [UInt8], from source: String) throws -> String {
        let token = String(decoding: bytes.prefix(1_024), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard bytes.count < 1_024, NodeSettings.isWellFormedToken(token) else {
            throw CommandFailure(
                code: "invalid-argument",
                message: "\(source) does not hold a credential (esw1.<id>.<secret>) printed by 'hub-server enroll' "
                    + "or 'peer add'; copy it whole; nothing was changed",
                exitCode: CommandFailure.dataError
            )
        }
        return token
    }
}
