import Foundation
import GRDB
import SyncCore
import SyncTestSupport
import Testing

/// A replica's file holds only what a replica needs: the hub's account tables are not in it, and
/// the tables a program keeps beside the replicated ones are migrated apart from the engine's.
@Suite struct LocalTablesTests {
    static func tables(_ path: String, folder: TemporaryDirectory) async throws -> [String] {
        try await Programs.query(
            path,
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
            folder: folder
        )
        .split(separator: "\n").map(String.init)
    }

    @Test func aNewReplicaFile_hasNoHubTables() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("laptop.sqlite")
        _ = try ReplicaStore(path: path)
        let tables = try await Self.tables(path, folder: folder)
        #expect(tables.contains("proposal") && tables.contains("crdt_log"))
        #expect(!tables.contains { $0.hasPrefix("hub_") }, "\(tables)")
        #expect(!tables.contains("local_migrations"))
    }

    /// A file of the release that made the account tables in every replica.
    static func olderFile(accounts: Int, folder: TemporaryDirectory) async throws -> String {
        let path = folder.path("older.sqlite")
        do { _ = try ReplicaStore(path: path) }
        var sql = """
            DELETE FROM grdb_migrations WHERE identifier = 'engine-v4-no-hub-tables';
            CREATE TABLE hub_account (username TEXT PRIMARY KEY NOT NULL, role TEXT NOT NULL,
                password_hash TEXT NOT NULL, created_at INTEGER NOT NULL);
            CREATE TABLE hub_session (token_hash TEXT PRIMARY KEY NOT NULL,
                username TEXT NOT NULL REFERENCES hub_account(username) ON DELETE CASCADE,
                csrf_token TEXT NOT NULL, created_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL);
            """
        for index in 0..<accounts {
            sql += "INSERT INTO hub_account VALUES ('user-\(index)', 'admin', 'a-long-enough-hash', 0);"
        }
        _ = try await Programs.query(path, sql, folder: folder)
        return path
    }

    @Test func anOlderReplicaFile_losesItsEmptyAccountTables() async throws {
        let folder = try TemporaryDirectory()
        let path = try await Self.olderFile(accounts: 0, folder: folder)
        #expect(try await Self.tables(path, folder: folder).contains("hub_account"))
        let digest = try ReplicaStore(path: path).digest()
        #expect(!(try await Self.tables(path, folder: folder)).contains { $0.hasPrefix("hub_") })
        #expect(try ReplicaStore(path: path).digest() == digest)
    }

    @Test func anOlderHubFile_keepsItsAccounts_forTheHubToAdopt() async throws {
        let folder = try TemporaryDirectory()
        let path = try await Self.olderFile(accounts: 2, folder: folder)
        let store = try ReplicaStore(path: path)
        try store.migrateLocalTables([
            LocalMigration(
                identifier: "test-accounts-v1",
                sql: "CREATE TABLE IF NOT EXISTS hub_account (username TEXT)"
            )
        ])
        #expect(try await Programs.query(path, "SELECT count(*) FROM hub_account", folder: folder) == "2")
    }

    @Test func localMigrations_runOnce_andDoNotMakeTheFileLookNewer() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("hub.sqlite")
        let migrations = [
            LocalMigration(identifier: "notes-v1", sql: "CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)"),
            LocalMigration(identifier: "notes-v2", sql: "ALTER TABLE note ADD COLUMN author TEXT"),
        ]
        do {
            let store = try ReplicaStore(path: path)
            try store.migrateLocalTables(Array(migrations.prefix(1)))
            try store.migrateLocalTables(migrations)
            try store.migrateLocalTables(migrations)
            let written = try await store.writeLocal { db in
                try db.execute(sql: "INSERT INTO note(text, author) VALUES ('مرحبا', 'amina')")
                return db.changesCount
            }
            #expect(written == 1)
        }
        let applied = try await Programs.query(
            path,
            "SELECT identifier FROM local_migrations ORDER BY 1",
            folder: folder
        )
        #expect(applied == "notes-v1\nnotes-v2")
        // The engine opens the file as it is: the local migrations are not in its list.
        let store = try ReplicaStore(path: path)
        #expect(try await store.readLocal { db in try String.fetchOne(db, sql: "SELECT author FROM note") } == "amina")
    }
}
