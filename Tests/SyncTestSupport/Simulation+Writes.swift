import SyncCore

extension Simulation {
    /// Makes one random local write at a replica, the way the typed API would.
    func randomWrite(at index: Int) throws {
        let replica = replicas[index]
        let store = replica.store
        let now = replica.clock.now
        let roll = Int.random(in: 0..<100, using: &randomSource)
        let known = proposals.filter(Set(try store.proposals().map(\.id)).contains)
        switch roll {
        case 0..<14:
            let id = RecordID.make(millis: now)
            proposals.append(id)
            record(
                try store.write([
                    RecordWrite(
                        table: "proposal",
                        record: id,
                        values: [
                            "title": .text(text()), "body": .text(text()), "status": .text("submitted"),
                            "commune": .text(replica.commune ?? "essaouira"), "created_at": .integer(now),
                        ]
                    )
                ])
            )
        case 14..<40:
            guard let id = pick(known) else { return }
            let field = pick(["title", "body", "category", "status", "answer"])!
            let value: FieldValue =
                field == "status" ? .text(pick(Array(Schema.proposalStatuses).sorted())!) : .text(text())
            record(
                try store.write([RecordWrite(table: "proposal", record: id, values: [field: value], mustExist: true)])
            )
        case 40..<45:
            guard let id = pick(known) else { return }
            let field = chance(0.5) ? "withdrawn" : "hidden"
            record(
                try store.write([
                    RecordWrite(table: "proposal", record: id, values: [field: .bool(chance(0.5))], mustExist: true)
                ])
            )
        case 45..<56:
            try writeComment(store: store, known: known, now: now)
        case 56..<72:
            guard let id = pick(known) else { return }
            record(try membership(store, table: "support", owner: ("proposal_id", id), member: "citizen_id"))
        case 72..<82:
            try writeEvent(store: store, replica: replica, now: now)
        default:
            try resolveConflict(store: store)
        }
    }

    private func writeComment(store: ReplicaStore, known: [String], now: Int64) throws {
        let knownComments = try comments.compactMap { try store.comment($0) }
        if chance(0.35), let comment = pick(knownComments) {
            let values: [String: FieldValue] = chance(0.5) ? ["deleted": .bool(true)] : ["body": .text(text())]
            record(
                try store.write([RecordWrite(table: "comment", record: comment.id, values: values, mustExist: true)])
            )
            return
        }
        guard let proposal = pick(known) else { return }
        let id = RecordID.make(millis: now)
        var values: [String: FieldValue] = [
            "proposal_id": .text(proposal), "body": .text(text()), "created_at": .integer(now),
            "alignment": .text(pick(["for", "neutral", "against"])!), "depth": .integer(1),
        ]
        if let parent = pick(knownComments.filter { $0.proposalID == proposal && $0.depth < 3 }), chance(0.6) {
            values["parent_id"] = .text(parent.id)
            values["depth"] = .integer(Int64(parent.depth + 1))
        }
        comments.append(id)
        record(try store.write([RecordWrite(table: "comment", record: id, values: values)]))
    }

    private func writeEvent(store: ReplicaStore, replica: Replica, now: Int64) throws {
        let knownEvents = try Set(store.events().map(\.id))
        if let event = pick(events.filter(knownEvents.contains)) {
            if chance(0.5) {
                record(try membership(store, table: "attendance", owner: ("event_id", event), member: "participant_id"))
            } else {
                let values: [String: FieldValue] =
                    chance(0.5)
                    ? ["venue": .text(text())]
                    : ["date": .text("2026-12-0\(Int.random(in: 1...9, using: &randomSource))")]
                record(try store.write([RecordWrite(table: "event", record: event, values: values, mustExist: true)]))
            }
            return
        }
        let id = RecordID.make(millis: now)
        events.append(id)
        record(
            try store.write([
                RecordWrite(
                    table: "event",
                    record: id,
                    values: [
                        "title": .text(text()), "kind": .text("school-visit"), "date": .text("2026-12-03"),
                        "commune": .text(replica.commune ?? "tamanar"), "created_at": .integer(now),
                    ]
                )
            ])
        )
    }

    private func membership(
        _ store: ReplicaStore,
        table: String,
        owner: (column: String, id: String),
        member: String
    ) throws -> [Change] {
        let who = "c-\(Int.random(in: 1...3, using: &randomSource))"
        return try store.write([
            RecordWrite(
                table: table,
                record: "\(owner.id)/\(who)",
                values: [owner.column: .text(owner.id), member: .text(who), "present": .bool(chance(0.6))]
            )
        ])
    }

    private func resolveConflict(store: ReplicaStore) throws {
        guard let conflict = pick(try store.conflicts()) else { return }
        let value = chance(0.5) ? conflict.shown : (pick(conflict.others) ?? conflict.shown)
        record(
            try store.write([
                RecordWrite(
                    table: conflict.table,
                    record: conflict.record,
                    values: [conflict.field: value],
                    mustExist: true
                )
            ])
        )
    }
}
