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
        let app = buildApplication(configuration: configuration, store: fixture.hub, logger: .init(label: "tls-test"))
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
        try run("/usr/bin/curl", ["--silent", "--max-time", "10"] + arguments)
    }
}

/// A provincial CA and a certificate it issued for localhost and 127.0.0.1, made with openssl.
struct TestCertificates {
    let ca: String
    let certificate: String
    let key: String

    init(in folder: TemporaryDirectory) throws {
        ca = folder.path("ca.pem")
        certificate = folder.path("hub.pem")
        key = folder.path("hub-key.pem")
        let (caKey, request, extensions) = (folder.path("ca-key.pem"), folder.path("hub.csr"), folder.path("ext.cnf"))
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\n".write(toFile: extensions, atomically: true, encoding: .utf8)
        let steps: [[String]] = [
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey, "-out", ca, "-days", "2",
                "-subj", "/CN=Essaouira provincial test CA",
            ],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", request, "-subj", "/CN=localhost"],
            [
                "x509", "-req", "-in", request, "-CA", ca, "-CAkey", caKey, "-CAcreateserial", "-out", certificate,
                "-days", "2", "-extfile", extensions,
            ],
        ]
        for step in steps {
            let result = try run("/usr/bin/openssl", step)
            guard result.status == 0 else { throw CocoaError(.fileWriteUnknown) }
        }
    }
}

/// Runs a program and returns its exit status and standard output.
func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
