import Foundation
import SyncTestSupport
import Testing

/// The hub on PostgreSQL with the real binaries: two `hub-server serve --postgres` processes
/// on one database, replicas pushing to both at once, and a hub killed mid-push.
///
/// Each test creates its own database on the server `scripts/with-postgres.sh` starts for
/// `make test` (see ``PostgresTestServer``).
@Suite(
    .serialized,
    .enabled(
        if: PostgresTestServer.shouldRun,
        "skipped: HUB_TEST_POSTGRES_URL is not set; run it with make test or scripts/with-postgres.sh"
    )
)
struct PostgresHubTests {
    private static let communes = ["essaouira", "ounagha", "tamanar"]

    /// Points a replica at a hub (same commune, same credential) and syncs once.
    private func sync(_ replica: ReplicaNodeProgram, commune: String, hub: URL, token: String) async throws {
        try await replica.initialize(commune: commune, hub: hub, token: token)
        // One change per batch: many short transactions from every replica, which overlap.
        let result = try await replica("sync", "--json", "--retries", "6", "--batch-limit", "1")
        #expect(result.succeeded, "sync with \(hub) failed: \(result.stderr)")
    }

    private func create(_ replica: ReplicaNodeProgram, title: String) async throws -> String {
        let result = try await replica("proposal", "create", "--title", title, "--body", "نص \(title)")
        guard result.succeeded else { throw ProgramFailure("create failed: \(result.stderr)") }
        return result.trimmedOutput
    }

