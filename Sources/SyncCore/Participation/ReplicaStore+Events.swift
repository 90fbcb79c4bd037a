import Foundation
import GRDB

/// What a new event says, or the fields of an event to change (`nil` leaves a field as it is).
public struct EventDraft: Hashable, Sendable {
    /// The title.
    public var title: String?
    /// workshop, school-visit or think-tank.
    public var kind: String?
    /// The date, `YYYY-MM-DD`.
    public var date: String?
    /// Where it takes place.
    public var venue: String?
    /// The commune that runs it.
    public var commune: String?
    /// How many people it can take (schema version 2).
    public var capacity: Int64?

    /// Creates a draft.
    ///
    /// - Parameters:
    ///   - title: The title.
    ///   - kind: workshop, school-visit or think-tank.
    ///   - date: The date, `YYYY-MM-DD`.
    ///   - venue: Where it takes place.
    ///   - commune: The commune that runs it.
    ///   - capacity: How many people it can take (schema version 2).
    public init(
        title: String? = nil,
        kind: String? = nil,
        date: String? = nil,
        venue: String? = nil,
        commune: String? = nil,
        capacity: Int64? = nil
    ) {
        self.capacity = capacity
        self.title = title
        self.kind = kind
        self.date = date
        self.venue = venue
        self.commune = commune
    }

    func values() throws -> [String: FieldValue] {
        var values: [String: FieldValue] = [:]
        if let title {
            try ReplicaStore.requireText(title, "title")
            values["title"] = .text(title)
        }
        if let kind { values["kind"] = .text(kind) }
        if let date {
            guard Self.isValidDate(date) else {
                throw SyncError(
                    .invalidArgument,
                    "'\(date.prefix(20))' is not a date; write it as YYYY-MM-DD, e.g. 2026-12-03"
                )
            }
            values["date"] = .text(date)
        }
        if let venue { values["venue"] = .text(venue) }
        if let commune { values["commune"] = .text(commune) }
        if let capacity { values["capacity"] = .integer(capacity) }
        return values
    }

    static func isValidDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]),
            let day = Int(parts[2]), (1900...2999).contains(year)
        else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components) else { return false }
        return calendar.dateComponents([.year, .month, .day], from: date) == components
    }
}

extension ReplicaStore {
    /// Creates a participation event.
    ///
    /// ```swift
    /// let id = try store.createEvent(EventDraft(title: "Atelier", kind: "workshop", date: "2026-12-03", commune: "tamanar"))
    /// ```
    ///
    /// - Parameter draft: The event; title, kind, date and commune are required.
    /// - Returns: The new event's id.
    /// - Throws: ``SyncError`` when a required field is missing or invalid.
    @discardableResult
    public func createEvent(_ draft: EventDraft) throws -> String {
        var values = try draft.values()
        if let commune = draft.commune { try requireCommune(commune) }
        for required in ["title", "kind", "date", "commune"] where values[required] == nil {
            throw SyncError(.invalidArgument, "an event needs a \(required)")
        }
        values["created_at"] = .integer(wallClock())
        let id = RecordID.make(millis: wallClock())
        try write([RecordWrite(table: "event", record: id, values: values, isNew: true)])
        return id
    }

    /// Changes some fields of an event (last writer wins).
    ///
    /// - Parameters:
    ///   - id: The event's id.
    ///   - draft: The fields to change.
    /// - Throws: ``SyncError`` when the event is unknown or a value invalid.
    public func editEvent(_ id: String, _ draft: EventDraft) throws {
        try RecordID.validate(id, as: "event")
        let values = try draft.values()
        guard !values.isEmpty else { throw SyncError(.invalidArgument, "nothing to change in event \(id)") }
        if let commune = draft.commune { try requireCommune(commune) }
        try write([RecordWrite(table: "event", record: id, values: values, mustExist: true)])
    }

    /// All events, by date.
    ///
    /// - Returns: The events.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func events() throws -> [Event] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM event ORDER BY date, id").map { row in
                Event(
                    id: row["id"],
                    title: row["title"] ?? "",
                    kind: row["kind"] ?? "workshop",
                    date: row["date"] ?? "",
                    venue: row["venue"],
                    commune: row["commune"] ?? "",
                    capacity: row["capacity"]
                )
            }
        }
    }
}

extension ReplicaStore {
    /// The open conflicts: fields with concurrent values waiting for a resolution.
    ///
    /// - Returns: The conflicts, by table, record and field.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func conflicts() throws -> [Conflict] {
        let keys = try read { db in
            try Row.fetchAll(db, sql: "SELECT DISTINCT tbl, row_id, col FROM crdt_conflict ORDER BY tbl, row_id, col")
                .map { (table: $0[0] as String, record: $0[1] as String, column: $0[2] as String) }
        }
        return try keys.compactMap { key in
            guard schema.table(named: key.table)?.column(named: key.column)?.rule.reportsConflicts == true else {
                return nil
            }
            let state = try fieldState(table: key.table, record: key.record, column: key.column)
            guard let winner = state.winner, !state.conflicts.isEmpty else { return nil }
            return Conflict(
                table: key.table,
                record: key.record,
                field: key.column,
                shown: winner.value,
                others: state.conflicts.map(\.value),
                origins: state.writes.map(\.dot.origin)
            )
        }
    }

    /// Resolves a conflict by writing the chosen (or combined) value; the write has seen every
    /// concurrent value, so it supersedes them all on every replica it reaches.
    ///
    /// - Parameters:
    ///   - table: The table.
    ///   - record: The record's id.
    ///   - field: The field in conflict.
    ///   - value: The value to keep.
    /// - Throws: ``SyncError`` when the field is unknown or the value invalid.
    public func resolveConflict(table: String, record: String, field: String, value: FieldValue) throws {
        guard schema.table(named: table)?.column(named: field)?.rule.isCausal == true else {
            throw SyncError(
                .invalidArgument,
                "\(table.prefix(40)).\(field.prefix(40)) is not a field that can hold a conflict"
            )
        }
        try write([RecordWrite(table: table, record: record, values: [field: value], mustExist: true)])
    }
}
