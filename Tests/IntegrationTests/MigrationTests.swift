import Foundation
import SyncCore
import SyncTestSupport
import Testing

/// A replica file of an older schema version opened by this build: migrated in place, in one
/// transaction, with everything it held; a file newer than the build is refused untouched.
@Suite struct MigrationTests {
    /// What the release before schema versioning read back from the fixture.
    struct Expected: Decodable {
        struct Conflict: Decodable {
            var table: String
            var record: String
            var field: String
            var shown: String
            var others: [String]
        }

        var digest: String
        var vector: [String: UInt64]
        var rows: [String: Int]
        var conflict: Conflict
        var proposals: [String]
        var comments: [String]
        var event: String
        var hubAccount: String
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func expected() throws -> Expected {
        try JSONDecoder().decode(
            Expected.self,
            from: Data(contentsOf: fixtures.appendingPathComponent("v1-office.json"))
        )
    }

    /// A copy of the version-1 office file, made by replica-node 0.1.0.
    static func fixtureCopy(in folder: TemporaryDirectory, name: String = "office.sqlite") throws -> String {
        let path = folder.path(name)
        try FileManager.default.copyItem(atPath: fixtures.appendingPathComponent("v1-office.sqlite").path, toPath: path)
        return path
    }

    static func count(_ table: String, in database: String, folder: TemporaryDirectory) async throws -> Int {
        Int(try await Programs.query(database, "SELECT count(*) FROM \(table)", folder: folder)) ?? -1
    }

    @Test func versionOneOfficeFile_migratesInPlace_withRowsConflictsVectorAndDigest() async throws {
        let expected = try Self.expected()
        let folder = try TemporaryDirectory()
        let path = try Self.fixtureCopy(in: folder)
        // The new build, as a real process, opens the file of the previous release.
        let office = ReplicaNodeProgram(database: path, folder: folder)
        let listed = try await office("proposal", "list", "--json")
        #expect(listed.succeeded, "\(listed.stderr)")
        #expect(try await Programs.integrityCheck(path, folder: folder) == "ok")
        let migrations = try await Programs.query(path, "SELECT identifier FROM grdb_migrations", folder: folder)
        #expect(migrations.contains("schema-v2") && migrations.contains("engine-v3-versions"))
        // The empty dashboard tables that release made in every replica are gone.
        let hubTables = try await Programs.query(
            path,
            "SELECT count(*) FROM sqlite_master WHERE name LIKE 'hub\\_%' ESCAPE '\\'",
            folder: folder
        )
        #expect(hubTables == "0")
        for (table, rows) in expected.rows {
            #expect(try await Self.count(table, in: path, folder: folder) == rows, "\(table)")
        }
        let store = try ReplicaStore(path: path)
        #expect(try store.digest(schemaVersion: 1) == expected.digest)
        #expect(try store.recomputedDigest(schemaVersion: 1) == expected.digest)
        #expect(try store.recomputedDigest() == (try store.digest()))
        let vector = try store.vector()
        #expect(Dictionary(uniqueKeysWithValues: vector.entries.map { ($0.key.rawValue, $0.value) }) == expected.vector)
        let conflicts = try store.conflicts()
        #expect(conflicts.count == 1)
        #expect(
            conflicts.first?.record == expected.conflict.record && conflicts.first?.field == expected.conflict.field
        )
        #expect(conflicts.first?.shown == .text(expected.conflict.shown))
        #expect(conflicts.first?.others == expected.conflict.others.map(FieldValue.text))
        #expect(try store.proposals().map(\.id).sorted() == expected.proposals.sorted())
        #expect(try store.comments(proposal: expected.proposals[0]).count == 3)
        #expect(try store.attendees(event: expected.event).count == 2)
        // Version 2 works on the migrated file: a place, a capacity, and the seed's communes.
        try store.editProposal(expected.proposals[1], ProposalEdit(place: "Douar Laarab"))
        #expect(try store.proposal(expected.proposals[1])?.place == "Douar Laarab")
        try store.editEvent(expected.event, EventDraft(capacity: 40))
        #expect(try store.events().first?.capacity == 40)
        #expect(try store.communes().map(\.id) == ["essaouira", "ounagha", "tamanar"])
        #expect(try store.recomputedDigest(schemaVersion: 1) == (try store.digest(schemaVersion: 1)))
        #expect(try store.recomputedDigest() == (try store.digest()))
        // The resolution of the conflict still closes it.
        try store.resolveConflict(
            table: "proposal",
            record: expected.conflict.record,
            field: "title",
            value: .text("t")
        )
        #expect(try store.conflicts().isEmpty)
        Reliability.record("migration-v1-v2", [("rows", expected.rows.values.reduce(0, +)), ("digestV1", "kept")])
    }

