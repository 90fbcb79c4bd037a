import Foundation
import SyncCore
import SyncTestSupport
import Testing

/// USB bundles between a field laptop and its commune office with the real `replica-node`
/// binary: a round trip both ways, an idempotent re-import, and hostile files (truncated,
/// altered, signed with the wrong key, oversized, of a newer schema) refused with nothing applied.
@Suite(.serialized) struct BundleTests {
    private struct Exported: Decodable {
        var changes: Int
        var batches: Int
    }

    private struct Imported: Decodable {
        var applied: Int
        var ignored: Int
    }

    /// An office and a laptop enrolled at it (the laptop's only credential is the office's).
    private func officeAndLaptop() async throws -> (office: ReplicaNodeProgram, laptop: ReplicaNodeProgram, id: String)
    {
        let hub = try HubServerProcess()
        let officeToken = try await hub.enroll(commune: "tamanar")
        let office = try ReplicaNodeProgram()
        try await office.initialize(commune: "tamanar", hub: URL(string: "http://127.0.0.1:9")!, token: officeToken)
        let laptop = try ReplicaNodeProgram()
        let (peer, _) = try await office.addPeer(label: "field laptop 1", tokenFileIn: laptop.folder)
        try await laptop.initialize(commune: "tamanar", hub: URL(string: "http://127.0.0.1:9")!, token: peer.token)
        return (office, laptop, peer.id)
    }

    private func export(_ replica: ReplicaNodeProgram, for receiver: String, to file: String) async throws -> Exported {
        let result = try await replica.run(["bundle", "export", "--for", receiver, file, "--json"])
        guard result.succeeded else { throw ProgramFailure("bundle export failed: \(result.stderr)") }
        return try JSONDecoder().decode(Exported.self, from: Data(result.stdout.utf8))
    }

    private func importBundle(_ replica: ReplicaNodeProgram, _ file: String) async throws -> Imported {
        let result = try await replica.run(["bundle", "import", file, "--json"])
        guard result.succeeded else { throw ProgramFailure("bundle import failed: \(result.stderr)") }
        return try JSONDecoder().decode(Imported.self, from: Data(result.stdout.utf8))
    }

    @Test func roundTrip_laptopToOfficeAndBack_byFile() async throws {
        let (office, laptop, laptopID) = try await officeAndLaptop()
        try await office.createProposals(2, prefix: "Atelier")
        try await laptop.createProposals(3, prefix: "زيارة مدرسة")
        let toOffice = laptop.folder.path("to-office.bundle")
        #expect(try await export(laptop, for: "{}", to: toOffice).changes == 3)

        let first = try await importBundle(office, toOffice)
        #expect(first.applied == 3)
        let digest = try await office.digest()
        let vector = try await office.vectorRows()
        let again = try await importBundle(office, toOffice)
        #expect(again.applied == 0 && again.ignored == 3)
        #expect(try await office.digest() == digest)
        #expect(try await office.vectorRows() == vector)

        // Back to the laptop: cut for the laptop's last known vector, so its own 3 stay home.
        let toLaptop = office.folder.path("to-laptop.bundle")
        let back = try await export(office, for: laptopID, to: toLaptop)
        #expect(back.changes == 2)
        #expect(try await importBundle(laptop, toLaptop).applied == 2)
        #expect(try await laptop.digest() == (try await office.digest()))
        #expect(try await export(laptop, for: try await laptop.vectorJSON(), to: toOffice).changes == 0)

        // The laptop names the office by the replica id of the bundle it imported from it.
        try await laptop.createProposals(1, prefix: "Séance de sensibilisation")
        let officeID = try await Programs.query(
            office.database,
            "SELECT replica FROM crdt_self;",
            folder: office.folder
        )
        #expect(try await export(laptop, for: officeID, to: toOffice).changes == 1)
        #expect(try await importBundle(office, toOffice).applied == 1)
        #expect(try await laptop.digest() == (try await office.digest()))
    }

