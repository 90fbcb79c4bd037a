import Foundation
import SyncCore
import WebUI

/// Turns a CSV file of proposals collected on paper into drafts, and proposals into CSV.
///
/// The header must name `title` and `body`; `category`, `author` and `commune` are optional and
/// other columns are ignored. Every row is checked before anything is written, so a bad row
/// refuses the whole file with its line number.
enum ProposalCSV {
    /// The largest file accepted, in bytes.
    static let maxFileBytes = 32 * 1024 * 1024

    /// The columns of `export --format csv`.
    static let exportHeader = [
        "id", "commune", "title", "body", "category", "status", "supports", "withdrawn", "conflicts",
    ]

    /// Reads drafts from a file's bytes.
    ///
    /// - Parameters:
    ///   - bytes: The file.
    ///   - commune: This replica's commune; a row of another commune is refused.
    ///   - author: The author of rows with no `author` column.
    /// - Returns: One draft per row, in file order.
    /// - Throws: ``CSVError`` naming the first bad line; then nothing is to be imported.
    static func drafts(from bytes: [UInt8], commune: String, author: String?) throws(CSVError) -> [ProposalDraft] {
        guard bytes.count <= maxFileBytes else {
            throw CSVError(line: 1, reason: "the file is larger than \(maxFileBytes / 1024 / 1024) MiB; split it")
        }
        let records = try CSVParser(delimiter: CSVParser.guessDelimiter(bytes)).parse(bytes)
        guard let header = records.first else {
            throw CSVError(
                line: 1,
                reason: "the file is empty; expected a header with title and body, then one proposal per row"
            )
        }
        let columns = try Columns(header)
        guard records.count > 1 else {
            throw CSVError(line: header.line, reason: "the file has a header but no proposal")
        }
        return try records.dropFirst().map { record throws(CSVError) in
            try columns.draft(from: record, commune: commune, author: author)
        }
    }

    /// One CSV line (with its line end) for a proposal.
    static func line(for proposal: Proposal) -> String {
        CSVWriter.record([
            .text(proposal.id), .text(proposal.commune), .text(proposal.title), .text(proposal.body),
            .text(proposal.category ?? ""), .text(proposal.status), .number(Int64(proposal.supportCount)),
            .flag(proposal.isWithdrawn), .text(proposal.conflictingFields.joined(separator: ";")),
        ])
    }

    /// One CSV line of text fields (with its line end), written by ``CSVWriter`` like every export.
    static func line(_ fields: [String]) -> String {
        CSVWriter.record(texts: fields)
    }
}

/// Where the known columns are in the header.
private struct Columns {
    let count: Int
    let title: Int
    let body: Int
    let category: Int?
    let author: Int?
    let commune: Int?

    init(_ header: CSVRecord) throws(CSVError) {
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for (index, name) in names.enumerated() where !name.isEmpty && names[..<index].contains(name) {
            throw CSVError(line: header.line, reason: "the header names the column '\(name)' twice")
        }
        guard let title = names.firstIndex(of: "title"), let body = names.firstIndex(of: "body") else {
            throw CSVError(
                line: header.line,
                reason: "the header must name the columns title and body (and may name category); found: "
                    + names.joined(separator: ", ")
            )
        }
        count = names.count
        self.title = title
        self.body = body
        category = names.firstIndex(of: "category")
        author = names.firstIndex(of: "author")
        commune = names.firstIndex(of: "commune")
    }

    func draft(
        from record: CSVRecord,
        commune replicaCommune: String,
        author defaultAuthor: String?
    ) throws(CSVError)
        -> ProposalDraft
    {
        let fields = record.fields
        guard fields.count == count else {
            throw CSVError(
                line: record.line,
                reason: "\(fields.count) fields where the header has \(count); quote fields that contain commas"
            )
        }
        if let commune {
            let value = fields[commune].trimmingCharacters(in: .whitespaces).lowercased()
            guard value.isEmpty || value == replicaCommune else {
                throw CSVError(
                    line: record.line,
                    reason:
                        "this proposal is from '\(value)' but this replica is \(replicaCommune)'s; import it at \(value)"
                )
            }
        }
        let category = self.category.map { fields[$0].trimmingCharacters(in: .whitespaces) }
        let author = self.author.map { fields[$0].trimmingCharacters(in: .whitespaces) }
        let draft = ProposalDraft(
            title: fields[title],
            body: fields[body],
            category: category?.isEmpty == false ? category : nil,
            commune: replicaCommune,
            author: author?.isEmpty == false ? author : defaultAuthor
        )
        try Self.check(draft, line: record.line)
        return draft
    }

    private static func check(_ draft: ProposalDraft, line: Int) throws(CSVError) {
        let table = Schema.participation.table(named: "proposal")
        let texts: [(String, String?)] = [
            ("title", draft.title), ("body", draft.body), ("category", draft.category), ("author", draft.author),
        ]
        for (name, text) in texts {
            guard let text else { continue }
            if (name == "title" || name == "body") && text.allSatisfy(\.isWhitespace) {
                throw CSVError(line: line, reason: "the \(name) is empty; every proposal needs a title and a body")
            }
            if let limit = table?.column(named: name)?.maxBytes, text.utf8.count > limit {
                throw CSVError(
                    line: line,
                    reason: "the \(name) is \(text.utf8.count) bytes long; at most \(limit) are allowed"
                )
            }
        }
    }
}
