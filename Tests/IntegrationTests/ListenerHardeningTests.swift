import Foundation
import SyncTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The office's two listeners (`replica-node serve` and `--sync-listen`) as real processes:
/// their own Host names only, forms from this site only, idle timeouts, the limit on requests
/// without a valid credential, and HTTPS for the laptops.
@Suite(.serialized) struct ListenerHardeningTests {
    /// A well-formed anti-forgery token, sent both as the cookie and the form field.
    static let formToken = String(repeating: "A", count: 43)

    private static func office(_ arguments: [String] = []) async throws -> (Office, ReplicaNodeProgram) {
        let replica = try ReplicaNodeProgram()
        try await replica.initialize(
            commune: "tamanar",
            hub: URL(string: "http://127.0.0.1:9")!,
            token: "esw1.01936f0e-0000-7000-8000-000000000001.test-secret-0123456789abcdef"
        )
        return (try await Office.serve(replica, arguments: arguments), replica)
    }

    private static func status(_ answer: String) -> String {
        String(answer.split(separator: " ").dropFirst().first ?? "")
    }

    private static func get(_ path: String, host: String, port: Int) async throws -> String {
        let socket = try LoopbackSocket(port: port)
        defer { socket.close() }
        return try await socket.exchange("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n")
    }

    private static func postForm(
        _ path: String,
        _ form: String,
        port: Int,
        headers: [String] = []
    ) async throws -> String {
        let socket = try LoopbackSocket(port: port)
        defer { socket.close() }
        let body = "_csrf=\(formToken)&" + form
        let head =
            ["POST \(path) HTTP/1.1", "Host: 127.0.0.1:\(port)", "Cookie: csrf=\(formToken)"]
            + ["Content-Type: application/x-www-form-urlencoded", "Content-Length: \(body.utf8.count)"]
            + headers + ["Connection: close"]
        return try await socket.exchange(head.joined(separator: "\r\n") + "\r\n\r\n" + body)
    }

