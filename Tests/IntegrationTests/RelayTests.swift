import Foundation
import SyncCore
import SyncHTTP
import SyncTestSupport
import Testing

/// A national hub with two provincial hubs enrolled as relays, and a commune replica in each
/// province, all real processes: each province's changes reach the national hub with their true
/// origins, each provincial hub receives only its own province's, a national answer reaches its
/// province only, a cut upstream exchange resumes, and a forged origin is refused.
@Suite(.serialized) struct RelayTests {
    private static let layout: [(province: String, commune: String)] = [
        ("essaouira-province", "essaouira"), ("south-province", "tamanar"),
    ]

    private func create(_ replica: ReplicaNodeProgram, _ titles: [String]) async throws {
        for title in titles {
            let result = try await replica("proposal", "create", "--title", title, "--body", "مقترح \(title) ⵜⴰⵎⴰⵣⵉⵖⵜ")
            #expect(result.succeeded, "create failed: \(result.stderr)")
        }
    }

    private func sync(_ replica: ReplicaNodeProgram) async throws {
        let result = try await replica("sync")
        #expect(result.succeeded, "replica sync failed: \(result.stderr)")
    }

    private func upstream(_ country: Country, _ province: Country.Province) async throws -> ProgramResult {
        let result = try await country.upstreamSync(province)
        #expect(result.succeeded, "upstream sync of \(province.name) failed (\(result.status)): \(result.stderr)")
        return result
    }

    @Test func provinces_reachTheNationalHubWithTrueOrigins_andEachReceivesOnlyItsOwn() async throws {
        let country = try await Country.start(Self.layout)
        let (north, south) = (country.provinces[0], country.provinces[1])
        let folder = north.replica.folder
        // Written with no link at all, then carried commune → province → nation.
        try await create(north.replica, ["A1", "A2"])
        try await create(south.replica, ["B1"])
        try await sync(north.replica)
        try await sync(south.replica)
        let first = try await upstream(country, north)
        #expect(first.stdout.contains("pushed 2 change(s)"), "\(first.stdout)")
        #expect(first.stdout.contains("not compared"), "\(first.stdout)")
        _ = try await upstream(country, south)

        #expect(try await Country.titles(country.national.database, folder: folder) == ["A1", "A2", "B1"])
        for province in country.provinces {
            let origin = try await Country.replicaID(province.replica.database, folder: folder)
            let atNational = try await Country.logCount(country.national.database, origin: origin, folder: folder)
            let atReplica = try await Country.logCount(province.replica.database, origin: origin, folder: folder)
            #expect(atReplica > 0 && atNational == atReplica, "the replica's changes lost their origin on the way")
        }

        // A second round: each province pulls what the national hub sends it.
        _ = try await upstream(country, north)
        _ = try await upstream(country, south)
        #expect(try await Country.titles(north.hub.database, folder: folder) == ["A1", "A2"])
        #expect(try await Country.titles(south.hub.database, folder: folder) == ["B1"])
        let southOrigin = try await Country.replicaID(south.replica.database, folder: folder)
        #expect(try await Country.logCount(north.hub.database, origin: southOrigin, folder: folder) == 0)

        // A national coordinator answers a proposal of the north: the answer reaches the north's
        // replica through its provincial hub, and never the south.
        let national = try ReplicaStore(path: country.national.database)
        let a1 = try #require(try national.proposals().first(where: { $0.title == "A1" }))
        try national.editProposal(a1.id, ProposalEdit(answer: "جواب وطني: مقبول"))
        _ = try await upstream(country, north)
        _ = try await upstream(country, south)
        try await sync(north.replica)
        let answer = try await Programs.query(
            north.replica.database,
            "SELECT answer FROM proposal WHERE id = '\(a1.id)';",
            folder: folder
        )
        #expect(answer == "جواب وطني: مقبول")
        let leaked = try await Programs.query(
            south.hub.database,
            "SELECT count(*) FROM proposal WHERE id = '\(a1.id)';",
            folder: folder
        )
        #expect(leaked == "0", "the south received a record of the north")
        #expect(try await Country.titles(south.hub.database, folder: folder) == ["B1"])

        let replicas = try await country.national.run(["replicas"])
        #expect(replicas.stdout.contains("relay:essaouira-province"), "\(replicas.stdout)")
        #expect(replicas.stdout.contains("filtered"), "\(replicas.stdout)")
        #expect(!replicas.stdout.contains("differs"), "a relay's digest was reported as a mismatch")
    }

