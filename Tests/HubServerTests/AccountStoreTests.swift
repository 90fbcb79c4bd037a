import Foundation
import Logging
import PostgresHub
import PostgresNIO
import SyncCore
import SyncTestSupport
import Testing

@testable import HubServer

/// The dashboard's accounts and sessions on each backend: the same rules on SQLite and on
/// PostgreSQL, shared by the processes of one PostgreSQL database, and never in a replica's file.
@Suite struct AccountStoreTests {
    static let password = "long enough password"

    /// Runs `body` with the accounts of a fresh hub of `backend`, on a manual clock.
    private func withAccounts(
        _ backend: HubBackend,
        clock: ManualClock = ManualClock(),
        _ body: @Sendable (any AccountStore, _ digest: @Sendable () async throws -> String) async throws -> Void
    ) async throws {
        let folder = try TemporaryDirectory()
        switch backend {
        case .sqlite:
            let hub = try ReplicaStore(path: folder.path("hub.sqlite"), wallClock: clock.read)
            try await body(try SQLiteAccountStore(hub)) { try hub.digest() }
        case .postgres:
            let url = try await PostgresTestServer.makeDatabase(folder: folder)
            try await Self.withPostgresHubs(url, count: 1, clock: clock) { hubs in
                try await body(try await PostgresAccountStore.open(hubs[0])) { try await hubs[0].digest() }
            }
        }
    }

    /// Runs `body` with `count` stores on one PostgreSQL database, each with its own connection
    /// pool, as several `hub-server` processes have.
    static func withPostgresHubs(
        _ url: String,
        count: Int,
        clock: ManualClock,
        _ body: @Sendable ([PostgresHubStore]) async throws -> Void
    ) async throws {
        let parsed = try PostgresURL(url)
        let logger = Logger(label: "account-tests", factory: { _ in SwiftLogNoOpLogHandler() })
        let clients = (0..<count).map { _ in
            PostgresClient(configuration: parsed.configuration, backgroundLogger: logger)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in clients { group.addTask { await client.run() } }
            defer { group.cancelAll() }
            var hubs: [PostgresHubStore] = []
            for client in clients {
                hubs.append(try await PostgresHubStore.open(client: client, logger: logger, wallClock: clock.read))
            }
            try await body(hubs)
        }
    }

    private static func hash() throws -> String { try PasswordHasher(logRounds: 10).hash(password) }

