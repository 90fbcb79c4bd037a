import ArgumentParser
import Foundation
import SyncCore
import SyncTestSupport
import Testing

@testable import HubServer

@Suite struct CommandTests {
    @Test func enroll_unknownCommune_namesTheValidOnes() throws {
        do {
            _ = try HubServerCommand.parseAsRoot(["enroll", "--db", "unused.sqlite", "--commune", "Agadir!"])
            Issue.record("a malformed commune was accepted")
        } catch {
            #expect(HubServerCommand.message(for: error).contains("invalid commune code"))
        }
        let folder = try TemporaryDirectory()
        let hub = try ReplicaStore(path: folder.path("hub.sqlite"))
        let error = #expect(throws: SyncError.self) { try hub.enroll(commune: "agadir", label: "x") }
        #expect(error?.message.contains("essaouira, ounagha, tamanar") == true)
        try hub.addCommune(Commune(id: "agadir", province: "agadir-province", names: CommuneNames(french: "Agadir")))
        #expect(try hub.enroll(commune: "agadir", label: "x").enrollment.commune == "agadir")
    }

    @Test func serve_invalidPort_isRefused() {
        #expect(throws: (any Error).self) {
            _ = try HubServerCommand.parseAsRoot(["serve", "--port", "70000"])
        }
    }

    @Test func enrollOutput_hasExactlyReplicaAndToken() throws {
        let text = try Terminal.json(EnrollCommand.Output(replica: "r", token: "t"))
        #expect(text == #"{"replica":"r","token":"t"}"# + "\n")
    }

    @Test func replicaReport_lagCountsWhatTheReplicaLacks() throws {
        let folder = try TemporaryDirectory()
        let hub = try ReplicaStore(path: folder.path("hub.sqlite"))
        let source = try ReplicaStore(path: folder.path("source.sqlite"))
        for index in 0..<3 {
            _ = try source.createProposal(ProposalDraft(title: "P\(index)", body: "…", commune: "ounagha"))
        }
        try hub.apply(try source.changes(since: VersionVector(), limit: 100))
        let (enrollment, _) = try hub.enroll(commune: "ounagha", label: "مكتب أونغة")
        let report = try ReplicaReport(enrollment, store: hub)
        #expect(report.lag == (try hub.pendingChangeCount(since: VersionVector())))
        #expect(report.lag > 0)
        #expect(report.lastSyncAt == nil)
        let table = ReplicaReport.table([report])
        #expect(table.contains("never"))
        #expect(table.contains("مكتب أونغة"))
        let json = try Terminal.json([report])
        #expect(json.contains(#""digestMatched":null"#))
    }
}
