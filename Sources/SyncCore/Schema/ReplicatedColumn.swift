/// One replicated column: its name, type, merge rule and validation limits.
///
/// ```swift
/// ReplicatedColumn("title", .text, .multiValue, maxBytes: 1_000)
/// ReplicatedColumn("status", .text, .multiValue, allowed: ["submitted", "accepted"])
/// ReplicatedColumn("capacity", .integer, .lastWriterWins, range: 0...100_000)
/// ```
///
/// A column is declared once, in the schema's history (``MigrationStep``); attributes added to
/// the declaration later (write permissions, personal-data markings) belong here too.
public struct ReplicatedColumn: Hashable, Sendable {
    /// The storage type of a column.
    public enum ColumnType: String, Hashable, Sendable, Codable {
        /// UTF-8 text.
        case text
        /// A 64-bit integer.
        case integer
        /// A boolean, stored as 0 or 1.
        case boolean
    }

    /// The column name (SQL identifier and wire name).
    public let name: String
    /// The storage type.
    public let type: ColumnType
    /// How concurrent writes merge.
    public let rule: MergeRule
    /// The largest text accepted, in UTF-8 bytes.
    public internal(set) var maxBytes: Int
    /// The only values accepted, when the column is an enumeration.
    public internal(set) var allowed: Set<String>?
    /// Whether the value is erased (set to null) once the row's tombstone is set.
    public let isErasedByTombstone: Bool
    /// The only integers accepted, when the column is bounded (such as a thread's depth).
    public internal(set) var range: ClosedRange<Int64>?
    /// The value a record shows for this field until the field is first written (`null` unless
    /// declared): records written before a migration step added the column show it too.
    public let defaultValue: FieldValue

    /// Declares a column.
    ///
    /// - Parameters:
    ///   - name: The column name.
    ///   - type: The storage type.
    ///   - rule: The merge rule.
    ///   - maxBytes: The largest text accepted, in UTF-8 bytes.
    ///   - allowed: The only values accepted, for enumerations.
    ///   - range: The only integers accepted, for bounded integers.
    ///   - erasedByTombstone: Whether a tombstone on the row erases this value.
    ///   - defaultValue: The value shown until the field is first written.
    public init(
        _ name: String,
        _ type: ColumnType,
        _ rule: MergeRule,
        maxBytes: Int = 256,
        allowed: Set<String>? = nil,
        range: ClosedRange<Int64>? = nil,
        erasedByTombstone: Bool = false,
        defaultValue: FieldValue = .null
    ) {
        precondition(Self.isIdentifier(name), "'\(name)' is not a column name: use lowercase letters, digits and _")
        precondition(
            maxBytes <= Schema.maxFieldBytes,
            "\(name): no column holds more than \(Schema.maxFieldBytes) bytes"
        )
        self.range = range
        self.defaultValue = defaultValue
        self.name = name
        self.type = type
        self.rule = rule
        self.maxBytes = maxBytes
        self.allowed = allowed
        self.isErasedByTombstone = erasedByTombstone
        precondition(
            (try? validate(defaultValue, in: "")) != nil,
            "\(name): the default value breaks the column's limits"
        )
    }

    /// Whether a name can be a table or column name: 1 to 63 lowercase ASCII letters, digits and
    /// underscores, starting with a letter, and not a name the engine keeps for itself.
    ///
    /// - Parameter name: The candidate.
    /// - Returns: `true` when the name can be used.
    static func isIdentifier(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...63).contains(bytes.count), (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[0]) else {
            return false
        }
        let allowed = bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_")
        }
        return allowed && !name.hasPrefix("crdt_") && !name.hasPrefix("sync_") && name != "id"
    }

    /// Checks a value against the column's type and limits.
    ///
    /// - Parameters:
    ///   - value: The candidate value.
    ///   - table: The table name, for the message.
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidArgument`` naming the column.
    public func validate(_ value: FieldValue, in table: String) throws {
        switch (type, value) {
        case (_, .null):
            return
        case (.text, .text(let text)):
            guard text.utf8.count <= maxBytes else {
                throw SyncError(
                    .tooLarge,
                    "\(table).\(name) is \(text.utf8.count) bytes; at most \(maxBytes) are allowed"
                )
            }
            if let allowed, !allowed.contains(text) {
                throw SyncError(
                    .invalidArgument,
                    "\(table).\(name) cannot be '\(text.prefix(40))'; use one of: \(allowed.sorted().joined(separator: ", "))"
                )
            }
        case (.integer, .integer(let number)):
            if let range, !range.contains(number) {
                throw SyncError(
                    .invalidArgument,
                    "\(table).\(name) must be between \(range.lowerBound) and \(range.upperBound) (got \(number))"
                )
            }
        case (.boolean, .integer(let flag)) where flag == 0 || flag == 1:
            return
        default:
            throw SyncError(.invalidArgument, "\(table).\(name) expects a \(type.rawValue) value")
        }
    }

    /// Checks a value written under a newer schema version: its type, and the limit every
    /// version shares; a newer version may have widened this column's limit or allowed a value.
    ///
    /// - Parameters:
    ///   - value: The candidate value.
    ///   - table: The table name, for the message.
    /// - Throws: ``SyncError`` naming the column.
    package func validateShape(_ value: FieldValue, in table: String) throws {
        switch (type, value) {
        case (_, .null), (.integer, .integer):
            return
        case (.text, .text(let text)):
            guard text.utf8.count <= Schema.maxFieldBytes else {
                throw SyncError(
                    .tooLarge,
                    "\(table).\(name) is \(text.utf8.count) bytes; no version allows more than \(Schema.maxFieldBytes)"
                )
            }
        case (.boolean, .integer(let flag)) where flag == 0 || flag == 1:
            return
        default:
            throw SyncError(.invalidArgument, "\(table).\(name) expects a \(type.rawValue) value")
        }
    }
}
