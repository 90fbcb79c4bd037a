/// A replicated table: records keyed by a text id, with a merge rule for every column.
///
/// The store creates one SQLite table per replicated table, with the declared columns, an `id`
/// primary key and the per-field merge metadata.
///
/// ```swift
/// let event = ReplicatedTable("event", columns: [
///     ReplicatedColumn("title", .text, .lastWriterWins),
///     ReplicatedColumn("date", .text, .lastWriterWins),
/// ])
/// ```
public struct ReplicatedTable: Hashable, Sendable {
    /// The table name (SQL identifier and wire name).
    public let name: String
    /// The replicated columns, in storage order.
    public let columns: [ReplicatedColumn]
    /// The boolean column whose `true` erases the columns marked erased-by-tombstone.
    public let tombstoneColumn: String?
    /// Columns to index for lookups, such as a foreign key.
    public let indexedColumns: [String]
    private let positions: [String: Int]
    /// The statement reading a whole row.
    let selectSQL: String
    /// The statement inserting a whole row.
    let insertSQL: String
    /// The statement updating a whole row.
    let updateSQL: String
    /// Per column: `SELECT crdt_meta, <column> FROM <table> WHERE id = ?` (a one-field edit).
    let selectOneSQL: [String]
    /// Per column: `UPDATE <table> SET <column> = ?, crdt_meta = ? WHERE id = ?`.
    let updateOneSQL: [String]

    /// Declares a table.
    ///
    /// - Parameters:
    ///   - name: The table name.
    ///   - columns: The columns; names must be unique and not `id`.
    ///   - tombstoneColumn: A ``MergeRule/tombstone`` column that erases others when set.
    ///   - indexedColumns: Columns to index.
    public init(
        _ name: String,
        columns: [ReplicatedColumn],
        tombstoneColumn: String? = nil,
        indexedColumns: [String] = []
    ) {
        self.name = name
        self.columns = columns
        self.tombstoneColumn = tombstoneColumn
        self.indexedColumns = indexedColumns
        self.positions = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1.name, $0) })
        precondition(positions.count == columns.count && positions["id"] == nil, "bad columns in \(name)")
        precondition(columns.count < 250, "table \(name) has too many columns")
        let names = columns.map(\.name)
        selectSQL = "SELECT \(names.joined(separator: ", ")), crdt_meta FROM \(name) WHERE id = ?"
        let placeholders = Array(repeating: "?", count: names.count + 2).joined(separator: ", ")
        insertSQL = "INSERT INTO \(name)(id, \(names.joined(separator: ", ")), crdt_meta) VALUES (\(placeholders))"
        let assignments = (names + ["crdt_meta"]).map { "\($0) = ?" }.joined(separator: ", ")
        updateSQL = "UPDATE \(name) SET \(assignments) WHERE id = ?"
        selectOneSQL = names.map { "SELECT crdt_meta, \($0) FROM \(name) WHERE id = ?" }
        updateOneSQL = names.map { "UPDATE \(name) SET \($0) = ?, crdt_meta = ? WHERE id = ?" }
    }

    /// The position of a column in ``columns``.
    ///
    /// - Parameter name: The column name.
    /// - Returns: The index, or `nil` for an unknown column.
    public func position(of name: String) -> Int? { positions[name] }

    /// The column with a name, or `nil`.
    ///
    /// - Parameter name: The column name.
    /// - Returns: The column, or `nil` for an unknown name.
    public func column(named name: String) -> ReplicatedColumn? {
        positions[name].map { columns[$0] }
    }
}
