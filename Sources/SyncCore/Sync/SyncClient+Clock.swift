import Foundation

extension SyncClient {
    /// Refuses to exchange while this machine's clock is more than the drift bound ahead of the
    /// peer's: every write made here now would be refused by the peer.
    ///
    /// - Parameters:
    ///   - offset: The peer's clock minus this machine's, in milliseconds.
    ///   - peerTime: The peer's clock, Unix milliseconds.
    /// - Throws: ``SyncError`` with ``SyncError/Code/clockDrift`` when this clock is too far ahead.
    func refuseClockAhead(offset: Int64, peerTime: Int64) throws {
        guard -offset > store.maxDriftMillis else { return }
        throw SyncError(
            .clockDrift,
            "this machine's clock (replica \(store.replicaID)) is \(HybridLogicalClock.describe(millis: -offset)) "
                + "ahead of the hub's (the hub says \(Self.format(peerTime))); the hub refuses changes stamped more "
                + "than \(HybridLogicalClock.describe(millis: store.maxDriftMillis)) ahead of its clock. Set this "
                + "machine's date and time (timedatectl set-ntp true), then sync again: changes written meanwhile "
                + "are kept and re-stamped at that sync"
        )
    }

    /// Runs the push and pull of an exchange, turning a clock-drift refusal into a message that
    /// says whose clock is wrong, as far as the hello's clock comparison tells.
    ///
    /// - Parameters:
    ///   - offset: The peer's clock minus this machine's, in milliseconds.
    ///   - peerTime: The peer's clock, Unix milliseconds.
    ///   - body: The push and pull.
    /// - Throws: What `body` throws, a clock-drift refusal with a message about whose clock is wrong.
    func explainingClockDrift(
        offset: Int64,
        peerTime: Int64,
        _ body: () async throws -> Void
    ) async throws {
        do {
            try await body()
        } catch let error as SyncError where error.code == .clockDrift {
            let span = HybridLogicalClock.describe(millis: abs(offset))
            if offset > store.maxDriftMillis {
                throw SyncError(
                    .clockDrift,
                    "this machine's clock (replica \(store.replicaID)) is \(span) behind the hub's (the hub says "
                        + "\(Self.format(peerTime))), so recent changes look stamped in the future here and are "
                        + "refused; set this machine's date and time (timedatectl set-ntp true), then sync again",
                    cause: error
                )
            }
            if -offset > store.maxDriftMillis / 2 {
                throw SyncError(
                    .clockDrift,
                    "this machine's clock (replica \(store.replicaID)) is \(span) ahead of the hub's; set its date "
                        + "and time, then sync again (\(error.message))",
                    cause: error
                )
            }
            throw error
        }
    }

    /// A Unix time in milliseconds as `2026-11-29T09:15:00Z`.
    static func format(_ millis: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1_000))
    }
}
