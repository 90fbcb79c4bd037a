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

    @Test func roles_includeTheOnesBelow() {
        #expect(AccountRole.admin.includes(.answer) && AccountRole.admin.includes(.read))
        #expect(AccountRole.answer.includes(.read) && !AccountRole.answer.includes(.admin))
        #expect(!AccountRole.read.includes(.answer))
    }
}
