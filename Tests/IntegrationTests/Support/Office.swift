import Foundation
import SyncTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A commune office's `replica-node serve --sync-listen` process, answering the sync protocol
/// for its field laptops on loopback, and the helpers its tests share.
struct Office: Sendable {
    /// The office's replica.
    let replica: ReplicaNodeProgram
    /// The running `serve` process.
    let server: ChildProcess
    /// The base URL of its sync endpoints.
    let url: URL

    /// The base URL of its clerk pages.
    var pages: URL {
        let line = server.stdoutSoFar.split(separator: "\n").first { $0.contains("serving http://") } ?? ""
        return URL(string: String(line.split(separator: " ").last ?? ""))!
    }

    /// Starts `serve` with the sync endpoints on a free loopback port.
    ///
    /// - Parameters:
    ///   - replica: The office's replica.
    ///   - listen: The `--sync-listen` address.
    ///   - arguments: More options of `serve` (such as `--sync-tls-cert`).
    /// - Returns: The running office.
    /// - Throws: ``ProgramFailure`` when it does not start.
    static func serve(
        _ replica: ReplicaNodeProgram,
        listen: String = "127.0.0.1:0",
        arguments: [String] = []
    ) async throws -> Office {
        let server = try replica.spawn(["serve", "--port", "0", "--sync-listen", listen] + arguments)
        guard try await server.waitForOutput("/v1\n"), try await server.waitForOutput("serving http://") else {
            throw ProgramFailure("replica-node serve did not start: \(server.stderrSoFar)")
        }
        let line = server.stdoutSoFar.split(separator: "\n").first { $0.contains("sync endpoints on") } ?? ""
        guard let address = line.split(separator: " ").last, let url = URL(string: String(address.dropLast(3))) else {
            throw ProgramFailure("replica-node serve printed no sync address: \(line)")
        }
        return Office(replica: replica, server: server, url: url)
    }

    /// Stops the server with SIGTERM and waits for it.
    func stop() async throws {
        server.kill(SIGTERM)
        _ = try await server.wait()
    }
}

/// What `replica-node sync --json` reports.
struct SyncSummary: Decodable {
    var pushed: Int
    var pulled: Int
    var digestsMatch: Bool
}

/// What `replica-node peer add --json` prints.
struct AddedPeer: Decodable {
    var id: String
    var token: String
}

extension ReplicaNodeProgram {
    /// Runs `sync --json` (with extra options) and decodes its report.
    func syncReport(_ arguments: [String] = []) async throws -> SyncSummary {
        let result = try await run(["sync", "--json"] + arguments)
        guard result.succeeded else { throw ProgramFailure("sync failed (\(result.status)): \(result.stderr)") }
        return try JSONDecoder().decode(SyncSummary.self, from: Data(result.stdout.utf8))
    }

    /// Enrolls a laptop at this office and saves its credential in a file of the laptop's folder.
    func addPeer(label: String, tokenFileIn folder: TemporaryDirectory) async throws -> (peer: AddedPeer, file: String)
    {
        let result = try await run(["peer", "add", "--label", label, "--json"])
        guard result.succeeded else { throw ProgramFailure("peer add failed: \(result.stderr)") }
        let peer = try JSONDecoder().decode(AddedPeer.self, from: Data(result.stdout.utf8))
        let file = folder.path("office-\(peer.id).token")
        try Data((peer.token + "\n").utf8).write(to: URL(fileURLWithPath: file))
        return (peer, file)
    }

    /// Creates proposals titled `<prefix> <n>`.
    func createProposals(_ count: Int, prefix: String) async throws {
        for index in 0..<count {
            let result = try await run(["proposal", "create", "--title", "\(prefix) \(index)", "--body", "نص \(index)"])
            guard result.succeeded else { throw ProgramFailure("proposal create failed: \(result.stderr)") }
        }
    }

    /// The version vector (other origins' entries and this replica's own sequence, the higher of
    /// `crdt_self`'s and its last own log entry's), as `sqlite3` prints it: one `origin|seq` line per origin.
    func vectorRows() async throws -> String {
        try await Programs.query(
            database,
            """
            SELECT origin, seq FROM crdt_vector UNION ALL
            SELECT replica, max(seq, coalesce((SELECT max(seq) FROM crdt_log WHERE origin = replica), 0)) AS seq
            FROM crdt_self WHERE seq > 0 OR EXISTS (SELECT 1 FROM crdt_log WHERE origin = replica) ORDER BY 1;
            """,
            folder: folder
        )
    }
}