    @Test func versionOneHubFile_keepsItsDashboardAccount_andSignsItIn() async throws {
        let expected = try Self.expected()
        let hub = try HubServerProcess()
        try FileManager.default.copyItem(
            atPath: Self.fixtures.appendingPathComponent("v1-hub.sqlite").path,
            toPath: hub.database
        )
        let listed = try await hub.run(["user", "list"])
        #expect(listed.succeeded && listed.stdout.contains(expected.hubAccount), "\(listed.stdout)\(listed.stderr)")
        let url = try await hub.start()
        let port = try #require(url.port)
        let socket = try LoopbackSocket(port: port)
        defer { socket.close() }
        let formToken = String(repeating: "C", count: 43)
        let body = "_csrf=\(formToken)&username=\(expected.hubAccount)&password=long+enough+password"
        let request = [
            "POST /login HTTP/1.1", "Host: 127.0.0.1:\(port)", "Cookie: csrf=\(formToken)",
            "Content-Type: application/x-www-form-urlencoded", "Content-Length: \(body.utf8.count)",
            "Connection: close",
        ]
        let answer = try await socket.exchange(request.joined(separator: "\r\n") + "\r\n\r\n" + body)
        #expect(answer.hasPrefix("HTTP/1.1 303"), "\(answer.prefix(300))")
        #expect(answer.contains("hub_session=hs1."), "\(answer.prefix(300))")
        _ = try await hub.stop()
        let adopted = try await Programs.query(
            hub.database,
            "SELECT identifier FROM local_migrations",
            folder: hub.folder
        )
        #expect(adopted == "hub-accounts-v1")
    }

