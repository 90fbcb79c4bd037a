import Foundation
import SyncTestSupport
import Testing

/// Wrong clocks on a replica, through libfaketime: years ahead, behind, and a jump back.
@Suite(.serialized) struct ClockTests {
    /// The hub's canonical export as JSON records of one table, by id.
    static func hubRecords(_ province: Province, table: String) async throws -> [String: [String: Any]] {
        let export = try await province.hub.run(["export", "--format", "json"])
        let records = try CanonicalExport.records(Data(export.stdoutBytes), table: table)
        return Dictionary(uniqueKeysWithValues: records.map { ($0["id"] as? String ?? "", $0) })
    }

    /// The largest wall-clock time, in Unix milliseconds, of any change a database holds.
    static func latestStamp(_ database: String, folder: TemporaryDirectory) async throws -> Int64 {
        Int64(try await Programs.query(database, "SELECT max(hlc) >> 16 FROM crdt_log;", folder: folder)) ?? 0
    }

    @Test func clockYearsAhead_isRefusedClearly_andItsWritesAreRestampedOnceFixed() async throws {
        let province = try await Province.start(["essaouira", "tamanar"])
        let (office, laptop) = (province.replicas[0], province.replicas[1])
        let ahead = "+1900d"
        let proposal = try await office("proposal", "create", "--title", "Nettoyage de la plage", "--body", "b")
            .trimmedOutput
        let comment = try await office("comment", "add", "--proposal", proposal, "--body", "premier avis").trimmedOutput
        #expect(try await office("sync").succeeded)
        #expect(try await laptop("sync").succeeded)

        // In the field, the laptop's clock says 2031.
        for edit in [
            ["proposal", "edit", proposal, "--title", "تنظيف الشاطئ"],
            ["comment", "edit", comment, "--body", "avis du terrain"],
        ] {
            #expect(try await laptop.run(edit, clock: ahead).succeeded)
        }
        let visit = try await laptop.run(
            ["proposal", "create", "--title", "زيارة ميدانية", "--body", "b"],
            clock: ahead
        )
        let refused = try await laptop.run(["sync"], clock: ahead)
        #expect(refused.status == 78)
        #expect(
            refused.stderr.contains("this machine's clock") && refused.stderr.contains("5 years ahead of the hub's")
        )
        let status = try await laptop.run(["status"], clock: ahead)
        #expect(status.stdout.contains("5 years ahead of the hub's"), "\(status.stdout)")
        let listing = try await province.hub.run(["replicas"])
        #expect(listing.stdout.contains("WRONG: 5 years ahead"), "\(listing.stdout)")

        // Meanwhile the office, whose clock is right, edits the same proposal and comment.
        #expect(try await office("proposal", "edit", proposal, "--title", "Plage propre").succeeded)
        #expect(try await office("comment", "edit", comment, "--body", "avis corrigé").succeeded)
        #expect(try await office("sync").succeeded)

        // The laptop's clock is fixed: its writes are re-stamped and accepted.
        let fixed = try await laptop("sync")
        #expect(fixed.succeeded, "\(fixed.stderr)")
        #expect(fixed.stdout.contains("re-stamped 3 change(s)"), "\(fixed.stdout)")
        #expect(try await province.converge().round != nil)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        for database in province.databases {
            #expect(try await Self.latestStamp(database, folder: province.hub.folder) < now + 300_000)
        }
        let proposals = try await Self.hubRecords(province, table: "proposal")
        let shown = proposals[proposal]
        #expect(shown?["title"] as? String == "Plage propre")
        let conflicts = (shown?["conflicts"] as? [String: Any])?["title"] as? [[String: Any]]
        #expect(conflicts?.compactMap { $0["value"] as? String } == ["تنظيف الشاطئ"])
        #expect(proposals[visit.trimmedOutput] != nil)
        #expect(try await Self.hubRecords(province, table: "comment")[comment]?["body"] as? String == "avis corrigé")

        // Once fixed, the laptop's next edit is later than the office's, as it really is.
        #expect(try await laptop("comment", "edit", comment, "--body", "avis final").succeeded)
        #expect(try await province.converge().round != nil)
        #expect(try await Self.hubRecords(province, table: "comment")[comment]?["body"] as? String == "avis final")
        #expect(try await province.hub.run(["replicas"]).stdout.contains("WRONG") == false)
        Reliability.record(
            "clock-ahead",
            [("offset", "+1900d"), ("restamped", 3), ("correctWritesLost", 0), ("converged", true)]
        )
    }

    @Test func clockBehindOrJumpingBack_keepsOrderAndSaysWhoseClockIsWrong() async throws {
        let province = try await Province.start(["essaouira", "tamanar"])
        let (office, laptop) = (province.replicas[0], province.replicas[1])
        let proposal = try await office("proposal", "create", "--title", "Bibliothèque", "--body", "b").trimmedOutput
        let comment = try await office("comment", "add", "--proposal", proposal, "--body", "avis").trimmedOutput
        #expect(try await office("sync").succeeded)
        #expect(try await laptop("sync").succeeded)
        #expect(try await laptop("comment", "edit", comment, "--body", "avant le saut").succeeded)

        // The laptop's clock jumps back two hours: its next write still comes after the last one.
        let back = "-2h"
        #expect(try await laptop.run(["comment", "edit", comment, "--body", "après le saut"], clock: back).succeeded)
        #expect(try await office("proposal", "create", "--title", "Piste cyclable", "--body", "b").succeeded)
        #expect(try await office("sync").succeeded)
        let refused = try await laptop.run(["sync"], clock: back)
        #expect(refused.status == 78)
        #expect(
            refused.stderr.contains("this machine's clock") && refused.stderr.contains("2 hours behind the hub's"),
            "\(refused.stderr)"
        )
        #expect(try await Programs.integrityCheck(laptop.database, folder: laptop.folder) == "ok")

        // Years behind: the same clear message.
        let years = try await laptop.run(["sync"], clock: "-800d")
        #expect(years.status == 78 && years.stderr.contains("2 years behind the hub's"), "\(years.stderr)")

        #expect(try await laptop("sync").succeeded)
        #expect(try await province.converge().round != nil)
        #expect(try await Self.hubRecords(province, table: "comment")[comment]?["body"] as? String == "après le saut")
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        #expect(try await Self.latestStamp(province.hub.database, folder: province.hub.folder) < now + 300_000)
        Reliability.record("clock-behind", [("offsets", "-2h,-800d"), ("orderKept", true), ("converged", true)])
    }
}
