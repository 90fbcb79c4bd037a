/// The replicas' credentials, shared by every backend of the hub's enrollment register.
///
/// A token is `esw1.<enrollment id>.<43 characters of base64url>` (256 random bits); a register
/// stores only its SHA-256 hash (see ``ReplicaStore/enroll(commune:label:)``).
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
        ReplicaStore.makeToken(enrollment: enrollment)
    }

    /// The hash a register stores: SHA-256 in hex.
    ///
    /// - Parameter token: A token.
    /// - Returns: 64 hex characters.
    public static func hash(_ token: String) -> String {
        ReplicaStore.hash(token)
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
        ReplicaStore.constantTimeEqual(storedHash, ReplicaStore.hash(token))
    }
}
