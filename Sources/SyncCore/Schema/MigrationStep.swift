/// One declared step from a schema version to the next.
///
/// Version N+1 of a schema is version N plus its steps. Every step is additive, so that a
/// replica still on version N keeps reading, merging and relaying what version N+1 writes:
///
/// | step | what it declares |
/// | --- | --- |
/// | ``addTable(_:)`` | a new replicated table |
/// | ``addColumn(_:to:)`` | a new column, with its merge rule, limits and default value |
/// | ``widen(_:of:maxBytes:)`` | a larger text limit |
/// | ``widen(_:of:range:)`` | a wider integer range |
/// | ``allow(_:in:of:)`` | new allowed values of an enumeration |
/// | ``index(_:of:)`` | an index on a column |
///
/// Dropping, renaming and narrowing are not offered: a replica that has not upgraded yet would
/// keep writing the old name or the old values, and every replica that has would refuse or
/// lose them (see Docs/UPGRADING.md for what to do instead).
///
/// A column is declared whole by its ``ReplicatedColumn``, so attributes added to column
/// declarations later (write permissions, personal-data markings) come with ``addColumn(_:to:)``
/// without a new kind of step.
///
/// ```swift
/// let version2: [MigrationStep] = [
///     .addColumn(ReplicatedColumn("place", .text, .multiValue, maxBytes: 200), to: "proposal"),
///     .index("place", of: "proposal"),
/// ]
/// ```
public struct MigrationStep: Hashable, Sendable, CustomStringConvertible {
    enum Kind: Hashable, Sendable {
        case addTable(ReplicatedTable)
        case addColumn(table: String, column: ReplicatedColumn)
        case widenText(table: String, column: String, maxBytes: Int)
        case widenRange(table: String, column: String, range: ClosedRange<Int64>)
        case allow(table: String, column: String, values: Set<String>)
        case index(table: String, column: String)
    }

    let kind: Kind

    /// A new replicated table, with its columns.
    ///
    /// - Parameter table: The table as declared.
    /// - Returns: The step.
    public static func addTable(_ table: ReplicatedTable) -> MigrationStep {
        MigrationStep(kind: .addTable(table))
    }

    /// A new column at the end of an existing table.
    ///
    /// Records written before the step show the column's ``ReplicatedColumn/defaultValue``
    /// until the field is first written. The column may not be a tombstone (a tombstone added
    /// later would erase on upgraded replicas what the others still show).
    ///
    /// - Parameters:
    ///   - column: The column: name, type, merge rule, limits and default.
    ///   - table: The table's name.
    /// - Returns: The step.
    public static func addColumn(_ column: ReplicatedColumn, to table: String) -> MigrationStep {
        MigrationStep(kind: .addColumn(table: table, column: column))
    }

    /// A larger limit for a text column.
    ///
    /// - Parameters:
    ///   - column: The column's name.
    ///   - table: The table's name.
    ///   - maxBytes: The new limit, larger than the old one and at most ``Schema/maxFieldBytes``.
    /// - Returns: The step.
    public static func widen(_ column: String, of table: String, maxBytes: Int) -> MigrationStep {
        MigrationStep(kind: .widenText(table: table, column: column, maxBytes: maxBytes))
    }

    /// A wider range for a bounded integer column.
    ///
    /// - Parameters:
    ///   - column: The column's name.
    ///   - table: The table's name.
    ///   - range: The new range, which contains the old one.
    /// - Returns: The step.
    public static func widen(_ column: String, of table: String, range: ClosedRange<Int64>) -> MigrationStep {
        MigrationStep(kind: .widenRange(table: table, column: column, range: range))
    }

    /// New allowed values for an enumeration.
    ///
    /// - Parameters:
    ///   - values: The values added; the old ones stay allowed.
    ///   - column: The column's name.
    ///   - table: The table's name.
    /// - Returns: The step.
    public static func allow(_ values: Set<String>, in column: String, of table: String) -> MigrationStep {
        MigrationStep(kind: .allow(table: table, column: column, values: values))
    }

    /// An index on a column, for lookups and filters.
    ///
    /// - Parameters:
    ///   - column: The column's name.
    ///   - table: The table's name.
    /// - Returns: The step.
    public static func index(_ column: String, of table: String) -> MigrationStep {
        MigrationStep(kind: .index(table: table, column: column))
    }

    /// What the step does, for messages and logs.
    public var description: String {
        switch kind {
        case .addTable(let table): "add table \(table.name)"
        case .addColumn(let table, let column): "add column \(table).\(column.name)"
        case .widenText(let table, let column, let maxBytes): "widen \(table).\(column) to \(maxBytes) bytes"
        case .widenRange(let table, let column, let range):
            "widen \(table).\(column) to \(range.lowerBound)...\(range.upperBound)"
        case .allow(let table, let column, let values):
            "allow \(values.sorted().joined(separator: ", ")) in \(table).\(column)"
        case .index(let table, let column): "index \(table).\(column)"
        }
    }
}
