import Foundation
import SyncCore
import SyncTestSupport
import Testing

@Suite struct ApplyValidationTests {
    let folder: TemporaryDirectory
    let clock = ManualClock()
    let source: ReplicaStore
    let target: ReplicaStore

    init() throws {
        folder = try TemporaryDirectory()
        source = try ReplicaStore(path: folder.path("source.sqlite"), wallClock: clock.read)
        target = try ReplicaStore(path: folder.path("target.sqlite"), wallClock: clock.read)
    }

    private func batch(_ edit: (inout Change) -> Void) throws -> ChangeBatch {
        try source.createProposal(ProposalDraft(title: "Titre", body: "Corps", commune: "tamanar"))
        var batch = try source.changes(since: VersionVector())
        edit(&batch.changes[0])
        return batch
    }

    private func expectRefused(_ batch: ChangeBatch, code: SyncError.Code, mentioning text: String) throws {
        let before = try target.digest()
        let vectorBefore = try target.vector()
        #expect {
            try target.apply(batch)
        } throws: { error in
            guard let error = error as? SyncError else { return false }
            return error.code == code && error.message.contains(text)
        }
        #expect(try target.digest() == before, "a refused batch changed the state")
        #expect(try target.vector() == vectorBefore, "a refused batch moved the vector")
    }

    @Test func unknownTable_isRefusedWhole() throws {
        try expectRefused(try batch { $0.table = "citizen" }, code: .invalidBatch, mentioning: "unknown table")
    }

    @Test func unknownField_isRefusedWhole() throws {
        try expectRefused(
            try batch { $0.fields["votes"] = FieldChange(value: .integer(1)) },
            code: .invalidBatch,
            mentioning: "votes"
        )
    }

    @Test func wrongType_isRefused() throws {
        try expectRefused(
            try batch { $0.fields["created_at"] = FieldChange(value: .text("hier")) },
            code: .invalidArgument,
            mentioning: "created_at"
        )
    }

    @Test func oversizedField_isRefused() throws {
        let huge = String(repeating: "ب", count: 30_000)
        try expectRefused(
            try batch {
                $0.fields["body"] = FieldChange(value: .text(huge), context: VersionVector([$0.origin: $0.seq]))
            },
            code: .tooLarge,
            mentioning: "body"
        )
    }

    @Test func missingCausalContext_isRefused() throws {
        try expectRefused(
            try batch { $0.fields["title"]?.context = nil },
            code: .invalidBatch,
            mentioning: "causal context"
        )
    }

    @Test func newerSchema_isApplied_keepingWhatThisVersionDoesNotKnow() throws {
        let newer = try batch {
            $0.schemaVersion = 99
            $0.fields["votes"] = FieldChange(value: .integer(12))
        }
        let before = try target.digest()
        let result = try target.apply(newer)
        let sent = try source.vector()
        #expect(result.applied == 1 && result.vector == sent)
        #expect(try target.keptFieldCount() == 1)
        #expect(try target.digest() != before)
        #expect(try target.proposal(newer.changes[0].record)?.title == "Titre")
        // The kept field travels on with the change.
        let relayed = try target.changes(since: VersionVector())
        #expect(relayed.changes.first?.fields["votes"]?.value == .integer(12))
        #expect(relayed.changes.first?.schemaVersion == 99)
    }

    @Test func newerSchema_badFieldOfThatVersion_isRefusedWhole() throws {
        try expectRefused(
            try batch {
                $0.schemaVersion = Schema.participation.version + 1
                $0.fields["Votes!"] = FieldChange(value: .integer(1))
            },
            code: .invalidBatch,
            mentioning: "not a field name"
        )
        try expectRefused(
            try batch {
                $0.schemaVersion = Schema.participation.version + 1
                $0.fields["notes"] = FieldChange(value: .text(String(repeating: "x", count: Schema.maxFieldBytes + 1)))
            },
            code: .tooLarge,
            mentioning: "no version allows"
        )
        try expectRefused(
            try batch {
                $0.schemaVersion = Schema.participation.version + 1
                $0.table = "Citizen"
            },
            code: .invalidBatch,
            mentioning: "not a table name"
        )
    }

    @Test func futureTimestamp_isRefused_andCorrectWritesSurvive() throws {
        let good = try target.createProposal(ProposalDraft(title: "Correct", body: "x", commune: "ounagha"))
        let future = HybridTimestamp(wallMillis: clock.now + 3 * 365 * 86_400_000, counter: 0)
        try expectRefused(try batch { $0.timestamp = future }, code: .clockDrift, mentioning: "ahead")
        try target.editProposal(good, ProposalEdit(title: "Correct 2"))
        #expect(try target.proposal(good)?.title == "Correct 2")
    }

    @Test func commentDeeperThanThreeLevels_isRefused() throws {
        let proposal = try source.createProposal(ProposalDraft(title: "T", body: "B", commune: "tamanar"))
        try source.addComment(proposal: proposal, body: "x")
        var batch = try source.changes(since: VersionVector())
        let index = try #require(batch.changes.firstIndex { $0.table == "comment" })
        batch.changes[index].fields["depth"] = FieldChange(value: .integer(4))
        try expectRefused(batch, code: .invalidArgument, mentioning: "depth")
    }

    @Test func replayedBatch_changesNothing() throws {
        let batch = try batch { _ in }
        try target.apply(batch)
        let digest = try target.digest()
        let result = try target.apply(batch)
        #expect(result.applied == 0 && result.ignored == batch.changes.count)
        #expect(try target.digest() == digest)
    }
}
