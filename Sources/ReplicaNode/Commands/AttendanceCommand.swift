import ArgumentParser
import SyncCore

/// `attendance add|remove|list`: who took part in an event (certificates derive from it).
struct AttendanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance",
        abstract: "Record who attended an event.",
        subcommands: [Add.self, Remove.self, List.self]
    )

    private struct Attendance: Encodable {
        var event: String
        var participants: [String]
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a participant at an event.")

        @OptionGroup var options: NodeOptions
        @OptionGroup var target: Target

        func run() throws {
            try options.perform { store in
                try EventCommand.require(target.event, in: store)
                try store.addAttendance(event: target.event, participant: target.participant)
                try AttendanceCommand.report(target.event, store: store, options: options)
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a participant recorded by mistake.")

        @OptionGroup var options: NodeOptions
        @OptionGroup var target: Target

        func run() throws {
            try options.perform { store in
                try EventCommand.require(target.event, in: store)
                try store.removeAttendance(event: target.event, participant: target.participant)
                try AttendanceCommand.report(target.event, store: store, options: options)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an event's participants.")

        @OptionGroup var options: NodeOptions
        @Option(help: "The event's id.") var event: String

        func validate() throws { try validateRecordID(event, as: "event") }

        func run() throws {
            try options.perform { store in
                try EventCommand.require(event, in: store)
                let participants = try store.attendees(event: event)
                try options.emit(Attendance(event: event, participants: participants)) {
                    participants.isEmpty ? "no participant" : participants.joined(separator: "\n")
                }
            }
        }
    }

    /// The event and participant that `add` and `remove` take.
    struct Target: ParsableArguments {
        @Option(help: "The event's id.") var event: String
        @Option(help: "The participant's pseudonymous id (letters, digits, - _ .).") var participant: String

        func validate() throws { try validateRecordID(event, as: "event") }
    }

    static func report(_ event: String, store: ReplicaStore, options: NodeOptions) throws {
        let participants = try store.attendees(event: event)
        try options.emit(Attendance(event: event, participants: participants)) {
            "event \(event): \(participants.count) participant\(participants.count == 1 ? "" : "s")"
        }
    }
}
