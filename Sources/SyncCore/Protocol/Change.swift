/// One write of one record, as it travels between replicas.
///
/// A change names its origin replica, its sequence number there, its hybrid timestamp and the
/// schema version it was written under, then the fields it wrote. A field that a later write has
/// since superseded is not sent: the store reads field values from the current row when it builds
/// a change, as cr-sqlite does. The same change arriving twice, late or out of order changes
/// nothing.
///
/// ```swift
/// let change = Change(
///     table: "proposal", record: id, origin: me, seq: 12, timestamp: t, schemaVersion: 1,
///     fields: ["title": FieldChange(value: .text("…"), context: VersionVector([me: 12]))]
/// )
/// ```
public struct Change: Hashable, Sendable, Codable {
    /// The table written.
    public var table: String
    /// The record's id.
    public var record: String
    /// The replica where the write was made.
    public var origin: ReplicaID
    /// The write's sequence number at its origin.
    public var seq: UInt64
    /// When it was written.
    public var timestamp: HybridTimestamp
    /// The schema version it was written under.
    public var schemaVersion: Int
    /// The fields written, by column name.
    public var fields: [String: FieldChange]

    /// Creates a change.
    ///
    /// - Parameters:
    ///   - table: The table written.
    ///   - record: The record's id.
    ///   - origin: The replica where the write was made.
    ///   - seq: Its sequence number there.
    ///   - timestamp: When it was written.
    ///   - schemaVersion: The schema version it was written under.
    ///   - fields: The fields written.
    public init(
        table: String,
        record: String,
        origin: ReplicaID,
        seq: UInt64,
        timestamp: HybridTimestamp,
        schemaVersion: Int,
        fields: [String: FieldChange]
    ) {
        self.table = table
        self.record = record
        self.origin = origin
        self.seq = seq
        self.timestamp = timestamp
        self.schemaVersion = schemaVersion
        self.fields = fields
    }

    /// The write's identity.
    public var dot: Dot { Dot(origin: origin, seq: seq) }

    enum CodingKeys: String, CodingKey {
        case table, record, origin, seq
        case timestamp = "hlc"
        case schemaVersion = "schema"
        case fields
    }
}

/// The value and causal context of one field in a ``Change``.
public struct FieldChange: Hashable, Sendable, Codable {
    /// The value written.
    public var value: FieldValue
    /// For causal rules, what the writer had seen of the field, including this write.
    public var context: VersionVector?

    /// Creates a field change.
    ///
    /// - Parameters:
    ///   - value: The value written.
    ///   - context: The causal context, for causal rules.
    public init(value: FieldValue, context: VersionVector? = nil) {
        self.value = value
        self.context = context
    }

    /// Decodes a field change; an absent value means null.
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: A decoding error for wrong types.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        value = try container.decodeIfPresent(FieldValue.self, forKey: .value) ?? .null
        context = try container.decodeIfPresent(VersionVector.self, forKey: .context)
    }

    enum CodingKeys: String, CodingKey { case value, context }
}
