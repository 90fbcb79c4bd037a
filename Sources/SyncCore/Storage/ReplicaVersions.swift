import GRDB

/// The schema version and release an enrolled replica said it runs at its last hello.
///
/// A hub shows them (`hub-server replicas`, the dashboard's replicas page) so that its operator
/// sees who still has to upgrade.
public struct ReplicaVersions: Hashable, Sendable, Codable {
    /// The schema version it writes.
    public var schemaVersion: Int
    /// Its release; `nil` for a release before 0.2.0 (which did not say it).
    public var programVersion: String?

    /// Creates the versions.
    ///
    /// - Parameters:
    ///   - schemaVersion: The schema version it writes.
    ///   - programVersion: Its release.
    public init(schemaVersion: Int, programVersion: String?) {
        self.schemaVersion = schemaVersion
        self.programVersion = programVersion
    }

    /// The versions a hello states, the release bounded to 32 bytes.
    ///
    /// - Parameter hello: The hello.
    public init(_ hello: HelloRequest) {
        schemaVersion = hello.schemaVersion
        programVersion = hello.programVersion.map { String($0.prefix(32)) }
    }

    /// Whether this replica runs an older schema version or release than `schema` and `program`
    /// (a release that does not say its version is older).
    ///
    /// - Parameters:
    ///   - schema: The hub's schema version.
    ///   - program: The hub's release.
    /// - Returns: `true` when it should upgrade.
    public func isBehind(schema: Int, program: String = ProgramVersion.current) -> Bool {
        guard schemaVersion >= schema, let programVersion else { return true }
        return Self.compare(programVersion, program) < 0
    }

    /// Compares two releases `major.minor.patch` numerically.
    static func compare(_ a: String, _ b: String) -> Int {
        let (x, y) = (a.split(separator: ".").map { Int($0) ?? 0 }, b.split(separator: ".").map { Int($0) ?? 0 })
        for index in 0..<max(x.count, y.count) {
            let (left, right) = (index < x.count ? x[index] : 0, index < y.count ? y[index] : 0)
            if left != right { return left < right ? -1 : 1 }
        }
        return 0
    }
}

extension ReplicaStore {
    /// Records the versions a replica said it runs at a hello.
    ///
    /// - Parameters:
    ///   - enrollment: The enrollment's id.
    ///   - versions: What its hello said.
    /// - Throws: ``SyncError`` when the database cannot be written.
    public func recordVersions(enrollment: String, versions: ReplicaVersions) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE sync_enrollment SET schema_version = ?, program_version = ? WHERE id = ?",
                arguments: [versions.schemaVersion, versions.programVersion, enrollment]
            )
        }
    }

    /// The versions each enrolled replica last said it runs, by enrollment id (absent: it never
    /// said hello since the hub's upgrade to 0.2.0).
    ///
    /// - Returns: The versions.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func replicaVersions() throws -> [String: ReplicaVersions] {
        try read { db in
            var versions: [String: ReplicaVersions] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT id, schema_version, program_version FROM sync_enrollment WHERE schema_version IS NOT NULL"
            )
            for row in rows {
                versions[row["id"]] = ReplicaVersions(
                    schemaVersion: row["schema_version"],
                    programVersion: row["program_version"]
                )
            }
            return versions
        }
    }
}
