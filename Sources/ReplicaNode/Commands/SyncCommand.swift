import ArgumentParser
import Foundation
import SyncCore
import SyncHTTP

/// The options of commands that talk to the hub.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The longest one request to the hub may take.", valueName: "seconds"))
    var timeout = 30

    @Option(help: "How many times a failed request is retried (with growing waits) before giving up.")
    var retries = 3

    @Option(help: "Records per batch; lower it on a poor link.")
    var batchLimit = ReplicaStore.defaultBatchLimit

    func validate() throws {
        guard (1...600).contains(timeout) else { throw ValidationError("--timeout must be between 1 and 600 seconds") }
        guard (0...20).contains(retries) else { throw ValidationError("--retries must be between 0 and 20") }
        guard (1...SyncServer.maxBatchLimit).contains(batchLimit) else {
            throw ValidationError("--batch-limit must be between 1 and \(SyncServer.maxBatchLimit)")
        }
    }

    /// An exchange over a new session with these options.
    func makeSync(_ store: ReplicaStore) -> ReplicaSync {
        ReplicaSync(
            store: store,
            session: HTTPSyncTransport<ContinuousClock>.defaultClient,
            timeout: .seconds(timeout),
            retries: retries,
            batchLimit: batchLimit
        )
    }
}

/// `sync`: one full exchange with the hub.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Exchange changes with the hub once: push what it lacks, pull what this replica lacks.",
        discussion: "Resumable: an exchange cut short keeps every batch already applied, and the next one resumes "
            + "there. Exits with status 75 when the hub is unreachable; local data is never affected."
    )

    @OptionGroup var options: NodeOptions
    @OptionGroup var connection: ConnectionOptions

    @Option(
        help: ArgumentHelp(
            "Sync with this peer instead of the hub set by init: a commune office's 'serve --sync-listen' URL.",
            valueName: "url"
        )
    )
    var peer: String?

    @Option(
        help: ArgumentHelp(
            "A file holding the credential for --peer, printed by 'replica-node peer add' at the office.",
            valueName: "path"
        )
    )
    var tokenFile: String?

    @Option(
        help: ArgumentHelp(
            "A PEM file of the CA that issued the certificate of an https --peer (its 'serve --sync-tls-cert').",
            valueName: "pem"
        )
    )
    var caFile: String?

    func validate() throws {
        guard (peer == nil) == (tokenFile == nil) else {
            throw ValidationError("--peer and --token-file go together: give both to sync with an office, or neither")
        }
        if let caFile {
            guard peer != nil else {
                throw ValidationError("--ca-file goes with --peer; the hub's CA file is set by 'init --ca-file'")
            }
            guard FileManager.default.isReadableFile(atPath: caFile) else {
                throw ValidationError("cannot read the CA file '\(caFile)'; give the path of a PEM certificate")
            }
        }
        if let peer, NodeSettings.parseHubURL(peer) == nil {
            throw ValidationError(
                "--peer must be an http or https URL such as http://office:8091 (got '\(peer.prefix(80))')"
            )
        }
    }

    /// The report as `sync --json` prints it.
    struct Summary: Encodable {
        var pushed: Int
        var pulled: Int
        var batches: Int
        var localDigest: String
        var remoteDigest: String
        var clockOffsetMillis: Int64
        var digestsMatch: Bool
        var restamped: Int
        var reidentifiedAs: String?
        /// The schema version the digests were compared at (the older of the two sides').
        var comparedSchemaVersion: Int
        /// This replica's schema version and the peer's.
        var schemaVersion: Int
        var peerSchemaVersion: Int

        init(_ report: SyncReport) {
            pushed = report.pushed
            pulled = report.pulled
            batches = report.batches
            localDigest = report.localDigest
            remoteDigest = report.remoteDigest
            clockOffsetMillis = report.clockOffsetMillis
            digestsMatch = report.digestsMatch
            restamped = report.restamped
            reidentifiedAs = report.reidentifiedAs?.rawValue
            comparedSchemaVersion = report.comparedSchemaVersion
            schemaVersion = 0
            peerSchemaVersion = report.peerSchemaVersion
        }

        var text: String {
            var lines = ["pushed \(pushed) change(s), pulled \(pulled) change(s) in \(batches) batch(es)"]
            if let reidentifiedAs {
                lines.append(
                    "this database holds fewer of its own writes than the hub (a backup copied back over it): "
                        + "it took the new identity \(reidentifiedAs), so that no write is made twice under one number"
                )
            }
            if restamped > 0 {
                lines.append(
                    "re-stamped \(restamped) change(s) written while this machine's clock was wrong: they now "
                        + "follow the latest change this replica had received, so later edits made elsewhere win"
                )
            }
            let versions = SchemaNote.text(own: schemaVersion, peer: peerSchemaVersion)
            if digestsMatch {
                lines.append(
                    "digests match: \(localDigest) (this replica and the hub hold the same data\(versions.match))"
                )
                if let advice = versions.advice { lines.append(advice) }
            } else {
                lines.append("digests differ: here \(localDigest), hub \(remoteDigest)")
                lines.append("the hub received other changes meanwhile; run sync again")
            }
            return lines.joined(separator: "\n")
        }
    }

    func run() async throws {
        try await options.performAsync { store in try await synchronize(store) }
    }

    private func synchronize(_ store: ReplicaStore) async throws {
        let report = try await exchange(store)
        if let warning = ReplicaSync.clockWarning(offsetMillis: report.clockOffsetMillis) {
            Console.line("warning: " + warning, to: .standardError)
        }
        var summary = Summary(report)
        summary.schemaVersion = store.schema.version
        try options.emit(summary) { summary.text }
    }

    /// Runs the exchange, with a progress bar when the standard error is a terminal.
    private func exchange(_ store: ReplicaStore) async throws -> SyncReport {
        var sync = connection.makeSync(store)
        if let peer, let url = NodeSettings.parseHubURL(peer), let tokenFile {
            sync.peer = (url, try TokenFile.read(tokenFile))
            sync.peerCAFile = caFile.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        }
        guard Console.isTerminal(.standardError) else { return try await sync.run() }
        let bar = ProgressBar()
        defer { bar.finish() }
        return try await sync.run { bar.update($0) }
    }
}
