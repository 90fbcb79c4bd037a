import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SyncTestSupport
import Testing

@testable import HubServer

/// `hub-server serve --tls-cert --tls-key`: HTTPS with a certificate issued by a provincial CA,
/// generated here with openssl and checked with curl (`--cacert`).
@Suite struct TLSTests {
    @Test func hub_servesHTTPS_verifiedByItsCA() async throws {
        let fixture = try HubFixture()
        let files = try TestCertificates(in: fixture.folder)
        var configuration = HubConfiguration(host: "127.0.0.1", port: 0)
        configuration.tls = try HubConfiguration.loadTLS(certificatePath: files.certificate, keyPath: files.key)
        let app = try buildApplication(
            configuration: configuration,
            store: fixture.hub,
            logger: .init(label: "tls-test")
        )
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let trusted = try curl(["--cacert", files.ca, "https://localhost:\(port)/health"])
            #expect(trusted.status == 0)
            #expect(trusted.output.contains(#""status":"ok""#))
            let untrusted = try curl(["https://localhost:\(port)/health"])
            #expect(untrusted.status == 60, "curl must refuse a certificate of an unknown CA")
            let plain = try curl(["http://localhost:\(port)/health"])
            #expect(plain.status != 0 || !plain.output.contains("ok"))
        }
    }

    @Test func loadTLS_missingFile_namesIt() {
        do {
            _ = try HubConfiguration.loadTLS(certificatePath: "/nonexistent/cert.pem", keyPath: "/nonexistent/key.pem")
            Issue.record("a missing certificate was accepted")
        } catch {
            #expect("\(error)".contains("/nonexistent/cert.pem"))
        }
    }

    @Test func serve_tlsCertWithoutKey_isRefused() {
        #expect(throws: (any Error).self) {
            _ = try HubServerCommand.parseAsRoot(["serve", "--db", "x.sqlite", "--tls-cert", "cert.pem"])
        }
    }

    private func curl(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try runProgram("/usr/bin/curl", ["--silent", "--max-time", "60"] + arguments)
    }
}
