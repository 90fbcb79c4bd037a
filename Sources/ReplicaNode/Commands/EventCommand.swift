import ArgumentParser
import SyncCore

/// `event create|list`: workshops, school visits and think-tank meetings run by the commune.
struct EventCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "event",
        abstract: "Record and list participation events.",
        subcommands: [Create.self, List.self]
    )

    private struct Created: Encodable {
        var id: String
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record an event of this replica's commune; prints its id."
        )

        @OptionGroup var options: NodeOptions
        @Option(help: "The title.") var title: String
        @Option(help: "The kind of event.") var kind: EventKindArgument
        @Option(help: ArgumentHelp("The date, such as 2026-12-03.", valueName: "YYYY-MM-DD")) var date: String
        @Option(help: "Where it takes place.") var venue: String?
        @Option(help: "How many people it can take (schema version 2).") var capacity: Int64?

        func validate() throws {
            try validateText(title, option: "--title")
            let parts = date.split(separator: "-", omittingEmptySubsequences: false)
            guard date.utf8.count == 10, parts.count == 3,
                parts.allSatisfy({ $0.allSatisfy(\.isASCII) && Int($0) != nil })
            else {
                throw ValidationError("'\(date)' is not a date; write it as YYYY-MM-DD, such as 2026-12-03")
            }
        }

        func run() throws {
            try options.perform { store in
                let commune = try NodeSettings.commune(of: store)
                let draft = EventDraft(
                    title: title,
                    kind: kind.rawValue,
                    date: date,
                    venue: venue,
                    commune: commune,
                    capacity: capacity
                )
                let id = try store.createEvent(draft)
                try options.emit(Created(id: id)) { id }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List events by date.")

        @OptionGroup var options: NodeOptions

        func run() throws {
            try options.perform { store in
                let events = try store.events()
                try options.emit(events) {
                    events.isEmpty ? "no event" : events.map(EventCommand.text).joined(separator: "\n\n")
                }
            }
        }
    }

    /// One event as a block: its facts, then its title and venue on their own lines.
    static func text(_ event: Event) -> String {
        var lines = [
            TextFormat.joined([event.id, event.date, event.kind, event.commune]), TextFormat.indented(event.title),
        ]
        if let venue = event.venue { lines.append(TextFormat.indented("venue: " + venue)) }
        return lines.joined(separator: "\n")
    }

    static func require(_ id: String, in store: ReplicaStore) throws {
        guard try store.events().contains(where: { $0.id == id }) else {
            throw SyncError(.recordNotFound, "no event with id \(id) on this replica; 'event list' shows the ids")
        }
    }
}
