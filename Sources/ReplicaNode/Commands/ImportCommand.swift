import ArgumentParser
import Foundation
import SyncCore

/// `import --csv FILE`: proposals collected on paper, one per row, all in one transaction.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import proposals from a CSV file (title, body and optionally category), all or none.",
        discussion: """
            The first line names the columns: title and body are required; category and author are optional; \
            a commune column, when present, must name this replica's commune on every row (or be empty). \
            Fields holding commas or line breaks are quoted as spreadsheets do. A malformed row refuses the whole \
            file, naming its line; nothing is imported then.
            """
    )

    @OptionGroup var options: NodeOptions

    @Option(help: ArgumentHelp("The CSV file (UTF-8).", valueName: "file"))
    var csv: String

    @Option(help: "Who entered the proposals, for rows without an author column.")
    var author: String?

    private struct Imported: Encodable {
        var imported: Int
        var ids: [String]
    }

    func run() throws {
        try options.perform { store in
            let commune = try NodeSettings.commune(of: store)
            let bytes = try readFile()
            let drafts: [ProposalDraft]
            do {
                drafts = try ProposalCSV.drafts(from: bytes, commune: commune, author: author)
            } catch let error as CSVError {
                throw SyncError(.invalidArgument, "\(csv), line \(error.line): \(error.reason); nothing was imported")
            }
            let ids = try store.createProposals(drafts)
            try options.emit(Imported(imported: ids.count, ids: ids)) {
                "imported \(ids.count) proposal\(ids.count == 1 ? "" : "s") from \(csv)"
            }
        }
    }

    private func readFile() throws -> [UInt8] {
        let attributes = try? FileManager.default.attributesOfItem(atPath: csv)
        guard let attributes, let handle = FileHandle(forReadingAtPath: csv) else {
            throw CommandFailure(
                code: "file-not-found",
                message: "cannot read \(csv); check the path",
                exitCode: CommandFailure.notFound
            )
        }
        defer { try? handle.close() }
        if let size = attributes[.size] as? Int, size > ProposalCSV.maxFileBytes {
            throw SyncError(.tooLarge, "\(csv) is larger than \(ProposalCSV.maxFileBytes / 1024 / 1024) MiB; split it")
        }
        return Array(try handle.readToEnd() ?? Data())
    }
}
