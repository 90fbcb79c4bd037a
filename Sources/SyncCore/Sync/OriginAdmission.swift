/// The rule that decides which origins a peer may claim, the same on every server: the hub on
/// either backend, a commune office serving its laptops, a national hub receiving a relay, and an
/// office importing a laptop's bundle.
///
/// An origin is bound to the enrollment that first presented it (at a hello, as the replica's own
/// identity or a previous one) or first brought it (in a pushed batch: a laptop's changes relayed
/// by its office, a province's by its hub). From then on only that enrollment may present it or
/// push its changes and covered ranges:
///
/// 1. The server's own identities, and those of the servers it syncs with as a client, are
///    reserved: nobody may claim them.
/// 2. An origin bound to the same enrollment is admitted.
/// 3. An origin bound to another enrollment is refused.
/// 4. An origin the server already holds changes of, bound to nobody (it came from the server's
///    own hub, or from a path that binds nothing), is refused.
/// 5. An origin the server has never heard of is admitted and bound to the enrollment.
///
/// A refusal is a ``SyncError`` with ``SyncError/Code/forbidden`` that names the origin; nothing
/// of the request is applied.
///
/// ```swift
/// let toBind = try OriginAdmission.admit(origins, claimedBy: enrollment, facts: facts, reserved: reserved)
/// ```
package enum OriginAdmission {
    /// Decides whether an enrollment may claim origins.
    ///
    /// - Parameters:
    ///   - origins: The origins claimed.
    ///   - enrollment: The claiming enrollment.
    ///   - facts: What the server knows of each (``EnrollmentRegistry/originFacts(_:)``).
    ///   - reserved: The identities nobody may claim, with what each is.
    ///   - what: What claims them, for the message ("the hello", "the batch").
    /// - Returns: The origins to bind to the enrollment once the request has succeeded.
    /// - Throws: ``SyncError`` with ``SyncError/Code/forbidden`` for the first origin refused.
    package static func admit(
        _ origins: [ReplicaID],
        claimedBy enrollment: Enrollment,
        facts: [ReplicaID: OriginFact],
        reserved: [ReplicaID: String],
        what: String
    ) throws -> [ReplicaID] {
        var toBind: [ReplicaID] = []
        for origin in Set(origins).sorted() {
            if let role = reserved[origin] {
                throw SyncError(
                    .forbidden,
                    "\(what) claims \(origin), which is \(role); a replica may claim only its own identities. "
                        + "If this replica's database was copied from that server's, initialise it from a fresh "
                        + "database; nothing was applied"
                )
            }
            let fact = facts[origin] ?? OriginFact(enrollment: nil, isHeld: false)
            switch fact.enrollment {
            case enrollment.id?:
                continue
            case .some:
                throw SyncError(
                    .forbidden,
                    "\(what) claims replica \(origin), which another enrollment presented or brought first; "
                        + "a replica may claim only its own identities and those of the laptops it relays; "
                        + "nothing was applied"
                )
            case nil where fact.isHeld:
                throw SyncError(
                    .forbidden,
                    "\(what) claims replica \(origin), whose changes this server already holds from another "
                        + "path; a replica may claim only its own identities and those of the laptops it "
                        + "relays; nothing was applied"
                )
            case nil:
                toBind.append(origin)
            }
        }
        return toBind
    }
}
