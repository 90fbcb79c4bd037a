import SyncCore
import Testing

@testable import ReplicaNode

@Suite struct ProposalCSVTests {
    private func drafts(_ text: String, commune: String = "essaouira") throws(CSVError) -> [ProposalDraft] {
        try ProposalCSV.drafts(from: Array(text.utf8), commune: commune, author: "clerk")
    }

    @Test func drafts_readTitleBodyCategoryInAnyColumnOrder() throws {
        let result = try drafts("commune,category,title,body,extra\nessaouira,urbanisme,عنوان,\"نص، طويل\",x\n")
        #expect(
            result == [
                ProposalDraft(
                    title: "عنوان",
                    body: "نص، طويل",
                    category: "urbanisme",
                    commune: "essaouira",
                    author: "clerk"
                )
            ]
        )
    }

    @Test func drafts_useTheAuthorColumnWhenPresent() throws {
        let result = try drafts("title,body,author\nT,B,amina\nT2,B2,\n")
        #expect(result.map(\.author) == ["amina", "clerk"])
    }

    @Test(arguments: [
        ("name,body\nx,y\n", 1, "title and body"),
        ("title,body\n", 1, "no proposal"),
        ("", 1, "empty"),
        ("title,body\nx,y\nonly-one\n", 3, "1 fields where the header has 2"),
        ("title,body\nx,y\n   ,y\n", 3, "title is empty"),
        ("title,body,commune\nx,y,essaouira\nx,y,tamanar\n", 3, "from 'tamanar'"),
        ("title,title,body\nx,y,z\n", 1, "twice"),
    ])
    func drafts_refuseTheFileNamingTheLine(_ text: String, line: Int, reason: String) {
        do {
            _ = try drafts(text)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.line == line)
            #expect(error.reason.contains(reason), "\(error.reason)")
        }
    }

    @Test func drafts_refuseOverlongTitles() {
        let title = String(repeating: "ب", count: 600)
        #expect(throws: CSVError.self) { try drafts("title,body\n\(title),x\n") }
    }

    @Test func line_quotesWhatNeedsQuoting() {
        #expect(
            ProposalCSV.line(["a", "b, c", "say \"x\"", "l1\nl2", " edge", "ⵣ"])
                == "a,\"b, c\",\"say \"\"x\"\"\",\"l1\nl2\",\" edge\",ⵣ\r\n"
        )
    }

    @Test func line_roundTripsThroughTheParser() throws {
        let fields = ["01a", "essaouira", "تهيئة \"الساحة\"، الآن", "multi\r\nline", "", "submitted"]
        let records = try CSVParser().parse(Array(ProposalCSV.line(fields).utf8))
        #expect(records.first?.fields == fields)
    }
}
