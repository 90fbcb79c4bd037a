import Foundation
import SyncTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Files that hold credentials are created readable by their owner only (0600), whatever the
/// umask; older files are tightened with a warning.
@Suite(.serialized) struct FileModeTests {
    private static let token = "esw1.01936f0e-0000-7000-8000-000000000004.file-mode-secret-0123456789"

    /// The permission bits of a file, or `nil` when it does not exist.
    private static func mode(_ path: String) -> mode_t? {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.posixPermissions] as? NSNumber).map { mode_t($0.uint16Value) & 0o777 }
    }

    /// The modes of a database and of its -wal and -shm files that exist.
    private static func modes(ofDatabase path: String) -> [String: mode_t] {
        var modes: [String: mode_t] = [:]
        for file in [path, path + "-wal", path + "-shm"] { modes[file] = mode(file) }
        return modes
    }

    @Test func replicaInit_serveAndBundleExport_createPrivateFiles() async throws {
        let previous = umask(0o022)
        defer { umask(previous) }
        let replica = try ReplicaNodeProgram()
        try await replica.initialize(commune: "tamanar", hub: URL(string: "http://127.0.0.1:9")!, token: Self.token)
        #expect(Self.mode(replica.database) == 0o600)
        try await replica.createProposals(1, prefix: "ملف")
        let office = try await Office.serve(replica)
        // While the server holds the database open, its -wal and -shm files exist.
        let open = Self.modes(ofDatabase: replica.database)
        #expect(open[replica.database + "-shm"] == 0o600)
        #expect(open.values.allSatisfy { $0 == 0o600 }, "\(open)")
        try await office.stop()
        let bundle = replica.folder.path("to-office.bundle")
        let export = try await replica.run(["bundle", "export", "--for", "{}", bundle])
        #expect(export.succeeded, "\(export.stderr)")
        #expect(Self.mode(bundle) == 0o600)
    }

    @Test func hubEnrollAndServe_createPrivateFiles() async throws {
        let previous = umask(0o022)
        defer { umask(previous) }
        let enrolled = try HubServerProcess()
        _ = try await enrolled.enroll(commune: "tamanar")
        #expect(Self.mode(enrolled.database) == 0o600)
        let served = try HubServerProcess()
        try await served.start()
        let open = Self.modes(ofDatabase: served.database)
        #expect(open[served.database] == 0o600)
        #expect(open.values.allSatisfy { $0 == 0o600 }, "\(open)")
        try await served.stop()
    }

    @Test func olderWorldReadableFiles_areTightened_withAWarning() async throws {
        let replica = try ReplicaNodeProgram()
        try await replica.initialize(commune: "tamanar", hub: URL(string: "http://127.0.0.1:9")!, token: Self.token)
        chmod(replica.database, 0o644)
        let status = try await replica.run(["digest"])
        #expect(status.succeeded)
        #expect(status.stderr.contains("was readable by other users"), "\(status.stderr)")
        #expect(status.stderr.contains("644"))
        #expect(Self.mode(replica.database) == 0o600)
        #expect(try await replica.run(["digest"]).stderr.isEmpty)

        let hub = try HubServerProcess()
        _ = try await hub.enroll(commune: "tamanar")
        chmod(hub.database, 0o664)
        let digest = try await hub.run(["digest"])
        #expect(digest.succeeded)
        #expect(digest.stderr.contains("hub-server: warning:"), "\(digest.stderr)")
        #expect(Self.mode(hub.database) == 0o600)
    }
}
