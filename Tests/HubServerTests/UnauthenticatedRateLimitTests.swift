import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdTesting
import SyncCore
import SyncHTTP
import SyncTestSupport
import Testing

@testable import HubServer

/// Requests without a valid credential are limited per client address, before the register is read.
@Suite struct UnauthenticatedRateLimitTests {
    private static let pull = PullRequest(vector: VersionVector(), limit: 10)

    @Test func badCredentials_beyondTheLimit_are429_andValidOnesDoNotCount() async throws {
        let fixture = try HubFixture()
        let token = try fixture.enroll("tamanar")
        let revoked = try fixture.enroll("tamanar")
        try fixture.hub.revoke(enrollment: String(revoked.split(separator: ".")[1]))
        try await fixture.makeApp(unauthenticatedRateLimit: 4).test(.router) { client in
            // Valid requests take nothing from the address's bucket.
            for _ in 0..<6 { #expect(try await client.post("/v1/pull", token: token, json: Self.pull).status == .ok) }
            let bad: [String?] = [nil, "not-a-token", "esw1.0193aaaa-0000-7000-8000-000000000000.wrong", revoked]
            for credential in bad {
                #expect(try await client.post("/v1/pull", token: credential, json: Self.pull).status == .unauthorized)
            }
            let refused = try await client.post("/v1/pull", token: "esw1.x.y", json: Self.pull)
            #expect(refused.status == .tooManyRequests)
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
            let body = try Wire.decode(ErrorResponse.self, refused)
            #expect(body.error.code == "rate-limited")
            #expect(body.error.message.contains("without a valid credential"))
            #expect(body.error.message.contains("--unauthenticated-rate-limit"))
            // The refusal comes before the register is read: a valid credential from the same
            // address waits too.
            #expect(try await client.post("/v1/pull", token: token, json: Self.pull).status == .tooManyRequests)
        }
    }

    @Test func eachAddress_hasItsOwnBucket() {
        let limiter = RateLimiter(limit: 2)
        #expect(limiter.wait("10.0.0.1", now: .seconds(0)) == nil)
        _ = limiter.admit("10.0.0.1", now: .seconds(0))
        _ = limiter.admit("10.0.0.1", now: .seconds(0))
        #expect(limiter.wait("10.0.0.1", now: .seconds(0)) == .seconds(30))
        #expect(limiter.wait("10.0.0.2", now: .seconds(0)) == nil)
        #expect(limiter.wait("10.0.0.1", now: .seconds(30)) == nil)
    }

    @Test func serve_unauthenticatedRateLimitOutOfRange_isRefused() {
        #expect(throws: (any Error).self) {
            _ = try HubServerCommand.parseAsRoot(["serve", "--db", "x.sqlite", "--unauthenticated-rate-limit", "0"])
        }
    }
}

/// The names a listener answers to.
@Suite struct AllowedHostsTests {
    @Test(arguments: [
        ("127.0.0.1:8090", true), ("localhost", true), ("LOCALHOST.:8090", true), ("[::1]:8090", true),
        ("office.local:8091", true), ("evil.example", false), ("127.0.0.1.evil.example", false), ("", false),
        ("[::1", false), ("office.local:80x", false),
    ])
    func loopbackListener_admitsItsNamesOnly(authority: String, admitted: Bool) {
        let hosts = AllowedHosts(listeningOn: "127.0.0.1", extra: ["Office.Local"])
        #expect(hosts.admits(authority) == admitted)
    }

    @Test func missingHost_isRefused() {
        #expect(!AllowedHosts(listeningOn: "127.0.0.1").admits(nil))
    }

    @Test func names_ignoreTheirPort() {
        let hosts = AllowedHosts(names: ["hub.example.ma:8443", "::1"])
        #expect(hosts.admits("hub.example.ma"))
        #expect(hosts.admits("[::1]:8080"))
    }

    @Test func wildcardListener_admitsThisMachinesNames() {
        let hosts = AllowedHosts(listeningOn: "0.0.0.0")
        #expect(hosts.admits("127.0.0.1:8091"))
        #expect(hosts.admits(ProcessInfo.processInfo.hostName))
        #expect(!hosts.admits("evil.example"))
    }
}
