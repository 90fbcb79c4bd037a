import Foundation
import Hummingbird
import HummingbirdTesting
import SyncCore
import SyncTestSupport
import Testing
import WebUI

@testable import HubServer

/// Every CSV export goes through `CSVWriter`, which neutralises cells a spreadsheet would run as
/// formulas and leaves text and numbers alone.
@Suite struct CSVWriterTests {
    @Test(arguments: [
        ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "\"'\r=1\""),
        ("＝1+1", "'＝1+1"),
        ("تهيئة الساحة -2", "تهيئة الساحة -2"),
        ("ⴰⵣⵓⵍ = salut", "ⴰⵣⵓⵍ = salut"),
        ("a=1", "a=1"),
        ("", ""),
    ])
    func textCell_startingLikeAFormula_isPrefixedWithAQuote(text: String, written: String) {
        #expect(CSVWriter.record([.text(text)]) == written + "\r\n")
    }

    @Test func numberCells_keepTheirSign_andFlagsAreWords() {
        #expect(CSVWriter.record([.number(-3), .number(12), .flag(true), .flag(false)]) == "-3,12,true,false\r\n")
    }

    @Test func dashboardExport_neutralisesHostileTitles_andKeepsArabic() async throws {
        let fixture = try await DashboardFixture()
        let hostile = "=HYPERLINK(\"http://x\",\"y\")"
        _ = try fixture.hub.createProposal(ProposalDraft(title: hostile, body: "@SUM(A1)", commune: "tamanar"))
        try await fixture.makeApp().test(.router) { client in
            var browser = PageClient(client)
            try await browser.signIn("read-user")
            let text = String(buffer: try await browser.get("/export.csv").body)
            #expect(text.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'@SUM(A1)"))
            #expect(!text.contains(",=HYPERLINK") && !text.contains(",\"=HYPERLINK"))
            #expect(text.contains("ساحة مولاي الحسن"))
        }
    }
}
