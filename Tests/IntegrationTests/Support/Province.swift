import Foundation
import SyncTestSupport

/// A `hub-server` process and `replica-node` replicas enrolled on it, each with its own files.
struct Province: Sendable {
    let hub: HubServerProcess
    let replicas: [ReplicaNodeProgram]
    let communes: [String]
    /// The faulty link between the replicas and the hub, if any.
    let proxy: FaultProxy?

    /// Starts a hub and sets up one replica per commune given (a commune may appear twice).
    ///
    /// - Parameters:
    ///   - communes: The replicas' communes.
    ///   - faults: When given, replicas reach the hub through a fault-injecting proxy.
    ///   - environments: Variables for each replica's processes, by index.
    /// - Returns: The running province.
    /// - Throws: ``ProgramFailure`` when a program cannot be started or set up.
    static func start(
        _ communes: [String],
        faults: FaultProxy.Faults? = nil,
        environments: [Int: [String: String]] = [:]
    ) async throws -> Province {
        let hub = try HubServerProcess()
        var tokens: [String] = []
        for commune in communes { tokens.append(try await hub.enroll(commune: commune)) }
        let url = try await hub.start()
        var proxy: FaultProxy?
        if let faults { proxy = try await FaultProxy.start(upstream: url, faults: faults, folder: hub.folder) }
        var replicas: [ReplicaNodeProgram] = []
        for (index, (commune, token)) in zip(communes, tokens).enumerated() {
            var replica = try ReplicaNodeProgram()
            try await replica.initialize(commune: commune, hub: proxy?.url ?? url, token: token)
            replica.environment = environments[index] ?? [:]
            replicas.append(replica)
        }
        return Province(hub: hub, replicas: replicas, communes: communes, proxy: proxy)
    }

    /// Syncs every replica in turn until every digest equals the hub's.
    ///
    /// - Parameters:
    ///   - rounds: The most rounds.
    ///   - arguments: Extra options of `sync`.
    /// - Returns: The round at which all digests matched (`nil` if they never did) and the failed syncs.
    /// - Throws: When a program cannot be started.
    func converge(rounds: Int = 4, arguments: [String] = []) async throws -> (round: Int?, failures: [String]) {
        var failures: [String] = []
        for round in 1...rounds {
            for replica in replicas {
                let result = try await replica.run(["sync"] + arguments)
                if !result.succeeded { failures.append("status \(result.status): \(result.stderr)") }
            }
            if try await digests().count == 1 { return (round, failures) }
        }
        return (nil, failures)
    }

    /// The distinct digests of the hub and every replica (one when all agree).
    func digests() async throws -> Set<String> {
        var digests: Set<String> = [try await hub.digest()]
        for replica in replicas { digests.insert(try await replica.digest()) }
        return digests
    }

    /// Every database file: the hub's, then the replicas'.
    var databases: [String] { [hub.database] + replicas.map(\.database) }
}

/// What a database file holds, read with the `sqlite3` tool.
struct DatabaseFacts: Equatable {
    var integrity: String
    var titles: [String]
    var logEntries: Int

    /// Reads the facts of a file.
    static func read(_ database: String, folder: TemporaryDirectory) async throws -> DatabaseFacts {
        let integrity = try await Programs.integrityCheck(database, folder: folder)
        let titles = try await Programs.query(database, "SELECT title FROM proposal;", folder: folder)
        let log = try await Programs.query(database, "SELECT count(*) FROM crdt_log;", folder: folder)
        return DatabaseFacts(
            integrity: integrity,
            titles: titles.split(separator: "\n").map(String.init),
            logEntries: Int(log) ?? -1
        )
    }

    /// Titles held more than once.
    var duplicateTitles: [String] {
        Dictionary(grouping: titles, by: { $0 }).filter { $0.value.count > 1 }.map(\.key)
    }
}

/// The writes a test made: those acknowledged (the command exited 0) and those cut short.
struct Ledger {
    private(set) var acknowledged: Set<String> = []
    private(set) var interrupted: Set<String> = []

    mutating func acknowledge<S: Sequence<String>>(_ titles: S) { acknowledged.formUnion(titles) }
    mutating func interrupt<S: Sequence<String>>(_ titles: S) { interrupted.formUnion(titles) }

    /// Acknowledged titles missing from a set of titles.
    func missing(from titles: Set<String>) -> Set<String> { acknowledged.subtracting(titles) }

    /// Titles that are neither acknowledged nor cut short: written by nobody.
    func unexplained(in titles: Set<String>) -> Set<String> {
        titles.subtracting(acknowledged).subtracting(interrupted)
    }
}

/// A CSV file of proposals with titles `<prefix>-0`, `<prefix>-1` and so on.
func proposalsCSV(prefix: String, rows: Int) -> (bytes: [UInt8], titles: [String]) {
    let titles = (0..<rows).map { "\(prefix)-\($0)" }
    var text = "title,body,category\n"
    for title in titles { text += "\(title),\"مقترح \(title), Essaouira\",urbanisme\n" }
    return (Array(text.utf8), titles)
}
