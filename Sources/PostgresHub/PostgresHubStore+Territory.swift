import PostgresNIO
package import SyncCore

extension PostgresHubStore {
    /// Every commune this hub knows: the seed's and the records of the `commune` table (which
    /// reach a PostgreSQL hub from its replicas and relays), sorted by code.
    ///
    /// - Returns: The communes.
    /// - Throws: ``SyncError`` with ``SyncError/Code/storage``.
    package func communes() async throws -> [Commune] {
        var byCode = Dictionary(uniqueKeysWithValues: Territory.seed.map { ($0.id, $0) })
        guard let table = schema.table(named: "commune") else { return Territory.seed }
        let records = try await wrapping("read the communes") {
            let rows = try await client.query(
                "SELECT row_id, vals, meta, others FROM hub_record WHERE tbl = 'commune'",
                logger: logger
            )
            var records: [Commune] = []
            for try await (id, vals, meta, others) in rows.decode((String, ByteBuffer, ByteBuffer, ByteBuffer).self) {
                let state = try RecordState(
                    table: table,
                    values: Array(vals.readableBytesView),
                    meta: Array(meta.readableBytesView),
                    others: Array(others.readableBytesView)
                )
                func text(_ name: String) -> String? {
                    guard let position = table.position(of: name), case .text(let text) = state.values[position] else {
                        return nil
                    }
                    return text
                }
                records.append(
                    Commune(
                        id: id,
                        province: text("province") ?? Territory.seedProvince,
                        names: CommuneNames(
                            arabic: text("name_ar"),
                            french: text("name_fr"),
                            tamazight: text("name_zgh")
                        )
                    )
                )
            }
            return records
        }
        for record in records { byCode[record.id] = record }
        return byCode.values.sorted { $0.id < $1.id }
    }

    /// Refuses a commune this hub does not know.
    ///
    /// - Parameter commune: A commune's code.
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidArgument``.
    package func requireCommune(_ commune: String) async throws {
        let known = try await communes()
        guard known.contains(where: { $0.id == commune }) else {
            throw SyncError(
                .invalidArgument,
                "unknown commune '\(commune.prefix(40))'; use one of: \(known.map(\.id).joined(separator: ", "))"
            )
        }
    }
}
