import Logging
import PostgresHub
import PostgresNIO
import SyncCore

/// The dashboard's accounts in the hub's PostgreSQL database, shared by every `hub-server`
/// process on it: an account made or a session opened by one process is seen by the others at
/// their next request.
///
/// Changes that could remove the last administrator lock the administrators' rows first, so two
/// processes demoting two administrators at once cannot leave none.
struct PostgresAccountStore: AccountStore {
    /// The connection pool; its `run()` must be running.
    let client: PostgresClient
    /// Where queries log.
    let logger: Logger
    /// The wall clock, Unix milliseconds.
    let wallClock: @Sendable () -> Int64

    /// The tables, created when missing.
    static let setupSQL = [
        """
        CREATE TABLE IF NOT EXISTS hub_account (
            username text PRIMARY KEY, role text NOT NULL, password_hash text NOT NULL, created_at bigint NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS hub_session (
            token_hash text PRIMARY KEY,
            username text NOT NULL REFERENCES hub_account(username) ON DELETE CASCADE,
            csrf_token text NOT NULL, created_at bigint NOT NULL, last_seen_at bigint NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS hub_session_username ON hub_session (username)",
    ]

    /// Opens the accounts of a PostgreSQL hub, creating their tables when missing (under the
    /// store's setup lock, so that several processes may start at once).
    ///
    /// - Parameter hub: The hub's store.
    /// - Returns: The accounts.
    /// - Throws: ``SyncError`` with ``SyncError/Code/storage`` when the database is unreachable.
    static func open(_ hub: PostgresHubStore) async throws -> PostgresAccountStore {
        let (client, logger) = (hub.client, hub.logger)
        try await PostgresHubStore.wrapping("create the account tables") {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query(
                    "SELECT pg_advisory_xact_lock(\(PostgresHubStore.setupLockKey))",
                    logger: logger
                )
                for statement in setupSQL {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
            }
        }
        return PostgresAccountStore(client: client, logger: logger, wallClock: hub.wallClock)
    }

    @discardableResult
    func createAccount(username: String, role: AccountRole, passwordHash: String) async throws -> Account {
        let name = try AccountRules.validUsername(username)
        try AccountRules.requirePasswordHash(passwordHash)
        let account = Account(username: name, role: role, createdAt: wallClock())
        try await transaction("create an account") { connection, logger in
            if let taken = try await Self.candidates(connection, named: name, logger: logger).first {
                throw AccountRules.taken(taken.account.username)
            }
            try await connection.query(
                """
                INSERT INTO hub_account(username, role, password_hash, created_at)
                VALUES (\(name), \(role.rawValue), \(passwordHash), \(account.createdAt))
                """,
                logger: logger
            )
        }
        return account
    }

    func updateAccount(_ username: String, role: AccountRole?, passwordHash: String?) async throws {
        if let passwordHash { try AccountRules.requirePasswordHash(passwordHash) }
        try await transaction("change an account") { connection, logger in
            let others = try await Self.lockAdmins(connection, logger: logger)
            let candidates = try await Self.candidates(connection, named: username, logger: logger)
            let account = try AccountRules.require(username, among: candidates)
            let name = account.username
            if let role {
                if account.role == .admin && role != .admin {
                    try AccountRules.requireAnotherAdmin(besides: name, others: others.filter { $0 != name }.count)
                }
                try await connection.query(
                    "UPDATE hub_account SET role = \(role.rawValue) WHERE username = \(name)",
                    logger: logger
                )
            }
            if let passwordHash {
                try await connection.query(
                    "UPDATE hub_account SET password_hash = \(passwordHash) WHERE username = \(name)",
                    logger: logger
                )
                try await connection.query("DELETE FROM hub_session WHERE username = \(name)", logger: logger)
            }
        }
    }

    @discardableResult
    func deleteAccount(_ username: String) async throws -> Account {
        try await transaction("delete an account") { connection, logger in
            let others = try await Self.lockAdmins(connection, logger: logger)
            let candidates = try await Self.candidates(connection, named: username, logger: logger)
            let account = try AccountRules.require(username, among: candidates)
            let name = account.username
            if account.role == .admin {
                try AccountRules.requireAnotherAdmin(besides: name, others: others.filter { $0 != name }.count)
            }
            try await connection.query("DELETE FROM hub_session WHERE username = \(name)", logger: logger)
            try await connection.query("DELETE FROM hub_account WHERE username = \(name)", logger: logger)
            return account
        }
    }

    func account(named username: String) async throws -> Account? {
        try await transaction("read an account") { connection, logger in
            try AccountRules.resolve(
                username,
                among: try await Self.candidates(connection, named: username, logger: logger)
            )?
            .account
        }
    }

    func accounts() async throws -> [Account] {
        try await transaction("list the accounts") { connection, logger in
            let rows = try await connection.query(
                "SELECT username, role, password_hash, created_at FROM hub_account ORDER BY username FOR UPDATE",
                logger: logger
            )
            return try await Self.stored(rows).map(\.account)
        }
    }

    func credential(of username: String) async throws -> StoredAccount? {
        try await transaction("read an account") { connection, logger in
            AccountRules.credential(
                username,
                among: try await Self.candidates(connection, named: username, logger: logger)
            )
        }
    }

    func openSession(username: String, policy: SessionPolicy) async throws -> (session: AccountSession, token: String) {
        guard let account = try await credential(of: username)?.account else { throw AccountRules.noAccount(username) }
        let (token, csrf) = AccountRules.newTokens()
        let key = Credential.hash(token)
        let now = wallClock()
        try await transaction("open a session") { connection, logger in
            try await connection.query(
                """
                DELETE FROM hub_session WHERE last_seen_at < \(now - policy.idleMillis)
                    OR created_at < \(now - policy.lifetimeMillis)
                """,
                logger: logger
            )
            try await connection.query(
                """
                INSERT INTO hub_session(token_hash, username, csrf_token, created_at, last_seen_at)
                VALUES (\(key), \(account.username), \(csrf), \(now), \(now))
                """,
                logger: logger
            )
        }
        return (AccountSession(account: account, csrfToken: csrf, createdAt: now, lastSeenAt: now), token)
    }

    func session(token: String, policy: SessionPolicy) async throws -> AccountSession? {
        guard let key = AccountRules.key(of: token) else { return nil }
        let now = wallClock()
        return try await transaction("read a session") { connection, logger -> AccountSession? in
            let rows = try await connection.query(
                """
                SELECT s.csrf_token, s.created_at, s.last_seen_at, a.username, a.role, a.created_at
                FROM hub_session s JOIN hub_account a ON a.username = s.username WHERE s.token_hash = \(key)
                """,
                logger: logger
            )
            var found: StoredSession?
            for try await (csrf, opened, lastSeen, name, role, created) in rows.decode(
                (String, Int64, Int64, String, String, Int64).self
            ) {
                found = StoredSession(
                    account: Account(username: name, role: AccountRules.role(role), createdAt: created),
                    csrfToken: csrf,
                    openedAt: opened,
                    lastSeenAt: lastSeen
                )
            }
            guard let found else { return nil }
            switch AccountRules.verdict(found, now: now, policy: policy) {
            case .expired:
                try await connection.query("DELETE FROM hub_session WHERE token_hash = \(key)", logger: logger)
                return nil
            case .live(let touch):
                if touch {
                    try await connection.query(
                        "UPDATE hub_session SET last_seen_at = \(now) WHERE token_hash = \(key)",
                        logger: logger
                    )
                }
                return AccountRules.session(found, now: now)
            }
        }
    }

    func closeSession(token: String) async throws {
        let key = Credential.hash(token)
        try await transaction("close a session") { connection, logger in
            try await connection.query("DELETE FROM hub_session WHERE token_hash = \(key)", logger: logger)
        }
    }

    /// Runs `body` in one transaction, its errors as the hub store reports them.
    @discardableResult
    private func transaction<Value: Sendable>(
        _ what: String,
        _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> Value
    ) async throws -> Value {
        let logger = self.logger
        return try await PostgresHubStore.wrapping(what) {
            try await client.withTransaction(logger: logger) { connection in try await body(connection, logger) }
        }
    }

    /// The accounts whose names equal `username` without regard to case.
    private static func candidates(
        _ connection: PostgresConnection,
        named username: String,
        logger: Logger
    ) async throws -> [StoredAccount] {
        guard AccountRules.isLookup(username) else { return [] }
        let rows = try await connection.query(
            """
            SELECT username, role, password_hash, created_at FROM hub_account
            WHERE lower(username) = lower(\(username))
            """,
            logger: logger
        )
        return try await stored(rows)
    }

    /// Locks the administrators' rows until the transaction ends, and returns their names.
    private static func lockAdmins(_ connection: PostgresConnection, logger: Logger) async throws -> [String] {
        let rows = try await connection.query(
            "SELECT username FROM hub_account WHERE role = \(AccountRole.admin.rawValue) ORDER BY username FOR UPDATE",
            logger: logger
        )
        var names: [String] = []
        for try await name in rows.decode(String.self) { names.append(name) }
        return names
    }

    private static func stored(_ rows: PostgresRowSequence) async throws -> [StoredAccount] {
        var accounts: [StoredAccount] = []
        for try await (name, role, hash, created) in rows.decode((String, String, String, Int64).self) {
            accounts.append(
                StoredAccount(
                    account: Account(username: name, role: AccountRules.role(role), createdAt: created),
                    passwordHash: hash
                )
            )
        }
        return accounts
    }
}
