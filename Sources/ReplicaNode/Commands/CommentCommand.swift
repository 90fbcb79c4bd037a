import ArgumentParser
import SyncCore

/// `comment add|edit|delete|list`.
struct CommentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "comment",
        abstract: "Comment on proposals, in threads up to \(ReplicaStore.maxThreadDepth) levels deep.",
        subcommands: [Add.self, Edit.self, Delete.self, List.self]
    )

    private struct Done: Encodable {
        var id: String
        var action: String
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Comment on a proposal or reply to a comment; prints the id."
        )

        @OptionGroup var options: NodeOptions
        @Option(help: "The proposal's id.") var proposal: String
        @Option(help: "The text.") var body: String
        @Option(help: "The comment answered, for a reply.") var parent: String?
        @Option(help: "For, neutral or against the proposal.") var alignment: AlignmentArgument = .neutral
        @Option(help: "Who writes it; only they may edit it later.") var author: String?

        func validate() throws {
            try validateRecordID(proposal, as: "proposal")
            if let parent { try validateRecordID(parent, as: "comment") }
            try validateText(body, option: "--body")
        }

        func run() throws {
            try options.perform { store in
                let id = try store.addComment(
                    proposal: proposal,
                    body: body,
                    parent: parent,
                    alignment: alignment.rawValue,
                    author: author
                )
                try options.emit(Done(id: id, action: "added")) { id }
            }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a comment's text (its author only).")

        @OptionGroup var options: NodeOptions
        @Argument(help: "The comment's id.") var id: String
        @Option(help: "The new text.") var body: String
        @Option(help: "Who edits; must be the comment's author when it has one.") var author: String?

        func validate() throws {
            try validateRecordID(id, as: "comment")
            try validateText(body, option: "--body")
        }

        func run() throws {
            try options.perform { store in
                try store.editComment(id, body: body, author: author)
                try options.emit(Done(id: id, action: "edited")) { "comment \(id) edited" }
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a comment: its text is erased everywhere, a placeholder keeps its replies in place."
        )

        @OptionGroup var options: NodeOptions
        @Argument(help: "The comment's id.") var id: String

        func validate() throws { try validateRecordID(id, as: "comment") }

        func run() throws {
            try options.perform { store in
                try store.deleteComment(id)
                try options.emit(Done(id: id, action: "deleted")) { "comment \(id) deleted" }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a proposal's comments in thread order.")

        @OptionGroup var options: NodeOptions
        @Option(help: "The proposal's id.") var proposal: String

        func validate() throws { try validateRecordID(proposal, as: "proposal") }

        func run() throws {
            try options.perform { store in
                _ = try ProposalCommand.require(proposal, in: store)
                let comments = try store.comments(proposal: proposal)
                try options.emit(comments) {
                    comments.isEmpty ? "no comment" : comments.map(CommentCommand.text).joined(separator: "\n\n")
                }
            }
        }
    }

    /// One comment as a block, indented by its depth in the thread.
    static func text(_ comment: Comment) -> String {
        let header = TextFormat.joined([
            comment.id, comment.alignment, comment.author.map { "by \($0)" }, TextFormat.time(comment.createdAt),
        ])
        let body = comment.isDeleted ? "[deleted]" : (comment.body ?? "")
        let depth = max(0, comment.depth - 1)
        return TextFormat.indented(header, depth: depth) + "\n" + TextFormat.indented(body, depth: depth + 1)
    }
}
