import Foundation
import SyncCore

/// One line of `hub-server replicas`: an enrollment, how far behind the hub it was at its last
/// exchange, and whether its digest matched.
struct ReplicaReport: Encodable, Equatable {
    /// The enrollment id.
    var replica: String
    /// `replica`, or `relay` for a provincial hub enrolled at a national hub.
    var kind: String
    /// The commune, or a relay's province.
    var commune: String
    var label: String
    /// When it last said hello, Unix milliseconds.
    var lastSyncAt: Int64?
    /// Logged changes the hub holds that the replica's last vector lacks (superseded writes
    /// included, so an upper bound).
    var lag: Int
    /// Whether its digest matched the hub's at its last closing hello.
    var digestMatched: Bool?
    var revoked: Bool
    /// Its clock minus the hub's at its last hello, in milliseconds, when it sent its clock.
    var clockOffsetMillis: Int64?
    /// The replica identities bound to it.
    var origins: [String]
    /// How many of its requests were refused for what they claimed or carried.
    var refusals: Int
    /// The last refusal's code and message, and when it happened.
    var lastRefusal: String?
    var lastRefusalAt: Int64?
    /// The schema version it said it writes at its last hello (`nil`: not since this hub's 0.2.0).
    var schemaVersion: Int?
    /// Its release, as its last hello said (`nil`: a release before 0.2.0, or no hello yet).
    var programVersion: String?
    /// Whether it runs an older schema version or release than this hub.
    var mustUpgrade: Bool

    /// Builds the report of one enrollment against the hub's store.
    ///
    /// - Parameters:
    ///   - enrollment: The enrollment.
    ///   - store: The hub's store.
    ///   - versions: What its last hello said it runs.
    /// - Throws: ``SyncError`` when the store cannot be read.
    init(_ enrollment: Enrollment, store: ReplicaStore, versions: ReplicaVersions? = nil) throws {
        self.init(
            enrollment,
            lag: try store.pendingChangeCount(since: enrollment.lastVector ?? VersionVector()),
            versions: versions,
            hubSchema: store.schema.version
        )
    }

    /// Builds the report of one enrollment with its lag already counted.
    ///
    /// - Parameters:
    ///   - enrollment: The enrollment.
    ///   - lag: Logged changes the hub holds that its last vector lacks.
    ///   - versions: What its last hello said it runs.
    ///   - hubSchema: The hub's schema version.
    init(_ enrollment: Enrollment, lag: Int, versions: ReplicaVersions?, hubSchema: Int) {
        schemaVersion = versions?.schemaVersion
        programVersion = versions?.programVersion
        mustUpgrade = enrollment.lastSyncAt != nil && (versions?.isBehind(schema: hubSchema) ?? true)
        replica = enrollment.id
        kind = enrollment.kind.rawValue
        commune = enrollment.commune
        label = enrollment.label
        lastSyncAt = enrollment.lastSyncAt
        self.lag = lag
        digestMatched = enrollment.lastDigestMatched
        revoked = enrollment.revokedAt != nil
        clockOffsetMillis = enrollment.clockOffsetMillis
        origins = enrollment.origins.map(\.rawValue)
        refusals = enrollment.refusalCount
        lastRefusal = enrollment.lastRefusal
        lastRefusalAt = enrollment.lastRefusalAt
    }

