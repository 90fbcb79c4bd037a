/// A citizen proposal as shown to people: the merged value of each field.
public struct Proposal: Hashable, Sendable, Codable {
    /// The proposal's id (UUIDv7).
    public var id: String
    /// The title (multi-value register: see ``conflictingFields``).
    public var title: String
    /// The body.
    public var body: String
    /// The category, such as `urbanisme`.
    public var category: String?
    /// The status: submitted, in-review, accepted, rejected or done.
    public var status: String
    /// The official answer of the province, if any.
    public var answer: String?
    /// The commune where it was submitted.
    public var commune: String
    /// Who entered it.
    public var author: String?
    /// When it was created, in Unix milliseconds.
    public var createdAt: Int64
    /// Whether its author withdrew it.
    public var isWithdrawn: Bool
    /// Whether moderation hid it.
    public var isHidden: Bool
    /// The number of citizens supporting it (derived, never synced as a number).
    public var supportCount: Int
    /// The fields with an open conflict.
    public var conflictingFields: [String]
    /// The place it concerns: a douar or a neighbourhood (schema version 2; `nil` when not
    /// given, or on a replica still on version 1).
    public var place: String? = nil
}

/// What a new proposal says.
///
/// ```swift
/// ProposalDraft(title: "Nettoyage de la plage", body: "…", category: "environnement", commune: "essaouira")
/// ```
public struct ProposalDraft: Hashable, Sendable {
    /// The title.
    public var title: String
    /// The body.
    public var body: String
    /// The category.
    public var category: String?
    /// The commune where it is submitted.
    public var commune: String
    /// Who entered it.
    public var author: String?
    /// The place it concerns, a douar or a neighbourhood (schema version 2).
    public var place: String?

    /// Creates a draft.
    ///
    /// - Parameters:
    ///   - title: The title.
    ///   - body: The body.
    ///   - category: The category.
    ///   - commune: The commune where it is submitted.
    ///   - author: Who entered it.
    ///   - place: The place it concerns (schema version 2).
    public init(
        title: String,
        body: String,
        category: String? = nil,
        commune: String,
        author: String? = nil,
        place: String? = nil
    ) {
        self.title = title
        self.body = body
        self.category = category
        self.commune = commune
        self.author = author
        self.place = place
    }
}

/// The fields of a proposal to change; `nil` leaves a field as it is.
public struct ProposalEdit: Hashable, Sendable {
    /// A new title.
    public var title: String?
    /// A new body.
    public var body: String?
    /// A new category.
    public var category: String?
    /// A new status.
    public var status: String?
    /// A new official answer.
    public var answer: String?
    /// A new place (schema version 2).
    public var place: String?

    /// Creates an edit.
    ///
    /// - Parameters:
    ///   - title: A new title.
    ///   - body: A new body.
    ///   - category: A new category.
    ///   - status: A new status.
    ///   - answer: A new official answer.
    ///   - place: A new place (schema version 2).
    public init(
        title: String? = nil,
        body: String? = nil,
        category: String? = nil,
        status: String? = nil,
        answer: String? = nil,
        place: String? = nil
    ) {
        self.place = place
        self.title = title
        self.body = body
        self.category = category
        self.status = status
        self.answer = answer
    }

    var values: [String: FieldValue] {
        var values: [String: FieldValue] = [:]
        let pairs: [(String, String?)] = [
            ("title", title), ("body", body), ("category", category), ("status", status), ("answer", answer),
            ("place", place),
        ]
        for (name, value) in pairs { if let value { values[name] = .text(value) } }
        return values
    }
}