    @Test func hostileBundles_areRefused_withNothingApplied() async throws {
        let (office, laptop, _) = try await officeAndLaptop()
        try await laptop.createProposals(4, prefix: "Visite d'école")
        let good = laptop.folder.path("good.bundle")
        _ = try await export(laptop, for: "{}", to: good)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: good)))
        let digest = try await office.digest()
        let vector = try await office.vectorRows()

        func refuse(_ contents: [UInt8], _ name: String, expecting text: String) async throws {
            let file = office.folder.path(name)
            try Data(contents).write(to: URL(fileURLWithPath: file))
            let result = try await office.run(["bundle", "import", file])
            #expect(!result.succeeded, "\(name) was accepted")
            #expect(result.stderr.contains(text), "\(name): \(result.stderr)")
            #expect(result.stderr.contains("nothing was applied"), "\(name): \(result.stderr)")
        }

        for length in [0, 1, 10, bytes.count / 3, bytes.count / 2, bytes.count - 9, bytes.count - 1] {
            try await refuse(Array(bytes.prefix(length)), "truncated-\(length).bundle", expecting: "bundle")
        }
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x01
        try await refuse(flipped, "flipped.bundle", expecting: "corrupt")

        // Inside the compression: the frame's checksum, its tag and its schema version.
        let frame = try await gunzip(bytes, folder: office.folder)
        var altered = frame
        altered[frame.count / 2] ^= 0x01
        try await refuse(try await gzip(altered, folder: office.folder), "altered.bundle", expecting: "checksum")
        let laptopKey = SyncBundle.key(forToken: try await credential(of: laptop))
        let opened = try SyncBundle.open(frame, schemaVersion: 1) { _ in laptopKey }
        let wrongKey = try opened.encoded(
            key: SyncBundle.key(forToken: "esw1.\(opened.header.keyID).not-the-secret-000")
        )
        try await refuse(try await gzip(wrongKey, folder: office.folder), "wrong-key.bundle", expecting: "tag")
        var stranger = opened
        stranger.header.keyID = "0190a5e4-0000-7000-8000-00000000dead"
        let unknown = try stranger.encoded(key: SyncBundle.key(forToken: "esw1.x.y"))
        try await refuse(try await gzip(unknown, folder: office.folder), "unknown.bundle", expecting: "does not know")

        let oversized = office.folder.path("oversized.bundle")
        _ = FileManager.default.createFile(atPath: oversized, contents: Data([0x1f, 0x8b]))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: oversized))
        try handle.truncate(atOffset: UInt64(SyncBundle.defaultMaxBytes) + 1)
        try handle.close()
        let big = try await office.run(["bundle", "import", oversized])
        #expect(!big.succeeded && big.stderr.contains("more than"), "\(big.stderr)")

        #expect(try await office.digest() == digest)
        #expect(try await office.vectorRows() == vector)
        #expect(try await office.proposals().isEmpty)
        #expect(try await importBundle(office, good).applied == 4)
    }

    @Test func bundleOfANewerSchema_isImported_keepingItsNewFieldsUntilTheOfficeUpgrades() async throws {
        let hub = try HubServerProcess()
        let officeToken = try await hub.enroll(commune: "tamanar")
        // The office still runs schema version 1; the laptop was upgraded first.
        let office = try ReplicaNodeProgram(environment: [Schema.versionVariable: "1"])
        try await office.initialize(commune: "tamanar", hub: URL(string: "http://127.0.0.1:9")!, token: officeToken)
        let laptop = try ReplicaNodeProgram()
        let (peer, _) = try await office.addPeer(label: "field laptop 1", tokenFileIn: laptop.folder)
        try await laptop.initialize(commune: "tamanar", hub: URL(string: "http://127.0.0.1:9")!, token: peer.token)
        let created = try await laptop.run([
            "proposal", "create", "--title", "Piste", "--body", "b", "--place", "Douar Tafedna",
        ])
        #expect(created.succeeded, "\(created.stderr)")
        let good = laptop.folder.path("good.bundle")
        _ = try await export(laptop, for: "{}", to: good)
        let imported = try await importBundle(office, good)
        #expect(imported.applied == 1)
        #expect(try await office.digest() == (try ReplicaStore(path: laptop.database).digest(schemaVersion: 1)))
        // Upgraded, the office shows the place it kept, and holds what the laptop holds.
        let upgraded = ReplicaNodeProgram(database: office.database, folder: office.folder)
        #expect(try await upgraded.digest() == (try await laptop.digest()))
        let shown = try await upgraded.run(["proposal", "show", created.trimmedOutput])
        #expect(shown.stdout.contains("place: Douar Tafedna"), "\(shown.stdout)")
        #expect(try await importBundle(upgraded, good).ignored == 1)
    }

    /// The credential a replica was given at `init`, read from its database.
    private func credential(of replica: ReplicaNodeProgram) async throws -> String {
        try await Programs.query(
            replica.database,
            "SELECT value FROM crdt_setting WHERE key = 'node.token';",
            folder: replica.folder
        )
    }

    private func gzip(_ bytes: [UInt8], folder: TemporaryDirectory) async throws -> [UInt8] {
        try await pipe(bytes, through: ["-c", "-n"], folder: folder)
    }

    private func gunzip(_ bytes: [UInt8], folder: TemporaryDirectory) async throws -> [UInt8] {
        try await pipe(bytes, through: ["-d", "-c"], folder: folder)
    }

    private func pipe(_ bytes: [UInt8], through options: [String], folder: TemporaryDirectory) async throws -> [UInt8] {
        guard let gzip = Programs.tool("gzip") else { throw ProgramFailure("gzip is not installed") }
        let input = folder.path("pipe-\(UUID().uuidString)")
        try Data(bytes).write(to: URL(fileURLWithPath: input))
        let result = try await Programs.run(gzip, options + [input], folder: folder)
        guard result.succeeded else { throw ProgramFailure("gzip failed: \(result.stderr)") }
        return result.stdoutBytes
    }
}

extension ReplicaNodeProgram {
    /// The replica's vector as JSON, read from its database.
    func vectorJSON() async throws -> String {
        let rows = try await vectorRows()
        let entries = rows.split(separator: "\n").map { row in
            let parts = row.split(separator: "|")
            return "\"\(parts[0])\": \(parts[1])"
        }
        return "{" + entries.joined(separator: ", ") + "}"
    }
}