    @Test func relayPushingAnotherProvincesOrigin_isRefusedWithNothingApplied() async throws {
        let country = try await Country.start(Self.layout)
        let (north, south) = (country.provinces[0], country.provinces[1])
        let folder = north.replica.folder
        try await create(south.replica, ["B1"])
        try await create(north.replica, ["A1"])
        try await sync(south.replica)
        try await sync(north.replica)
        _ = try await upstream(country, south)

        // The north's relay credential, pushing its own change together with one of the south.
        let northBatch = try ReplicaStore(path: north.hub.database).changes(since: VersionVector())
        let southBatch = try ReplicaStore(path: south.hub.database).changes(since: VersionVector())
        let forged = ChangeBatch(
            schemaVersion: northBatch.schemaVersion,
            changes: northBatch.changes + southBatch.changes,
            covered: northBatch.covered + southBatch.covered,
            isComplete: true
        )
        let token = try String(contentsOfFile: north.tokenFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let transport = HTTPSyncTransport(
            hub: country.national.url,
            token: token,
            session: HTTPSyncTransport<ContinuousClock>.defaultClient,
            retries: 0,
            clock: ContinuousClock()
        )
        let before = try await country.national.digest()
        let logBefore = try await Programs.query(
            country.national.database,
            "SELECT count(*) FROM crdt_log;",
            folder: folder
        )
        let southOrigin = try await Country.replicaID(south.replica.database, folder: folder)
        await #expect {
            _ = try await transport.push(forged)
        } throws: { error in
            guard let error = error as? SyncError else { return false }
            return error.code == .forbidden && error.message.contains(southOrigin)
                && error.message.contains("HTTP 403")
        }
        #expect(try await country.national.digest() == before, "a refused batch changed the national hub")
        let logAfter = try await Programs.query(
            country.national.database,
            "SELECT count(*) FROM crdt_log;",
            folder: folder
        )
        #expect(logAfter == logBefore)
        #expect(try await Country.titles(country.national.database, folder: folder) == ["B1"])

        // The relay's own exchange leaves the other province's origins out and goes through.
        _ = try await upstream(country, north)
        #expect(try await Country.titles(country.national.database, folder: folder) == ["A1", "B1"])
    }

