import ArgumentParser
import Foundation
import SyncCore
import SyncHTTP

/// `hub-server upstream`: this hub's exchanges with the hub above it (national or regional).
struct UpstreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upstream",
        abstract: "Exchange this hub's changes with a national or regional hub.",
        discussion: """
            Upstream, a provincial hub is a replica like any commune office: it pushes every change \
            of its province (keeping each change's true origin) and pulls what the national hub \
            sends a relay, its own province's changes and the national coordinators' answers. \
            'serve --upstream' does the same periodically while serving.
            """,
        subcommands: [UpstreamSyncCommand.self]
    )
}

/// `hub-server upstream sync`: one exchange with the upstream hub, then exit.
struct UpstreamSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Exchange changes with the upstream hub once.",
        discussion: """
            Resumable: an exchange cut short keeps every batch already applied, and the next one \
            resumes there. Exit status 75 when the upstream hub is unreachable or failed (run it \
            again later), 77 when it refuses the credential or an origin, 65 for invalid input.
            """
    )

    /// The report as `upstream sync --json` prints it.
    struct Summary: Encodable {
        var pushed: Int
        var pulled: Int
        var batches: Int
        var localDigest: String
        var remoteDigest: String
        var filtered: Bool
        var clockOffsetMillis: Int64
    }

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("The upstream hub's address, such as https://national.example.ma.", valueName: "url"))
    var url: String

    @Option(help: ArgumentHelp("A file holding this hub's relay credential there.", valueName: "file"))
    var tokenFile: String

    @Option(help: ArgumentHelp("The longest one request may take.", valueName: "seconds"))
    var timeout = 30

    @Option(help: "How many times a failed request is retried (with growing waits) before giving up.")
    var retries = 3

    @Option(help: "Records per batch; lower it on a poor link.")
    var batchLimit = ReplicaStore.defaultBatchLimit

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        guard (1...600).contains(timeout) else { throw ValidationError("--timeout must be between 1 and 600 seconds") }
        guard (0...20).contains(retries) else { throw ValidationError("--retries must be between 0 and 20") }
        guard (1...SyncServer.maxBatchLimit).contains(batchLimit) else {
            throw ValidationError("--batch-limit must be between 1 and \(SyncServer.maxBatchLimit)")
        }
    }

    func run() async throws {
        do {
            var link = try UpstreamLink(url: url, tokenFile: tokenFile, option: "--url")
            link.timeout = .seconds(timeout)
            link.retries = retries
            link.batchLimit = batchLimit
            let upstream = link
            let report = try await database.withStore { store in try await upstream.synchronize(store) }
            Terminal.write(json ? try Terminal.json(Self.summary(report)) : Self.text(report, upstream: url))
        } catch let error as SyncError {
            FileHandle.standardError.write(Data("hub-server: \(error.message)\n".utf8))
            throw ExitCode(error.exitStatus)
        }
    }

    private static func summary(_ report: SyncReport) -> Summary {
        Summary(
            pushed: report.pushed,
            pulled: report.pulled,
            batches: report.batches,
            localDigest: report.localDigest,
            remoteDigest: report.remoteDigest,
            filtered: report.isFiltered,
            clockOffsetMillis: report.clockOffsetMillis
        )
    }

    private static func text(_ report: SyncReport, upstream: String) -> String {
        var lines = [
            "pushed \(report.pushed) change(s), pulled \(report.pulled) change(s) in \(report.batches) batch(es)"
        ]
        if report.isFiltered {
            lines.append(
                "digest here \(report.localDigest); not compared: \(upstream) sends this hub its province's "
                    + "changes only"
            )
        } else if report.digestsMatch {
            lines.append("digests match: \(report.localDigest)")
        } else {
            lines.append("digests differ: here \(report.localDigest), upstream \(report.remoteDigest); run it again")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
