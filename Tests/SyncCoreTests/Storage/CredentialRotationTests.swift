import SyncCore
import SyncTestSupport
import Testing

@Suite struct CredentialRotationTests {
    @Test func rotate_newTokenAuthenticates_oldTokenRefused() throws {
        let folder = try TemporaryDirectory()
        let hub = try ReplicaStore(path: folder.path("hub.sqlite"))
        let (enrollment, old) = try hub.enroll(commune: "tamanar", label: "laptop")
        try hub.bind([ReplicaID()], to: enrollment)
        let new = try hub.rotate(enrollment: enrollment.id)
        #expect(new != old)
        #expect(new.hasPrefix("esw1.\(enrollment.id)."))
        #expect(try hub.authenticate(token: new).id == enrollment.id)
        #expect(try hub.enrollment(enrollment.id)?.origins.count == 1)
        #expect(throws: SyncError.self) { try hub.authenticate(token: old) }
    }

    @Test func rotate_revokedOrUnknownEnrollment_isRecordNotFound() throws {
        let folder = try TemporaryDirectory()
        let hub = try ReplicaStore(path: folder.path("hub.sqlite"))
        let (enrollment, _) = try hub.enroll(commune: "ounagha", label: "office")
        try hub.revoke(enrollment: enrollment.id)
        for id in [enrollment.id, "01a224ea-ffb6-78a7-bc88-010e53f9b3db"] {
            do {
                _ = try hub.rotate(enrollment: id)
                Issue.record("rotated \(id)")
            } catch let error as SyncError {
                #expect(error.code == .recordNotFound)
            }
        }
    }
}
