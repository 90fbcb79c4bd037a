import Foundation
import SyncCore
import SyncTestSupport
import Testing

/// The bundle frame: round trip through real SQLite stores, and every hostile frame refused
/// before anything is applied.
@Suite struct SyncBundleTests {
    private static let token = "esw1.0190a5e4-0000-7000-8000-000000000001.laptop-secret-0123456789"
    private static let keyID = SyncBundle.keyID(ofToken: token)!
    private static let key = SyncBundle.key(forToken: token)

    /// A laptop with `count` proposals, and the frame of a bundle of them cut for an empty vector.
    private func laptopFrame(count: Int, folder: TemporaryDirectory) async throws -> (ReplicaStore, SyncBundle, [UInt8])
    {
        let laptop = try ReplicaStore(path: folder.path("laptop.sqlite"))
        for index in 0..<count {
            _ = try laptop.createProposal(
                ProposalDraft(title: "زيارة مدرسة \(index)", body: "ⵜⴰⵎⴰⵏⴰⵔ \(index)", commune: "tamanar")
            )
        }
        let bundle = try await SyncBundle.cut(
            from: laptop,
            for: VersionVector(),
            keyID: Self.keyID,
            createdAt: 1_700_000_000_000,
            batchLimit: 2
        )
        return (laptop, bundle, try bundle.encoded(key: Self.key))
    }

    private func open(_ frame: [UInt8], key: [UInt8]? = key, schemaVersion: Int = 1) throws -> SyncBundle {
        try SyncBundle.open(frame, schemaVersion: schemaVersion) { $0 == Self.keyID ? key : nil }
    }

    @Test func roundTrip_appliesOnce_andSecondImportChangesNothing() async throws {
        let folder = try TemporaryDirectory()
        let (laptop, cut, frame) = try await laptopFrame(count: 5, folder: folder)
        #expect(cut.batches.count == 3)
        #expect(cut.header.changeCount == 5)
        let office = try ReplicaStore(path: folder.path("office.sqlite"))
        let bundle = try open(frame)
        #expect(bundle == cut)
        let first = try await bundle.apply(to: office) { _ in }
        #expect(first.applied == 5 && first.batches == 3)
        #expect(try office.digest() == (try laptop.digest()))
        #expect(try office.vector() == (try laptop.vector()))
        let digest = try office.digest()
        let second = try await open(frame).apply(to: office) { _ in }
        #expect(second.applied == 0 && second.ignored == 5)
        #expect(try office.digest() == digest)
    }

    @Test func cut_forTheReceiversVector_holdsOnlyWhatItLacks() async throws {
        let folder = try TemporaryDirectory()
        let (laptop, _, frame) = try await laptopFrame(count: 3, folder: folder)
        let office = try ReplicaStore(path: folder.path("office.sqlite"))
        _ = try await open(frame).apply(to: office) { _ in }
        _ = try laptop.createProposal(ProposalDraft(title: "جديد", body: "نص", commune: "tamanar"))
        let next = try await SyncBundle.cut(from: laptop, for: try office.vector(), keyID: Self.keyID, createdAt: 0)
        #expect(next.header.changeCount == 1)
        let nothing = try await SyncBundle.cut(from: laptop, for: try laptop.vector(), keyID: Self.keyID, createdAt: 0)
        #expect(nothing.batches.isEmpty)
    }

    @Test func open_truncatedAtAnyOffset_isRefused() async throws {
        let folder = try TemporaryDirectory()
        let (_, _, frame) = try await laptopFrame(count: 3, folder: folder)
        for length in [0, 4, 8, 12, 40, frame.count / 2, frame.count - 33, frame.count - 1] {
            #expect(throws: SyncError.self, "truncated at \(length)") { try open(Array(frame.prefix(length))) }
        }
        #expect(throws: SyncError.self) { try open(frame + [0]) }
    }

    @Test func open_anyFlippedByte_isRefused() async throws {
        let folder = try TemporaryDirectory()
        let (_, _, frame) = try await laptopFrame(count: 2, folder: folder)
        for offset in stride(from: 0, to: frame.count, by: max(1, frame.count / 97)) {
            var altered = frame
            altered[offset] ^= 0x20
            #expect(throws: SyncError.self, "byte \(offset) flipped") { try open(altered) }
        }
    }

    @Test func open_wrongOrUnknownKey_isUnauthorized() async throws {
        let folder = try TemporaryDirectory()
        let (_, _, frame) = try await laptopFrame(count: 2, folder: folder)
        let wrong = SyncBundle.key(forToken: "esw1.\(Self.keyID).another-secret-0123456789")
        let error = try #require(throws: SyncError.self) { try open(frame, key: wrong) }
        #expect(error.code == .unauthorized)
        #expect(error.message.contains("authentication tag"))
        let unknown = try #require(throws: SyncError.self) { try open(frame, key: nil) }
        #expect(unknown.code == .unauthorized)
        #expect(unknown.message.contains("does not know"))
    }

    @Test func open_newerSchema_isRead_butNoReleaseCanHaveVersion256() async throws {
        let folder = try TemporaryDirectory()
        let (_, cut, _) = try await laptopFrame(count: 1, folder: folder)
        var newer = cut
        newer.header.schemaVersion = 99
        #expect(try open(try newer.encoded(key: Self.key)).header.schemaVersion == 99)
        newer.header.schemaVersion = 256
        let error = try #require(throws: SyncError.self) { try open(try newer.encoded(key: Self.key)) }
        #expect(error.code == .invalidBatch)
        #expect(error.message.contains("schema version 256"))
    }

    @Test func open_oversizedFrameOrHeader_isTooLarge() async throws {
        let folder = try TemporaryDirectory()
        let (_, _, frame) = try await laptopFrame(count: 1, folder: folder)
        let big = try #require(throws: SyncError.self) {
            try SyncBundle.open(frame, schemaVersion: 1, maxBytes: frame.count - 1) { _ in Self.key }
        }
        #expect(big.code == .tooLarge)
        var header = frame
        header.replaceSubrange(8..<12, with: [0x7f, 0xff, 0xff, 0xff])
        let claimed = try #require(throws: SyncError.self) { try open(header) }
        #expect(claimed.code == .tooLarge)
    }

    @Test func open_headerDisagreeingWithBatches_isRefused() async throws {
        let folder = try TemporaryDirectory()
        let (_, cut, _) = try await laptopFrame(count: 3, folder: folder)
        var lying = cut
        lying.header.changeCount = 1
        let error = try #require(throws: SyncError.self) { try open(try lying.encoded(key: Self.key)) }
        #expect(error.code == .invalidBatch)
    }
}
