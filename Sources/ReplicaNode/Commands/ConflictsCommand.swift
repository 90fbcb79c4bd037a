import ArgumentParser
import SyncCore

/// `conflicts list|resolve`: fields written concurrently at two places, waiting for a decision.
struct ConflictsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "List and resolve concurrent edits.",
        discussion: "A proposal's title, body, category, status or answer edited at two places before either saw the "
            + "other's edit keeps both values: one is shown, the other waits here until someone resolves it.",
        subcommands: [List.self, Resolve.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the open conflicts.")

        @OptionGroup var options: NodeOptions

        func run() throws {
            try options.perform { store in
                let conflicts = try store.conflicts()
                try options.emit(conflicts) {
                    conflicts.isEmpty ? "no open conflict" : conflicts.map(ConflictText.block).joined(separator: "\n\n")
                }
            }
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resolve a conflict by writing the value to keep (one of them, or a new one).",
            discussion: "The new value supersedes every concurrent value on every replica it reaches."
        )

        @OptionGroup var options: NodeOptions
        @Argument(help: "The record's id (a proposal's, unless --table says otherwise).") var id: String
        @Option(help: "The field in conflict, such as title or status.") var field: String
        @Option(help: "The value to keep.") var value: String
        @Option(help: "The table of the record.") var table = "proposal"

        private struct Resolved: Encodable {
            var table: String
            var record: String
            var field: String
            var remaining: Int
        }

        func validate() throws {
            try validateRecordID(id, as: table)
            guard let replicated = Schema.participation.table(named: table) else {
                let tables = Schema.participation.tables.map(\.name).joined(separator: ", ")
                throw ValidationError("unknown table '\(table)'; use one of: \(tables)")
            }
            guard replicated.column(named: field) != nil else {
                let fields = replicated.columns.map(\.name).joined(separator: ", ")
                throw ValidationError("\(table) has no field '\(field)'; use one of: \(fields)")
            }
        }

        func run() throws {
            try options.perform { store in
                let open = try store.conflicts().contains { $0.table == table && $0.record == id && $0.field == field }
                guard open else {
                    throw SyncError(
                        .recordNotFound,
                        "no open conflict on \(table) \(id), field \(field); 'conflicts list' shows the open ones"
                    )
                }
                try store.resolveConflict(table: table, record: id, field: field, value: fieldValue())
                let resolved = Resolved(table: table, record: id, field: field, remaining: try store.conflicts().count)
                try options.emit(resolved) {
                    "resolved \(table) \(id), field \(field); \(resolved.remaining) open conflict(s) left"
                }
            }
        }

        private func fieldValue() throws -> FieldValue {
            let column = Schema.participation.table(named: table)?.column(named: field)
            guard column?.type != .text else { return .text(value) }
            guard let number = Int64(value) else {
                throw ValidationError("\(table).\(field) holds a number; give --value as an integer")
            }
            return .integer(number)
        }
    }
}
