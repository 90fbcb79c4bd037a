import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdTesting
import SyncCore
import Testing

@testable import HubServer

@Suite struct CredentialRoutesTests {
    @Test func pull_afterRotate_oldTokenIs401_newTokenIs200() async throws {
        let fixture = try HubFixture()
        let old = try fixture.enroll("ounagha")
        let enrollment = try #require(try fixture.hub.enrollments().first)
        let pull = PullRequest(vector: VersionVector(), limit: 10)
        try await fixture.makeApp().test(.router) { client in
            #expect(try await client.post("/v1/pull", token: old, json: pull).status == .ok)
            let new = try fixture.hub.rotate(enrollment: enrollment.id)
            let refused = try await client.post("/v1/pull", token: old, json: pull)
            #expect(refused.status == .unauthorized)
            #expect(refused.headers[.wwwAuthenticate] != nil)
            #expect(try Wire.decode(ErrorResponse.self, refused).error.code == "unauthorized")
            #expect(try await client.post("/v1/pull", token: new, json: pull).status == .ok)
        }
    }

    @Test func rotateCommand_parsesIdAndJSONFlag() throws {
        let command = try HubServerCommand.parseAsRoot(["rotate", "--db", "hub.sqlite", "ID-1", "--json"])
        let rotate = try #require(command as? RotateCommand)
        #expect(rotate.id == "ID-1")
        #expect(rotate.json)
    }
}
