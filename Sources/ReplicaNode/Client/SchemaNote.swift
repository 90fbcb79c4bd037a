/// What a sync report says when the two sides run different schema versions.
enum SchemaNote {
    /// The note after "the same data", and advice on who upgrades.
    ///
    /// - Parameters:
    ///   - own: This replica's schema version.
    ///   - peer: The peer's (0 when unknown).
    /// - Returns: The texts; empty and `nil` when both run the same version.
    static func text(own: Int, peer: Int) -> (match: String, advice: String?) {
        guard peer > 0, own > 0, peer != own else { return ("", nil) }
        let older = min(own, peer)
        let match = " as schema version \(older) sees it"
        if own < peer {
            return (
                match,
                "the hub is on schema version \(peer) and this replica on \(own): what this replica does not know "
                    + "yet is kept, and shown once it upgrades; upgrade replica-node"
            )
        }
        return (match, "the hub is on schema version \(peer) and this replica on \(own); upgrade the hub")
    }
}
