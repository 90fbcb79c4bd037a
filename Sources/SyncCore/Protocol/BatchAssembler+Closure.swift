// MARK: - Causal closure

extension BatchAssembler {
    /// How far the batch brings an origin: the receiver's entry or the end of the batch's range.
    func held(_ origin: ReplicaID) -> UInt64 {
        max(since[origin], covered[origin]?.through ?? 0)
    }

    /// Whether contexts are cut down to the admitted origins (a relay's or an `only` filter).
    private var projectsContexts: Bool {
        switch filter {
        case .all, .excluding: false
        case .only, .relay: true
        }
    }

    /// Adds the changes one scan found, extends the origin's covered range and notes what their
    /// contexts name.
    mutating func add(_ found: [Change], of origin: ReplicaID, coveredThrough: UInt64) {
        var found = found
        if projectsContexts {
            for index in found.indices { found[index].fields = projected(found[index].fields) }
        }
        if covered[origin] == nil {
            covered[origin] = CoveredRange(origin: origin, after: since[origin], through: coveredThrough)
            coveredOrder.append(origin)
        } else if coveredThrough > covered[origin]!.through {
            covered[origin]!.through = coveredThrough
        }
        changes[origin, default: []] += found
        changeCount += found.count
        for change in found { note(change) }
        if needs[origin] <= held(origin) { unmet.remove(origin) }
    }

    /// Raises the needs by what a change's contexts name of other origins.
    private mutating func note(_ change: Change) {
        for field in change.fields.values {
            guard let context = field.context else { continue }
            for (origin, seq) in context.entries where origin != change.origin && seq > needs[origin] {
                needs[origin] = seq
                if seq > held(origin) { unmet.insert(origin) }
            }
        }
    }

    /// The contexts of a change's fields without the origins the filter keeps from the receiver.
    private func projected(_ fields: [String: FieldChange]) -> [String: FieldChange] {
        var fields = fields
        for (name, field) in fields {
            guard let context = field.context, context.entries.keys.contains(where: { !filter.admits($0) }) else {
                continue
            }
            fields[name]?.context = VersionVector(context.entries.filter { filter.admits($0.key) })
        }
        return fields
    }

    /// The scan that brings an origin a context names beyond what the receiver will hold, or
    /// `nil` when none is needed; holds back the changes whose needs cannot be met.
    mutating func nextClosureScan() -> Scan? {
        while true {
            guard let origin = unmet.min() else { return nil }
            let target = needs[origin]
            let room = min(closureBudget, ChangeBatch.maxChanges - changeCount)
            let ceiling = ceilings[origin] ?? .max
            if filter.admits(origin) && vector[origin] >= target && ceiling >= target && room > 0 {
                return Scan(
                    origin: origin,
                    after: held(origin),
                    through: target,
                    limit: room,
                    scope: filter.scopeOrigins(for: origin)
                )
            }
            holdBack(needing: origin)
        }
    }

    /// Cuts, from every origin, the changes whose contexts name `origin` beyond what the batch
    /// brings of it, with every later change of their origin.
    private mutating func holdBack(needing origin: ReplicaID) {
        let bound = held(origin)
        var cuts: [ReplicaID: UInt64] = [:]
        for (writer, list) in changes {
            for change in list where change.fields.values.contains(where: { ($0.context?[origin] ?? 0) > bound }) {
                cuts[writer] = min(cuts[writer] ?? .max, change.seq)
            }
        }
        for (writer, seq) in cuts {
            let ceiling = seq - 1
            ceilings[writer] = min(ceilings[writer] ?? .max, ceiling)
            changes[writer]?.removeAll { $0.seq > ceiling }
            if let range = covered[writer], range.through > ceiling {
                covered[writer]!.through = max(range.after, ceiling)
            }
        }
        // No change of this batch names the origin beyond what it brings any more; the needs are
        // counted again from what is left.
        needs = VersionVector()
        unmet = []
        changeCount = 0
        for list in changes.values {
            changeCount += list.count
            for change in list { note(change) }
        }
        if cuts.isEmpty {
            needs[origin] = min(needs[origin], bound)
            unmet.remove(origin)
        }
    }
}
