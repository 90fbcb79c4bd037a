import Foundation

/// The identity of one replica: a random UUID, written in lowercase.
///
/// Every change records the replica it was written on (its origin). A replica keeps its
/// identity in its database; a copied database file takes a new one (see ``ReplicaStore``).
///
/// ```swift
/// let id = ReplicaID()
/// let same = try ReplicaID(parsing: id.rawValue)
/// ```
public struct ReplicaID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The lowercase UUID string, such as `6f1c…-…`.
    public let rawValue: String

    /// Creates a new random identity.
    public init() {
        rawValue = UUID().uuidString.lowercased()
    }

    /// Parses an identity from its string form.
    ///
    /// - Parameter text: A UUID string, in either case.
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidArgument`` when `text` is not a UUID.
    public init(parsing text: String) throws {
        guard text.utf8.count == 36, let uuid = UUID(uuidString: text) else {
            throw SyncError(.invalidArgument, "'\(text.prefix(40))' is not a replica id; expected a UUID")
        }
        rawValue = uuid.uuidString.lowercased()
    }

    /// Wraps a string already known to be a lowercase UUID.
    init(validated rawValue: String) {
        self.rawValue = rawValue
    }

    /// Orders identities by their string form (bytewise), the deterministic tie-break of merges.
    public static func < (lhs: ReplicaID, rhs: ReplicaID) -> Bool {
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }

    /// The lowercase UUID string.
    public var description: String { rawValue }
}

extension ReplicaID: Codable {
    /// Decodes and validates an identity from a JSON string.
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: A decoding error when the string is not a UUID.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "replica id is not a UUID")
        }
    }

    /// Encodes the identity as its string form.
    ///
    /// - Parameter encoder: The encoder.
    /// - Throws: An encoding error.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
