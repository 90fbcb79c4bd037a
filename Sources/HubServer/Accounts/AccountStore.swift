import Foundation
import SyncCore

/// The dashboard's accounts and sessions, kept by the hub in its own tables: in the hub's SQLite
/// file beside the replicated data (``SQLiteAccountStore``), or in its PostgreSQL database
/// (``PostgresAccountStore``), where every `hub-server` process on that database shares them.
///
/// Both keep the same rules (``AccountRules``): names folded to lowercase and matched without
/// regard to case, a last administrator who cannot be demoted or deleted, session tokens kept
/// only as their SHA-256, sessions that end when idle or old, and a new password or a deletion
/// ending the account's sessions. Only their SQL differs.
///
/// ```swift
/// let accounts: any AccountStore = SQLiteAccountStore(hub)
/// try await accounts.createAccount(username: "amina", role: .answer, passwordHash: hash)
/// ```
protocol AccountStore: Sendable {
    /// Creates an account; the caller hashes the password.
    ///
    /// - Parameters:
    ///   - username: The sign-in name; stored in lowercase.
    ///   - role: What the account may do.
    ///   - passwordHash: The encoded hash of its password.
    /// - Returns: The account.
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidArgument`` for a malformed name or hash,
    ///   ``SyncError/Code/conflict`` when the name is taken.
    @discardableResult
    func createAccount(username: String, role: AccountRole, passwordHash: String) async throws -> Account

    /// Changes an account's role or password hash; a new password ends its sessions, and the last
    /// administrator keeps the role.
    ///
    /// - Parameters:
    ///   - username: The account's name, in any case.
    ///   - role: A new role, or `nil`.
    ///   - passwordHash: A new password hash, or `nil`.
    /// - Throws: ``SyncError`` with ``SyncError/Code/recordNotFound`` for an unknown account,
    ///   ``SyncError/Code/conflict`` when the name is ambiguous or no administrator would be left.
    func updateAccount(_ username: String, role: AccountRole?, passwordHash: String?) async throws

    /// Deletes an account and ends its sessions; the last administrator cannot be deleted.
    ///
    /// - Parameter username: The account's name, in any case.
    /// - Returns: The account deleted.
    /// - Throws: ``SyncError`` as ``updateAccount(_:role:passwordHash:)`` does.
    @discardableResult
    func deleteAccount(_ username: String) async throws -> Account

    /// The account a typed name designates (``AccountRules/resolve(_:among:)``).
    ///
    /// - Parameter username: The name as typed.
    /// - Returns: The account, or `nil`.
    /// - Throws: ``SyncError`` with ``SyncError/Code/conflict`` for an ambiguous name.
    func account(named username: String) async throws -> Account?

    /// Every account, by name.
    ///
    /// - Returns: The accounts.
    /// - Throws: ``SyncError`` when the database cannot be read.
    func accounts() async throws -> [Account]

    /// An account and its password hash, to check a password against; `nil` for an unknown or
    /// ambiguous name.
    ///
    /// - Parameter username: The name typed at sign-in.
    /// - Returns: The account and its hash.
    /// - Throws: ``SyncError`` when the database cannot be read.
    func credential(of username: String) async throws -> StoredAccount?

    /// Opens a session for an account whose password was checked, and ends expired sessions.
    ///
    /// - Parameters:
    ///   - username: The account's name.
    ///   - policy: How long sessions last.
    /// - Returns: The session and its token (shown once, stored only as its hash).
    /// - Throws: ``SyncError`` with ``SyncError/Code/recordNotFound`` for an unknown account.
    func openSession(username: String, policy: SessionPolicy) async throws -> (session: AccountSession, token: String)

    /// The live session of a token; an expired one is deleted, a live one's last use updated at
    /// most once a minute, and the account read afresh.
    ///
    /// - Parameters:
    ///   - token: The token from the browser.
    ///   - policy: How long sessions last.
    /// - Returns: The session, or `nil`.
    /// - Throws: ``SyncError`` when the database cannot be read or written.
    func session(token: String, policy: SessionPolicy) async throws -> AccountSession?

    /// Ends a session; an unknown token is ignored.
    ///
    /// - Parameter token: The session's token.
    /// - Throws: ``SyncError`` when the database cannot be written.
    func closeSession(token: String) async throws
}

extension AccountStore {
    /// Changes an account's role.
    func updateAccount(_ username: String, role: AccountRole) async throws {
        try await updateAccount(username, role: role, passwordHash: nil)
    }

    /// Changes an account's password hash, ending its sessions.
    func updateAccount(_ username: String, passwordHash: String) async throws {
        try await updateAccount(username, role: nil, passwordHash: passwordHash)
    }

    /// Opens a session with the default policy.
    func openSession(username: String) async throws -> (session: AccountSession, token: String) {
        try await openSession(username: username, policy: SessionPolicy())
    }

    /// The live session of a token, with the default policy.
    func session(token: String) async throws -> AccountSession? {
        try await session(token: token, policy: SessionPolicy())
    }
}

/// An account with its stored password hash.
struct StoredAccount: Sendable {
    /// The account.
    var account: Account
    /// Its password hash.
    var passwordHash: String
}

/// What a stored session says, read with its account.
struct StoredSession: Sendable {
    /// The account signed in.
    var account: Account
    /// The session's form token.
    var csrfToken: String
    /// When it was opened, Unix milliseconds.
    var openedAt: Int64
    /// When it was last used, Unix milliseconds.
    var lastSeenAt: Int64
}

