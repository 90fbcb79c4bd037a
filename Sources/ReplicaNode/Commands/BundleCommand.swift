import ArgumentParser
import Foundation
import SyncCore

/// `bundle export|import`: the sync exchange written to a file, for a USB stick.
struct BundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Exchange changes by file (a USB stick) when no link reaches the office or the hub.",
        discussion: """
            A bundle holds the batches a sync would push, cut for what the receiver is known to have; it is \
            gzip-compressed, checksummed (SHA-256) and authenticated (HMAC-SHA256) with the credential the \
            receiving office issued. Import checks the whole file before applying anything, and importing \
            the same bundle twice changes nothing.
            """,
        subcommands: [Export.self, Import.self]
    )

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write what a peer lacks to a bundle file.",
            discussion: """
                --for takes an enrolled laptop's enrollment or replica id (at an office: its last known vector, \
                and its credential signs the bundle), a peer this replica synced with (the URL given to sync or \
                init) or imported a bundle from (its replica id), a vector as JSON ('{"<replica id>": seq, …}', \
                '{}' for everything) or a file holding one.
                """
        )

        @OptionGroup var options: NodeOptions
        @Option(name: .customLong("for"), help: ArgumentHelp("Who the bundle is for.", valueName: "peer-or-vector"))
        var receiver: String
        @Option(
            help: ArgumentHelp(
                "The credential the receiver issued (from 'peer add'); default: the one given to init.",
                valueName: "path"
            )
        )
        var tokenFile: String?
        @Option(help: "Records per batch.") var batchLimit = ReplicaStore.defaultBatchLimit
        @Argument(help: "The bundle file to write.") var file: String

        func validate() throws {
            guard (1...SyncServer.maxBatchLimit).contains(batchLimit) else {
                throw ValidationError("--batch-limit must be between 1 and \(SyncServer.maxBatchLimit)")
            }
        }

        func run() async throws {
            try await options.performAsync { store in
                let target = try BundleTarget.resolve(receiver, in: store, tokenFile: tokenFile)
                let bundle = try await SyncBundle.cut(
                    from: store,
                    for: target.vector,
                    keyID: target.keyID,
                    createdAt: SyncClient.systemMillis(),
                    batchLimit: batchLimit
                )
                let frame = try bundle.encoded(key: target.key)
                guard frame.count <= SyncBundle.defaultMaxBytes else {
                    throw SyncError(
                        .tooLarge,
                        "the bundle would be \(frame.count) bytes, more than \(SyncBundle.defaultMaxBytes); "
                            + "sync over the network, or cut it for a more recent vector"
                    )
                }
                try BundleFile.write(frame, to: file)
                let summary = Summary(bundle.header, file: file)
                try options.emit(summary) {
                    "wrote \(summary.changes) change(s) in \(summary.batches) batch(es) to \(file)"
                }
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a bundle file whole, then apply it (each batch in one transaction).",
            discussion: "A truncated, altered or foreign bundle is refused with nothing applied."
        )

        @OptionGroup var options: NodeOptions
        @Option(
            help: ArgumentHelp(
                "The credential this replica was issued by the sender's office, when it is not the one given to init.",
                valueName: "path"
            )
        )
        var tokenFile: String?
        @Argument(help: "The bundle file to read.") var file: String

        func run() async throws {
            try await options.performAsync { store in
                let frame = try BundleFile.read(file)
                let tokens = try ownTokens(store)
                var sender: Enrollment?
                let bundle = try SyncBundle.open(frame, schemaVersion: store.schema.version) { keyID in
                    if let key = try store.bundleKey(enrollment: keyID) {
                        sender = try store.enrollment(keyID)
                        return key
                    }
                    return tokens.first { SyncBundle.keyID(ofToken: $0) == keyID }.map(SyncBundle.key(forToken:))
                }
                let result = try await BundleImport(store: store, sender: sender).apply(bundle)
                let summary = Imported(bundle.header, result)
                try options.emit(summary) {
                    "imported \(result.batches) batch(es) from \(bundle.header.sender): applied \(result.applied) "
                        + "change(s), ignored \(result.ignored) (already here or superseded)"
                }
            }
        }

        private func ownTokens(_ store: ReplicaStore) throws -> [String] {
            var tokens = try tokenFile.map { [try TokenFile.read($0)] } ?? []
            if let token = try store.setting(NodeSettings.tokenKey) { tokens.append(token) }
            return tokens
        }
    }

    /// What `bundle export --json` prints.
    struct Summary: Encodable {
        var file: String
        var sender: String
        var keyID: String
        var batches: Int
        var changes: Int
        var forVector: VersionVector

        init(_ header: SyncBundle.Header, file: String) {
            self.file = file
            sender = header.sender.rawValue
            keyID = header.keyID
            batches = header.batchCount
            changes = header.changeCount
            forVector = header.forVector
        }
    }

    /// What `bundle import --json` prints.
    struct Imported: Encodable {
        var sender: String
        var batches: Int
        var applied: Int
        var ignored: Int
        var vector: VersionVector

        init(_ header: SyncBundle.Header, _ result: SyncBundle.ImportResult) {
            sender = header.sender.rawValue
            batches = result.batches
            applied = result.applied
            ignored = result.ignored
            vector = result.vector
        }
    }
}
