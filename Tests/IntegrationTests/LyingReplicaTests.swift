import Foundation
import SyncCore
import SyncTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A replica that lies cannot hurt the others.
///
/// An enrolled credential sends well-formed messages with claims it may not make to a real hub
/// (SQLite and PostgreSQL), a commune office, a national hub and a bundle import. Each lie is refused with nothing applied and recorded for
/// the operator; the honest replicas keep syncing, and their new writes arrive.
@Suite(.serialized) struct LyingReplicaTests {
    static var backends: [String] { PostgresTestServer.shouldRun ? ["sqlite", "postgres"] : ["sqlite"] }

    private static func hub(_ backend: String) async throws -> HubServerProcess {
        guard backend == "postgres" else { return try HubServerProcess() }
        let folder = try TemporaryDirectory()
        return try HubServerProcess(postgres: try await PostgresTestServer.makeDatabase(folder: folder))
    }

    /// Expects a refusal with a status and a code, and that the server's digest did not move.
    private func expectRefused(
        _ answer: Attacker.Answer,
        _ status: Int,
        _ code: String,
        digest: () async throws -> String,
        before: String,
        _ what: String
    ) async throws {
        #expect(answer.status == status, "\(what): \(answer.status) \(answer.body)")
        #expect(answer.code == code, "\(what): \(answer.body)")
        #expect(try await digest() == before, "\(what) changed the server's data")
    }

