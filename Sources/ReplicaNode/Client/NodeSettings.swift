import Foundation
import SyncCore

/// What `init` stores in the replica's local (not replicated) settings: its commune, the hub it
/// syncs with and its credential.
struct NodeSettings: Hashable, Sendable {
    static let communeKey = "node.commune"
    static let hubKey = "node.hub-url"
    static let tokenKey = "node.token"
    static let caFileKey = "node.ca-file"

    /// The commune the replica is enrolled under.
    var commune: String
    /// The hub's base URL, without a trailing slash.
    var hub: URL
    /// The bearer credential issued at enrollment.
    var token: String
    /// A PEM file of the CA that issued the hub's certificate, trusted instead of the system's
    /// trust store; `nil` uses the system's.
    var caFile: String? = nil

    /// The hub URL as text, also the peer name under which sync status is recorded.
    var hubName: String { hub.absoluteString }

    /// Reads the settings, or fails with a message saying to run `init`.
    static func load(from store: ReplicaStore) throws -> NodeSettings {
        guard let commune = try store.setting(communeKey), let text = try store.setting(hubKey),
            let hub = parseHubURL(text), let token = try store.setting(tokenKey)
        else {
            throw CommandFailure.notInitialized(store.path)
        }
        let caFile = try store.setting(caFileKey)
        return NodeSettings(commune: commune, hub: hub, token: token, caFile: caFile)
    }

    /// Reads only the commune, for commands that need no hub.
    static func commune(of store: ReplicaStore) throws -> String {
        guard let commune = try store.setting(communeKey) else { throw CommandFailure.notInitialized(store.path) }
        return commune
    }

    /// Stores the settings, in one transaction.
    func save(to store: ReplicaStore) throws {
        try store.setSettings([
            Self.communeKey: commune, Self.hubKey: hubName, Self.tokenKey: token, Self.caFileKey: caFile,
        ])
    }

    /// Parses a hub base URL: http or https, with a host, no query or fragment; a trailing slash
    /// is dropped so that one hub always has one name.
    static func parseHubURL(_ text: String) -> URL? {
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil, url.user == nil
        else { return nil }
        return url
    }

    /// Whether a token has the shape `esw1.<enrollment id>.<secret>` that `hub-server enroll` prints.
    static func isWellFormedToken(_ token: String) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "esw1", token.utf8.count < 200,
            (try? RecordID.validate(String(parts[1]))) != nil
        else { return false }
        let secret = parts[2].utf8
        return secret.count >= 16
            && secret.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "_")
            }
    }
}
