import SyncCore

/// Replicas on different schema versions: each starts on version 1 or the latest at random,
/// upgrades at a random step (its file migrated in place), and the replicas on the latest
/// version write its fields (a proposal's place, an event's capacity, communes) while others
/// are still on version 1.
///
/// Before the final syncs, the replicas converge with their versions still mixed: every digest
/// at the oldest version must then be equal, and after every replica upgrades, with no sync in
/// between, every digest at the latest version must be equal too (what a replica kept is merged
/// by its migration, so nothing has to be sent again).
extension Simulation {
    /// The schema a replica starts on: version 1 or the latest, at random.
    func startingSchema() -> Schema {
        chance(0.5) ? Schema.participation.atVersion(1) : Schema.participation
    }

    /// One step of the mixed versions: an upgrade now and then, and a write of a field of the
    /// latest version at a replica that runs it.
    func mixVersions() throws {
        if chance(0.04),
            let index = replicas.indices.filter({ replicas[$0].store.schema.version == 1 }).randomElement(
                using: &randomSource
            )
        {
            try upgrade(index)
        }
        if chance(0.15) { try writeLatestField(at: Int.random(in: 0..<replicas.count, using: &randomSource)) }
    }

    /// Opens a replica's file with the latest schema: the file is migrated in place.
    func upgrade(_ index: Int) throws {
        let replica = replicas[index]
        guard replica.store.schema.version < Schema.participation.version else { return }
        let digest = try replica.store.digest()
        let vector = try replica.store.vector()
        let upgraded = try ReplicaStore(
            path: replica.store.path,
            schema: .participation,
            durability: .normal,
            wallClock: replica.clock.read
        )
        replicas[index].store = upgraded
        if try upgraded.digest(schemaVersion: replica.store.schema.version) != digest || upgraded.vector() != vector {
            fail("upgrading \(replica.name) changed its digest at its old version or its vector")
        }
        if try upgraded.recomputedDigest() != upgraded.digest() {
            fail("\(replica.name)'s running digest differs from its recomputed digest after its upgrade")
        }
    }

    /// Writes a field of the latest version at a replica that runs it.
    private func writeLatestField(at index: Int) throws {
        let store = replicas[index].store
        guard store.schema.version >= 2 else { return }
        let roll = Int.random(in: 0..<3, using: &randomSource)
        if roll == 0, let id = pick(proposals.filter(Set(try store.proposals().map(\.id)).contains)) {
            let place = pick(["Douar Ait Daoud", "Derb Laalouj", "ⴰⴷⵔⴰⵔ", "حي السقالة"])!
            record(
                try store.write([
                    RecordWrite(table: "proposal", record: id, values: ["place": .text(place)], mustExist: true)
                ])
            )
        } else if roll == 1,
            let id = pick(
                try events.filter { try store.fieldState(table: "event", record: $0, column: "title").winner != nil }
            )
        {
            let capacity = FieldValue.integer(Int64.random(in: 0...500, using: &randomSource))
            record(
                try store.write([
                    RecordWrite(table: "event", record: id, values: ["capacity": capacity], mustExist: true)
                ])
            )
        } else {
            let code = pick(["hanchane", "smimou", "tamanar", "ida-ou-gourd"])!
            let names: [String: FieldValue] = ["name_fr": .text(text()), "province": .text("essaouira-province")]
            record(try store.write([RecordWrite(table: "commune", record: code, values: names)]))
        }
    }

    /// Converges with the versions still mixed, checks the digests at the oldest version, then
    /// upgrades every replica and checks that they agree at the latest one with no sync.
    func convergeAcrossVersions() async throws {
        try await syncEveryClient(rounds: 3)
        let oldest = replicas.map(\.store.schema.version).min() ?? 1
        let digests = try replicas.map { try $0.store.digest(schemaVersion: oldest) }
        for replica in replicas
        where try replica.store.recomputedDigest(schemaVersion: oldest)
            != replica.store.digest(schemaVersion: oldest)
        {
            fail("\(replica.name)'s running digest of version \(oldest) differs from its recomputed one")
        }
        if Set(digests).count != 1 {
            fail("digests at schema version \(oldest) differ while versions are mixed: \(digests.map { $0.prefix(8) })")
        }
        for index in replicas.indices { try upgrade(index) }
        let upgraded = try replicas.map { try $0.store.digest() }
        if Set(upgraded).count != 1 {
            fail("digests differ right after every replica upgraded: \(upgraded.map { $0.prefix(8) })")
        }
    }

    /// Records a broken expectation of this run.
    func fail(_ description: String) {
        outcome.failures.append("seed \(seed): \(description)")
    }
}
