/// Which origins a batch may carry: every origin, every origin but some, only some, or a relay's
/// scope.
///
/// A replica leaves out of its pushes the origins its hub refuses from it
/// (``HelloResponse/foreignOrigins``); a national hub answers a relay's pulls with the changes of
/// that relay's province only. The filter applies to the changes and to the covered ranges alike,
/// so that the receiver's vector moves only over the origins it was sent: it never claims changes
/// of an origin it was not sent.
///
/// ```swift
/// let batch = try hub.changes(since: relayVector, limit: 500, filter: .only(provinceOrigins))
/// ```
public enum OriginFilter: Hashable, Sendable {
    /// Every origin.
    case all
    /// Every origin except these.
    case excluding(Set<ReplicaID>)
    /// These origins only.
    case only(Set<ReplicaID>)
    /// A relay's scope: every change of `origins` (a province's), and the changes of `shared`
    /// (the serving hub's own identities) to the records that one of `origins` wrote.
    ///
    /// A national coordinator's answer to a proposal of one province thus reaches that province
    /// and no other. The covered ranges of `shared` span the changes left out, which stay at the
    /// serving hub: a record no origin of the province wrote is not the province's.
    case relay(origins: Set<ReplicaID>, shared: Set<ReplicaID>)

    /// Whether changes of an origin may be sent (for a relay's shared origins, some of them).
    ///
    /// - Parameter origin: The origin of a change or a covered range.
    /// - Returns: `true` when the filter lets it through.
    public func admits(_ origin: ReplicaID) -> Bool {
        switch self {
        case .all: true
        case .excluding(let origins): !origins.contains(origin)
        case .only(let origins): origins.contains(origin)
        case .relay(let origins, let shared): origins.contains(origin) || shared.contains(origin)
        }
    }

    /// For an origin whose changes are sent only for some records, the origins whose writes put
    /// a record in scope; `nil` when every change of the origin is sent.
    ///
    /// - Parameter origin: An admitted origin.
    /// - Returns: The origins that decide a record's scope, or `nil`.
    public func scopeOrigins(for origin: ReplicaID) -> Set<ReplicaID>? {
        guard case .relay(let origins, let shared) = self, shared.contains(origin), !origins.contains(origin)
        else { return nil }
        return origins
    }
}