    @Test func upstreamExchangeCutMidway_resumesWithNothingLostOrDoubled() async throws {
        let country = try await Country.start([Self.layout[0]])
        let north = country.provinces[0]
        let folder = north.replica.folder
        let bulk = proposalsCSV(prefix: "relay", rows: 60)
        let path = folder.path("bulk.csv")
        try Data(bulk.bytes).write(to: URL(fileURLWithPath: path))
        #expect(try await north.replica("import", "--csv", path).succeeded)
        try await sync(north.replica)

        let faults = FaultProxy.Faults(probabilities: ["reset": 0.2, "reset-reply": 0.2], seed: 11)
        let proxy = try await FaultProxy.start(upstream: country.national.url, faults: faults, folder: folder)
        var statuses: [Int32] = []
        for _ in 0..<80 {
            let attempt = try await country.upstreamSync(
                north,
                via: proxy.url,
                ["--retries", "0", "--batch-limit", "5", "--timeout", "10"]
            )
            statuses.append(attempt.status)
            if attempt.succeeded { break }
        }
        try await proxy.stop()
        let failures = statuses.filter { $0 != 0 }
        #expect(!failures.isEmpty, "no exchange was cut: the test proved nothing")
        #expect(failures.allSatisfy { $0 == 75 }, "a cut exchange must exit 75 (try again): \(statuses)")
        #expect(statuses.last == 0, "the upstream exchange never completed through the faulty link: \(statuses)")
        _ = try await upstream(country, north)

        let titles = try await Country.titles(country.national.database, folder: folder)
        #expect(titles.count == bulk.titles.count, "proposals lost or doubled at the national hub")
        #expect(Set(titles) == Set(bulk.titles))
        let origin = try await Country.replicaID(north.replica.database, folder: folder)
        #expect(
            try await Country.logCount(country.national.database, origin: origin, folder: folder)
                == (try await Country.logCount(north.replica.database, origin: origin, folder: folder))
        )
        #expect(try await Programs.integrityCheck(country.national.database, folder: folder) == "ok")
    }

    @Test func serveWithUpstream_keepsServingWhileTheNationalHubIsAway_andSyncsWhenItReturns() async throws {
        let national = try HubServerProcess()
        let token = try await Country.enrollRelay("south-province", at: national)
        let nationalURL = try await national.start()
        try await national.stop()

        let hub = try HubServerProcess()
        let tokenFile = hub.folder.path("upstream.token")
        try Data(token.utf8).write(to: URL(fileURLWithPath: tokenFile))
        let replicaToken = try await hub.enroll(commune: "tamanar")
        let url = try await hub.start(arguments: [
            "--upstream", nationalURL.absoluteString, "--upstream-token-file", tokenFile,
            "--upstream-interval", "1", "--upstream-max-backoff", "2",
        ])
        let replica = try ReplicaNodeProgram()
        try await replica.initialize(commune: "tamanar", hub: url, token: replicaToken)
        try await create(replica, ["S1", "S2"])
        // The national hub is down: the provincial hub still serves its communes.
        try await sync(replica)

        try await national.start()
        var arrived = false
        for _ in 0..<300 where !arrived {
            try await Task.sleep(for: .milliseconds(100))
            arrived = try await Country.titles(national.database, folder: replica.folder) == ["S1", "S2"]
        }
        #expect(arrived, "the provincial hub did not sync upstream once the national hub was back")
        #expect(hub.process?.isRunning == true)
        try await hub.stop()
        try await national.stop()
    }
}

/// The same country with its national hub on PostgreSQL: relays enroll there, push their
/// provinces' changes with true origins, and pull only their own province's.
@Suite(
    .serialized,
    .enabled(
        if: PostgresTestServer.shouldRun,
        "skipped: HUB_TEST_POSTGRES_URL is not set; run it with make test or scripts/with-postgres.sh"
    )
)
struct RelayPostgresTests {
    private func expectSuccess(_ result: ProgramResult, _ what: String) {
        #expect(result.succeeded, "\(what) failed (\(result.status)): \(result.stderr)")
    }

    /// The number of log entries of one origin at the national hub.
    private func nationalLogCount(_ url: String, origin: String, folder: TemporaryDirectory) async throws -> Int {
        let text = try await PostgresTestServer.query(
            url,
            "SELECT count(*) FROM hub_log WHERE origin = '\(origin)'",
            folder: folder
        )
        return Int(text) ?? -1
    }

    @Test func provinces_throughANationalHubOnPostgreSQL_keepOriginsAndReceiveOnlyTheirOwn() async throws {
        let folder = try TemporaryDirectory()
        let url = try await PostgresTestServer.makeDatabase(folder: folder)
        let country = try await Country.start(
            [("essaouira-province", "essaouira"), ("south-province", "tamanar")],
            national: try HubServerProcess(postgres: url)
        )
        let (north, south) = (country.provinces[0], country.provinces[1])
        for (replica, titles) in [(north.replica, ["A1", "A2"]), (south.replica, ["B1"])] {
            for title in titles {
                expectSuccess(
                    try await replica("proposal", "create", "--title", title, "--body", "نص \(title)"),
                    "create"
                )
            }
            expectSuccess(try await replica("sync"), "replica sync")
        }
        for province in country.provinces {
            expectSuccess(try await country.upstreamSync(province), "upstream sync of \(province.name)")
        }
        for province in country.provinces {
            let origin = try await Country.replicaID(province.replica.database, folder: folder)
            let atReplica = try await Country.logCount(province.replica.database, origin: origin, folder: folder)
            let atNational = try await nationalLogCount(url, origin: origin, folder: folder)
            #expect(atReplica > 0 && atNational == atReplica, "\(province.name): \(atNational) of \(atReplica)")
        }
        // A second round: each province pulls what the national hub sends it, and only that.
        for province in country.provinces {
            expectSuccess(try await country.upstreamSync(province), "second upstream sync of \(province.name)")
        }
        #expect(try await Country.titles(north.hub.database, folder: folder) == ["A1", "A2"])
        #expect(try await Country.titles(south.hub.database, folder: folder) == ["B1"])
        let southOrigin = try await Country.replicaID(south.replica.database, folder: folder)
        #expect(try await Country.logCount(north.hub.database, origin: southOrigin, folder: folder) == 0)

        let replicas = try await country.national.run(["replicas"])
        expectSuccess(replicas, "hub-server replicas --postgres")
        #expect(replicas.stdout.contains("relay:essaouira-province"), "\(replicas.stdout)")
        #expect(!replicas.stdout.contains("differs"), "a relay's digest was reported as a mismatch")
    }

