import Foundation
import SyncCore
import Testing

/// Runs `replica-node compact` as the real binary on a temporary replica.
@Suite struct CompactCommandTests {
    private struct Report: Decodable {
        var entriesRemoved: Int
        var recordsExamined: Int
        var bytesBefore: Int64
        var bytesAfter: Int64
        var vacuumed: Bool
    }

    @Test func compact_removesSupersededEntries_keepsTheDigest_andVacuums() async throws {
        let node = try ReplicaNodeProcess()
        try await node.initialize()
        let id: String
        do {
            let store = try ReplicaStore(path: node.database)
            id = try store.createProposal(ProposalDraft(title: "عنوان", body: "نص المقترح", commune: "essaouira"))
            for index in 1...3 { try store.editProposal(id, ProposalEdit(title: "عنوان \(index)")) }
        }
        let digest = try await node("digest").stdout

        let kept = try await node("compact", "--json")
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(try JSONDecoder().decode(Report.self, from: Data(kept.stdoutBytes)).entriesRemoved == 0)

        let result = try await node("compact", "--keep-days", "0", "--vacuum", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdoutBytes))
        #expect(report.entriesRemoved == 2)
        #expect(report.recordsExamined == 1)
        #expect(report.vacuumed)
        #expect(report.bytesAfter <= report.bytesBefore)
        #expect(try await node("digest").stdout == digest)
        let history = try ReplicaStore(path: node.database).history(table: "proposal", record: id)
        #expect(history.count == 2)

        let again = try await node("compact", "--keep-days", "0")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("removed 0 superseded change-log entries"), "\(again.stdout)")
    }

    @Test(arguments: ["-1", "36501", "thirty"])
    func compact_refusesABadRetention(_ days: String) async throws {
        let node = try ReplicaNodeProcess()
        try await node.initialize()
        let result = try await node("compact", "--keep-days", days)
        #expect(result.status == 64)
        #expect(result.stderr.contains("--keep-days"), "\(result.stderr)")
    }

    @Test func compact_refusesAMissingDatabase() async throws {
        let node = try ReplicaNodeProcess()
        let result = try await node("compact")
        #expect(result.status == 78)
        #expect(result.stderr.contains("replica-node init"), "\(result.stderr)")
    }
}
