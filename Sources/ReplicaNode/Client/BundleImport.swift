import SyncCore

/// Applies a verified bundle to this replica.
///
/// A bundle from a laptop this office enrolled goes through the office's policy as its pushes
/// would (``SyncServer/importBundle(_:from:)``): the sender's identity and every batch's origins
/// must be the laptop's own, the new ones are bound to it, and its vector is recorded for the
/// next `bundle export --for`. A bundle from the office that issued this replica's credential is
/// applied as a pull would be, and the office's vector is recorded under its replica id.
struct BundleImport {
    /// The importing replica.
    let store: ReplicaStore
    /// The enrolled laptop that signed the bundle, or `nil` for a bundle from the issuing office.
    let sender: Enrollment?

    /// Checks and applies the batches.
    ///
    /// - Parameter bundle: The verified bundle.
    /// - Returns: What took effect.
    /// - Throws: ``SyncError``; batches before a failing one stay applied, with their vector.
    func apply(_ bundle: SyncBundle) async throws -> SyncBundle.ImportResult {
        guard let sender else {
            let own = [store.replicaID] + (try store.previousIdentities())
            guard !own.contains(bundle.header.sender) else {
                throw SyncError(
                    .invalidBatch,
                    "this bundle was exported by this replica (\(bundle.header.sender)); import it on the other machine"
                )
            }
            let result = try await bundle.apply(to: store) { _ in }
            try store.recordBundle(from: bundle.header.sender, vector: bundle.header.senderVector)
            return result
        }
        let served = ServedReplicaStore(store)
        return try await SyncServer(store: served, registry: OfficeRegistry(store: served))
            .importBundle(bundle, from: sender)
    }
}
