import Foundation
import SyncCore
import SyncTestSupport
import Testing

@Suite struct TextFidelityTests {
    static let samples: [String] = [
        "تهيئة ساحة مولاي الحسن وتوفير ممرات للراجلين، مع مراعاة الطابع التاريخي للمدينة العتيقة",
        "Nettoyage régulier de la plage et tri sélectif — « corniche » d’Essaouira",
        "ⴰⵙⴰⵢⵙ ⵏ ⵜⵖⵔⵎⴰ ⵏ ⵜⵎⴰⵣⵉⵖⵜ ⴷⴳ ⵜⵏⴰⵎⴰⵔ",
        "e\u{301}cole vs \u{E9}cole",  // NFD and NFC must both survive unchanged
        "\u{200F}RTL mark, zero-width joiner \u{200D}, quotes \" and backslash \\",
        "سطر\nجديد\tو\u{0001}تحكم",
    ]

    @Test(arguments: samples)
    func text_survivesWriteExchangeAndExport_byteForByte(text: String) throws {
        let folder = try TemporaryDirectory()
        let a = try ReplicaStore(path: folder.path("a.sqlite"))
        let b = try ReplicaStore(path: folder.path("b.sqlite"))
        let id = try a.createProposal(ProposalDraft(title: text, body: text, category: text, commune: "essaouira"))
        let wire = try JSONEncoder().encode(try a.changes(since: try b.vector()))
        try b.apply(try JSONDecoder().decode(ChangeBatch.self, from: wire))
        let received = try #require(try b.proposal(id))
        #expect(Array(received.title.utf8) == Array(text.utf8))
        #expect(Array(received.body.utf8) == Array(text.utf8))
        #expect(Array((received.category ?? "").utf8) == Array(text.utf8))
        let export = try b.exportCanonicalJSON()
        let parsed = try JSONSerialization.jsonObject(with: Data(export)) as? [String: Any]
        let tables = parsed?["tables"] as? [String: Any]
        let proposal = (tables?["proposal"] as? [[String: Any]])?.first
        #expect(((proposal?["title"] as? String).map { Array($0.utf8) }) == Array(text.utf8))
        #expect(try a.digest() == (try b.digest()))
    }

    @Test func nfcAndNfdTitles_areDifferentValues() throws {
        let folder = try TemporaryDirectory()
        let a = try ReplicaStore(path: folder.path("a.sqlite"))
        let nfd = try a.createProposal(ProposalDraft(title: "e\u{301}cole", body: "x", commune: "ounagha"))
        let nfc = try a.createProposal(ProposalDraft(title: "\u{E9}cole", body: "x", commune: "ounagha"))
        #expect(Array(try a.proposal(nfd)!.title.utf8) != Array(try a.proposal(nfc)!.title.utf8))
    }
}
