import ArgumentParser
import SyncCore
import SyncHTTP

/// `status`: what this replica has not sent yet, when it last synced, and whether the hub answers.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show pending local changes, the last sync, and whether the hub is reachable now.",
        discussion: "Asks the hub with a short timeout; exits 0 whether or not it answers."
    )

    @OptionGroup var options: NodeOptions

    @Option(help: ArgumentHelp("How long to wait for the hub.", valueName: "seconds"))
    var timeout = 3

    /// Why the hub did not answer, or refused.
    struct HubError: Encodable {
        var code: String
        var message: String
    }

    struct Status: Encodable {
        var replica: String
        var commune: String
        var hub: String
        var pendingChanges: Int
        var lastSyncAt: Int64?
        var digestMatchedAtLastSync: Bool?
        var digest: String
        var hubReachable: Bool
        var hubError: HubError?
        var hubDigestMatchesNow: Bool?
        var clockOffsetMillis: Int64?
    }

    func validate() throws {
        guard (1...60).contains(timeout) else { throw ValidationError("--timeout must be between 1 and 60 seconds") }
    }

    func run() async throws {
        try await options.performAsync { store in
            let settings = try NodeSettings.load(from: store)
            let peer = try store.peerStatus(settings.hubName)
            var status = Status(
                replica: store.replicaID.rawValue,
                commune: settings.commune,
                hub: settings.hubName,
                pendingChanges: try store.pendingChangeCount(since: peer?.vector ?? VersionVector()),
                lastSyncAt: peer?.lastSyncAt,
                digestMatchedAtLastSync: peer?.digestMatched,
                digest: try store.digest(),
                hubReachable: false
            )
            await probe(store, into: &status)
            try options.emit(status) { Self.text(status) }
        }
    }

    private func probe(_ store: ReplicaStore, into status: inout Status) async {
        let sync = ReplicaSync(
            store: store,
            session: HTTPSyncTransport<ContinuousClock>.defaultClient
        )
        let started = SyncClient.systemMillis()
        do {
            let hello = try await sync.probe(timeout: .seconds(timeout))
            status.hubReachable = true
            status.hubDigestMatchesNow = hello.digest == status.digest
            status.clockOffsetMillis = hello.serverTime - (started + SyncClient.systemMillis()) / 2
        } catch {
            let failure = CommandFailure.wrapping(error)
            status.hubReachable = failure.code != SyncError.Code.transport.description
            status.hubError = HubError(code: failure.code, message: failure.message)
        }
    }

    static func text(_ status: Status) -> String {
        var lines = [
            "replica: \(status.replica) (\(status.commune))",
            "hub: \(status.hub)",
            "pending: \(status.pendingChanges) local change(s) not yet on the hub",
        ]
        if let last = status.lastSyncAt {
            lines.append("last sync: \(TextFormat.time(last)) (\(TextFormat.age(last)))")
            lines.append(
                "digest matched the hub's at the last sync: \(TextFormat.yesNo(status.digestMatchedAtLastSync))"
            )
        } else {
            lines.append("last sync: never")
        }
        if status.hubReachable, status.hubError == nil {
            lines.append(
                "hub reachable: yes; same data as the hub now: \(TextFormat.yesNo(status.hubDigestMatchesNow))"
            )
        } else if let error = status.hubError {
            lines.append("hub reachable: \(status.hubReachable ? "yes, but" : "no"): \(error.message)")
        }
        if let offset = status.clockOffsetMillis, let warning = ReplicaSync.clockWarning(offsetMillis: offset) {
            lines.append("warning: " + warning)
        }
        lines.append("digest: \(status.digest)")
        return lines.joined(separator: "\n")
    }
}
