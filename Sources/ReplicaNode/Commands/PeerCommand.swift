import ArgumentParser
import Foundation
import SyncCore

/// `peer add|list|revoke`: the field laptops a commune office enrolls to sync with it.
struct PeerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peer",
        abstract: "Enroll, list and revoke the field laptops that sync with this office ('serve --sync-listen').",
        discussion: "Laptops are enrolled under this office's own commune; their credentials are stored hashed.",
        subcommands: [Add.self, List.self, Revoke.self]
    )

    /// A peer as `peer add` and `peer list` print it.
    struct Listed: Encodable {
        var id: String
        var label: String
        var commune: String
        var revoked: Bool
        var lastSyncAt: Int64?
        var origins: [String]
        var lastVector: VersionVector?
        var token: String?
        /// How many of its requests and bundles were refused, and the last refusal.
        var refusals: Int
        var lastRefusal: String?

        init(_ enrollment: Enrollment, token: String? = nil) {
            id = enrollment.id
            label = enrollment.label
            commune = enrollment.commune
            revoked = enrollment.revokedAt != nil
            lastSyncAt = enrollment.lastSyncAt
            origins = enrollment.origins.map(\.rawValue)
            lastVector = enrollment.lastVector
            self.token = token
            refusals = enrollment.refusalCount
            lastRefusal = enrollment.lastRefusal
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enroll a field laptop of this office's commune; prints its credential once.",
            discussion: "Save the credential in a file on the laptop and pass it as 'sync --token-file'. "
                + "Only its SHA-256 hash is kept here."
        )

        @OptionGroup var options: NodeOptions
        @Option(help: "A label for people, such as \"field laptop 1\".") var label: String

        func validate() throws {
            guard !label.trimmingCharacters(in: .whitespaces).isEmpty, label.utf8.count <= 200 else {
                throw ValidationError("--label must be 1 to 200 bytes of text")
            }
        }

        func run() throws {
            try options.perform { store in
                let commune = try NodeSettings.commune(of: store)
                let (enrollment, token) = try store.enroll(commune: commune, label: label)
                try options.emit(Listed(enrollment, token: token)) {
                    """
                    enrolled \(enrollment.label) (\(enrollment.id)) under \(commune)
                    credential (shown once; save it on the laptop, e.g. in office.token): \(token)
                    on the laptop (umask 077; cat > office.token): replica-node sync --peer URL --token-file office.token
                    or, to sync only with this office: replica-node init … --hub URL --token-file office.token
                    """
                }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the enrolled laptops and their last exchange.")

        @OptionGroup var options: NodeOptions

        func run() throws {
            try options.perform { store in
                let peers = try store.enrollments().map { Listed($0) }
                try options.emit(peers) {
                    peers.map { peer in
                        let state = peer.revoked ? "revoked" : "active"
                        let last = peer.lastSyncAt.map { "last exchange \(TextFormat.time($0))" } ?? "never synced"
                        let refused =
                            peer.refusals == 0
                            ? "" : "  \(peer.refusals) refused, last: \(peer.lastRefusal ?? "")"
                        return "\(peer.id)  \(peer.label)  \(state)  \(last)\(refused)"
                    }.joined(separator: "\n")
                }
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a laptop's credential: its next request or bundle is refused."
        )

        @OptionGroup var options: NodeOptions
        @Argument(help: "The laptop's enrollment id, from 'peer list'.") var id: String

        func run() throws {
            try options.perform { store in
                try store.revoke(enrollment: id)
                try options.emit(["revoked": id]) { "revoked \(id)" }
            }
        }
    }
}
