import Foundation
import SyncTestSupport
import Testing

/// The commands that print a credential show how to give it to `init` without a command line.
@Suite struct CredentialHintTests {
    @Test func enrollRotateAndPeerAdd_printTheTokenFileForm() async throws {
        let hub = try HubServerProcess()
        let enrolled = try await hub.run(["enroll", "--commune", "tamanar"])
        #expect(enrolled.succeeded, "\(enrolled.stderr)")
        #expect(enrolled.stdout.contains("--token-file office.token"))
        #expect(!enrolled.stdout.contains("--token esw1"))
        let id = try #require(enrolled.stdout.split(separator: " ").dropFirst(2).first.map(String.init))
        let rotated = try await hub.run(["rotate", id])
        #expect(rotated.succeeded, "\(rotated.stderr)")
        #expect(rotated.stdout.contains("--token-file replica.token"))
        #expect(!rotated.stdout.contains("--token esw1"))

        let office = try ReplicaNodeProgram()
        try await office.initialize(
            commune: "tamanar",
            hub: URL(string: "http://127.0.0.1:9")!,
            token: "esw1.01936f0e-0000-7000-8000-000000000005.hint-secret-0123456789abcdef"
        )
        let added = try await office.run(["peer", "add", "--label", "field laptop"])
        #expect(added.succeeded, "\(added.stderr)")
        #expect(added.stdout.contains("--token-file office.token"))
        #expect(!added.stdout.contains("--token esw1"))
    }
}
