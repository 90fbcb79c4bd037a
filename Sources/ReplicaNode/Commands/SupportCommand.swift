import ArgumentParser
import SyncCore

/// `support add|remove|list`: citizens supporting proposals (an add-wins set; the count is derived).
struct SupportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "support",
        abstract: "Record that a citizen supports a proposal, or withdraws that support.",
        subcommands: [Add.self, Remove.self, List.self]
    )

    private struct Supports: Encodable {
        var proposal: String
        var citizens: [String]
        var supports: Int
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a citizen's support to a proposal.")

        @OptionGroup var options: NodeOptions
        @OptionGroup var target: Target

        func run() throws {
            try options.perform { store in
                _ = try ProposalCommand.require(target.proposal, in: store)
                try store.addSupport(proposal: target.proposal, citizen: target.citizen)
                try SupportCommand.report(target.proposal, store: store, options: options)
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Withdraw a citizen's support from a proposal.")

        @OptionGroup var options: NodeOptions
        @OptionGroup var target: Target

        func run() throws {
            try options.perform { store in
                _ = try ProposalCommand.require(target.proposal, in: store)
                try store.removeSupport(proposal: target.proposal, citizen: target.citizen)
                try SupportCommand.report(target.proposal, store: store, options: options)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the citizens supporting a proposal.")

        @OptionGroup var options: NodeOptions
        @Option(help: "The proposal's id.") var proposal: String

        func validate() throws { try validateRecordID(proposal, as: "proposal") }

        func run() throws {
            try options.perform { store in
                _ = try ProposalCommand.require(proposal, in: store)
                let citizens = try store.supporters(proposal: proposal)
                try options.emit(Supports(proposal: proposal, citizens: citizens, supports: citizens.count)) {
                    citizens.isEmpty ? "no support" : citizens.joined(separator: "\n")
                }
            }
        }
    }

    /// The proposal and citizen that `add` and `remove` take.
    struct Target: ParsableArguments {
        @Option(help: "The proposal's id.") var proposal: String
        @Option(help: "The citizen's pseudonymous id (letters, digits, - _ .), never a name or national id number.")
        var citizen: String

        func validate() throws { try validateRecordID(proposal, as: "proposal") }
    }

    static func report(_ proposal: String, store: ReplicaStore, options: NodeOptions) throws {
        let citizens = try store.supporters(proposal: proposal)
        try options.emit(Supports(proposal: proposal, citizens: citizens, supports: citizens.count)) {
            "proposal \(proposal): \(citizens.count) supporter\(citizens.count == 1 ? "" : "s")"
        }
    }
}
