import Foundation
import SyncCore
import SyncHTTP

/// The check `init` makes of the commune it is given: one this replica knows (the seed, or a
/// commune record it has synced), or one its hub knows.
///
/// A new replica knows only the seed: for another commune (one an administrator added at the
/// hub, with no new build), `init` syncs once with the hub named on its command line, which
/// brings the territory, and checks again. Nothing is saved unless the commune is known.
enum CommuneCheck {
    /// Makes sure the replica at `path` knows `commune` before `init` sets it up; a database that
    /// does not exist yet is made beside it under another name, and takes its place only once
    /// the commune is known, so that a refused `init` leaves no database behind.
    ///
    /// - Parameters:
    ///   - commune: The commune's code.
    ///   - path: The replica's database file.
    ///   - schema: The schema the program runs.
    ///   - hub: The hub's URL.
    ///   - token: The credential.
    ///   - caFile: A CA file to trust instead of the system's.
    /// - Throws: As ``learn(_:store:hub:token:caFile:)``.
    static func prepare(
        _ commune: String,
        at path: String,
        schema: Schema,
        hub: URL,
        token: String,
        caFile: String?
    ) async throws {
        let files = FileManager.default
        if files.fileExists(atPath: path) {
            try await learn(
                commune,
                store: try ReplicaStore(path: path, schema: schema),
                hub: hub,
                token: token,
                caFile: caFile
            )
            return
        }
        if Territory.seed.contains(where: { $0.id == commune }) { return }
        let fresh = path + ".init"
        let leftovers = [fresh, fresh + "-wal", fresh + "-shm"]
        for file in leftovers { try? files.removeItem(atPath: file) }
        do {
            // The store is closed (its WAL folded into the file) before the file is moved.
            try await learn(
                commune,
                store: try ReplicaStore(path: fresh, schema: schema),
                hub: hub,
                token: token,
                caFile: caFile
            )
            try files.moveItem(atPath: fresh, toPath: path)
        } catch {
            for file in leftovers { try? files.removeItem(atPath: file) }
            throw error
        }
    }

    /// Makes sure this replica knows `commune`, syncing once with the hub when it does not.
    ///
    /// - Parameters:
    ///   - commune: The commune's code.
    ///   - store: The replica.
    ///   - hub: The hub's URL.
    ///   - token: The credential.
    ///   - caFile: A CA file to trust instead of the system's.
    /// - Throws: ``SyncError`` naming the known communes when neither this replica nor the hub
    ///   knows it, or the sync's error.
    static func learn(_ commune: String, store: ReplicaStore, hub: URL, token: String, caFile: String?) async throws {
        if try store.commune(commune) != nil { return }
        let transport = HTTPSyncTransport(
            hub: hub,
            token: token,
            session: try caFile.map { try CAFileHTTPClient(caFile: $0) }
                ?? HTTPSyncTransport<ContinuousClock>.defaultClient,
            timeout: .seconds(30),
            retries: 2,
            clock: ContinuousClock(),
            userAgent: "replica-node/\(ReplicaNodeCommand.version)"
        )
        do {
            _ = try await SyncClient(store: store, transport: transport, peerName: hub.absoluteString).synchronize()
        } catch let error as SyncError {
            let known = (try? store.communes().map(\.id).joined(separator: ", ")) ?? ""
            throw SyncError(
                error.code,
                "unknown commune '\(commune.prefix(40))' here (this replica knows \(known)), "
                    + "and the hub, which may know it, could not be asked: \(error.message)",
                cause: error
            )
        }
        try store.requireCommune(commune)
    }
}
