import Foundation
import SyncCore
import SyncTestSupport
import Testing
import WebUI

/// The shared page code: escaping, forms, languages, filters, tokens.
@Suite struct DashboardWebUITests {
    @Test func html_escapesInterpolatedText_butNotMarkup() {
        let name = "<b>\"Aït\" & 'Ben'</b>"
        let inner: HTML = "<em>ok</em>"
        let html: HTML = "<p title=\"\(name)\">\(name)\(inner)</p>"
        #expect(
            html.markup
                == "<p title=\"&lt;b&gt;&quot;Aït&quot; &amp; &#39;Ben&#39;&lt;/b&gt;\">"
                + "&lt;b&gt;&quot;Aït&quot; &amp; &#39;Ben&#39;&lt;/b&gt;<em>ok</em></p>"
        )
        #expect(HTML(text: "ⴰⵣⵓⵍ مرحبا").markup == "ⴰⵣⵓⵍ مرحبا")
    }

    @Test func form_decodesPlusPercentAndLineBreaks() {
        let form = FormData(encoded: "title=%D8%B3%D8%A7%D8%AD%D8%A9+%E2%B4%B0&body=a%0D%0Ab&empty=&x=1&x=2&=skip")
        #expect(form["title"] == "ساحة ⴰ")
        #expect(form["body"] == "a\nb")
        #expect(form["empty"] == "")
        #expect(form.text("empty") == nil)
        #expect(form.fields["x"] == ["1", "2"])
        #expect(FormData(encoded: form.encoded) == form)
    }

    @Test(arguments: [("ar", Language.arabic, "rtl"), ("fr-MA", .french, "ltr"), ("AR", .arabic, "rtl")])
    func language_fromCode_hasItsDirection(code: String, language: Language, direction: String) {
        #expect(Language(code: code) == language)
        #expect(language.direction == direction)
    }

    @Test func language_unknownCode_isNil_andDefaultIsArabic() {
        #expect(Language(code: "en") == nil)
        #expect(Language.standard == .arabic)
    }

    @Test func token_matchesOnlyItself() {
        let token = CSRFToken.make()
        #expect(CSRFToken.isWellFormed(token))
        #expect(CSRFToken.matches(token, token))
        #expect(!CSRFToken.matches(String(token.dropLast()) + "x", token))
        #expect(!CSRFToken.matches("", ""))
        #expect(!CSRFToken.isWellFormed("short"))
    }

    @Test func filter_combinesCommuneStatusDatesAndText() throws {
        let folder = try TemporaryDirectory()
        let clock = ManualClock(start: Format.millis(ofDay: "2026-11-02")! + 3_600_000)
        let store = try ReplicaStore(path: folder.path("replica.sqlite"), wallClock: clock.read)
        let well = try store.createProposal(ProposalDraft(title: "Puits du douar", body: "…", commune: "tamanar"))
        clock.advance(by: 18 * 86_400_000)
        let light = try store.createProposal(ProposalDraft(title: "Éclairage public", body: "…", commune: "tamanar"))
        try store.editProposal(light, ProposalEdit(status: "accepted"))
        clock.advance(by: 86_400_000)
        let arabic = try store.createProposal(ProposalDraft(title: "إنارة عمومية", body: "…", commune: "ounagha"))
        func matching(_ query: FormData) throws -> [String] {
            try store.proposals(matching: ProposalFilter(query).storeQuery).proposals.map(\.id)
        }
        #expect(try matching(FormData(encoded: "commune=tamanar&from=2026-11-10&to=2026-11-30&q=eclairage")) == [light])
        #expect(
            try matching(FormData(encoded: "commune=nowhere&status=bogus&q=%D8%A5%D9%86%D8%A7%D8%B1%D8%A9")) == [arabic]
        )
        #expect(try matching(FormData(encoded: "status=submitted&to=2026-11-02")) == [well])
        let second = ProposalFilter(FormData(encoded: "page=2")).storeQuery
        #expect(second.offset == 20 && second.limit == 20)
    }

    @Test func everyNoticeIsInBothLanguages() {
        for (key, text) in Localized.notices {
            #expect(!text.arabic.isEmpty && !text.french.isEmpty, "notice \(key)")
            #expect(text.arabic != text.french, "notice \(key)")
        }
    }
}
