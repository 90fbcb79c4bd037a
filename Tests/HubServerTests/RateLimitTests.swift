import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresHub
import SyncCore
import SyncHTTP
import SyncTestSupport
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

    @Test(
        .enabled(
            if: PostgresTestServer.shouldRun,
            "PostgreSQL limiter not tested: HUB_TEST_POSTGRES_URL is not set; run make test or scripts/with-postgres.sh"
        )
    )
    func postgresLimiter_sharesOneBucketPerCredential_betweenTwoPools() async throws {
        let folder = try TemporaryDirectory()
        let url = try PostgresURL(try await PostgresTestServer.makeDatabase(folder: folder))
        let logger = Logger(label: "pg-tests", factory: { _ in SwiftLogNoOpLogHandler() })
        // Two pools on one database, as two hub processes have.
        try await DatabaseOptions.withPostgres(url, logger: logger) { first in
            try await DatabaseOptions.withPostgres(url, logger: logger) { second in
                let limiters: [any CredentialLimiter] = [
                    PostgresRateLimiter(client: first.client, logger: logger, limit: 3),
                    PostgresRateLimiter(client: second.client, logger: logger, limit: 3),
                ]
                #expect(try await limiters[0].admit("a") == nil)
                #expect(try await limiters[1].admit("a") == nil)
                #expect(try await limiters[0].admit("a") == nil)
                // The bucket is empty, whichever pool asks; a token comes back in 20 s.
                let wait = try #require(try await limiters[1].admit("a"))
                #expect(wait > .seconds(19) && wait <= .seconds(20), "wait \(wait)")
                #expect(try await limiters[0].admit("a") != nil)
                #expect(try await limiters[0].admit("b") == nil)

                // Concurrent requests of one credential through both pools spend each token once.
                let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for index in 0..<40 {
                        group.addTask { try await limiters[index % 2].admit("c") == nil }
                    }
                    return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                #expect(admitted == 3)
            }
        }
    }

    @Test func serve_rateLimitOutOfRange_isRefused() {
        #expect(throws: (any Error).self) {
            _ = try HubServerCommand.parseAsRoot(["serve", "--db", "unused.sqlite", "--rate-limit", "0"])
        }
    }
}
