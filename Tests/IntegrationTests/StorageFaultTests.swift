import Foundation
import SyncTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A full disk (a small tmpfs, mounted when the tests run as root) and a read-only database.
@Suite(.serialized) struct StorageFaultTests {
    static let isRoot = getuid() == 0

    /// Mounts a tmpfs of `size` at a fresh folder while `body` runs, then unmounts it.
    static func withTmpfs<T>(size: String, _ body: (String) async throws -> T) async throws -> T? {
        let folder = try TemporaryDirectory()
        let point = folder.path("disk")
        try FileManager.default.createDirectory(atPath: point, withIntermediateDirectories: true)
        let mounted = try await Programs.run(
            "/bin/mount",
            ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", point],
            folder: folder
        )
        guard mounted.succeeded else { return nil }
        do {
            let result = try await body(point)
            _ = try await Programs.run("/bin/umount", ["-l", point], folder: folder)
            return result
        } catch {
            _ = try await Programs.run("/bin/umount", ["-l", point], folder: folder)
            throw error
        }
    }

    static func resize(_ point: String, to size: String, folder: TemporaryDirectory) async throws {
        let result = try await Programs.run("/bin/mount", ["-o", "remount,size=\(size)", point], folder: folder)
        #expect(result.succeeded, "\(result.stderr)")
    }

    static func count(_ database: String, _ sql: String, folder: TemporaryDirectory) async throws -> Int {
        Int(try await Programs.query(database, sql, folder: folder)) ?? -1
    }

    @Test(.enabled(if: isRoot)) func fullDisk_refusesWholeImportsAndPulls_andRecoversOnceSpaceIsBack() async throws {
        let province = try await Province.start(["essaouira"])
        let source = province.replicas[0]
        let csv = proposalsCSV(prefix: "plein", rows: 2_000)
        let path = source.folder.path("plein.csv")
        try Data(csv.bytes).write(to: URL(fileURLWithPath: path))
        #expect(try await source("import", "--csv", path).succeeded)
        #expect(try await source("sync").succeeded)
        let token = try await province.hub.enroll(commune: "essaouira")
        let folder = province.hub.folder
        let figures = try await Self.withTmpfs(size: "1m") { point in
            let laptop = ReplicaNodeProgram(database: point + "/laptop.sqlite", folder: try TemporaryDirectory())
            try await laptop.initialize(commune: "essaouira", hub: province.hub.url, token: token)
            let importResult = try await laptop("import", "--csv", path)
            #expect(importResult.status == 74 && importResult.stderr.contains("is full"), "\(importResult.stderr)")
            #expect(try await Self.count(laptop.database, "SELECT count(*) FROM proposal;", folder: folder) == 0)
            let pull = try await laptop("sync", "--batch-limit", "200")
            #expect(pull.status == 74 && pull.stderr.contains("is full"), "\(pull.stderr)")
            #expect(try await Programs.integrityCheck(laptop.database, folder: folder) == "ok")
            let held = try await Self.count(laptop.database, "SELECT count(*) FROM proposal;", folder: folder)
            let vector = try await Self.count(
                laptop.database,
                "SELECT coalesce(max(seq), 0) FROM crdt_vector;",
                folder: folder
            )
            #expect(held == vector, "the vector ran ahead of the data: \(vector) for \(held) records")
            try await Self.resize(point, to: "64m", folder: folder)
            #expect(try await laptop("sync").succeeded)
            #expect(try await laptop.digest() == (try await province.hub.digest()))
            #expect(try await laptop("import", "--csv", path).succeeded)
            return (held, importResult.status, pull.status)
        }
        guard let figures else { return }
        Reliability.record(
            "full-disk",
            [
                ("tmpfs", "1m"), ("pulledBeforeFull", figures.0), ("importExit", figures.1), ("syncExit", figures.2),
                ("lost", 0),
            ]
        )
    }

    @Test func readOnlyDatabase_refusesWritesClearly_andWorksOnceWritableAgain() async throws {
        let province = try await Province.start(["ounagha"])
        let replica = province.replicas[0]
        #expect(try await replica("proposal", "create", "--title", "avant", "--body", "b").succeeded)
        let folder = replica.folder.url.path
        chmod(replica.database, 0o444)
        chmod(folder, 0o555)
        let asUser = Self.isRoot ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
        let command =
            asUser + [
                Programs.product("replica-node"), "proposal", "create", "--title", "pendant", "--body", "b", "--db",
                replica.database,
            ]
        let refused = try await Programs.run(command[0], Array(command.dropFirst()), folder: province.hub.folder)
        chmod(folder, 0o755)
        chmod(replica.database, 0o644)
        #expect(refused.status == 74, "\(refused.stderr)")
        #expect(
            refused.stderr.contains("read-only") || refused.stderr.contains("cannot be read or written"),
            "\(refused.stderr)"
        )
        #expect(try await Programs.integrityCheck(replica.database, folder: province.hub.folder) == "ok")
        #expect(try await replica.proposals().map(\.title) == ["avant"])
        #expect(try await replica("proposal", "create", "--title", "après", "--body", "b").succeeded)
        #expect(try await replica("sync").succeeded)
        #expect(try await province.digests().count == 1)
        Reliability.record("read-only", [("exit", refused.status), ("halfApplied", 0), ("recovered", true)])
    }
}
