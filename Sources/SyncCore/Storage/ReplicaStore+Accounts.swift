import Foundation
import GRDB

/// What a dashboard account may do; each role includes the ones before it.
///
/// `read` sees every page, `answer` also answers proposals, changes their status and resolves
/// conflicts, `admin` also manages accounts and sees the replicas.
///
/// ```swift
/// AccountRole.admin.includes(.answer)   // true
/// ```
public enum AccountRole: String, Hashable, Sendable, Codable, CaseIterable {
    /// Sees everything, changes nothing.
    case read
    /// Also answers proposals, changes their status and resolves conflicts.
    case answer
    /// Also manages accounts and sees the replicas.
    case admin

    /// Whether this role may do what `other` may.
    ///
    /// - Parameter other: The role an action needs.
    /// - Returns: `true` when this role is `other` or above it.
    public func includes(_ other: AccountRole) -> Bool {
        Self.allCases.firstIndex(of: self)! >= Self.allCases.firstIndex(of: other)!
    }
}

/// A person who signs in to the hub's dashboard.
///
/// Accounts and their sessions live in the hub's database file but are not replicated: no change
/// is logged for them and no replica ever receives them.
public struct Account: Hashable, Sendable, Codable {
    /// The sign-in name: 1 to 64 lowercase letters, digits, `.`, `_`, `-` or `@`.
    public var username: String
    /// What the account may do.
    public var role: AccountRole
    /// When it was created, Unix milliseconds.
    public var createdAt: Int64
}

/// A signed-in dashboard session, kept on the server; the browser holds only its token.
public struct AccountSession: Hashable, Sendable {
    /// The account signed in.
    public var account: Account
    /// The token every form of this session must send back (against cross-site request forgery).
    public var csrfToken: String
    /// When the session was opened, Unix milliseconds.
    public var createdAt: Int64
    /// When it was last used, Unix milliseconds (updated at most once a minute).
    public var lastSeenAt: Int64
}

/// How long a dashboard session lasts.
///
/// ```swift
/// let policy = SessionPolicy(idleMillis: 8 * 3_600_000, lifetimeMillis: 24 * 3_600_000)
/// ```
public struct SessionPolicy: Hashable, Sendable {
    /// A session unused for this long ends: 8 hours by default.
    public var idleMillis: Int64
    /// A session ends this long after it was opened, used or not: 24 hours by default.
    public var lifetimeMillis: Int64

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - idleMillis: The longest pause between two uses.
    ///   - lifetimeMillis: The longest life of a session.
    public init(idleMillis: Int64 = 8 * 3_600_000, lifetimeMillis: Int64 = 24 * 3_600_000) {
        self.idleMillis = idleMillis
        self.lifetimeMillis = lifetimeMillis
    }
}

/// The hub-local tables of dashboard accounts and sessions (not replicated).
enum AccountTables {
    static let createSQL = """
        CREATE TABLE hub_account (
            username TEXT PRIMARY KEY NOT NULL,
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE hub_session (
            token_hash TEXT PRIMARY KEY NOT NULL,
            username TEXT NOT NULL REFERENCES hub_account(username) ON DELETE CASCADE,
            csrf_token TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            last_seen_at INTEGER NOT NULL
        );
        CREATE INDEX hub_session_username ON hub_session(username);
        """
}

// MARK: - Accounts