/// The rules of accounts and sessions, the same for every backend.
enum AccountRules {
    /// The longest name a lookup considers.
    static let maxTypedName = 256

    /// A name folded to lowercase, or an error naming what is allowed.
    ///
    /// - Parameter username: The name asked for.
    /// - Returns: The name to store.
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidArgument``.
    static func validUsername(_ username: String) throws -> String {
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

    /// Refuses a hash that cannot be one of ``PasswordHasher``'s.
    ///
    /// - Parameter hash: The encoded hash.
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidArgument``.
    static func requirePasswordHash(_ hash: String) throws {
        guard (16...1_024).contains(hash.utf8.count) else {
            throw SyncError(.invalidArgument, "the password hash is malformed; hash the password before storing it")
        }
    }

    /// Whether a typed name is worth a lookup at all.
    static func isLookup(_ username: String) -> Bool {
        !username.isEmpty && username.utf8.count <= maxTypedName
    }

    /// The error of a name taken by `existing`.
    static func taken(_ existing: String) -> SyncError {
        SyncError(.conflict, "an account named '\(existing)' exists; choose another name")
    }

    /// The one account a typed name designates among those whose names equal it without regard
    /// to case: the one spelled exactly as typed, else the only one.
    ///
    /// Names are stored in lowercase, so `Amina` is `amina`. A database written before names were
    /// folded may hold two names that differ only by case; any other spelling of them is ambiguous.
    ///
    /// - Parameters:
    ///   - username: The name as typed.
    ///   - candidates: The accounts whose names equal it without regard to case.
    /// - Returns: The account, or `nil` when there is none.
    /// - Throws: ``SyncError`` with ``SyncError/Code/conflict`` when several match and none exactly.
    static func resolve(_ username: String, among candidates: [StoredAccount]) throws -> StoredAccount? {
        if let exact = candidates.first(where: { $0.account.username == username }) { return exact }
        guard candidates.count <= 1 else {
            let names = candidates.map { "'\($0.account.username)'" }.sorted().joined(separator: ", ")
            throw SyncError(
                .conflict,
                "several accounts are named '\(username.prefix(64))' in different cases (\(names)); give the "
                    + "name exactly as 'hub-server user list' shows it, then remove or rename the extra account"
            )
        }
        return candidates.first
    }

    /// The account and hash to check a sign-in against: `nil` for an ambiguous name too, so that
    /// sign-in says no more than "wrong name or password".
    static func credential(_ username: String, among candidates: [StoredAccount]) -> StoredAccount? {
        (try? resolve(username, among: candidates)) ?? nil
    }

    /// The account a name designates, or an error saying none does.
    static func require(_ username: String, among candidates: [StoredAccount]) throws -> Account {
        guard let found = try resolve(username, among: candidates) else {
            throw SyncError(.recordNotFound, "no account named '\(username.prefix(64))'; nothing was changed")
        }
        return found.account
    }

    /// Refuses a change that would leave no administrator.
    ///
    /// - Parameters:
    ///   - name: The administrator losing the role or deleted.
    ///   - others: How many other administrators there are.
    /// - Throws: ``SyncError`` with ``SyncError/Code/conflict`` when there is none.
    static func requireAnotherAdmin(besides name: String, others: Int) throws {
        guard others > 0 else {
            throw SyncError(
                .conflict,
                "'\(name)' is the last administrator; make another account admin first, so that someone can "
                    + "still manage the accounts; nothing was changed"
            )
        }
    }

    /// A new session token (`hs1.` and 256 random bits) and a form token.
    static func newTokens() -> (session: String, csrf: String) {
        ("hs1." + randomToken(), randomToken())
    }

    /// The key a session is stored under: its token's SHA-256, or `nil` for a token that cannot
    /// be one of ours.
    static func key(of token: String) -> String? {
        guard token.hasPrefix("hs1."), token.utf8.count < 100 else { return nil }
        return Credential.hash(token)
    }

    /// What to do with a stored session at `now`.
    enum Verdict: Equatable {
        /// Idle or old: delete it.
        case expired
        /// Live; `touch` when its last use should be updated.
        case live(touch: Bool)
    }

    /// Judges a stored session.
    ///
    /// - Parameters:
    ///   - session: The session as stored.
    ///   - now: Unix milliseconds.
    ///   - policy: How long sessions last.
    /// - Returns: The verdict.
    static func verdict(_ session: StoredSession, now: Int64, policy: SessionPolicy) -> Verdict {
        guard now - session.lastSeenAt <= policy.idleMillis, now - session.openedAt <= policy.lifetimeMillis else {
            return .expired
        }
        return .live(touch: now - session.lastSeenAt > 60_000)
    }

    /// The session handed to the routes.
    static func session(_ stored: StoredSession, now: Int64) -> AccountSession {
        AccountSession(
            account: stored.account,
            csrfToken: stored.csrfToken,
            createdAt: stored.openedAt,
            lastSeenAt: max(stored.lastSeenAt, now)
        )
    }

    /// The error of a session opened for an unknown account.
    static func noAccount(_ username: String) -> SyncError {
        SyncError(.recordNotFound, "no account named '\(username.prefix(64))'")
    }

    /// A role as stored; an unknown one reads as the least.
    static func role(_ raw: String) -> AccountRole { AccountRole(rawValue: raw) ?? .read }

    /// 256 random bits in base64url, without padding.
    private static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
