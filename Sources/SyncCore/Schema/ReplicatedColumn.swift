/// One replicated column: its name, type, merge rule and validation limits.
///
/// ```swift
/// ReplicatedColumn("title", .text, .multiValue, maxBytes: 1_000)
/// ReplicatedColumn("status", .text, .multiValue, allowed: ["submitted", "accepted"])
/// ```
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
    public let maxBytes: Int
    /// The only values accepted, when the column is an enumeration.
    public let allowed: Set<String>?
    /// Whether the value is erased (set to null) once the row's tombstone is set.
    public let isErasedByTombstone: Bool
    /// The only integers accepted, when the column is bounded (such as a thread's depth).
    public let range: ClosedRange<Int64>?

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
    public init(
        _ name: String,
        _ type: ColumnType,
        _ rule: MergeRule,
        maxBytes: Int = 256,
        allowed: Set<String>? = nil,
        range: ClosedRange<Int64>? = nil,
        erasedByTombstone: Bool = false
    ) {
        self.range = range
        self.name = name
        self.type = type
        self.rule = rule
        self.maxBytes = maxBytes
        self.allowed = allowed
        self.isErasedByTombstone = erasedByTombstone
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
}