    /// Per origin: the vector's entry, how many log entries, and the highest logged sequence.
    private func logShape(_ url: String, folder: TemporaryDirectory) async throws -> [String: [Int]] {
        let text = try await PostgresTestServer.query(
            url,
            """
            SELECT v.origin, v.seq, count(l.seq), coalesce(max(l.seq), 0)
            FROM hub_vector v LEFT JOIN hub_log l ON l.origin = v.origin GROUP BY v.origin, v.seq
            """,
            folder: folder
        )
        var shape: [String: [Int]] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "|").map(String.init)
            shape[fields[0]] = fields.dropFirst().compactMap { Int($0) }
        }
        return shape
    }

    @Test func twoHubProcesses_concurrentPushes_keepEveryChangeOnceAndMatchASQLiteHub() async throws {
        let folder = try TemporaryDirectory()
        let database = try await PostgresTestServer.makeDatabase(folder: folder)
        let hubs = [try HubServerProcess(postgres: database), try HubServerProcess(postgres: database)]
        var enrolled: [String] = []
        for commune in Self.communes { enrolled.append(try await hubs[0].enroll(commune: commune)) }
        let tokens = enrolled
        let urls = [try await hubs[0].start(), try await hubs[1].start()]
        let replicas = try Self.communes.map { _ in try ReplicaNodeProgram() }
        for (index, replica) in replicas.enumerated() {
            try await replica.initialize(commune: Self.communes[index], hub: urls[index % 2], token: tokens[index])
        }

        // Three rounds: every replica writes, then all push to alternating hub processes at once.
        let rounds = 3
        let perRound = 6
        for round in 0..<rounds {
            try await withThrowingDiscardingTaskGroup { group in
                for (index, replica) in replicas.enumerated() {
                    group.addTask {
                        for item in 0..<perRound {
                            _ = try await create(replica, title: "\(Self.communes[index]) \(round)-\(item) مقترح")
                        }
                        let hub = urls[(index + round) % 2]
                        try await sync(replica, commune: Self.communes[index], hub: hub, token: tokens[index])
                    }
                }
            }
        }
        // Concurrent edits of one proposal from every replica, pushed to both processes at once.
        try await sync(replicas[0], commune: Self.communes[0], hub: urls[0], token: tokens[0])
        let shared = try await create(replicas[0], title: "مقترح مشترك")
        for (index, replica) in replicas.enumerated() {
            try await sync(replica, commune: Self.communes[index], hub: urls[index % 2], token: tokens[index])
        }
        try await withThrowingDiscardingTaskGroup { group in
            for (index, replica) in replicas.enumerated() {
                group.addTask {
                    let edit = try await replica("proposal", "edit", shared, "--title", "عنوان \(index)")
                    #expect(edit.succeeded, "edit failed: \(edit.stderr)")
                    try await sync(replica, commune: Self.communes[index], hub: urls[index % 2], token: tokens[index])
                }
            }
        }
        for _ in 0..<2 {
            for (index, replica) in replicas.enumerated() {
                try await sync(replica, commune: Self.communes[index], hub: urls[(index + 1) % 2], token: tokens[index])
            }
        }

        // Every change once, no hole, and the vector equal to the data.
        let written = rounds * perRound * replicas.count + 1 + replicas.count
        let total = try await PostgresTestServer.query(database, "SELECT count(*) FROM hub_log", folder: folder)
        #expect(Int(total) == written)
        let shape = try await logShape(database, folder: folder)
        #expect(shape.count == replicas.count)
        for (origin, entry) in shape {
            #expect(entry[0] == entry[1] && entry[1] == entry[2], "origin \(origin): vector, count, max = \(entry)")
        }

        // The same digest on both processes, every replica, and a SQLite hub fed the same data.
        let pgDigests = Set([try await hubs[0].digest(), try await hubs[1].digest()])
        var replicaDigests: Set<String> = []
        for replica in replicas { replicaDigests.insert(try await replica.digest()) }
        #expect(pgDigests.count == 1)
        #expect(replicaDigests == pgDigests)

        let sqliteHub = try HubServerProcess()
        let relayToken = try await sqliteHub.enroll(commune: "essaouira")
        let sqliteURL = try await sqliteHub.start()
        let relay = try ReplicaNodeProgram()
        let pgRelayToken = try await hubs[1].enroll(commune: "essaouira")
        try await sync(relay, commune: "essaouira", hub: urls[1], token: pgRelayToken)
        try await sync(relay, commune: "essaouira", hub: sqliteURL, token: relayToken)
        #expect(try await sqliteHub.digest() == pgDigests.first)
        #expect(try await relay.proposals().count == rounds * perRound * replicas.count + 1)

        // The register, read through either process: every replica up to date, digests matched.
        let listing = try await hubs[1].run(["replicas", "--json"])
        #expect(listing.succeeded, "replicas failed: \(listing.stderr)")
        let reports = try #require(
            try JSONSerialization.jsonObject(with: Data(listing.stdoutBytes)) as? [[String: Any]]
        )
        #expect(reports.count == replicas.count + 1)
        for report in reports {
            #expect(report["lag"] as? Int == 0 && report["digestMatched"] as? Bool == true, "\(report)")
        }

        for hub in hubs { try await hub.stop() }
        try await sqliteHub.stop()
    }

    @Test func hubProcessKilledMidPush_losesNothingAcknowledged() async throws {
        let folder = try TemporaryDirectory()
        let database = try await PostgresTestServer.makeDatabase(folder: folder)
        let hubs = [try HubServerProcess(postgres: database), try HubServerProcess(postgres: database)]
        let token = try await hubs[0].enroll(commune: "tamanar")
        let urls = [try await hubs[0].start(), try await hubs[1].start()]
        let replica = try ReplicaNodeProgram()
        try await replica.initialize(commune: "tamanar", hub: urls[0], token: token)
        let count = 120
        for index in 0..<count { _ = try await create(replica, title: "Tamanar \(index)") }

        // Small batches so that the push takes many requests; kill the process once some landed.
        let push = try replica.spawn(["sync", "--batch-limit", "5", "--retries", "0"])
        var landed = 0
        while landed == 0 && push.isRunning {
            landed =
                Int(try await PostgresTestServer.query(database, "SELECT count(*) FROM hub_log", folder: folder)) ?? 0
        }
        try await hubs[0].kill()
        _ = try await push.wait()

        // What was committed is whole: the vector equals the log, with no hole.
        let afterKill = try await logShape(database, folder: folder)
        for (origin, entry) in afterKill {
            #expect(entry[0] == entry[1] && entry[1] == entry[2], "origin \(origin): vector, count, max = \(entry)")
        }
        let committed = afterKill.values.first?[0] ?? 0
        #expect(committed > 0)
        #expect(committed < count, "the kill came after the whole push: nothing was cut mid-push")

        // The other process takes over; the replica resumes there and nothing is missing or doubled.
        try await sync(replica, commune: "tamanar", hub: urls[1], token: token)
        let final = try await logShape(database, folder: folder)
        #expect(final.values.first == [count, count, count])
        #expect(try await hubs[1].digest() == (try await replica.digest()))
        try await hubs[1].stop()
    }

    @Test func rotateExportAndCompact_onPostgreSQL_matchTheSQLiteCommands() async throws {
        let folder = try TemporaryDirectory()
        let database = try await PostgresTestServer.makeDatabase(folder: folder)
        let hub = try HubServerProcess(postgres: database)
        let token = try await hub.enroll(commune: "ounagha")
        let url = try await hub.start()
        let replica = try ReplicaNodeProgram()
        try await replica.initialize(commune: "ounagha", hub: url, token: token)
        for title in ["مقترح أونغة", "Proposition d'Ounagha ⵜⴰⵎⴰⵣⵉⵖⵜ"] { _ = try await create(replica, title: title) }
        try await sync(replica, commune: "ounagha", hub: url, token: token)

        // The export: the same bytes as the replica's, after a full exchange.
        let exported = try await hub.run(["export"])
        #expect(exported.succeeded, "export --postgres failed: \(exported.stderr)")
        let local = try await replica("export", "--format", "json")
        #expect(local.succeeded, "replica export failed: \(local.stderr)")
        #expect(exported.stdoutBytes.count > 100 && exported.stdoutBytes == local.stdoutBytes)

        // Rotation: the old credential is refused, the new one works.
        let enrollment = try #require(token.split(separator: ".").dropFirst().first.map(String.init))
        let rotated = try await hub.run(["rotate", enrollment, "--json"])
        #expect(rotated.succeeded, "rotate --postgres failed: \(rotated.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(rotated.stdoutBytes)) as? [String: Any]
        let newToken = try #require(object?["token"] as? String)
        #expect(newToken != token)
        let refused = try await replica("sync")
        #expect(refused.status == 77, "the old credential still worked: \(refused.status) \(refused.stderr)")
        try await sync(replica, commune: "ounagha", hub: url, token: newToken)
        let unknown = try await hub.run(["rotate", "0190aaaa-0000-7000-8000-000000000000"])
        #expect(!unknown.succeeded && unknown.stderr.contains("no active enrollment"), "\(unknown.stderr)")

        // Compaction, while the hub serves: the digest stays.
        let digest = try await hub.digest()
        let compacted = try await hub.run(["compact", "--keep-days", "0", "--json"])
        #expect(compacted.succeeded, "compact --postgres failed: \(compacted.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(compacted.stdoutBytes)) as? [String: Any]
        #expect(report?["recordsExamined"] as? Int == 2, "\(compacted.stdout)")
        #expect(try await hub.digest() == digest)
        try await hub.stop()
    }

    @Test func rateLimit_holdsAcrossTwoHubProcesses() async throws {
        let folder = try TemporaryDirectory()
        let database = try await PostgresTestServer.makeDatabase(folder: folder)
        let hubs = [try HubServerProcess(postgres: database), try HubServerProcess(postgres: database)]
        let token = try await hubs[0].enroll(commune: "tamanar")
        var urls: [URL] = []
        for hub in hubs { urls.append(try await hub.start(arguments: ["--rate-limit", "6"])) }

        // Six requests a minute for the credential, whichever process answers: the seventh is
        // refused by either (each process alone would admit six more).
        var statuses: [Int] = []
        for index in 0..<8 {
            statuses.append(try await Attacker(server: urls[index % 2], token: token).hello().status)
        }
        #expect(statuses == [200, 200, 200, 200, 200, 200, 429, 429], "\(statuses)")
        let refused = try await Attacker(server: urls[1], token: token).hello()
        #expect(refused.code == "rate-limited" && refused.body.contains("6 requests"), "\(refused.body)")

        // Another credential has its own bucket.
        let other = try await hubs[1].enroll(commune: "ounagha")
        #expect(try await Attacker(server: urls[0], token: other).hello().status == 200)
        for hub in hubs { try await hub.stop() }
    }

    @Test func userCommands_onPostgreSQL_shareAccountsBetweenProcesses() async throws {
        let folder = try TemporaryDirectory()
        let database = try await PostgresTestServer.makeDatabase(folder: folder)
        let hub = try HubServerProcess(postgres: database)
        // Each command is a process of its own on the same database.
        for (name, role) in [("Amina", "admin"), ("youssef", "answer")] {
            let added = try await Programs.run(
                "/bin/sh",
                [
                    "-c",
                    "printf 'long enough password\\n' | \"$0\" user add --postgres \"$1\" --username \(name) --role \(role) --password-stdin",
                    Programs.product("hub-server"), database,
                ],
                folder: folder
            )
            #expect(added.succeeded, "user add --postgres failed: \(added.stderr)")
        }
        let listed = try await hub.run(["user", "list"])
        #expect(listed.succeeded, "\(listed.stderr)")
        let lines = listed.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines.map { Array($0.prefix(2)) } == [["amina", "admin"], ["youssef", "answer"]], "\(listed.stdout)")
        let last = try await hub.run(["user", "remove", "--username", "AMINA"])
        #expect(last.status != 0 && last.stderr.contains("last administrator"), "\(last.stderr)")
        let removed = try await hub.run(["user", "remove", "--username", "Youssef"])
        #expect(removed.succeeded, "\(removed.stderr)")
        let rows = try await PostgresTestServer.query(database, "SELECT username FROM hub_account", folder: folder)
        #expect(rows == "amina")
    }

    /// Runs a PostgreSQL client program of the server's release.
    private func postgresTool(_ name: String, _ arguments: [String], folder: TemporaryDirectory) async throws {
        let result = try await Programs.run("/usr/lib/postgresql/15/bin/\(name)", arguments, folder: folder)
        guard result.succeeded else { throw ProgramFailure("\(name) failed: \(result.stderr)") }
    }

    @Test func pgDumpRestored_intoANewDatabase_theReplicasConvergeAgain() async throws {
        let folder = try TemporaryDirectory()
        let database = try await PostgresTestServer.makeDatabase(folder: folder)
        let hub = try HubServerProcess(postgres: database)
        let tokens = [try await hub.enroll(commune: "essaouira"), try await hub.enroll(commune: "ounagha")]
        let url = try await hub.start()
        let replicas = [try ReplicaNodeProgram(), try ReplicaNodeProgram()]
        for (index, replica) in replicas.enumerated() {
            try await replica.initialize(commune: ["essaouira", "ounagha"][index], hub: url, token: tokens[index])
            for title in ["قبل النسخة \(index)", "Avant la sauvegarde \(index)"] {
                _ = try await create(replica, title: title)
            }
            try await sync(replica, commune: ["essaouira", "ounagha"][index], hub: url, token: tokens[index])
        }
        try await sync(replicas[0], commune: "essaouira", hub: url, token: tokens[0])

        // The backup, taken while the hub serves.
        let dump = folder.path("hub.pgdump")
        try await postgresTool("pg_dump", ["--format=custom", "--file=\(dump)", database], folder: folder)

        // After it: a write of Essaouira reaches the hub, then the hub is lost.
        let late = try await create(replicas[0], title: "Après la sauvegarde ⵜⴰⵎⴰⵣⵉⵖⵜ")
        try await sync(replicas[0], commune: "essaouira", hub: url, token: tokens[0])
        try await sync(replicas[1], commune: "ounagha", hub: url, token: tokens[1])
        let before = try await hub.digest()
        try await hub.stop()

        // Restored into an empty database, as OPERATIONS.md says.
        let restoredDatabase = try await PostgresTestServer.makeDatabase(folder: folder)
        try await postgresTool("pg_restore", ["--no-owner", "--dbname=\(restoredDatabase)", dump], folder: folder)
        let restored = try HubServerProcess(postgres: restoredDatabase)
        let restoredURL = try await restored.start()
        #expect(try await restored.digest() != before, "the restored hub should lack the late write")

        // The same credentials work; the replicas push what the restored vector lacks.
        for (index, replica) in replicas.enumerated() {
            try await sync(replica, commune: ["essaouira", "ounagha"][index], hub: restoredURL, token: tokens[index])
        }
        try await sync(replicas[0], commune: "essaouira", hub: restoredURL, token: tokens[0])
        let digest = try await restored.digest()
        #expect(digest == before)
        for replica in replicas { #expect(try await replica.digest() == digest) }
        let shown = try await replicas[1]("proposal", "show", late)
        #expect(shown.succeeded && shown.stdout.contains("Après la sauvegarde"), "\(shown.stderr)")
        try await restored.stop()
    }
}
