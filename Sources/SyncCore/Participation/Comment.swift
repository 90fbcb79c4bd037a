/// A comment in a proposal's thread.
///
/// A deleted comment stays as a placeholder so that its replies keep their place; its body is
/// erased.
public struct Comment: Hashable, Sendable, Codable {
    /// The comment's id.
    public var id: String
    /// The proposal it belongs to.
    public var proposalID: String
    /// The comment it answers, if any.
    public var parentID: String?
    /// Its depth in the thread: 1 for a top-level comment, at most ``ReplicaStore/maxThreadDepth``.
    public var depth: Int
    /// for, neutral or against.
    public var alignment: String
    /// Who wrote it.
    public var author: String?
    /// When it was written, in Unix milliseconds.
    public var createdAt: Int64
    /// The body, or `nil` once deleted.
    public var body: String?
    /// Whether it was deleted (a placeholder).
    public var isDeleted: Bool
}

/// A participation event: a workshop, a school visit or a think-tank meeting.
public struct Event: Hashable, Sendable, Codable {
    /// The event's id.
    public var id: String
    /// The title.
    public var title: String
    /// workshop, school-visit or think-tank.
    public var kind: String
    /// The date, `YYYY-MM-DD`.
    public var date: String
    /// Where it takes place.
    public var venue: String?
    /// The commune that runs it.
    public var commune: String
    /// How many people it can take (schema version 2; `nil` when not given).
    public var capacity: Int64? = nil
}

/// One open conflict: a field whose concurrent values wait for a resolution.
public struct Conflict: Hashable, Sendable, Codable {
    /// The table.
    public var table: String
    /// The record's id.
    public var record: String
    /// The field.
    public var field: String
    /// The value shown (the latest by timestamp).
    public var shown: FieldValue
    /// The concurrent values that lost, latest first.
    public var others: [FieldValue]
    /// The replicas that wrote the shown value then the others, in the same order.
    public var origins: [ReplicaID]
}
