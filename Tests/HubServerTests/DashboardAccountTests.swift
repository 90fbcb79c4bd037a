import Foundation
import SyncCore
import SyncTestSupport
import Testing

@testable import HubServer

/// Password hashing and the hub-local account store.
@Suite struct DashboardAccountTests {
    @Test func hash_roundTrips_andRejectsOtherPasswords() throws {
        let hasher = PasswordHasher(logRounds: 10)
        let hash = try hasher.hash("كلمة-سر ⵜⴰⵎⴰⵣⵉⵖⵜ 2026")
        #expect(hash.hasPrefix("$scrypt$ln=10,r=8,p=1$"))
        #expect(hasher.verify("كلمة-سر ⵜⴰⵎⴰⵣⵉⵖⵜ 2026", against: hash))
        #expect(!hasher.verify("كلمة-سر ⵜⴰⵎⴰⵣⵉⵖⵜ 2027", against: hash))
        #expect(!hasher.verify("", against: hash))
    }

    @Test func hash_usesAFreshSaltEachTime_andTheDefaultCost() throws {
        let hasher = PasswordHasher()
        let first = try hasher.hash("the same password")
        let second = try hasher.hash("the same password")
        #expect(first != second)
        #expect(first.hasPrefix("$scrypt$ln=15,r=8,p=1$"))
        #expect(PasswordHasher(logRounds: 10).verify("the same password", against: first))
    }

    @Test(arguments: ["", "plain", "$scrypt$ln=99,r=8,p=1$AAAA$AAAA", "$scrypt$ln=10,r=8,p=1$!!$!!", "$bcrypt$x$y$z"])
    func verify_malformedHash_matchesNothing(hash: String) {
        #expect(!PasswordHasher(logRounds: 10).verify("anything", against: hash))
    }

    @Test func accounts_areCreatedOnce_validated_andListed() throws {
        let folder = try TemporaryDirectory()
        let store = try ReplicaStore(path: folder.path("hub.sqlite"))
        let hash = try PasswordHasher(logRounds: 10).hash("long enough password")
        let account = try store.createAccount(username: "Amina.B", role: .answer, passwordHash: hash)
        #expect(account.username == "amina.b")
        #expect(throws: SyncError.self) {
            try store.createAccount(username: "amina.b", role: .read, passwordHash: hash)
        }
        #expect(throws: SyncError.self) { try store.createAccount(username: "a b", role: .read, passwordHash: hash) }
        #expect(throws: SyncError.self) { try store.createAccount(username: "ok", role: .read, passwordHash: "short") }
        #expect(try store.accounts().map(\.username) == ["amina.b"])
        #expect(try store.credential(of: "AMINA.B")?.passwordHash == hash)
    }

    @Test func roles_includeTheOnesBelow() {
        #expect(AccountRole.admin.includes(.answer) && AccountRole.admin.includes(.read))
        #expect(AccountRole.answer.includes(.read) && !AccountRole.answer.includes(.admin))
        #expect(!AccountRole.read.includes(.answer))
    }

    @Test func newPassword_orDeletion_endsSessions_andRoleChangesApplyAtOnce() throws {
        let folder = try TemporaryDirectory()
        let store = try ReplicaStore(path: folder.path("hub.sqlite"))
        let hash = try PasswordHasher(logRounds: 10).hash("long enough password")
        try store.createAccount(username: "youssef", role: .read, passwordHash: hash)
        let (_, token) = try store.openSession(username: "youssef")
        try store.updateAccount("youssef", role: .answer)
        #expect(try store.session(token: token)?.account.role == .answer)
        try store.updateAccount("youssef", passwordHash: hash)
        #expect(try store.session(token: token) == nil)
        let (_, second) = try store.openSession(username: "youssef")
        try store.deleteAccount("youssef")
        #expect(try store.session(token: second) == nil)
        #expect(throws: SyncError.self) { try store.deleteAccount("youssef") }
    }

    @Test func accounts_areNotReplicated() throws {
        let folder = try TemporaryDirectory()
        let store = try ReplicaStore(path: folder.path("hub.sqlite"))
        let before = try store.digest()
        try store.createAccount(
            username: "fatima",
            role: .admin,
            passwordHash: try PasswordHasher(logRounds: 10).hash("x-long-password")
        )
        _ = try store.openSession(username: "fatima")
        #expect(try store.digest() == before)
        #expect(try store.changes(since: VersionVector(), limit: 100).changes.isEmpty)
    }
}