    @Test(arguments: HubBackend.covered)
    func accounts_areCreatedOnce_validated_andListed(backend: HubBackend) async throws {
        let hash = try Self.hash()
        try await withAccounts(backend) { store, _ in
            let account = try await store.createAccount(username: "Amina.B", role: .answer, passwordHash: hash)
            #expect(account.username == "amina.b")
            let taken = await #expect(throws: SyncError.self) {
                try await store.createAccount(username: "AMINA.b", role: .read, passwordHash: hash)
            }
            #expect(taken?.code == .conflict)
            await #expect(throws: SyncError.self) {
                try await store.createAccount(username: "a b", role: .read, passwordHash: hash)
            }
            await #expect(throws: SyncError.self) {
                try await store.createAccount(username: "ok", role: .read, passwordHash: "short")
            }
            #expect(try await store.accounts().map(\.username) == ["amina.b"])
            #expect(try await store.credential(of: "AMINA.B")?.passwordHash == hash)
            #expect(try await store.account(named: "Amina.b")?.role == .answer)
            #expect(try await store.account(named: "youssef") == nil)
        }
    }

    @Test(arguments: HubBackend.covered)
    func newPassword_orDeletion_endsSessions_andRoleChangesApplyAtOnce(backend: HubBackend) async throws {
        let hash = try Self.hash()
        try await withAccounts(backend) { store, _ in
            try await store.createAccount(username: "youssef", role: .read, passwordHash: hash)
            let (_, token) = try await store.openSession(username: "youssef")
            try await store.updateAccount("youssef", role: .answer)
            #expect(try await store.session(token: token)?.account.role == .answer)
            try await store.updateAccount("youssef", passwordHash: hash)
            #expect(try await store.session(token: token) == nil)
            let (_, second) = try await store.openSession(username: "YOUSSEF")
            #expect(try await store.session(token: second)?.account.username == "youssef")
            try await store.closeSession(token: second)
            #expect(try await store.session(token: second) == nil)
            let (_, third) = try await store.openSession(username: "youssef")
            try await store.deleteAccount("youssef")
            #expect(try await store.session(token: third) == nil)
            let gone = await #expect(throws: SyncError.self) { try await store.deleteAccount("youssef") }
            #expect(gone?.code == .recordNotFound)
            #expect(try await store.session(token: "hs1.not-a-session") == nil)
            #expect(try await store.session(token: "something else") == nil)
        }
    }

    @Test(arguments: HubBackend.covered)
    func sessions_endWhenIdleOrOld(backend: HubBackend) async throws {
        let clock = ManualClock()
        let policy = SessionPolicy(idleMillis: 60 * 60_000, lifetimeMillis: 3 * 60 * 60_000)
        try await withAccounts(backend, clock: clock) { store, _ in
            try await store.createAccount(username: "fatima", role: .read, passwordHash: try Self.hash())
            let (_, idle) = try await store.openSession(username: "fatima", policy: policy)
            let (_, used) = try await store.openSession(username: "fatima", policy: policy)
            clock.advance(by: 50 * 60_000)
            #expect(try await store.session(token: used, policy: policy) != nil)
            clock.advance(by: 20 * 60_000)
            // 70 minutes without use: over the idle limit; the other was used 20 minutes ago.
            #expect(try await store.session(token: idle, policy: policy) == nil)
            #expect(try await store.session(token: used, policy: policy) != nil)
            for _ in 0..<3 {
                clock.advance(by: 50 * 60_000)
                _ = try await store.session(token: used, policy: policy)
            }
            // Used every 50 minutes, but opened 220 minutes ago: over the lifetime.
            #expect(try await store.session(token: used, policy: policy) == nil)
        }
    }

    @Test(arguments: HubBackend.covered)
    func theLastAdministrator_staysAnAdministrator(backend: HubBackend) async throws {
        let hash = try Self.hash()
        try await withAccounts(backend) { store, _ in
            try await store.createAccount(username: "amina", role: .admin, passwordHash: hash)
            for spelling in ["amina", "AMINA"] {
                let demoted = await #expect(throws: SyncError.self) {
                    try await store.updateAccount(spelling, role: .answer)
                }
                #expect(demoted?.code == .conflict)
                await #expect(throws: SyncError.self) { try await store.deleteAccount(spelling) }
            }
            #expect(try await store.account(named: "amina")?.role == .admin)
            try await store.createAccount(username: "youssef", role: .admin, passwordHash: hash)
            try await store.updateAccount("AMINA", role: .read)
            #expect(try await store.account(named: "amina")?.role == .read)
            await #expect(throws: SyncError.self) { try await store.deleteAccount("Youssef") }
            #expect(try await store.accounts().map(\.role) == [.read, .admin])
        }
    }

    @Test(arguments: HubBackend.covered)
    func accounts_areNotReplicated(backend: HubBackend) async throws {
        try await withAccounts(backend) { store, digest in
            let before = try await digest()
            try await store.createAccount(username: "fatima", role: .admin, passwordHash: try Self.hash())
            _ = try await store.openSession(username: "fatima")
            #expect(try await digest() == before)
        }
    }

    @Test(
        .enabled(
            if: PostgresTestServer.shouldRun,
            "PostgreSQL backend not tested: HUB_TEST_POSTGRES_URL is not set; run make test or scripts/with-postgres.sh"
        )
    )
    func postgres_twoProcesses_shareAccountsAndSessions() async throws {
        let folder = try TemporaryDirectory()
        let url = try await PostgresTestServer.makeDatabase(folder: folder)
        let hash = try Self.hash()
        try await Self.withPostgresHubs(url, count: 2, clock: ManualClock()) { hubs in
            let first = try await PostgresAccountStore.open(hubs[0])
            let second = try await PostgresAccountStore.open(hubs[1])
            try await first.createAccount(username: "amina", role: .admin, passwordHash: hash)
            try await first.createAccount(username: "youssef", role: .admin, passwordHash: hash)
            let (opened, token) = try await first.openSession(username: "amina")
            #expect(try await second.session(token: token)?.csrfToken == opened.csrfToken)
            try await second.updateAccount("amina", role: .answer)
            #expect(try await first.session(token: token)?.account.role == .answer)
            // Both processes demote one of the two remaining administrators at once: one of them
            // must be refused.
            try await first.updateAccount("amina", role: .admin)
            async let left: Bool = { (try? await first.updateAccount("amina", role: .read)) != nil }()
            async let right: Bool = { (try? await second.updateAccount("youssef", role: .read)) != nil }()
            let outcomes = [await left, await right]
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(try await second.accounts().filter { $0.role == .admin }.count == 1)
            // A deletion by one process ends the sessions the other opened.
            let demoted = try #require(try await first.accounts().first { $0.role != .admin })
            try await second.deleteAccount(demoted.username)
            let session = try await first.session(token: token)
            #expect(demoted.username == "amina" ? session == nil : session != nil)
        }
    }
}
