import GRDB
import SyncCore

/// The dashboard's accounts in the hub's SQLite file, in local tables the engine never
/// replicates (``ReplicaStore/migrateLocalTables(_:)``); a replica's file has none of them.
struct SQLiteAccountStore: AccountStore {
    /// The hub's store, whose file holds the tables.
    let hub: ReplicaStore

    /// The tables' migrations.
    ///
    /// A hub file of an earlier release already holds the tables, made by the engine then: they
    /// are adopted as they are.
    static let migrations = [
        LocalMigration(
            identifier: "hub-accounts-v1",
            sql: """
                CREATE TABLE IF NOT EXISTS hub_account (
                    username TEXT PRIMARY KEY NOT NULL,
                    role TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE IF NOT EXISTS hub_session (
                    token_hash TEXT PRIMARY KEY NOT NULL,
                    username TEXT NOT NULL REFERENCES hub_account(username) ON DELETE CASCADE,
                    csrf_token TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    last_seen_at INTEGER NOT NULL
                );
                CREATE INDEX IF NOT EXISTS hub_session_username ON hub_session(username);
                """
        )
    ]

    /// Opens the accounts of a hub, creating their tables when missing.
    ///
    /// - Parameter hub: The hub's store.
    /// - Throws: ``SyncError`` when the file cannot be written.
    init(_ hub: ReplicaStore) throws {
        try hub.migrateLocalTables(Self.migrations)
        self.hub = hub
    }

    @discardableResult
    func createAccount(username: String, role: AccountRole, passwordHash: String) async throws -> Account {
        let name = try AccountRules.validUsername(username)
        try AccountRules.requirePasswordHash(passwordHash)
        let account = Account(username: name, role: role, createdAt: hub.localClockMillis)
        try await hub.writeLocal { db in
            if let taken = try Self.candidates(db, named: name).first {
                throw AccountRules.taken(taken.account.username)
            }
            try db.execute(
                sql: "INSERT INTO hub_account(username, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
                arguments: [name, role.rawValue, passwordHash, account.createdAt]
            )
        }
        return account
    }

    func updateAccount(_ username: String, role: AccountRole?, passwordHash: String?) async throws {
        if let passwordHash { try AccountRules.requirePasswordHash(passwordHash) }
        try await hub.writeLocal { db in
            let account = try AccountRules.require(username, among: try Self.candidates(db, named: username))
            let name = account.username
            if let role {
                if account.role == .admin && role != .admin {
                    try AccountRules.requireAnotherAdmin(besides: name, others: try Self.otherAdmins(db, besides: name))
                }
                try db.execute(
                    sql: "UPDATE hub_account SET role = ? WHERE username = ?",
                    arguments: [role.rawValue, name]
                )
            }
            if let passwordHash {
                try db.execute(
                    sql: "UPDATE hub_account SET password_hash = ? WHERE username = ?",
                    arguments: [passwordHash, name]
                )
                try db.execute(sql: "DELETE FROM hub_session WHERE username = ?", arguments: [name])
            }
        }
    }

    @discardableResult
    func deleteAccount(_ username: String) async throws -> Account {
        try await hub.writeLocal { db in
            let account = try AccountRules.require(username, among: try Self.candidates(db, named: username))
            if account.role == .admin {
                let others = try Self.otherAdmins(db, besides: account.username)
                try AccountRules.requireAnotherAdmin(besides: account.username, others: others)
            }
            try db.execute(sql: "DELETE FROM hub_session WHERE username = ?", arguments: [account.username])
            try db.execute(sql: "DELETE FROM hub_account WHERE username = ?", arguments: [account.username])
            return account
        }
    }

    func account(named username: String) async throws -> Account? {
        try await hub.readLocal { db in
            try AccountRules.resolve(username, among: try Self.candidates(db, named: username))?.account
        }
    }

    func accounts() async throws -> [Account] {
        try await hub.readLocal { db in
            try Row.fetchAll(
                db,
                sql: "SELECT username, role, password_hash, created_at FROM hub_account ORDER BY username"
            )
            .map { Self.stored($0).account }
        }
    }

    func credential(of username: String) async throws -> StoredAccount? {
        try await hub.readLocal { db in
            AccountRules.credential(username, among: try Self.candidates(db, named: username))
        }
    }

    func openSession(username: String, policy: SessionPolicy) async throws -> (session: AccountSession, token: String) {
        guard let account = try await credential(of: username)?.account else { throw AccountRules.noAccount(username) }
        let (token, csrf) = AccountRules.newTokens()
        let key = Credential.hash(token)
        let now = hub.localClockMillis
        try await hub.writeLocal { db in
            try db.execute(
                sql: "DELETE FROM hub_session WHERE last_seen_at < ? OR created_at < ?",
                arguments: [now - policy.idleMillis, now - policy.lifetimeMillis]
            )
            try db.execute(
                sql: """
                    INSERT INTO hub_session(token_hash, username, csrf_token, created_at, last_seen_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [key, account.username, csrf, now, now]
            )
        }
        return (AccountSession(account: account, csrfToken: csrf, createdAt: now, lastSeenAt: now), token)
    }

    func session(token: String, policy: SessionPolicy) async throws -> AccountSession? {
        guard let key = AccountRules.key(of: token) else { return nil }
        let now = hub.localClockMillis
        return try await hub.writeLocal { db -> AccountSession? in
            let sql = """
                SELECT s.csrf_token, s.created_at AS opened, s.last_seen_at, a.username, a.role, a.password_hash,
                    a.created_at
                FROM hub_session s JOIN hub_account a ON a.username = s.username WHERE s.token_hash = ?
                """
            guard let row = try Row.fetchOne(db, sql: sql, arguments: [key]) else { return nil }
            let stored = StoredSession(
                account: Self.stored(row).account,
                csrfToken: row["csrf_token"],
                openedAt: row["opened"],
                lastSeenAt: row["last_seen_at"]
            )
            switch AccountRules.verdict(stored, now: now, policy: policy) {
            case .expired:
                try db.execute(sql: "DELETE FROM hub_session WHERE token_hash = ?", arguments: [key])
                return nil
            case .live(let touch):
                if touch {
                    try db.execute(
                        sql: "UPDATE hub_session SET last_seen_at = ? WHERE token_hash = ?",
                        arguments: [now, key]
                    )
                }
                return AccountRules.session(stored, now: now)
            }
        }
    }

    func closeSession(token: String) async throws {
        let key = Credential.hash(token)
        try await hub.writeLocal { db in
            try db.execute(sql: "DELETE FROM hub_session WHERE token_hash = ?", arguments: [key])
        }
    }

    /// The accounts whose names equal `username` without regard to case.
    private static func candidates(_ db: Database, named username: String) throws -> [StoredAccount] {
        guard AccountRules.isLookup(username) else { return [] }
        return try Row.fetchAll(
            db,
            sql: "SELECT username, role, password_hash, created_at FROM hub_account WHERE lower(username) = lower(?)",
            arguments: [username]
        ).map(stored)
    }

    private static func otherAdmins(_ db: Database, besides name: String) throws -> Int {
        try Int.fetchOne(
            db,
            sql: "SELECT count(*) FROM hub_account WHERE role = ? AND username <> ?",
            arguments: [AccountRole.admin.rawValue, name]
        ) ?? 0
    }

    private static func stored(_ row: Row) -> StoredAccount {
        StoredAccount(
            account: Account(
                username: row["username"],
                role: AccountRules.role(row["role"]),
                createdAt: row["created_at"]
            ),
            passwordHash: row["password_hash"]
        )
    }
}
