import Foundation
import SyncCore

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
                message: "cannot read the token file \(path); save the credential printed by 'peer add' there",
                exitCode: CommandFailure.notFound
            )
        }
        let token = String(decoding: data.prefix(1_024), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard data.count < 1_024, NodeSettings.isWellFormedToken(token) else {
            throw CommandFailure(
                code: "invalid-argument",
                message: "the token file \(path) does not hold a credential (esw1.<id>.<secret>); copy it whole",
                exitCode: CommandFailure.dataError
            )
        }
        return token
    }
}