    @Test func clerkPages_answerOnlyTheirOwnHostNames() async throws {
        let (office, _) = try await Self.office(["--allowed-host", "Office.Local"])
        defer { office.server.kill(SIGTERM) }
        let port = try #require(office.pages.port)
        for (host, status) in [
            ("evil.example", "421"), ("evil.example:\(port)", "421"), ("127.0.0.1:\(port)", "303"),
            ("localhost:\(port)", "303"), ("[::1]:\(port)", "303"), ("office.local:\(port)", "303"),
        ] {
            let answer = try await Self.get("/", host: host, port: port)
            #expect(Self.status(answer) == status, "\(host): \(answer.prefix(60))")
            if status == "421" { #expect(answer.contains("--allowed-host")) }
        }
        let noHost = try await LoopbackSocket(port: port).exchange("GET / HTTP/1.0\r\n\r\n")
        #expect(Self.status(noHost) == "421")
    }

    @Test func clerkPages_refuseFormsFromAnotherSite_andChangeNothing() async throws {
        let (office, replica) = try await Self.office()
        defer { office.server.kill(SIGTERM) }
        let port = try #require(office.pages.port)
        let form = "title=Piste&body=x&commune=tamanar"
        for origin in ["Origin: http://evil.example", "Origin: null", "Referer: http://evil.example/x"] {
            let refused = try await Self.postForm("/proposals?lang=fr", form, port: port, headers: [origin])
            #expect(Self.status(refused) == "403", "\(origin)")
            #expect(refused.contains("autre site"))
        }
        #expect(try await replica.proposals().isEmpty)
        let accepted = try await Self.postForm(
            "/proposals",
            form,
            port: port,
            headers: ["Origin: http://127.0.0.1:\(port)"]
        )
        #expect(Self.status(accepted) == "303")
        #expect(try await replica.proposals().count == 1)
    }

    @Test func syncListen_answersOnlyItsOwnHostNames_withAJSONError() async throws {
        let (office, _) = try await Self.office()
        defer { office.server.kill(SIGTERM) }
        let port = try #require(office.url.port)
        let refused = try await Self.get("/health", host: "rebound.example", port: port)
        #expect(Self.status(refused) == "421")
        #expect(refused.contains("\"code\":\"misdirected-request\""))
        #expect(refused.contains("--allowed-host"))
        #expect(Self.status(try await Self.get("/health", host: "127.0.0.1:\(port)", port: port)) == "200")
    }

    @Test(arguments: ["pages", "sync"])
    func silentConnection_isClosedByIdleTimeout(listener: String) async throws {
        let (office, _) = try await Self.office(["--idle-timeout", "1"])
        defer { office.server.kill(SIGTERM) }
        let port = try #require(listener == "pages" ? office.pages.port : office.url.port)
        let silent = try LoopbackSocket(port: port)
        defer { silent.close() }
        #expect(await silent.receiveUntilClosed(timeoutSeconds: 30).closed, "a silent connection stayed open")
        let stalled = try LoopbackSocket(port: port)
        defer { stalled.close() }
        try stalled.send("POST /v1/pull HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{\"vector\":")
        #expect(await stalled.receiveUntilClosed(timeoutSeconds: 30).closed, "a stalled request stayed open")
    }

    @Test func syncListen_limitsRequestsWithoutAValidCredential_perAddress() async throws {
        let (office, replica) = try await Self.office(["--sync-unauthenticated-rate-limit", "2"])
        defer { office.server.kill(SIGTERM) }
        let laptop = try ReplicaNodeProgram()
        try await laptop.initialize(
            commune: "tamanar",
            hub: URL(string: "http://127.0.0.1:9")!,
            token: "esw1.01936f0e-0000-7000-8000-000000000003.laptop-hub-secret-0123456789"
        )
        let (_, tokenFile) = try await replica.addPeer(label: "field laptop", tokenFileIn: laptop.folder)
        let wrong = laptop.folder.path("wrong.token")
        try Data("esw1.01936f0e-0000-7000-8000-00000000dead.not-the-secret-0123456789\n".utf8)
            .write(to: URL(fileURLWithPath: wrong))
        let peer = ["sync", "--peer", office.url.absoluteString, "--retries", "0", "--token-file"]
        for _ in 0..<2 { #expect(try await laptop.run(peer + [wrong]).status == 77) }
        let limited = try await laptop.run(peer + [wrong])
        #expect(limited.status != 0 && limited.status != 77)
        #expect(limited.stderr.contains("without a valid credential"), "\(limited.stderr)")
        // Before any register lookup: the laptop's valid credential from the same address waits too.
        #expect(try await laptop.run(peer + [tokenFile]).status != 0)
    }

    @Test func syncListen_overHTTPS_syncsALaptopWithTheCAFile() async throws {
        let folder = try TemporaryDirectory()
        let files = try TestCertificates(in: folder)
        let (office, replica) = try await Self.office([
            "--sync-tls-cert", files.certificate, "--sync-tls-key", files.key, "--allowed-host", "localhost",
        ])
        defer { office.server.kill(SIGTERM) }
        #expect(office.url.scheme == "https")
        let port = try #require(office.url.port)
        let laptop = try ReplicaNodeProgram()
        try await laptop.initialize(
            commune: "tamanar",
            hub: URL(string: "http://127.0.0.1:9")!,
            token: "esw1.01936f0e-0000-7000-8000-000000000002.laptop-hub-secret-0123456789"
        )
        let (_, tokenFile) = try await replica.addPeer(label: "field laptop", tokenFileIn: laptop.folder)
        try await laptop.createProposals(2, prefix: "زيارة مدرسة")
        let url = "https://localhost:\(port)"
        let report = try await laptop.syncReport(["--peer", url, "--token-file", tokenFile, "--ca-file", files.ca])
        #expect(report.pushed == 2)
        #expect(report.digestsMatch)
        let curl = ["-sS", "-D", "-", "-o", "/dev/null", "--cacert", files.ca, url + "/health"]
        let headers = try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try runProgram("/usr/bin/curl", curl) }) }.start()
        }
        #expect(headers.output.lowercased().contains("strict-transport-security: max-age=31536000"))
        let untrusted = try await laptop.run(["sync", "--peer", url, "--token-file", tokenFile, "--retries", "0"])
        #expect(!untrusted.succeeded)
        #expect(try await replica.proposals().count == 2)
    }
}
