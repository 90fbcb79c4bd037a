import GRDB

extension ReplicaStore {
    /// Every commune this replica knows: the seed's, and the records of the `commune` table
    /// (which win over the seed's entry of the same code), sorted by code.
    ///
    /// A store on schema version 1 (no `commune` table) knows the seed only.
    ///
    /// - Returns: The communes.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func communes() throws -> [Commune] {
        guard schema.table(named: "commune") != nil else { return Territory.seed }
        let records = try read { db in
            try Row.fetchAll(db, sql: "SELECT id, province, name_ar, name_fr, name_zgh FROM commune").map(Self.commune)
        }
        var byCode = Dictionary(uniqueKeysWithValues: Territory.seed.map { ($0.id, $0) })
        for record in records { byCode[record.id] = record }
        return byCode.values.sorted { $0.id < $1.id }
    }

    /// One commune, or `nil` when this replica does not know it.
    ///
    /// - Parameter id: The commune's code.
    /// - Returns: The commune.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func commune(_ id: String) throws -> Commune? {
        if schema.table(named: "commune") != nil,
            let row = try read({ db in
                try Row.fetchOne(
                    db,
                    sql: "SELECT id, province, name_ar, name_fr, name_zgh FROM commune WHERE id = ?",
                    arguments: [id]
                )
            })
        {
            return Self.commune(row)
        }
        return Territory.seed.first { $0.id == id }
    }

    /// Adds a commune to the territory (an administrator, at the hub); it reaches every replica
    /// with the next syncs.
    ///
    /// ```swift
    /// try hub.addCommune(Commune(id: "hanchane", province: "essaouira-province",
    ///                            names: CommuneNames(arabic: "حنشان", french: "Hanchane")))
    /// ```
    ///
    /// - Parameter commune: The commune: a new code, its province and at least one name.
    /// - Throws: ``SyncError`` with ``SyncError/Code/conflict`` for a code already known,
    ///   ``SyncError/Code/invalidArgument`` for a bad code or no name, or
    ///   ``SyncError/Code/schemaMismatch`` on schema version 1.
    public func addCommune(_ commune: Commune) throws {
        try requireTerritoryTable()
        try Territory.requireCode(commune.id, "commune")
        try Territory.requireCode(commune.province, "province")
        let names = commune.names.values
        guard !names.isEmpty else {
            throw SyncError(.invalidArgument, "give the commune \(commune.id) a name (Arabic, French or Tamazight)")
        }
        guard try self.commune(commune.id) == nil else {
            throw SyncError(.conflict, "the commune \(commune.id) exists already; rename it instead")
        }
        var values = names
        values["province"] = .text(commune.province)
        values["created_at"] = .integer(wallClock())
        try write([RecordWrite(table: "commune", record: commune.id, values: values)])
    }

    /// Renames a commune: the names given replace the old ones, the others stay.
    ///
    /// A seed commune renamed for the first time gets its record, with the seed's province and
    /// names beside the new ones.
    ///
    /// - Parameters:
    ///   - id: The commune's code.
    ///   - names: The new names (`nil` leaves a name as it is).
    /// - Throws: ``SyncError`` with ``SyncError/Code/recordNotFound`` for an unknown commune.
    public func renameCommune(_ id: String, names: CommuneNames) throws {
        try requireTerritoryTable()
        guard let known = try commune(id) else {
            throw SyncError(
                .recordNotFound,
                "no commune \(id.prefix(64)) here; list them with 'hub-server commune list'"
            )
        }
        guard !names.values.isEmpty else {
            throw SyncError(.invalidArgument, "nothing to rename: give an Arabic, French or Tamazight name")
        }
        var values = names.values
        if known.isSeed {
            for (key, value) in known.names.values where values[key] == nil { values[key] = value }
            values["province"] = .text(known.province)
            values["created_at"] = .integer(wallClock())
        }
        try write([RecordWrite(table: "commune", record: id, values: values)])
    }

    /// Refuses a commune this replica does not know.
    ///
    /// - Parameter commune: A commune's code.
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidArgument`` naming the known ones.
    public func requireCommune(_ commune: String) throws {
        if Territory.isSeed(commune) { return }
        if try self.commune(commune) != nil { return }
        let known = try communes().map(\.id).joined(separator: ", ")
        throw SyncError(
            .invalidArgument,
            "unknown commune '\(commune.prefix(40))'; use one of: \(known) (a commune added at the hub is known "
                + "here after the next sync)"
        )
    }

    private func requireTerritoryTable() throws {
        guard schema.table(named: "commune") == nil else { return }
        throw SyncError(
            .schemaMismatch,
            "communes are records from schema version 2 on, and this program runs schema version \(schema.version); "
                + "upgrade it"
        )
    }

    private static func commune(_ row: Row) -> Commune {
        Commune(
            id: row["id"],
            province: row["province"] ?? Territory.seedProvince,
            names: CommuneNames(arabic: row["name_ar"], french: row["name_fr"], tamazight: row["name_zgh"])
        )
    }
}
