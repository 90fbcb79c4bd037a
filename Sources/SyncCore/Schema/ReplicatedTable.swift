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
    /// Two tables are equal when their declarations are.
    public static func == (lhs: ReplicatedTable, rhs: ReplicatedTable) -> Bool {
        lhs.storage === rhs.storage
            || lhs.name == rhs.name && lhs.columns == rhs.columns && lhs.tombstoneColumn == rhs.tombstoneColumn
                && lhs.indexedColumns == rhs.indexedColumns && lhs.storage.addedIn == rhs.storage.addedIn
    }

    /// Hashes the declaration.
    ///
    /// - Parameter hasher: The hasher.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(columns)
    }

    /// The table name (SQL identifier and wire name).
    public var name: String { storage.name }
    /// The replicated columns, in storage order.
    public var columns: [ReplicatedColumn] { storage.columns }
    /// The boolean column whose `true` erases the columns marked erased-by-tombstone.
    public var tombstoneColumn: String? { storage.tombstoneColumn }
    /// Columns to index for lookups, such as a foreign key.
    public var indexedColumns: [String] { storage.indexedColumns }
    /// The schema version that added the table (1 for a table declared outside a history).
    public var createdIn: Int { storage.addedIn.first ?? 1 }
    /// The schema version that added each column, by position: the table's own for the columns
    /// it was created with, a later one for columns added by ``MigrationStep/addColumn(_:to:)``.
    var addedIn: [Int] { storage.addedIn }
    /// How many columns the table had when it was created; the others were added later.
    var createdColumnCount: Int { storage.createdColumnCount }
    /// The statement reading a whole row, its merge metadata and its hash.
    var selectSQL: String { storage.selectSQL }
    /// The statement inserting a whole row.
    var insertSQL: String { storage.insertSQL }
    /// The statement inserting a whole row unless a row with its id exists.
    var insertIfNewSQL: String { storage.insertIfNewSQL }
    /// Per column: the statement updating that column, the merge metadata and the hash.
    var updateOneSQL: [String] { storage.updateOneSQL }
    /// The keys of a record's canonical JSON object in their canonical order (UTF-8 bytes):
    /// `nil` stands for `id`, `-1` for `conflicts`, a position for a column.
    var canonicalKeys: [(key: [UInt8], position: Int?)] { storage.canonicalKeys }

    /// The declaration and what is derived from it, shared by every copy: a table is looked up
    /// for each change of a batch, and a copy then costs one reference instead of one per field.
    private let storage: Storage

    private final class Storage: Sendable {
        let name: String
        let columns: [ReplicatedColumn]
        let tombstoneColumn: String?
        let indexedColumns: [String]
        /// The column names, by position.
        let names: [String]
        /// The merge rules, by position.
        let rules: [MergeRule]
        let selectSQL: String
        let insertSQL: String
        let insertIfNewSQL: String
        let updateOneSQL: [String]
        let canonicalKeys: [(key: [UInt8], position: Int?)]
        /// The schema version that added each column; the first is the table's own.
        let addedIn: [Int]
        let createdColumnCount: Int

        init(
            name: String,
            columns: [ReplicatedColumn],
            tombstoneColumn: String?,
            indexedColumns: [String],
            addedIn: [Int]
        ) {
            self.addedIn = addedIn
            createdColumnCount = addedIn.prefix { $0 == addedIn.first }.count
            self.name = name
            self.columns = columns
            self.tombstoneColumn = tombstoneColumn
            self.indexedColumns = indexedColumns
            let names = columns.map(\.name)
            self.names = names
            rules = columns.map(\.rule)
            selectSQL = "SELECT \(names.joined(separator: ", ")), crdt_meta, crdt_hash FROM \(name) WHERE id = ?"
            let placeholders = Array(repeating: "?", count: names.count + 3).joined(separator: ", ")
            insertSQL =
                "INSERT INTO \(name)(id, \(names.joined(separator: ", ")), crdt_meta, crdt_hash) VALUES (\(placeholders))"
            insertIfNewSQL = insertSQL + " ON CONFLICT(id) DO NOTHING"
            updateOneSQL = names.map { "UPDATE \(name) SET \($0) = ?, crdt_meta = ?, crdt_hash = ? WHERE id = ?" }
            let keys: [(key: [UInt8], position: Int?)] =
                [(Array("id".utf8), nil), (Array("conflicts".utf8), -1)]
                + names.enumerated().map { (Array($1.utf8), $0) }
            canonicalKeys = keys.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        }
    }

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
        self.init(
            name,
            columns: columns,
            tombstoneColumn: tombstoneColumn,
            indexedColumns: indexedColumns,
            addedIn: Array(repeating: 1, count: columns.count)
        )
    }

    /// A table with the version that added each column.
    init(
        _ name: String,
        columns: [ReplicatedColumn],
        tombstoneColumn: String?,
        indexedColumns: [String],
        addedIn: [Int]
    ) {
        let names = columns.map(\.name)
        precondition(ReplicatedColumn.isIdentifier(name), "'\(name)' is not a table name")
        precondition(Set(names).count == names.count && !names.contains("id"), "bad columns in \(name)")
        precondition(columns.count < 250, "table \(name) has too many columns")
        precondition(!columns.isEmpty && addedIn.count == columns.count, "table \(name) needs columns")
        precondition(zip(addedIn, addedIn.dropFirst()).allSatisfy { $0 <= $1 }, "columns are added in version order")
        if let tombstoneColumn {
            precondition(
                columns.contains { $0.name == tombstoneColumn && $0.rule == .tombstone },
                "the tombstone of \(name) must be one of its tombstone columns"
            )
        }
        storage = Storage(
            name: name,
            columns: columns,
            tombstoneColumn: tombstoneColumn,
            indexedColumns: indexedColumns,
            addedIn: addedIn
        )
    }

    /// This table as added by the schema version `version`: every column comes with it.
    func created(in version: Int) -> ReplicatedTable {
        ReplicatedTable(
            name,
            columns: columns,
            tombstoneColumn: tombstoneColumn,
            indexedColumns: indexedColumns,
            addedIn: Array(repeating: version, count: columns.count)
        )
    }

    /// This table with its columns replaced (same names, in the same order) or one appended.
    func with(columns newColumns: [ReplicatedColumn], addedIn newAddedIn: [Int], indexed: [String]) -> ReplicatedTable {
        ReplicatedTable(
            name,
            columns: newColumns,
            tombstoneColumn: tombstoneColumn,
            indexedColumns: indexed,
            addedIn: newAddedIn
        )
    }

    /// How many of the table's columns the schema version `version` has (they come first).
    ///
    /// - Parameter version: A schema version at or after the table's ``createdIn``.
    /// - Returns: The number of leading columns added at or before `version`.
    func columnCount(at version: Int) -> Int {
        storage.addedIn.prefix { $0 <= version }.count
    }

    /// Whether the column at a position was added after the table was created.
    func isAddedLater(_ position: Int) -> Bool { position >= storage.createdColumnCount }

    /// The position of a column in ``columns``.
    ///
    /// A scan of the names: cheaper than hashing the name for the few columns of a table (names
    /// up to 15 bytes compare as two words), several times per change of a batch.
    ///
    /// - Parameter name: The column name.
    /// - Returns: The index, or `nil` for an unknown column.
    public func position(of name: String) -> Int? { storage.names.firstIndex(of: name) }

    /// The name of the column at a position of ``columns``.
    func columnName(at position: Int) -> String { storage.names[position] }

    /// The merge rule of the column at a position of ``columns``.
    func rule(at position: Int) -> MergeRule { storage.rules[position] }

    /// The column with a name, or `nil`.
    ///
    /// - Parameter name: The column name.
    /// - Returns: The column, or `nil` for an unknown name.
    public func column(named name: String) -> ReplicatedColumn? {
        position(of: name).map { storage.columns[$0] }
    }
}
