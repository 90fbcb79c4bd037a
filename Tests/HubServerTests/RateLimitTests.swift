import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdTesting
import SyncCore
import SyncHTTP
import Testing

@testable import HubServer

@Suite struct RateLimitTests {
    @Test func rateLimiter_refusesBeyondLimit_thenRefills() {
        let limiter = RateLimiter(limit: 3)
        for _ in 0..<3 { #expect(limiter.admit("a", now: .seconds(0)) == nil) }
        let wait = limiter.admit("a", now: .seconds(0))
        #expect(wait == .seconds(20))
        #expect(limiter.admit("b", now: .seconds(0)) == nil)
        #expect(limiter.admit("a", now: .seconds(10)) != nil)
        #expect(limiter.admit("a", now: .seconds(21)) == nil)
        #expect(limiter.admit("a", now: .seconds(21)) != nil)
    }

    @Test func pull_overRateLimit_is429WithRetryAfter_perCredential() async throws {
        let fixture = try HubFixture()
        let (first, second) = (try fixture.enroll("essaouira"), try fixture.enroll("tamanar"))
        let pull = PullRequest(vector: VersionVector(), limit: 10)
        try await fixture.makeApp(rateLimit: 3).test(.router) { client in
            for _ in 0..<3 { #expect(try await client.post("/v1/pull", token: first, json: pull).status == .ok) }
            let refused = try await client.post("/v1/pull", token: first, json: pull)
            #expect(refused.status == .tooManyRequests)
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
            let body = try Wire.decode(ErrorResponse.self, refused)
            #expect(body.error.code == "rate-limited")
            #expect(body.error.message.contains("3 requests"))
            #expect(try await client.post("/v1/pull", token: second, json: pull).status == .ok)
        }
    }

    @Test func serve_rateLimitOutOfRange_isRefused() {
        #expect(throws: (any Error).self) {
            _ = try HubServerCommand.parseAsRoot(["serve", "--db", "unused.sqlite", "--rate-limit", "0"])
        }
    }
}
