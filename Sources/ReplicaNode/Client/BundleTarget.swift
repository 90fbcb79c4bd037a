import Foundation
import SyncCore

/// Who a bundle is cut for: the vector it starts from and the credential that signs it.
struct BundleTarget {
    /// What the receiver is known to have.
    var vector: VersionVector
    /// The enrollment whose credential signs the bundle.
    var keyID: String
    /// The signing key.
    var key: [UInt8]

    /// Resolves `bundle export --for`: an enrolled laptop (by enrollment or replica id), a peer's
    /// name (a URL synced with, or the replica id of a bundle's sender), a JSON vector or a file
    /// holding one.
    ///
    /// - Parameters:
    ///   - receiver: The option's value.
    ///   - store: The exporting replica.
    ///   - tokenFile: The credential the receiver issued, if given.
    /// - Returns: The target.
    /// - Throws: ``CommandFailure`` naming what could not be resolved.
    static func resolve(_ receiver: String, in store: ReplicaStore, tokenFile: String?) throws -> BundleTarget {
        let enrollments = try store.enrollments()
        let enrolled =
            enrollments.first { $0.id == receiver }
            ?? enrollments.first { $0.origins.map(\.rawValue).contains(receiver) }
        if let enrollment = enrolled {
            guard let key = try store.bundleKey(enrollment: enrollment.id) else {
                throw SyncError(
                    .unauthorized,
                    "the credential of \(enrollment.id) was revoked; enroll the laptop again"
                )
            }
            return BundleTarget(vector: enrollment.lastVector ?? VersionVector(), keyID: enrollment.id, key: key)
        }
        let vector = try vector(named: receiver, in: store)
        let token = try tokenFile.map(TokenFile.read) ?? store.setting(NodeSettings.tokenKey)
        guard let token, let keyID = SyncBundle.keyID(ofToken: token) else {
            throw CommandFailure(
                code: "invalid-argument",
                message: "no credential to sign the bundle; pass --token-file with the one the receiving office issued",
                exitCode: CommandFailure.configurationError
            )
        }
        return BundleTarget(vector: vector, keyID: keyID, key: SyncBundle.key(forToken: token))
    }

    private static func vector(named receiver: String, in store: ReplicaStore) throws -> VersionVector {
        if let status = try store.peerStatus(receiver) { return status.vector }
        if let url = NodeSettings.parseHubURL(receiver), let status = try store.peerStatus(url.absoluteString) {
            return status.vector
        }
        let trimmed = receiver.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") { return try decode(Data(trimmed.utf8), from: "--for") }
        let size = (try? FileManager.default.attributesOfItem(atPath: receiver)[.size] as? Int) ?? nil
        if let size {
            guard size <= 1 << 20, let data = FileManager.default.contents(atPath: receiver) else {
                throw SyncError(.tooLarge, "the vector file \(receiver) is larger than 1 MiB")
            }
            return try decode(data, from: receiver)
        }
        throw CommandFailure(
            code: "not-found",
            message: "--for '\(receiver.prefix(80))' is no enrolled laptop ('peer list'), no peer this replica synced "
                + "with ('status'), no JSON vector and no file; pass one of those",
            exitCode: CommandFailure.notFound
        )
    }

    private static func decode(_ data: Data, from source: String) throws -> VersionVector {
        do {
            return try JSONDecoder().decode(VersionVector.self, from: data)
        } catch {
            throw SyncError(
                .invalidArgument,
                "\(source.prefix(80)) is not a version vector ('{\"<replica id>\": seq, …}')",
                cause: error
            )
        }
    }
}
