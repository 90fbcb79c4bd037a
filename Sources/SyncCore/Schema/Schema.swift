/// The replicated schema: its version, its tables, and the history of steps that made it.
///
/// A schema is declared once, as its history: version 1 is a list of ``MigrationStep``s (its
/// tables), and each later version is the version before plus its own steps. The tables are
/// derived from the history, and so is the schema at any earlier version (``atVersion(_:)``),
/// which is what a store migrates through and what a replica that has not upgraded yet holds.
///
/// Every change is stamped with the schema version it was written under. A replica on an older
/// version applies what it knows of a newer change and keeps the rest, so that nothing is lost
/// and nothing has to be sent again once it upgrades (Docs/UPGRADING.md).
///
/// ```swift
/// let schema = Schema(history: [
///     [.addTable(proposal), .addTable(comment)],                                        // version 1
///     [.addColumn(ReplicatedColumn("place", .text, .multiValue), to: "proposal")],   // version 2
/// ])
/// schema.version                        // 2
/// schema.atVersion(1).table(named: "proposal")?.column(named: "place")   // nil
/// ```
public struct Schema: Hashable, Sendable {
    /// The schema version, stamped on every change.
    public let version: Int
    /// The replicated tables.
    public let tables: [ReplicatedTable]
    /// The steps of each version, from version 1.
    let history: [[MigrationStep]]

    /// The most bytes any field may hold, in any version: a step cannot widen a limit past it,
    /// and a field of a newer version that this build does not know is refused beyond it.
    public static let maxFieldBytes = 65_536

    /// Declares a schema by its history.
    ///
    /// The steps are checked as they are folded: a step that names a missing table or column,
    /// adds one twice, narrows a limit or removes an allowed value is a programmer error.
    ///
    /// - Parameter history: The steps of each version, from version 1; at least one version.
    public init(history: [[MigrationStep]]) {
        precondition(!history.isEmpty, "a schema has at least version 1")
        var tables: [ReplicatedTable] = []
        for (index, steps) in history.enumerated() {
            for step in steps { Self.fold(step, version: index + 1, into: &tables) }
        }
        self.version = history.count
        self.tables = tables
        self.history = history
    }

    /// Declares a schema of one version: these tables, at version 1.
    ///
    /// - Parameter tables: The replicated tables; names must be unique.
    public init(tables: [ReplicatedTable]) {
        self.init(history: [tables.map(MigrationStep.addTable)])
    }

    /// The schema as it was at an earlier version of its history.
    ///
    /// - Parameter version: From 1 to ``version``.
    /// - Returns: The schema at that version.
    public func atVersion(_ version: Int) -> Schema {
        precondition((1...self.version).contains(version), "schema \(self.version) has no version \(version)")
        return version == self.version ? self : Schema(history: Array(history.prefix(version)))
    }

    /// The steps that lead from `version - 1` to `version`.
    ///
    /// - Parameter version: From 1 to ``version``.
    /// - Returns: The steps.
    public func steps(of version: Int) -> [MigrationStep] { history[version - 1] }

    /// The table with a name, or `nil`.
    ///
    /// A scan of the few tables: cheaper than hashing the name, once per change of a batch.
    ///
    /// - Parameter name: The table name.
    /// - Returns: The table, or `nil` for an unknown name.
    public func table(named name: String) -> ReplicatedTable? { tables.first { $0.name == name } }

    // MARK: - Folding the history

    private static func fold(_ step: MigrationStep, version: Int, into tables: inout [ReplicatedTable]) {
        func position(of name: String) -> Int {
            guard let found = tables.firstIndex(where: { $0.name == name }) else {
                preconditionFailure("schema version \(version): \(step) names no table \(name)")
            }
            return found
        }
        switch step.kind {
        case .addTable(let table):
            precondition(!tables.contains { $0.name == table.name }, "schema version \(version): \(step) twice")
            tables.append(table.created(in: version))
        case .addColumn(let name, let column):
            let index = position(of: name)
            let table = tables[index]
            precondition(table.position(of: column.name) == nil, "schema version \(version): \(step) twice")
            precondition(column.rule != .tombstone, "schema version \(version): \(step): a tombstone cannot be added")
            precondition(
                !column.isErasedByTombstone || table.tombstoneColumn != nil,
                "schema version \(version): \(step): \(name) has no tombstone"
            )
            tables[index] = table.with(
                columns: table.columns + [column],
                addedIn: table.addedIn + [version],
                indexed: table.indexedColumns
            )
        case .widenText(let name, let columnName, let maxBytes):
            change(columnName, of: position(of: name), in: &tables, step: step, version: version) { column in
                precondition(column.type == .text && maxBytes > column.maxBytes && maxBytes <= maxFieldBytes)
                column.maxBytes = maxBytes
            }
        case .widenRange(let name, let columnName, let range):
            change(columnName, of: position(of: name), in: &tables, step: step, version: version) { column in
                guard let old = column.range else { preconditionFailure("\(step): the column has no range") }
                precondition(range.contains(old.lowerBound) && range.contains(old.upperBound) && range != old)
                column.range = range
            }
        case .allow(let name, let columnName, let values):
            change(columnName, of: position(of: name), in: &tables, step: step, version: version) { column in
                guard let old = column.allowed else { preconditionFailure("\(step): the column is no enumeration") }
                precondition(!values.isSubset(of: old), "\(step) adds no value")
                column.allowed = old.union(values)
            }
        case .index(let name, let columnName):
            let index = position(of: name)
            let table = tables[index]
            precondition(table.position(of: columnName) != nil, "schema version \(version): \(step): no such column")
            precondition(!table.indexedColumns.contains(columnName), "schema version \(version): \(step) twice")
            tables[index] = table.with(
                columns: table.columns,
                addedIn: table.addedIn,
                indexed: table.indexedColumns + [columnName]
            )
        }
    }

    private static func change(
        _ columnName: String,
        of index: Int,
        in tables: inout [ReplicatedTable],
        step: MigrationStep,
        version: Int,
        _ body: (inout ReplicatedColumn) -> Void
    ) {
        let table = tables[index]
        guard let position = table.position(of: columnName) else {
            preconditionFailure("schema version \(version): \(step): no such column")
        }
        var columns = table.columns
        body(&columns[position])
        tables[index] = table.with(columns: columns, addedIn: table.addedIn, indexed: table.indexedColumns)
    }
}

/// Which schema version two peers compare their digests at.
package enum SchemaVersions {
    /// The older of a peer's version and this store's, within what this store can compute.
    ///
    /// - Parameters:
    ///   - peer: The peer's schema version.
    ///   - own: This store's schema.
    /// - Returns: The version at which both digests are computed.
    package static func compared(_ peer: Int, _ own: Schema) -> Int {
        max(1, min(peer, own.version))
    }
}
