import SyncCore
import SyncTestSupport
import Testing

/// The re-stamping of writes made under a clock far ahead, in process with manual clocks.
@Suite struct RestampTests {
    static let year: Int64 = 365 * 86_400_000

    struct Setup {
        let folder: TemporaryDirectory
        let hubClock = ManualClock()
        let laptopClock = ManualClock()
        let hub: ReplicaStore
        let laptop: ReplicaStore
        var client: SyncClient { SyncClient(store: laptop, transport: InMemoryTransport(server: server)) }
        var server: SyncServer { SyncServer(store: hub, wallClock: hubClock.read) }

        init() throws {
            folder = try TemporaryDirectory()
            hub = try ReplicaStore(path: folder.path("hub.sqlite"), wallClock: hubClock.read)
            laptop = try ReplicaStore(path: folder.path("laptop.sqlite"), wallClock: laptopClock.read)
        }
    }

    @Test func restamp_afterTheClockIsFixed_letsTheHubAcceptAndCorrectWritesWin() async throws {
        let setup = try Setup()
        let id = try setup.hub.createProposal(ProposalDraft(title: "Plage", body: "b", commune: "tamanar"))
        _ = try await setup.client.synchronize()
        setup.laptopClock.advance(by: 5 * Self.year)
        try setup.laptop.withdrawProposal(id)
        try setup.laptop.editProposal(id, ProposalEdit(title: "Plage du terrain"))
        let refused = await #expect(throws: SyncError.self) { try await setup.client.synchronize() }
        #expect(refused?.code == .clockDrift && refused?.message.contains("5 years ahead of the hub's") == true)

        setup.hubClock.advance(by: 60_000)
        try setup.hub.withdrawProposal(id, withdrawn: false)
        setup.laptopClock.advance(by: -5 * Self.year + 120_000)
        let report = try await setup.client.synchronize()
        #expect(report.restamped == 2 && report.digestsMatch)
        #expect(try setup.hub.proposal(id)?.isWithdrawn == false, "the correct clock's later write lost")
        #expect(
            try setup.hub.fieldState(table: "proposal", record: id, column: "title").winner?.value
                == .text("Plage du terrain")
        )
        #expect(try setup.laptop.restampFutureWrites(acknowledged: 0, peerTime: setup.hubClock.now) == 0)
    }

    @Test func restamp_neverTouchesWritesAPeerHolds_norWhileTheClockIsStillWrong() async throws {
        let setup = try Setup()
        setup.laptopClock.advance(by: 3 * Self.year)
        let id = try setup.laptop.createProposal(ProposalDraft(title: "t", body: "b", commune: "tamanar"))
        #expect(try setup.laptop.restampFutureWrites(acknowledged: 0, peerTime: setup.hubClock.now) == 0)
        #expect(try setup.laptop.restampFutureWrites(acknowledged: 1, peerTime: setup.laptopClock.now) == 0)
        setup.laptopClock.advance(by: -3 * Self.year)
        #expect(try setup.laptop.restampFutureWrites(acknowledged: 1, peerTime: setup.hubClock.now) == 0)
        let before = try setup.laptop.digest()
        #expect(try setup.laptop.restampFutureWrites(acknowledged: 0, peerTime: setup.hubClock.now) == 1)
        #expect(try setup.laptop.digest() == before)
        #expect(try setup.laptop.proposal(id)?.title == "t")
        _ = try await setup.client.synchronize()
        #expect(try setup.hub.digest() == (try setup.laptop.digest()))
    }
}
