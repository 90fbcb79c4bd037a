import Foundation
import SyncCore
import SyncTestSupport
import Testing

@Suite struct CanonicalExportTests {
    @Test func export_sortsKeysByBytes_escapesMinimally_andMatchesTheDigest() throws {
        let folder = try TemporaryDirectory()
        let a = try ReplicaStore(path: folder.path("a.sqlite"))
        let b = try ReplicaStore(path: folder.path("b.sqlite"))
        let id = try a.createProposal(
            ProposalDraft(
                title: "T",
                body: "ⵣ",
                category: "quote \" backslash \\ newline \n tab \t bell \u{7}",
                commune: "tamanar"
            )
        )
        try b.apply(try a.changes(since: try b.vector()))
        try a.editProposal(id, ProposalEdit(title: "A"))
        try b.editProposal(id, ProposalEdit(title: "B"))
        try a.apply(try b.changes(since: try a.vector()))
        let comment = try a.addComment(proposal: id, body: "x")
        try a.deleteComment(comment)

        let export = String(decoding: try a.exportCanonicalJSON(), as: UTF8.self)
        #expect(!export.contains("\n") && !export.contains(" \""), "no insignificant white space")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(export.utf8)) as? [String: Any])
        let tables = try #require(parsed["tables"] as? [String: Any])
        let proposal = try #require((tables["proposal"] as? [[String: Any]])?.first)
        #expect((proposal["conflicts"] as? [String: Any])?["title"] != nil)
        let deleted = try #require((tables["comment"] as? [[String: Any]])?.first)
        #expect(deleted["body"] is NSNull && (deleted["deleted"] as? Int) == 1)

        // The proposal's keys appear in UTF-8 byte order ("conflicts" before "created_at": 'o' < 'r').
        let expected = [
            "answer", "author", "body", "category", "commune", "conflicts", "created_at", "hidden", "id", "status",
            "title", "withdrawn",
        ]
        #expect(expected == expected.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        let rowStart = try #require(export.range(of: "{\"answer\"")).lowerBound
        var cursor = rowStart
        for key in expected {
            let found = try #require(export.range(of: "\"\(key)\":", range: cursor..<export.endIndex), "\(key) missing")
            cursor = found.upperBound
        }
        #expect(export.contains(#"[{"hlc":"#), "conflict objects sort their keys too")
        #expect(export.contains(#"quote \" backslash \\ newline \n tab \t bell \u0007"#))
        #expect(try a.digest() == (try a.recomputedDigest()))
    }

    @Test func digest_ofEmptyStores_isEqual_andChangesWithEveryWrite() throws {
        let folder = try TemporaryDirectory()
        let a = try ReplicaStore(path: folder.path("a.sqlite"))
        let b = try ReplicaStore(path: folder.path("b.sqlite"))
        #expect(try a.digest() == (try b.digest()))
        let empty = try a.digest()
        let id = try a.createProposal(ProposalDraft(title: "T", body: "B", commune: "ounagha"))
        let one = try a.digest()
        #expect(one != empty)
        try a.editProposal(id, ProposalEdit(title: "T2"))
        #expect(try a.digest() != one)
        #expect(try a.digest() == (try a.recomputedDigest()))
    }
}
