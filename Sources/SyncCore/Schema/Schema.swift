/// The replicated schema: its version and its tables.
///
/// Every change is stamped with the schema version it was written under. A replica refuses
/// changes written under a newer schema than its own, with an "upgrade" message, rather than
/// guess at fields it does not know (cr-sqlite replicas on different schemas corrupted each other).
///
/// ```swift
/// let schema = Schema(version: 1, tables: [proposal, comment])
/// schema.table(named: "proposal")?.column(named: "title")?.rule   // .multiValue
/// ```
public struct Schema: Hashable, Sendable {
    /// The schema version, stamped on every change.
    public let version: Int
    /// The replicated tables.
    public let tables: [ReplicatedTable]

    /// Declares a schema.
    ///
    /// - Parameters:
    ///   - version: The version, from 1, raised with every change of the tables.
    ///   - tables: The replicated tables; names must be unique.
    public init(version: Int, tables: [ReplicatedTable]) {
        precondition(version >= 1, "schema versions start at 1")
        self.version = version
        self.tables = tables
        precondition(Set(tables.map(\.name)).count == tables.count, "two tables share a name")
    }

    /// The table with a name, or `nil`.
    ///
    /// A scan of the few tables: cheaper than hashing the name, once per change of a batch.
    ///
    /// - Parameter name: The table name.
    /// - Returns: The table, or `nil` for an unknown name.
    public func table(named name: String) -> ReplicatedTable? { tables.first { $0.name == name } }
}
