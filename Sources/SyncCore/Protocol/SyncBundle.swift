import Crypto
import Foundation

/// A file exchange: the change batches one replica cut for another, framed, checksummed and
/// authenticated, so that a laptop with no link hands its changes over on a USB stick.
///
/// A bundle is the same ``ChangeBatch`` exchange as a push or a pull, written to a file. Its
/// frame (Docs/PROTOCOL.md, "Bundle format") is:
///
/// | bytes | content |
/// | --- | --- |
/// | 8 | the magic `ESWBNDL1` |
/// | 4 | the header's length, big-endian, at most ``maxHeaderBytes`` |
/// | n | the ``Header`` as JSON |
/// | 8 | the body's length, big-endian |
/// | m | the batches as a JSON array |
/// | 32 | SHA-256 of everything before it |
/// | 32 | HMAC-SHA256 of everything before it, keyed by ``key(forToken:)`` |
///
/// The key is the exporter's credential as the importer knows it: the SHA-256 of the token the
/// importer issued (an office for its laptop), which the importer stores and the exporter can
/// compute from its token. The file on disk is this frame gzip-compressed by `replica-node bundle`.
///
/// ```swift
/// let bytes = try SyncBundle(header: header, batches: batches).encoded(key: SyncBundle.key(forToken: token))
/// let bundle = try SyncBundle.open(bytes, schemaVersion: 1) { keyID in storedKey(keyID) }
/// ```
public struct SyncBundle: Hashable, Sendable {
    /// The version of the frame and header this build writes and reads.
    public static let formatVersion = 1
    /// The frame's first eight bytes.
    public static let magic = Array("ESWBNDL1".utf8)
    /// The largest header accepted.
    public static let maxHeaderBytes = 1 << 20
    /// The largest frame (header and batches, uncompressed) accepted by default: 256 MiB.
    public static let defaultMaxBytes = 256 << 20

    /// What a bundle says about itself, authenticated with its batches.
    public struct Header: Hashable, Sendable, Codable {
        /// The bundle format version, ``SyncBundle/formatVersion``.
        public var format: Int
        /// The sync protocol version of the exporter.
        public var protocolVersion: Int
        /// The schema version the exporter writes.
        public var schemaVersion: Int
        /// The exporting replica.
        public var sender: ReplicaID
        /// The enrollment whose credential keys the authentication tag.
        public var keyID: String
        /// The vector the bundle was cut for: the batches hold what a replica with it lacks.
        public var forVector: VersionVector
        /// The exporter's own vector when it cut the bundle.
        public var senderVector: VersionVector
        /// The vector ranges the batches account for, merged by origin.
        public var covered: [CoveredRange]
        /// How many batches follow.
        public var batchCount: Int
        /// How many changes the batches hold.
        public var changeCount: Int
        /// When the bundle was cut, Unix milliseconds.
        public var createdAt: Int64

        /// Creates a header.
        ///
        /// - Parameters:
        ///   - sender: The exporting replica.
        ///   - keyID: The enrollment whose credential keys the tag.
        ///   - forVector: The vector the bundle was cut for.
        ///   - senderVector: The exporter's vector.
        ///   - batches: The batches, to count and to summarise their covered ranges.
        ///   - schemaVersion: The exporter's schema version.
        ///   - createdAt: When it was cut.
        public init(
            sender: ReplicaID,
            keyID: String,
            forVector: VersionVector,
            senderVector: VersionVector,
            batches: [ChangeBatch],
            schemaVersion: Int,
            createdAt: Int64
        ) {
            format = SyncBundle.formatVersion
            protocolVersion = ProtocolVersion.current
            self.schemaVersion = schemaVersion
            self.sender = sender
            self.keyID = keyID
            self.forVector = forVector
            self.senderVector = senderVector
            var ranges: [ReplicaID: CoveredRange] = [:]
            for range in batches.flatMap(\.covered) {
                ranges[range.origin, default: range].through = max(ranges[range.origin]?.through ?? 0, range.through)
            }
            covered = ranges.values.sorted { $0.origin < $1.origin }
            batchCount = batches.count
            changeCount = batches.reduce(0) { $0 + $1.changes.count }
            self.createdAt = createdAt
        }
    }

    /// The bundle's header.
    public var header: Header
    /// The batches, applied in order.
    public var batches: [ChangeBatch]

    /// Creates a bundle.
    ///
    /// - Parameters:
    ///   - header: The header.
    ///   - batches: The batches.
    public init(header: Header, batches: [ChangeBatch]) {
        self.header = header
        self.batches = batches
    }

    /// The authentication key of a credential: the SHA-256 of the token, in the hexadecimal form
    /// an enrolling replica stores.
    ///
    /// ```swift
    /// let key = SyncBundle.key(forToken: "esw1.…")
    /// ```
    ///
    /// - Parameter token: A bearer token.
    /// - Returns: The key's bytes.
    public static func key(forToken token: String) -> [UInt8] {
        Array(Credential.hash(token).utf8)
    }

    /// The enrollment id a token names (`esw1.<enrollment id>.<secret>`), or `nil`.
    ///
    /// - Parameter token: A bearer token.
    /// - Returns: The enrollment id.
    public static func keyID(ofToken token: String) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "esw1", !parts[1].isEmpty else { return nil }
        return String(parts[1])
    }

    /// The frame: header, batches, checksum and tag.
    ///
    /// - Parameter key: The authentication key (``key(forToken:)``).
    /// - Returns: The frame's bytes.
    /// - Throws: An encoding error (none for valid batches).
    public func encoded(key: [UInt8]) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let headerBytes = Array(try encoder.encode(header))
        let bodyBytes = Array(try encoder.encode(batches))
        var frame = Self.magic
        frame += Self.bigEndian(UInt64(headerBytes.count), width: 4)
        frame += headerBytes
        frame += Self.bigEndian(UInt64(bodyBytes.count), width: 8)
        frame += bodyBytes
        frame += Array(SHA256.hash(data: frame))
        frame += Array(HMAC<SHA256>.authenticationCode(for: frame, using: SymmetricKey(data: key)))
        return frame
    }

    static func bigEndian(_ value: UInt64, width: Int) -> [UInt8] {
        (0..<width).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }
}