    @Test(arguments: backends)
    func hub_refusesEachLieOfAnEnrolledReplica_andTheHonestOnesKeepWorking(backend: String) async throws {
        let hub = try await Self.hub(backend)
        let tamanarToken = try await hub.enroll(commune: "tamanar")
        let ounaghaToken = try await hub.enroll(commune: "ounagha")
        let stolenToken = try await hub.enroll(commune: "ounagha")
        let url = try await hub.start()
        let tamanar = try ReplicaNodeProgram()
        try await tamanar.initialize(commune: "tamanar", hub: url, token: tamanarToken)
        let ounagha = try ReplicaNodeProgram()
        try await ounagha.initialize(commune: "ounagha", hub: url, token: ounaghaToken)
        let created = try await tamanar("proposal", "create", "--title", "ماء صالح للشرب", "--body", "نص")
        let proposal = created.trimmedOutput
        _ = try await tamanar.syncReport()
        _ = try await ounagha.syncReport()
        let tamanarID = try ReplicaID(parsing: try await Country.replicaID(tamanar.database, folder: tamanar.folder))
        let ounaghaID = try ReplicaID(parsing: try await Country.replicaID(ounagha.database, folder: ounagha.folder))

        let liar = Attacker(server: url, token: stolenToken)
        let (hubID, held) = try await liar.serverVector()
        let before = try await hub.digest()
        let digest = { try await hub.digest() }
        let max = VersionVector.maxSequence - 1

        // Freeze a field: a title whose context claims every future write of the office and the hub.
        try await expectRefused(
            try await liar.push(
                Attacker.titleWrite(
                    record: proposal,
                    origin: liar.identity,
                    seq: 1,
                    context: [liar.identity: 1, tamanarID: max, hubID: max],
                    covered: [CoveredRange(origin: liar.identity, after: 0, through: 1)]
                )
            ),
            400,
            "invalid-batch",
            digest: digest,
            before: before,
            "a context ahead of what exists"
        )
        // Silence another replica: cover its sequences up to the largest.
        try await expectRefused(
            try await liar.push(Attacker.silencing(tamanarID, after: held[tamanarID])),
            403,
            "forbidden",
            digest: digest,
            before: before,
            "a covered range of another replica"
        )
        // Brick another replica: a change under its origin at the largest sequence.
        try await expectRefused(
            try await liar.push(
                Attacker.titleWrite(
                    record: proposal,
                    origin: tamanarID,
                    seq: max,
                    context: [tamanarID: max],
                    covered: [CoveredRange(origin: tamanarID, after: held[tamanarID], through: max)]
                )
            ),
            403,
            "forbidden",
            digest: digest,
            before: before,
            "a change under another replica's origin"
        )
        // Claim identities the hub holds: its own, another commune's office, a replica of its commune.
        for (claimed, what) in [
            (hubID, "the hub's identity"), (tamanarID, "another commune's"), (ounaghaID, "its commune's"),
        ] {
            try await expectRefused(
                try await liar.hello(presenting: [claimed]),
                403,
                "forbidden",
                digest: digest,
                before: before,
                "a hello presenting \(what)"
            )
        }
        // An 11 MiB hello of 300,000 origins is refused, not stored.
        var huge = VersionVector()
        for _ in 0..<300_000 { huge[ReplicaID()] = 1 }
        try await expectRefused(
            try await liar.hello(vector: huge),
            413,
            "too-large",
            digest: digest,
            before: before,
            "an oversized vector"
        )

        // The honest replicas keep working: a new title reaches the other commune.
        let edit = try await tamanar("proposal", "edit", proposal, "--title", "ماء صالح للشرب في الدواوير")
        #expect(edit.succeeded, "\(edit.stderr)")
        #expect(try await tamanar.syncReport().pushed == 1)
        #expect(try await ounagha.syncReport().pulled == 1)
        #expect(try await ounagha.proposals().first { $0.id == proposal }?.title == "ماء صالح للشرب في الدواوير")
        #expect(Set([try await hub.digest(), try await tamanar.digest(), try await ounagha.digest()]).count == 1)

        // The operator sees the liar's seven refusals, and none of the others'.
        let replicas = try await hub.run(["replicas", "--json"]).jsonArray
        let stolen = try #require(
            replicas.first { ($0["origins"] as? [String])?.contains(liar.identity.rawValue) == true }
        )
        #expect(stolen["refusals"] as? Int == 7)
        #expect((stolen["lastRefusal"] as? String)?.contains("too-large") == true)
        #expect(replicas.filter { $0["refusals"] as? Int == 0 }.count == 2)
        let text = try await hub.run(["replicas"]).stdout
        #expect(text.contains("refused"))
        // A vector within the bound is answered, but only the origins the hub knows are stored.
        var padded = held
        for _ in 0..<200 { padded[ReplicaID()] = 1 }
        #expect(try await liar.hello(vector: padded).status == 200)
        if backend == "sqlite" {
            let stored = try await Programs.query(
                hub.database,
                "SELECT last_vector FROM sync_enrollment e JOIN sync_origin o ON o.enrollment_id = e.id "
                    + "WHERE o.origin = '\(liar.identity.rawValue)';",
                folder: hub.folder
            )
            let vector = try JSONDecoder().decode(VersionVector.self, from: Data(stored.utf8))
            #expect(Set(vector.entries.keys).isSubset(of: Set(held.entries.keys).union([liar.identity])))
        }
        let (metrics, _) = try await URLSession.shared.data(from: url.appendingPathComponent("metrics"))
        #expect(String(decoding: metrics, as: UTF8.self).contains("hub_refusals_total{code=\"forbidden\"} 5"))
    }

    @Test func office_refusesEachLieOfALaptop_andItsHonestLaptopKeepsWorking() async throws {
        let hub = try HubServerProcess()
        let officeToken = try await hub.enroll(commune: "tamanar")
        let essaouiraToken = try await hub.enroll(commune: "essaouira")
        let hubURL = try await hub.start()
        let office = try ReplicaNodeProgram()
        try await office.initialize(commune: "tamanar", hub: hubURL, token: officeToken)
        let essaouira = try ReplicaNodeProgram()
        try await essaouira.initialize(commune: "essaouira", hub: hubURL, token: essaouiraToken)
        try await essaouira.createProposals(1, prefix: "Plage")
        _ = try await essaouira.syncReport()
        _ = try await office.syncReport()
        let essaouiraID = try ReplicaID(
            parsing: try await Country.replicaID(essaouira.database, folder: essaouira.folder)
        )

        let laptop = try ReplicaNodeProgram()
        let (_, laptopTokenFile) = try await office.addPeer(label: "field laptop 1", tokenFileIn: laptop.folder)
        let (stolen, _) = try await office.addPeer(label: "field laptop 2", tokenFileIn: office.folder)
        let serving = try await Office.serve(office)
        let laptopToken = try String(contentsOfFile: laptopTokenFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try await laptop.initialize(commune: "tamanar", hub: serving.url, token: laptopToken)
        let created = try await laptop("proposal", "create", "--title", "زيارة مدرسة", "--body", "نص")
        let proposal = created.trimmedOutput
        #expect(try await laptop.syncReport().pushed == 1)
        let laptopID = try ReplicaID(parsing: try await Country.replicaID(laptop.database, folder: laptop.folder))
        let hubID = try ReplicaID(parsing: try await Country.replicaID(hub.database, folder: hub.folder))

        let liar = Attacker(server: serving.url, token: stolen.token)
        let (officeID, held) = try await liar.serverVector()
        let digest = { try await office.digest() }
        let before = try await digest()
        let max = VersionVector.maxSequence - 1
        for (claimed, what) in [
            (hubID, "the hub's identity"), (officeID, "the office's identity"),
            (essaouiraID, "a replica heard of through the hub"),
            (laptopID, "another laptop's identity"),
        ] {
            try await expectRefused(
                try await liar.hello(presenting: [claimed]),
                403,
                "forbidden",
                digest: digest,
                before: before,
                what
            )
        }
        try await expectRefused(
            try await liar.push(
                Attacker.titleWrite(
                    record: proposal,
                    origin: liar.identity,
                    seq: 1,
                    context: [liar.identity: 1, laptopID: max]
                )
            ),
            400,
            "invalid-batch",
            digest: digest,
            before: before,
            "a context ahead of what exists"
        )
        try await expectRefused(
            try await liar.push(Attacker.silencing(laptopID, after: held[laptopID])),
            403,
            "forbidden",
            digest: digest,
            before: before,
            "a covered range of another laptop"
        )
        try await expectRefused(
            try await liar.push(Attacker.titleWrite(record: proposal, origin: hubID, seq: max, context: [hubID: max])),
            403,
            "forbidden",
            digest: digest,
            before: before,
            "a forged province answer under the hub's identity"
        )

        // The honest laptop keeps working, through the office to the hub and the other commune.
        let edit = try await laptop("proposal", "edit", proposal, "--title", "زيارة مدرسة ابتدائية")
        #expect(edit.succeeded, "\(edit.stderr)")
        #expect(try await laptop.syncReport().pushed == 1)
        _ = try await office.syncReport()
        _ = try await essaouira.syncReport()
        #expect(try await essaouira.proposals().first { $0.id == proposal }?.title == "زيارة مدرسة ابتدائية")
        let peers = try await office.run(["peer", "list", "--json"]).jsonArray
        #expect(peers.first { $0["id"] as? String == stolen.id }?["refusals"] as? Int == 7)
        #expect(peers.first { $0["label"] as? String == "field laptop 1" }?["refusals"] as? Int == 0)
        try await serving.stop()
    }

    @Test func bundleImport_refusesAForgedSenderOrOrigin_andTheHonestBundleStillApplies() async throws {
        let hub = try HubServerProcess()
        let officeToken = try await hub.enroll(commune: "tamanar")
        let hubURL = try await hub.start()
        let office = try ReplicaNodeProgram()
        try await office.initialize(commune: "tamanar", hub: hubURL, token: officeToken)
        _ = try await office.syncReport()
        let laptop = try ReplicaNodeProgram()
        let (peer, tokenFile) = try await office.addPeer(label: "field laptop 1", tokenFileIn: laptop.folder)
        let (stolen, _) = try await office.addPeer(label: "field laptop 2", tokenFileIn: office.folder)
        try await laptop.initialize(commune: "tamanar", hub: URL(string: "http://127.0.0.1:9")!, token: peer.token)
        try await laptop.createProposals(1, prefix: "Visite")
        let honest = laptop.folder.path("to-office.bundle")
        let exported = try await laptop.run(["bundle", "export", "--for", "{}", "--token-file", tokenFile, honest])
        #expect(exported.succeeded, "\(exported.stderr)")
        #expect(try await office.run(["bundle", "import", honest]).succeeded)
        let laptopID = try ReplicaID(parsing: try await Country.replicaID(laptop.database, folder: laptop.folder))
        let hubID = try ReplicaID(parsing: try await Country.replicaID(hub.database, folder: hub.folder))
        let officeID = try ReplicaID(parsing: try await Country.replicaID(office.database, folder: office.folder))
        let before = try await office.digest()

        let liar = ReplicaID()
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let record = RecordID.make(millis: now)
        let forgeries: [(ReplicaID, ChangeBatch, Int32, String)] = [
            (
                hubID, Attacker.titleWrite(record: record, origin: liar, seq: 1, context: [liar: 1]), 77,
                "a bundle sent as the hub"
            ),
            (
                officeID, Attacker.titleWrite(record: record, origin: liar, seq: 1, context: [liar: 1]), 77,
                "a bundle sent as the office"
            ),
            (
                liar, Attacker.titleWrite(record: record, origin: laptopID, seq: 1_000, context: [laptopID: 1_000]), 77,
                "another laptop's origin"
            ),
            (
                liar, Attacker.titleWrite(record: record, origin: liar, seq: 1, context: [liar: 1, hubID: 1_000_000]),
                65, "a context ahead"
            ),
        ]
        for (index, (sender, batch, status, what)) in forgeries.enumerated() {
            let header = SyncBundle.Header(
                sender: sender,
                keyID: stolen.id,
                forVector: VersionVector(),
                senderVector: VersionVector(),
                batches: [batch],
                schemaVersion: 1,
                createdAt: now
            )
            let frame = office.folder.path("forged-\(index).frame")
            let bytes = try SyncBundle(header: header, batches: [batch]).encoded(
                key: SyncBundle.key(forToken: stolen.token)
            )
            try Data(bytes).write(to: URL(fileURLWithPath: frame))
            // A bundle file is the frame, gzip-compressed (PROTOCOL.md section 11).
            let gzip = try await Programs.run("/bin/gzip", ["-n", frame], folder: office.folder)
            #expect(gzip.succeeded, "\(gzip.stderr)")
            let result = try await office.run(["bundle", "import", frame + ".gz"])
            #expect(result.status == status, "\(what): \(result.status) \(result.stderr)")
            #expect(try await office.digest() == before, "\(what) changed the office's data")
        }
        // The honest laptop's next bundle applies, and the office relays it to the hub.
        try await laptop.createProposals(1, prefix: "Deuxième visite")
        let next = laptop.folder.path("to-office-2.bundle")
        #expect(try await laptop.run(["bundle", "export", "--for", "{}", "--token-file", tokenFile, next]).succeeded)
        #expect(try await office.run(["bundle", "import", next]).succeeded)
        #expect(try await office.syncReport().pushed == 2)
        let peers = try await office.run(["peer", "list", "--json"]).jsonArray
        #expect(peers.first { $0["id"] as? String == stolen.id }?["refusals"] as? Int == 4)
    }

    @Test func relays_refuseTheNationalHubsIdentity_andTheNationalHubRefusesAStolenRelaysLies() async throws {
        let country = try await Country.start([("essaouira-province", "essaouira"), ("marrakech-province", "tamanar")])
        let (essaouira, marrakech) = (country.provinces[0], country.provinces[1])
        try await essaouira.replica.createProposals(1, prefix: "مقترح الصويرة")
        try await marrakech.replica.createProposals(1, prefix: "Proposition de Marrakech")
        for province in country.provinces {
            _ = try await province.replica.syncReport()
            let up = try await country.upstreamSync(province)
            #expect(up.succeeded, "\(up.stderr)")
        }
        let nationalID = try ReplicaID(
            parsing: try await Country.replicaID(country.national.database, folder: country.national.folder)
        )
        let marrakechReplica = try ReplicaID(
            parsing: try await Country.replicaID(marrakech.replica.database, folder: marrakech.replica.folder)
        )

        // At the provincial hub, a commune credential presenting the national hub's identity.
        let communeToken = try await essaouira.hub.enroll(commune: "essaouira")
        let atProvince = Attacker(server: essaouira.hub.url, token: communeToken)
        let provinceBefore = try await essaouira.hub.digest()
        try await expectRefused(
            try await atProvince.hello(presenting: [nationalID]),
            403,
            "forbidden",
            digest: { try await essaouira.hub.digest() },
            before: provinceBefore,
            "a hello presenting the national hub's identity"
        )
        try await expectRefused(
            try await atProvince.push(
                Attacker.titleWrite(
                    record: RecordID.make(millis: 1_795_915_719_412),
                    origin: nationalID,
                    seq: 1_000,
                    context: [nationalID: 1_000]
                )
            ),
            403,
            "forbidden",
            digest: { try await essaouira.hub.digest() },
            before: provinceBefore,
            "a forged national answer"
        )

        // At the national hub, the Essaouira relay's stolen credential.
        let relayToken = try String(contentsOfFile: essaouira.tokenFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let atNation = Attacker(server: country.national.url, token: relayToken)
        let (_, held) = try await atNation.serverVector()
        let nationalBefore = try await country.national.digest()
        let nationalDigest = { try await country.national.digest() }
        try await expectRefused(
            try await atNation.push(Attacker.silencing(marrakechReplica, after: held[marrakechReplica])),
            403,
            "forbidden",
            digest: nationalDigest,
            before: nationalBefore,
            "a covered range of another province's replica"
        )
        try await expectRefused(
            try await atNation.push(
                Attacker.titleWrite(
                    record: RecordID.make(millis: 1_795_915_719_412),
                    origin: atNation.identity,
                    seq: 1,
                    context: [atNation.identity: 1, marrakechReplica: 1_000_000]
                )
            ),
            400,
            "invalid-batch",
            digest: nationalDigest,
            before: nationalBefore,
            "a context ahead of another province's writes"
        )

        // Both provinces keep syncing up, and Essaouira's new proposal reaches the national hub.
        try await essaouira.replica.createProposals(1, prefix: "مقترح جديد")
        _ = try await essaouira.replica.syncReport()
        for province in country.provinces {
            let up = try await country.upstreamSync(province)
            #expect(up.succeeded, "\(up.stderr)")
        }
        let titles = try await Country.titles(country.national.database, folder: country.national.folder)
        #expect(titles.contains("مقترح جديد 0"))
    }
}
