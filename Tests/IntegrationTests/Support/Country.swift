import Foundation
import SyncTestSupport

/// A national hub and provincial hubs enrolled at it as relays, each provincial hub with one
/// commune replica: every part a real process with its own database.
struct Country: Sendable {
    /// A provincial hub, its relay credential at the national hub, and a replica of one commune.
    struct Province: Sendable {
        let name: String
        let hub: HubServerProcess
        let replica: ReplicaNodeProgram
        /// The file holding the relay credential at the national hub.
        let tokenFile: String
    }

    let national: HubServerProcess
    let provinces: [Province]

    /// Starts the national hub, then one provincial hub and replica per `(province, commune)`.
    ///
    /// - Parameters:
    ///   - layout: The provinces and the commune of each one's replica.
    ///   - national: The national hub, not started yet (a SQLite hub by default).
    /// - Returns: The running country.
    /// - Throws: ``ProgramFailure`` when a program cannot be started or set up.
    static func start(
        _ layout: [(province: String, commune: String)],
        national: HubServerProcess? = nil
    ) async throws -> Country {
        let national = try national ?? HubServerProcess()
        var tokens: [String] = []
        for (province, _) in layout { tokens.append(try await enrollRelay(province, at: national)) }
        try await national.start()
        var provinces: [Province] = []
        for ((province, commune), token) in zip(layout, tokens) {
            let hub = try HubServerProcess()
            let tokenFile = hub.folder.path("upstream.token")
            try Data((token + "\n").utf8).write(to: URL(fileURLWithPath: tokenFile))
            let replicaToken = try await hub.enroll(commune: commune)
            let url = try await hub.start()
            let replica = try ReplicaNodeProgram()
            try await replica.initialize(commune: commune, hub: url, token: replicaToken)
            provinces.append(Province(name: province, hub: hub, replica: replica, tokenFile: tokenFile))
        }
        return Country(national: national, provinces: provinces)
    }

    /// Enrolls a provincial hub as a relay at a national hub and returns its credential.
    static func enrollRelay(_ province: String, at national: HubServerProcess) async throws -> String {
        let result = try await national.run(["enroll", "--relay", province, "--name", "\(province) hub", "--json"])
        guard result.succeeded,
            let object = try JSONSerialization.jsonObject(with: Data(result.stdoutBytes)) as? [String: Any],
            let token = object["token"] as? String
        else { throw ProgramFailure("hub-server enroll --relay failed: \(result.stderr)") }
        return token
    }

    /// Runs `hub-server upstream sync` on a provincial hub's database.
    ///
    /// - Parameters:
    ///   - province: The province.
    ///   - url: The upstream URL (the national hub's, or a proxy's).
    ///   - extra: More options.
    /// - Returns: How it ended.
    /// - Throws: When the program cannot be started.
    func upstreamSync(
        _ province: Province,
        via url: URL? = nil,
        _ extra: [String] = []
    ) async throws
        -> ProgramResult
    {
        let target = (url ?? national.url).absoluteString
        return try await province.hub.run(
            ["upstream", "sync", "--url", target, "--token-file", province.tokenFile] + extra
        )
    }

    /// The proposal titles a database holds, sorted.
    static func titles(_ database: String, folder: TemporaryDirectory) async throws -> [String] {
        let text = try await Programs.query(database, "SELECT title FROM proposal ORDER BY title;", folder: folder)
        return text.split(separator: "\n").map(String.init)
    }

    /// The identity of the replica of a database file.
    static func replicaID(_ database: String, folder: TemporaryDirectory) async throws -> String {
        try await Programs.query(database, "SELECT replica FROM crdt_self;", folder: folder)
    }

    /// The number of log entries of one origin in a database file.
    static func logCount(_ database: String, origin: String, folder: TemporaryDirectory) async throws -> Int {
        let text = try await Programs.query(
            database,
            "SELECT count(*) FROM crdt_log WHERE origin = '\(origin)';",
            folder: folder
        )
        return Int(text) ?? -1
    }
}