extension ReplicaStore {
    /// Creates a dashboard account.
    ///
    /// The store keeps the password hash it is given and never sees the password: the caller
    /// hashes it with a slow key-derivation function.
    ///
    /// ```swift
    /// try hub.createAccount(username: "amina", role: .answer, passwordHash: hasher.hash("…"))
    /// ```
    ///
    /// - Parameters:
    ///   - username: The sign-in name; stored in lowercase.
    ///   - role: What the account may do.
    ///   - passwordHash: The encoded hash of its password.
    /// - Returns: The account.
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidArgument`` for a malformed name or hash,
    ///   ``SyncError/Code/conflict`` when the name is taken.
    @discardableResult
    public func createAccount(username: String, role: AccountRole, passwordHash: String) throws -> Account {
        let name = try Self.validUsername(username)
        try Self.requirePasswordHash(passwordHash)
        let account = Account(username: name, role: role, createdAt: wallClock())
        try write { db in
            if let taken = try String.fetchOne(
                db,
                sql: "SELECT username FROM hub_account WHERE username = ? COLLATE NOCASE",
                arguments: [name]
            ) {
                throw SyncError(.conflict, "an account named '\(taken)' exists; choose another name")
            }
            try db.execute(
                sql: "INSERT INTO hub_account(username, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
                arguments: [name, role.rawValue, passwordHash, account.createdAt]
            )
        }
        return account
    }