    @Test func fileNewerThanTheProgram_isRefused_andLeftUntouched() async throws {
        let folder = try TemporaryDirectory()
        let path = try Self.fixtureCopy(in: folder)
        do { _ = try ReplicaStore(path: path) }
        // Everything in the file itself, so that its bytes are the whole state.
        _ = try await Programs.query(path, "PRAGMA wal_checkpoint(TRUNCATE);", folder: folder)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let older = ReplicaNodeProgram(database: path, folder: folder, environment: [Schema.versionVariable: "1"])
        let result = try await older("proposal", "list")
        #expect(result.status == 76, "\(result.stderr)")
        #expect(
            result.stderr.contains("schema version 2") && result.stderr.contains("left as it is"),
            "\(result.stderr)"
        )
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        let refused = #expect(throws: SyncError.self) {
            _ = try ReplicaStore(path: path, schema: Schema.participation.atVersion(1))
        }
        #expect(refused?.code == .schemaMismatch)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        // The newer program still opens it.
        #expect(try await ReplicaNodeProgram(database: path, folder: folder)("proposal", "list").succeeded)
    }

    /// A version-1 file holding many fields of version 2 it kept (so that migrating it takes a
    /// while), and the digests before and after.
    struct Large {
        var path: String
        var keptFields: Int
        var digestV1: String
        var digestV2: String
    }

    static func large(in folder: TemporaryDirectory, proposals: Int) throws -> Large {
        let hub = try ReplicaStore(path: folder.path("hub.sqlite"), durability: .normal)
        var writes: [RecordWrite] = []
        for index in 0..<proposals {
            writes.append(
                RecordWrite(
                    table: "proposal",
                    record: RecordID.make(),
                    values: [
                        "title": .text("مقترح \(index)"), "body": .text("نص"), "commune": .text("tamanar"),
                        "place": .text("Douar \(index % 37)"),
                    ],
                    isNew: true
                )
            )
            if writes.count == 500 || index == proposals - 1 {
                try hub.write(writes)
                writes = []
            }
        }
        let path = folder.path("v1.sqlite")
        let kept: Int
        let digestV1: String
        do {
            let old = try ReplicaStore(path: path, schema: Schema.participation.atVersion(1), durability: .normal)
            var batch: ChangeBatch
            repeat {
                batch = try hub.changes(since: try old.vector(), limit: 2_000)
                try old.apply(batch)
            } while !batch.isComplete
            kept = try old.keptFieldCount()
            digestV1 = try old.digest()
            #expect(digestV1 == (try hub.digest(schemaVersion: 1)))
        }
        return Large(path: path, keptFields: kept, digestV1: digestV1, digestV2: try hub.digest())
    }

    @Test func migrationKilledAtRandomMoments_leavesTheFileAtOneVersionOrTheOther() async throws {
        let folder = try TemporaryDirectory()
        let large = try Self.large(
            in: folder,
            proposals: Reliability.count("MIGRATION_PROPOSALS", quick: 4_000, soak: 20_000)
        )
        #expect(large.keptFields > 0)
        // How long an unhindered migration of a copy takes, to spread the kills over it.
        let timed = folder.path("timed.sqlite")
        try FileManager.default.copyItem(atPath: large.path, toPath: timed)
        let started = ContinuousClock.now
        #expect(try await ReplicaNodeProgram(database: timed, folder: folder)("digest").trimmedOutput == large.digestV2)
        // Bounded, so that a machine slowed by other work does not stretch the kills over minutes.
        let span = min(5_000, max(1, Int((ContinuousClock.now - started) / .milliseconds(1))))
        var random = SplitMix64(seed: Reliability.seed)
        var outcomes = (old: 0, new: 0)
        let trials = Reliability.count("MIGRATION_TRIALS", quick: 6, soak: 60)
        for trial in 0..<trials {
            let path = folder.path("trial-\(trial).sqlite")
            try FileManager.default.copyItem(atPath: large.path, toPath: path)
            let program = ReplicaNodeProgram(database: path, folder: folder)
            let child = try program.spawn(["digest"])
            // From a quarter of the way (the process has started) to a little past the end.
            try await Task.sleep(for: .milliseconds(Int.random(in: span / 4...span + span / 5, using: &random)))
            child.kill(SIGKILL)
            _ = try await child.wait()
            #expect(try await Programs.integrityCheck(path, folder: folder) == "ok")
            let migrations = try await Programs.query(path, "SELECT identifier FROM grdb_migrations", folder: folder)
            let kept = try await Self.count("crdt_kept", in: path, folder: folder)
            let columns = try await Programs.query(
                path,
                "SELECT name FROM pragma_table_info('proposal')",
                folder: folder
            )
            if migrations.contains("schema-v2") {
                outcomes.new += 1
                #expect(kept == 0 && columns.contains("place"), "trial \(trial): half migrated")
                #expect(try ReplicaStore(path: path).digest() == large.digestV2)
            } else {
                outcomes.old += 1
                #expect(!columns.contains("place"), "trial \(trial): half migrated")
                if migrations.contains("engine-v3-versions") { #expect(kept == large.keptFields) }
                let old = try ReplicaStore(path: path, schema: Schema.participation.atVersion(1))
                #expect(try old.digest() == large.digestV1)
                // And the next open finishes the upgrade.
                #expect(try ReplicaStore(path: path).digest() == large.digestV2)
            }
        }
        Reliability.record(
            "migration-killed",
            [("trials", trials), ("leftOnVersion1", outcomes.old), ("migrated", outcomes.new), ("spanMs", span)]
        )
    }
}
