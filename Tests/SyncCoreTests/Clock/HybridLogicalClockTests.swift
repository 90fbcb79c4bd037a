import SyncCore
import Testing

@Suite struct HybridLogicalClockTests {
    @Test func tick_isMonotonic_whenWallClockJumpsBack() {
        var clock = HybridLogicalClock(last: .zero)
        let a = clock.tick(now: 10_000)
        let b = clock.tick(now: 4_000)
        let c = clock.tick(now: 4_000)
        #expect(a < b && b < c)
        #expect(b.wallMillis == 10_000 && b.counter == 1)
    }

    @Test func receive_advancesPastRemote() throws {
        var clock = HybridLogicalClock(last: .zero)
        let remote = HybridTimestamp(wallMillis: 20_000, counter: 7)
        try clock.receive(remote, now: 19_000, origin: ReplicaID())
        #expect(clock.tick(now: 19_500) > remote)
    }

    @Test func receive_refusesTimestampBeyondDriftBound_withMessageNamingOrigin() {
        var clock = HybridLogicalClock(last: .zero, maxDriftMillis: 60_000)
        let origin = ReplicaID()
        let fiveYears: Int64 = 5 * 365 * 86_400_000
        let poisoned = HybridTimestamp(wallMillis: 1_764_380_000_000 + fiveYears, counter: 0)
        #expect {
            try clock.receive(poisoned, now: 1_764_380_000_000, origin: origin)
        } throws: { error in
            guard let error = error as? SyncError else { return false }
            return error.code == .clockDrift && error.message.contains(origin.rawValue)
                && error.message.contains("5 years")
        }
        #expect(clock.last == .zero, "a refused timestamp must not move the clock")
    }

    @Test func counterOverflow_carriesIntoMilliseconds() {
        var clock = HybridLogicalClock(last: HybridTimestamp(wallMillis: 5, counter: HybridTimestamp.maxCounter))
        let next = clock.tick(now: 5)
        #expect(next.wallMillis == 6 && next.counter == 0)
    }

    @Test func versionVector_compare() {
        let (a, b) = (ReplicaID(), ReplicaID())
        #expect(VersionVector([a: 1]).compare(to: VersionVector([a: 2])) == .happenedBefore)
        #expect(VersionVector([a: 2, b: 1]).compare(to: VersionVector([a: 2])) == .happenedAfter)
        #expect(VersionVector([a: 1]).compare(to: VersionVector([b: 1])) == .concurrent)
        #expect(VersionVector([a: 1]).compare(to: VersionVector([a: 1])) == .same)
    }
}
