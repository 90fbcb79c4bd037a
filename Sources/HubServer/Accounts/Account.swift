/// What a dashboard account may do; each role includes the ones before it.
///
/// `read` sees every page, `answer` also answers proposals, changes their status and resolves
/// conflicts, `admin` also manages accounts and sees the replicas.
///
/// ```swift
/// AccountRole.admin.includes(.answer)   // true
/// ```
enum AccountRole: String, Hashable, Sendable, Codable, CaseIterable {
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
    func includes(_ other: AccountRole) -> Bool {
        Self.allCases.firstIndex(of: self)! >= Self.allCases.firstIndex(of: other)!
    }
}

/// A person who signs in to the hub's dashboard.
///
/// Accounts and their sessions live in the hub's own tables (``AccountStore``), on SQLite or
/// PostgreSQL, and are never replicated: no change is logged for them and no replica receives them.
struct Account: Hashable, Sendable, Codable {
    /// The sign-in name: 1 to 64 lowercase letters, digits, `.`, `_`, `-` or `@`.
    var username: String
    /// What the account may do.
    var role: AccountRole
    /// When it was created, Unix milliseconds.
    var createdAt: Int64
}

/// A signed-in dashboard session, kept on the server; the browser holds only its token.
struct AccountSession: Hashable, Sendable {
    /// The account signed in.
    var account: Account
    /// The token every form of this session must send back (against cross-site request forgery).
    var csrfToken: String
    /// When the session was opened, Unix milliseconds.
    var createdAt: Int64
    /// When it was last used, Unix milliseconds (updated at most once a minute).
    var lastSeenAt: Int64
}

/// How long a dashboard session lasts.
///
/// ```swift
/// let policy = SessionPolicy(idleMillis: 8 * 3_600_000, lifetimeMillis: 24 * 3_600_000)
/// ```
struct SessionPolicy: Hashable, Sendable {
    /// A session unused for this long ends: 8 hours by default.
    var idleMillis: Int64
    /// A session ends this long after it was opened, used or not: 24 hours by default.
    var lifetimeMillis: Int64

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - idleMillis: The longest pause between two uses.
    ///   - lifetimeMillis: The longest life of a session.
    init(idleMillis: Int64 = 8 * 3_600_000, lifetimeMillis: Int64 = 24 * 3_600_000) {
        self.idleMillis = idleMillis
        self.lifetimeMillis = lifetimeMillis
    }
}
