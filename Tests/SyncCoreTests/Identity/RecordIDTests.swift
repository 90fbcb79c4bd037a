import Foundation
import SyncCore
import Testing

/// Record ids: UUIDv7 with the given time, increasing within a millisecond.
///
/// Each test has a generator of its own, which other tests running at once do not advance.
@Suite("Record ids")
struct RecordIDTests {
    private let generator = RecordID.Generator()

    /// The time an id embeds, from its first twelve hex digits.
    private func millis(of id: String) -> Int64 {
        Int64(id.replacingOccurrences(of: "-", with: "").prefix(12), radix: 16)!
    }

    /// Whether an id has UUID version 7 and the RFC 9562 variant (`10`).
    private func isVersion7(_ id: String) -> Bool {
        let hex = Array(id.replacingOccurrences(of: "-", with: ""))
        return hex.count == 32 && hex[12] == "7" && ["8", "9", "a", "b"].contains(hex[16])
    }

    @Test("an id is a lowercase UUIDv7 with the RFC 9562 variant and the given time")
    func format() throws {
        for millis: Int64 in [0, 1, 1_764_000_000_000, (1 << 48) - 1] {
            let id = generator.make(millis: millis)
            try RecordID.validate(id)
            #expect(isVersion7(id), "version and variant of \(id)")
            #expect(self.millis(of: id) == millis)
        }
    }

    @Test("ids made within one millisecond increase, and stay unique")
    func increasingWithinAMillisecond() throws {
        let millis: Int64 = 1_764_000_000_000
        let ids = (0..<50_000).map { _ in generator.make(millis: millis) }
        #expect(Set(ids).count == ids.count)
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 }, "ids of one millisecond out of order")
        #expect(ids.allSatisfy { self.millis(of: $0) == millis })
    }

    @Test("a new millisecond starts from fresh random bits; an earlier one keeps its time")
    func freshBitsForAnotherMillisecond() throws {
        let first = (0..<3).map { _ in generator.make(millis: 1_764_000_000_000) }
        let next = generator.make(millis: 1_764_000_000_001)
        #expect(first.last! < next)
        // Not the previous id's bits plus a step (a false failure has a chance below 2^-40).
        let (high, low) = randomBits(of: next)
        let (previousHigh, previousLow) = randomBits(of: first.last!)
        #expect(!(high == previousHigh && low > previousLow && low - previousLow <= 1 << 32))
        // A clock set back: the id embeds the time it is given.
        let earlier = generator.make(millis: 1_700_000_000_000)
        #expect(millis(of: earlier) == 1_700_000_000_000)
        try RecordID.validate(earlier)
    }

    /// The 12 bits of `rand_a` and the 62 of `rand_b`.
    private func randomBits(of id: String) -> (UInt64, UInt64) {
        let hex = id.replacingOccurrences(of: "-", with: "")
        let high = UInt64(hex.dropFirst(13).prefix(3), radix: 16)!
        let low = UInt64(hex.suffix(16), radix: 16)! & ((1 << 62) - 1)
        return (high, low)
    }

    @Test("a burst carries from rand_b into rand_a, and takes fresh bits when both are full")
    func endOfABurst() throws {
        let millis: Int64 = 1_764_000_000_000
        let carrying = RecordID.Generator(continuingFrom: millis, high: 5, low: (1 << 62) - 1)
        let next = carrying.make(millis: millis)
        #expect(randomBits(of: next).0 == 6)
        #expect(isVersion7(next) && randomBits(of: next).1 < 1 << 32, "rand_b wraps: \(next)")
        let full = RecordID.Generator(continuingFrom: millis, high: (1 << 12) - 1, low: (1 << 62) - 1)
        let fresh = full.make(millis: millis)
        try RecordID.validate(fresh)
        #expect(self.millis(of: fresh) == millis)
        #expect(randomBits(of: fresh).0 < 1 << 11, "fresh bits start with rand_a's leftmost bit zero")
        #expect(full.make(millis: millis) > fresh, "the burst goes on from the fresh bits")
    }

    @Test("fresh bits leave rand_a's leftmost bit zero")
    func freshBitsLeaveRoom() {
        let highs = (0..<400).map { step in
            randomBits(of: generator.make(millis: 1_764_000_000_000 + 2 * Int64(step))).0
        }
        #expect(highs.allSatisfy { $0 < 1 << 11 })
        #expect(Set(highs).count > 300, "rand_a is random: \(Set(highs).count) distinct values of 400")
    }

    @Test("times outside 48 bits are clamped")
    func clampedTimes() throws {
        #expect(millis(of: generator.make(millis: -5)) == 0)
        #expect(millis(of: generator.make(millis: Int64.max)) == RecordID.Generator.maxMillis)
        #expect(millis(of: generator.make(millis: 1 << 48)) == RecordID.Generator.maxMillis)
        try RecordID.validate(generator.make(millis: Int64.max))
    }

    @Test("ids made at once on several threads are unique, and each thread's increase")
    func concurrent() async throws {
        let millis: Int64 = 1_764_000_000_500
        let lists = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask { (0..<5_000).map { _ in generator.make(millis: millis) } }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(lists.joined()).count == 20_000)
        for ids in lists { #expect(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 }) }
    }
}