    /// Changes an account's role or password hash; a new password ends its open sessions.
    ///
    /// A new role applies to open sessions at their next request. The name is matched without
    /// regard to case (see ``account(named:)``). The last administrator cannot lose the role, so
    /// that someone can always manage the accounts.
    ///
    /// ```swift
    /// try hub.updateAccount("amina", role: .admin)
    /// ```
    ///
    /// - Parameters:
    ///   - username: The account's name, in any case.
    ///   - role: A new role, or `nil` to keep it.
    ///   - passwordHash: A new password hash, or `nil` to keep it.
    /// - Throws: ``SyncError`` with ``SyncError/Code/recordNotFound`` for an unknown account,
    ///   ``SyncError/Code/conflict`` when the name is ambiguous or the change would leave no
    ///   administrator; nothing is changed then.
    public func updateAccount(_ username: String, role: AccountRole? = nil, passwordHash: String? = nil) throws {
        if let passwordHash { try Self.requirePasswordHash(passwordHash) }
        try write { db in
            let account = try Self.requireAccount(db, named: username)
            let name = account.username
            if let role {
                if account.role == .admin && role != .admin { try Self.requireAnotherAdmin(db, besides: name) }
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

    /// Deletes an account and ends its sessions; the last administrator cannot be deleted.
    ///
    /// ```swift
    /// try hub.deleteAccount("youssef")
    /// ```
    ///
    /// - Parameter username: The account's name, in any case.
    /// - Returns: The account deleted.
    /// - Throws: ``SyncError`` with ``SyncError/Code/recordNotFound`` for an unknown account,
    ///   ``SyncError/Code/conflict`` when the name is ambiguous or names the last administrator.
    @discardableResult
    public func deleteAccount(_ username: String) throws -> Account {
        try write { db in
            let account = try Self.requireAccount(db, named: username)
            if account.role == .admin { try Self.requireAnotherAdmin(db, besides: account.username) }
            try db.execute(sql: "DELETE FROM hub_session WHERE username = ?", arguments: [account.username])
            try db.execute(sql: "DELETE FROM hub_account WHERE username = ?", arguments: [account.username])
            return account
        }
    }

    /// The account a typed name designates, without regard to case.
    ///
    /// Names are stored in lowercase, so `Amina` and `AMINA` are `amina`. A database written
    /// before names were folded may hold two names that differ only by case: the one spelled
    /// exactly as typed is meant; any other spelling of them is ambiguous.
    ///
    /// ```swift
    /// let target = try hub.account(named: "AMINA")   // amina's account
    /// ```
    ///
    /// - Parameter username: The name as typed.
    /// - Returns: The account, or `nil` when no account has that name.
    /// - Throws: ``SyncError`` with ``SyncError/Code/conflict`` when several accounts have that
    ///   name in different cases and none exactly as typed.
    public func account(named username: String) throws -> Account? {
        try read { db in try Self.findAccount(db, named: username).map(Self.account(from:)) }
    }

    /// Every dashboard account, by name.
    ///
    /// ```swift
    /// for account in try hub.accounts() { print(account.username, account.role) }
    /// ```
    ///
    /// - Returns: The accounts.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func accounts() throws -> [Account] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT username, role, created_at FROM hub_account ORDER BY username")
                .map(Self.account(from:))
        }
    }

    /// The stored password hash of an account, to check a password against at sign-in.
    ///
    /// ```swift
    /// let ok = try hub.credential(of: typed).map { hasher.verify(password, against: $0.passwordHash) } ?? false
    /// ```
    ///
    /// - Parameter username: The name typed at sign-in (any case).
    /// - Returns: The account and its hash, or `nil` when no account has that name, or when the
    ///   name is ambiguous (see ``account(named:)``).
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func credential(of username: String) throws -> (account: Account, passwordHash: String)? {
        try read { db in
            let found: Row?
            do {
                found = try Self.findAccount(db, named: username)
            } catch let error as SyncError where error.code == .conflict {
                found = nil
            }
            return found.map { (Self.account(from: $0), $0["password_hash"] as String) }
        }
    }
}

// MARK: - Sessions

extension ReplicaStore {
    /// Opens a session for an account whose password was checked, and ends expired sessions.
    ///
    /// The token goes to the browser (as a cookie); the store keeps only its SHA-256 hash.
    ///
    /// ```swift
    /// let (session, token) = try hub.openSession(username: "amina")
    /// ```
    ///
    /// - Parameters:
    ///   - username: The account's name.
    ///   - policy: How long sessions last, to purge the expired ones.
    /// - Returns: The session and its token (shown once, never stored).
    /// - Throws: ``SyncError`` with ``SyncError/Code/recordNotFound`` for an unknown account.
    public func openSession(
        username: String,
        policy: SessionPolicy = SessionPolicy()
    ) throws -> (session: AccountSession, token: String) {
        guard let account = try credential(of: username)?.account else {
            throw SyncError(.recordNotFound, "no account named '\(username.prefix(64))'")
        }
        let token = "hs1." + Self.randomToken()
        let now = wallClock()
        let session = AccountSession(account: account, csrfToken: Self.randomToken(), createdAt: now, lastSeenAt: now)
        try write { db in
            try db.execute(
                sql: "DELETE FROM hub_session WHERE last_seen_at < ? OR created_at < ?",
                arguments: [now - policy.idleMillis, now - policy.lifetimeMillis]
            )
            try db.execute(
                sql: """
                    INSERT INTO hub_session(token_hash, username, csrf_token, created_at, last_seen_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [Self.hash(token), account.username, session.csrfToken, now, now]
            )
        }
        return (session, token)
    }

    /// The live session a token belongs to, or `nil` when it is unknown or expired.
    ///
    /// An expired session is deleted; a live one has its last use updated (at most once a minute).
    /// The account is read afresh, so a changed role applies at once.
    ///
    /// ```swift
    /// guard let session = try hub.session(token: cookie) else { return redirectToSignIn() }
    /// ```
    ///
    /// - Parameters:
    ///   - token: The token from the browser.
    ///   - policy: How long sessions last.
    /// - Returns: The session.
    /// - Throws: ``SyncError`` when the database cannot be read or written.
    public func session(token: String, policy: SessionPolicy = SessionPolicy()) throws -> AccountSession? {
        guard token.hasPrefix("hs1."), token.utf8.count < 100 else { return nil }
        let key = Self.hash(token)
        let now = wallClock()
        return try write { db -> AccountSession? in
            let sql = """
                SELECT s.csrf_token, s.created_at AS opened, s.last_seen_at, a.username, a.role, a.created_at
                FROM hub_session s JOIN hub_account a ON a.username = s.username WHERE s.token_hash = ?
                """
            guard let row = try Row.fetchOne(db, sql: sql, arguments: [key]) else { return nil }
            let opened: Int64 = row["opened"]
            let lastSeen: Int64 = row["last_seen_at"]
            guard now - lastSeen <= policy.idleMillis, now - opened <= policy.lifetimeMillis else {
                try db.execute(sql: "DELETE FROM hub_session WHERE token_hash = ?", arguments: [key])
                return nil
            }
            if now - lastSeen > 60_000 {
                try db.execute(
                    sql: "UPDATE hub_session SET last_seen_at = ? WHERE token_hash = ?",
                    arguments: [now, key]
                )
            }
            return AccountSession(
                account: Self.account(from: row),
                csrfToken: row["csrf_token"],
                createdAt: opened,
                lastSeenAt: max(lastSeen, now)
            )
        }
    }

    /// Ends a session (signing out); an unknown token is ignored.
    ///
    /// ```swift
    /// try hub.closeSession(token: cookie)
    /// ```
    ///
    /// - Parameter token: The session's token.
    /// - Throws: ``SyncError`` when the database cannot be written.
    public func closeSession(token: String) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM hub_session WHERE token_hash = ?", arguments: [Self.hash(token)])
        }
    }

    // MARK: - Helpers

    /// The row of the account a typed name designates: the name exactly as stored, else the one
    /// account whose name differs only by case.
    private static func findAccount(_ db: Database, named username: String) throws -> Row? {
        guard !username.isEmpty, username.utf8.count <= 256 else { return nil }
        if let exact = try Row.fetchOne(db, sql: "SELECT * FROM hub_account WHERE username = ?", arguments: [username])
        {
            return exact
        }
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT * FROM hub_account WHERE username = ? COLLATE NOCASE ORDER BY username",
            arguments: [username]
        )
        guard rows.count <= 1 else {
            let names = rows.map { "'\($0["username"] as String)'" }.joined(separator: ", ")
            throw SyncError(
                .conflict,
                "several accounts are named '\(username.prefix(64))' in different cases (\(names)); give the "
                    + "name exactly as 'hub-server user list' shows it, then remove or rename the extra account"
            )
        }
        return rows.first
    }

    private static func requireAccount(_ db: Database, named username: String) throws -> Account {
        guard let row = try findAccount(db, named: username) else {
            throw SyncError(.recordNotFound, "no account named '\(username.prefix(64))'; nothing was changed")
        }
        return account(from: row)
    }

    /// Refuses a change that would leave no administrator (counted by distinct names, any case).
    private static func requireAnotherAdmin(_ db: Database, besides name: String) throws {
        let others = try Int.fetchOne(
            db,
            sql: "SELECT COUNT(*) FROM hub_account WHERE role = ? AND username <> ?",
            arguments: [AccountRole.admin.rawValue, name]
        )
        guard (others ?? 0) > 0 else {
            throw SyncError(
                .conflict,
                "'\(name)' is the last administrator; make another account admin first, so that someone can "
                    + "still manage the accounts; nothing was changed"
            )
        }
    }

    private static func account(from row: Row) -> Account {
        Account(
            username: row["username"],
            role: AccountRole(rawValue: row["role"]) ?? .read,
            createdAt: row["created_at"]
        )
    }

    private static func validUsername(_ username: String) throws -> String {
        let name = username.lowercased()
        let allowed = name.utf8.allSatisfy { byte in
            (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2E || byte == 0x5F
                || byte == 0x2D || byte == 0x40
        }
        guard (1...64).contains(name.utf8.count), allowed else {
            throw SyncError(
                .invalidArgument,
                "'\(username.prefix(64))' is not a valid username; use 1 to 64 letters, digits, '.', '_', '-' or '@'"
            )
        }
        return name
    }

    private static func requirePasswordHash(_ hash: String) throws {
        guard (16...1_024).contains(hash.utf8.count) else {
            throw SyncError(.invalidArgument, "the password hash is malformed; hash the password before storing it")
        }
    }

    /// 256 random bits in base64url, without padding.
    private static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
