import Foundation
import SyncTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

#if canImport(Glibc)
import Glibc
#endif

/// Field laptops sync with their commune office, which relays to the hub later.
///
/// The office runs `replica-node serve --sync-listen`; no change crosses a link twice, and a
/// laptop's identity belongs to the office that relays it. Real `hub-server` and `replica-node`
/// processes on loopback.
@Suite(.serialized) struct OfficeSyncTests {
    @Test func laptopToOfficeToHub_relaysTrueOrigins_noChangeCrossesTwice_andTheHubRefusesTheLaptopsOwnHello()
        async throws
    {
        let hub = try HubServerProcess()
        let officeToken = try await hub.enroll(commune: "tamanar")
        let laptopToken = try await hub.enroll(commune: "tamanar")
        let essaouiraToken = try await hub.enroll(commune: "essaouira")
        let hubURL = try await hub.start()
        let officeReplica = try ReplicaNodeProgram()
        try await officeReplica.initialize(commune: "tamanar", hub: hubURL, token: officeToken)
        let laptop = try ReplicaNodeProgram()
        try await laptop.initialize(commune: "tamanar", hub: hubURL, token: laptopToken)
        let essaouira = try ReplicaNodeProgram()
        try await essaouira.initialize(commune: "essaouira", hub: hubURL, token: essaouiraToken)

        try await essaouira.createProposals(2, prefix: "مقترح الصويرة")
        #expect(try await essaouira.syncReport().pushed == 2)
        #expect(try await officeReplica.syncReport().pulled == 2)
        let (_, tokenFile) = try await officeReplica.addPeer(label: "field laptop 1", tokenFileIn: laptop.folder)
        let office = try await Office.serve(officeReplica)
        let peer = ["--peer", office.url.absoluteString, "--token-file", tokenFile]

        // In the village: three proposals; back at the office, sync with it (no hub).
        try await laptop.createProposals(3, prefix: "زيارة مدرسة")
        let atOffice = try await laptop.syncReport(peer)
        #expect(atOffice.pushed == 3)
        #expect(atOffice.pulled == 2)
        #expect(atOffice.digestsMatch)
        #expect(try await laptop.syncReport(peer).pushed == 0)

        // The office relays the laptop's changes, with their true origin, and its own.
        try await officeReplica.createProposals(1, prefix: "Atelier du bureau")
        let relay = try await officeReplica.syncReport()
        #expect(relay.pushed == 4)
        #expect(relay.pulled == 0)
        #expect(relay.digestsMatch)

        // The laptop's identity is the office's to relay now: the hub refuses it from the laptop's
        // own hub credential (another enrollment could otherwise claim it), and nothing is applied.
        try await essaouira.createProposals(1, prefix: "مقترح جديد")
        _ = try await essaouira.syncReport()
        let hubDigest = try await hub.digest()
        let direct = try await laptop.run(["sync"])
        #expect(direct.status == 77)
        #expect(direct.stderr.contains("another enrollment presented or brought first"), "\(direct.stderr)")
        #expect(try await hub.digest() == hubDigest)

        // Through its office it pushes nothing more and pulls only what is new.
        _ = try await officeReplica.syncReport()
        let later = try await laptop.syncReport(peer)
        #expect(later.pushed == 0)
        #expect(later.pulled == 2)
        #expect(later.digestsMatch)
        #expect(try await laptop.proposals().count == 7)

        let digests: Set<String> = [
            try await hub.digest(), try await officeReplica.digest(), try await laptop.digest(),
            try await essaouira.digest(),
        ]
        #expect(digests.count == 1)
        try await office.stop()
    }

    @Test func officeSync_refusesUnknownOrRevokedCredentials() async throws {
        let hub = try HubServerProcess()
        let officeToken = try await hub.enroll(commune: "ounagha")
        let strangerToken = try await hub.enroll(commune: "ounagha")
        let officeReplica = try ReplicaNodeProgram()
        try await officeReplica.initialize(
            commune: "ounagha",
            hub: URL(string: "http://127.0.0.1:9")!,
            token: officeToken
        )
        let laptop = try ReplicaNodeProgram()
        try await laptop.initialize(commune: "ounagha", hub: URL(string: "http://127.0.0.1:9")!, token: strangerToken)
        let (added, tokenFile) = try await officeReplica.addPeer(label: "field laptop 2", tokenFileIn: laptop.folder)
        let office = try await Office.serve(officeReplica)
        try await laptop.createProposals(1, prefix: "Visite")

        // The hub's credential is not the office's: refused, nothing applied there.
        let hubCredential = laptop.folder.path("hub.token")
        try Data(strangerToken.utf8).write(to: URL(fileURLWithPath: hubCredential))
        let stranger = try await laptop.run([
            "sync", "--peer", office.url.absoluteString, "--token-file", hubCredential,
        ])
        #expect(stranger.status == 77)
        #expect(stranger.stderr.contains("unknown credential"))
        #expect(try await officeReplica.proposals().isEmpty)

        #expect(
            try await laptop.syncReport(["--peer", office.url.absoluteString, "--token-file", tokenFile]).pushed == 1
        )
        let revoke = try await officeReplica.run(["peer", "revoke", added.id])
        #expect(revoke.succeeded, "\(revoke.stderr)")
        let revoked = try await laptop.run(["sync", "--peer", office.url.absoluteString, "--token-file", tokenFile])
        #expect(revoked.status == 77)
        #expect(revoked.stderr.contains("revoked"))
        let list = try await officeReplica.run(["peer", "list", "--json"])
        #expect(list.stdout.contains("\"revoked\" : true"))
        try await office.stop()
    }

    @Test func serveWithoutSyncListen_answersNoSyncRoute() async throws {
        let hub = try HubServerProcess()
        let token = try await hub.enroll(commune: "essaouira")
        let office = try ReplicaNodeProgram()
        try await office.initialize(commune: "essaouira", hub: URL(string: "http://127.0.0.1:9")!, token: token)
        let (_, tokenFile) = try await office.addPeer(label: "field laptop 3", tokenFileIn: office.folder)
        let server = try office.spawn(["serve", "--port", "0"])
        defer { server.kill(SIGTERM) }
        guard try await server.waitForOutput("serving http://") else {
            throw ProgramFailure("replica-node serve did not start: \(server.stderrSoFar)")
        }
        #expect(!server.stdoutSoFar.contains("sync endpoints"))
        let line = server.stdoutSoFar.split(separator: "\n").first { $0.contains("serving http://") } ?? ""
        let pages = try #require(URL(string: String(line.split(separator: " ").last ?? "")))
        var request = URLRequest(url: pages.appendingPathComponent("v1/hello"))
        request.httpMethod = "POST"
        let laptopToken = try String(contentsOfFile: tokenFile, encoding: .utf8)
        request.setValue(
            "Bearer \(laptopToken.trimmingCharacters(in: .whitespacesAndNewlines))",
            forHTTPHeaderField: "Authorization"
        )
        request.httpBody = Data(
            #"{"protocolVersion":1,"schemaVersion":1,"replica":"0350442c-cc46-4162-838a-368e792315f0","previousIdentities":[],"vector":{}}"#
                .utf8
        )
        // The clerk pages refuse the POST (no anti-forgery token, or no such page); no hello is answered.
        let (body, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode
        #expect(status == 403 || status == 404, "status \(status ?? 0)")
        #expect(!String(decoding: body, as: UTF8.self).contains("\"vector\""))
    }
}
