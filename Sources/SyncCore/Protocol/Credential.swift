import Crypto
import Foundation

/// The replicas' credentials, shared by every backend of the hub's enrollment register.
///
/// A token is `esw1.<enrollment id>.<43 characters of base64url>` (256 random bits); a register
/// stores only its SHA-256 hash (see ``ReplicaStore/enroll(commune:label:)``). The token is what
/// a peer presents on the wire, and the key of a bundle's authentication tag.
///
/// ```swift
/// let token = Credential.make(enrollment: id)
/// store(id, Credential.hash(token))
/// Credential.enrollmentID(in: token) == id   // true
/// ```
public enum Credential {
    /// A new token for an enrollment, from the system's secure generator.
    ///
    /// - Parameter enrollment: The enrollment's id.
    /// - Returns: The token, to show once.
    public static func make(enrollment: String) -> String {
        var secret = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in secret.indices { secret[index] = UInt8.random(in: 0...255, using: &generator) }
        let encoded = Data(secret).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "esw1.\(enrollment).\(encoded)"
    }

    /// The hash a register stores: SHA-256 in hex.
    ///
    /// - Parameter token: A token.
    /// - Returns: 64 hex characters.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The enrollment id a well-formed token names, or `nil` for a malformed one.
    ///
    /// - Parameter token: A bearer token from the network.
    /// - Returns: The enrollment id.
    public static func enrollmentID(in token: String) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "esw1", token.utf8.count < 200 else { return nil }
        return String(parts[1])
    }

    /// Whether a token's hash equals a stored one, compared in constant time.
    ///
    /// - Parameters:
    ///   - token: A bearer token.
    ///   - storedHash: The hash the register holds.
    /// - Returns: `true` when they match.
    public static func matches(_ token: String, storedHash: String) -> Bool {
        let (x, y) = (Array(storedHash.utf8), Array(hash(token).utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