    @Test func provincialHubOnPostgreSQL_syncsUpstream_byCommandAndWhileServing() async throws {
        let national = try HubServerProcess()
        let relayToken = try await Country.enrollRelay("south-province", at: national)
        let nationalURL = try await national.start()

        let folder = try TemporaryDirectory()
        let province = try HubServerProcess(postgres: try await PostgresTestServer.makeDatabase(folder: folder))
        let tokenFile = folder.path("upstream.token")
        try Data(relayToken.utf8).write(to: URL(fileURLWithPath: tokenFile))
        let replicaToken = try await province.enroll(commune: "tamanar")
        let provinceURL = try await province.start()
        let replica = try ReplicaNodeProgram()
        try await replica.initialize(commune: "tamanar", hub: provinceURL, token: replicaToken)
        for title in ["S1", "S2"] {
            expectSuccess(try await replica("proposal", "create", "--title", title, "--body", "نص \(title)"), "create")
        }
        expectSuccess(try await replica("sync"), "replica sync")

        // `upstream sync --postgres`: the province's changes reach the nation with their origin.
        let upstream = ["upstream", "sync", "--url", nationalURL.absoluteString, "--token-file", tokenFile]
        let first = try await province.run(upstream)
        expectSuccess(first, "upstream sync --postgres")
        #expect(first.stdout.contains("pushed 2 change(s)"), "\(first.stdout)")
        #expect(try await Country.titles(national.database, folder: folder) == ["S1", "S2"])
        let origin = try await Country.replicaID(replica.database, folder: folder)
        let atNational = try await Country.logCount(national.database, origin: origin, folder: folder)
        #expect(atNational == (try await Country.logCount(replica.database, origin: origin, folder: folder)))

        // A national answer comes down through the province to the commune.
        let nationalStore = try ReplicaStore(path: national.database)
        let s1 = try #require(try nationalStore.proposals().first { $0.title == "S1" })
        try nationalStore.editProposal(s1.id, ProposalEdit(answer: "جواب وطني"))
        expectSuccess(try await province.run(upstream), "second upstream sync --postgres")
        expectSuccess(try await replica("sync"), "replica sync")
        let answer = try await Programs.query(
            replica.database,
            "SELECT answer FROM proposal WHERE id = '\(s1.id)';",
            folder: folder
        )
        #expect(answer == "جواب وطني")

        // `serve --postgres --upstream`: a new write reaches the nation by itself.
        try await province.stop()
        try await province.start(arguments: [
            "--upstream", nationalURL.absoluteString, "--upstream-token-file", tokenFile, "--upstream-interval", "1",
        ])
        expectSuccess(try await replica("proposal", "create", "--title", "S3", "--body", "نص S3"), "create")
        expectSuccess(try await replica("sync"), "replica sync")
        var arrived = false
        for _ in 0..<300 where !arrived {
            try await Task.sleep(for: .milliseconds(100))
            arrived = try await Country.titles(national.database, folder: folder) == ["S1", "S2", "S3"]
        }
        #expect(arrived, "the PostgreSQL hub did not sync upstream while serving")
        try await province.stop()
        try await national.stop()
    }
}
