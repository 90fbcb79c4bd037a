import ArgumentParser
import SyncCore

/// `proposal create|edit|withdraw|show|list`.
struct ProposalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proposal",
        abstract: "Create, edit, withdraw and read citizen proposals.",
        subcommands: [Create.self, Edit.self, Withdraw.self, Show.self, List.self]
    )

    private struct Created: Encodable {
        var id: String
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a new proposal; prints its id.")

        @OptionGroup var options: NodeOptions
        @Option(help: "The title.") var title: String
        @Option(help: "The full text.") var body: String
        @Option(help: "A category, such as urbanisme or environnement.") var category: String?
        @Option(help: "Who entered it (a clerk's name or initials).") var author: String?
        @Option(help: "The place it concerns: a douar or a neighbourhood (schema version 2).") var place: String?

        func validate() throws {
            try validateText(title, option: "--title")
            try validateText(body, option: "--body")
        }

        func run() throws {
            try options.perform { store in
                let commune = try NodeSettings.commune(of: store)
                let draft = ProposalDraft(
                    title: title,
                    body: body,
                    category: category,
                    commune: commune,
                    author: author,
                    place: place
                )
                let id = try store.createProposal(draft)
                try options.emit(Created(id: id)) { id }
            }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a proposal's title, body, category, status or answer.",
            discussion: "Editing a field that has an open conflict resolves it with the new value."
        )

        @OptionGroup var options: NodeOptions
        @Argument(help: "The proposal's id.") var id: String
        @Option(help: "A new title.") var title: String?
        @Option(help: "A new body.") var body: String?
        @Option(help: "A new category.") var category: String?
        @Option(help: "A new status.") var status: ProposalStatusArgument?
        @Option(help: "The province's official answer.") var answer: String?
        @Option(help: "A new place: a douar or a neighbourhood (schema version 2).") var place: String?

        func validate() throws {
            try validateRecordID(id, as: "proposal")
            guard title != nil || body != nil || category != nil || status != nil || answer != nil || place != nil
            else {
                throw ValidationError(
                    "nothing to change: give at least one of --title, --body, --category, --status, --answer, --place"
                )
            }
            if let title { try validateText(title, option: "--title") }
            if let body { try validateText(body, option: "--body") }
        }

        func run() throws {
            try options.perform { store in
                let edit = ProposalEdit(
                    title: title,
                    body: body,
                    category: category,
                    status: status?.rawValue,
                    answer: answer,
                    place: place
                )
                try store.editProposal(id, edit)
                try ProposalCommand.print(try ProposalCommand.require(id, in: store), options: options)
            }
        }
    }

    struct Withdraw: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a proposal withdrawn by its author.")

        @OptionGroup var options: NodeOptions
        @Argument(help: "The proposal's id.") var id: String
        @Flag(help: "Undo a withdrawal.") var undo = false

        func validate() throws { try validateRecordID(id, as: "proposal") }

        func run() throws {
            try options.perform { store in
                try store.withdrawProposal(id, withdrawn: !undo)
                try ProposalCommand.print(try ProposalCommand.require(id, in: store), options: options)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one proposal in full, with its open conflicts.")

        @OptionGroup var options: NodeOptions
        @Argument(help: "The proposal's id.") var id: String

        func validate() throws { try validateRecordID(id, as: "proposal") }

        func run() throws {
            try options.perform { store in
                let proposal = try ProposalCommand.require(id, in: store)
                let detail = ProposalDetail(
                    proposal: proposal,
                    conflicts: try store.conflicts().filter { $0.table == "proposal" && $0.record == id },
                    comments: try store.comments(proposal: id).count(where: { !$0.isDeleted })
                )
                try options.emit(detail) { detail.text }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List proposals, newest first.")

        @OptionGroup var options: NodeOptions
        @Option(help: "Only this commune's proposals.") var commune: String?

        func run() throws {
            try options.perform { store in
                let proposals = try store.proposals(commune: commune?.lowercased())
                try options.emit(proposals) {
                    proposals.isEmpty ? "no proposal" : proposals.map(ProposalText.summary).joined(separator: "\n\n")
                }
            }
        }
    }

    static func require(_ id: String, in store: ReplicaStore) throws -> Proposal {
        guard let proposal = try store.proposal(id) else {
            throw SyncError(.recordNotFound, "no proposal with id \(id) on this replica; 'proposal list' shows the ids")
        }
        return proposal
    }

    static func print(_ proposal: Proposal, options: NodeOptions) throws {
        try options.emit(proposal) { ProposalText.summary(proposal) }
    }
}