    /// Encodes every key, absent values as `null`, so scripts see a stable shape.
    ///
    /// - Parameter encoder: The encoder.
    /// - Throws: An encoding error.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(replica, forKey: .replica)
        try container.encode(kind, forKey: .kind)
        try container.encode(commune, forKey: .commune)
        try container.encode(label, forKey: .label)
        try container.encode(lastSyncAt, forKey: .lastSyncAt)
        try container.encode(lag, forKey: .lag)
        try container.encode(digestMatched, forKey: .digestMatched)
        try container.encode(revoked, forKey: .revoked)
        try container.encode(clockOffsetMillis, forKey: .clockOffsetMillis)
        try container.encode(origins, forKey: .origins)
        try container.encode(refusals, forKey: .refusals)
        try container.encode(lastRefusal, forKey: .lastRefusal)
        try container.encode(lastRefusalAt, forKey: .lastRefusalAt)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(programVersion, forKey: .programVersion)
        try container.encode(mustUpgrade, forKey: .mustUpgrade)
    }

    private enum CodingKeys: String, CodingKey {
        case replica, kind, commune, label, lastSyncAt, lag, digestMatched, revoked, clockOffsetMillis, origins
        case refusals, lastRefusal, lastRefusalAt
        case schemaVersion, programVersion, mustUpgrade
    }

    /// The reports as an aligned text table, the label last (it may be right-to-left text).
    ///
    /// - Parameter reports: The reports.
    /// - Returns: The table, one line per replica, with a header.
    static func table(_ reports: [ReplicaReport]) -> String {
        guard !reports.isEmpty else { return "No replica is enrolled; add one with 'hub-server enroll'.\n" }
        let header = [
            "REPLICA", "COMMUNE", "LAST SYNC", "LAG", "DIGEST", "CLOCK", "VERSION", "REFUSED", "STATE", "LABEL",
        ]
        let rows = reports.map { report in
            [
                report.replica, report.kind == "relay" ? "relay:\(report.commune)" : report.commune,
                report.lastSyncAt.map(Self.formatTime) ?? "never", String(report.lag),
                report.kind == "relay"
                    ? "filtered" : report.digestMatched.map { $0 ? "matched" : "differs" } ?? "unknown",
                clockText(report.clockOffsetMillis), versionText(report), String(report.refusals),
                report.revoked ? "revoked" : "active", report.label,
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        let table =
            ([header] + rows).map { cells in
                cells.enumerated().map { column, cell in
                    column == cells.count - 1
                        ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                }.joined(separator: "  ")
            }.joined(separator: "\n") + "\n"
        let refused = reports.filter { $0.refusals > 0 }.map { report in
            "refused \(report.replica) (\(report.refusals) time(s)), last at "
                + "\(report.lastRefusalAt.map(Self.formatTime) ?? "?"): \(report.lastRefusal ?? "")"
        }
        guard !refused.isEmpty else { return table }
        return table + "\n" + refused.joined(separator: "\n") + "\n"
            + "A replica whose requests are refused claimed identities, origins or writes it may not; "
            + "revoke it ('hub-server revoke ID') if it was lost or tampered with.\n"
    }

    /// A replica's versions as the table shows them: `schema 2, 0.2.0`, with `UPGRADE` when it
    /// runs an older schema version or release than the hub.
    ///
    /// - Parameter report: The report.
    /// - Returns: Such as `schema 1, 0.2.0 UPGRADE`, or `unknown` before its first hello.
    static func versionText(_ report: ReplicaReport) -> String {
        guard report.lastSyncAt != nil else { return "unknown" }
        let schema = report.schemaVersion.map { "schema \($0)" } ?? "schema ?"
        let text = "\(schema), \(report.programVersion ?? "before 0.2.0")"
        return report.mustUpgrade ? text + " UPGRADE" : text
    }

    /// A replica's clock as the table shows it: `ok` within a minute of the hub's, otherwise how
    /// far ahead or behind, flagged with `WRONG` beyond the drift bound (its changes are refused).
    ///
    /// - Parameter offset: Its clock minus the hub's, in milliseconds.
    /// - Returns: Such as `ok`, `3 min ahead` or `WRONG: 5 years ahead`.
    static func clockText(_ offset: Int64?) -> String {
        guard let offset else { return "unknown" }
        guard abs(offset) > 60_000 else { return "ok" }
        let span = describe(abs(offset)) + (offset > 0 ? " ahead" : " behind")
        return abs(offset) > HybridLogicalClock.defaultMaxDriftMillis ? "WRONG: " + span : span
    }

    private static func describe(_ millis: Int64) -> String {
        let minutes = millis / 60_000
        let units: [(Int64, String)] = [(525_600, "year"), (1_440, "day"), (60, "hour"), (1, "min")]
        for (size, name) in units where minutes >= size {
            let count = minutes / size
            return name == "min" || count == 1 ? "\(count) \(name)" : "\(count) \(name)s"
        }
        return "\(millis / 1_000) s"
    }

    /// A Unix time in milliseconds as ISO 8601 in UTC, to the second.
    ///
    /// - Parameter millis: The time.
    /// - Returns: Such as `2026-11-29T09:15:00Z`.
    static func formatTime(_ millis: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1_000))
    }
}
