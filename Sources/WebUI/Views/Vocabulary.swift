import Foundation
package import SyncCore

/// The names people read for the schema's codes: communes, statuses, alignments, event kinds.
package enum Vocabulary {
    /// The communes of the page being rendered: the store's, read by ``TerritoryMiddleware``;
    /// the seed's outside a request.
    @TaskLocal package static var territory: [Commune] = Territory.seed

    /// The communes in display order (by code).
    package static var communes: [String] { territory.map(\.id) }

    /// The statuses in the order a proposal goes through them.
    package static let statuses = ["submitted", "in-review", "accepted", "rejected", "done"]
        .filter { Schema.proposalStatuses.contains($0) }

    /// The alignments, for first.
    package static let alignments = ["for", "neutral", "against"]

    /// The event kinds.
    package static let eventKinds = ["workshop", "school-visit", "think-tank"]

    private static let names: [String: Localized] = [
        "submitted": Localized(ar: "مُودَع", fr: "Déposée"),
        "in-review": Localized(ar: "قيد الدراسة", fr: "En examen"),
        "accepted": Localized(ar: "مقبول", fr: "Acceptée"),
        "rejected": Localized(ar: "مرفوض", fr: "Rejetée"),
        "done": Localized(ar: "مُنجَز", fr: "Réalisée"),
        "for": Localized(ar: "مؤيد", fr: "Pour"),
        "neutral": Localized(ar: "محايد", fr: "Neutre"),
        "against": Localized(ar: "معارض", fr: "Contre"),
        "workshop": Localized(ar: "ورشة", fr: "Atelier"),
        "school-visit": Localized(ar: "زيارة مدرسية", fr: "Visite scolaire"),
        "think-tank": Localized(ar: "خلية تفكير شبابية", fr: "Think-tank des jeunes"),
        "read": Localized(ar: "اطلاع", fr: "Lecture"),
        "answer": Localized(ar: "رد", fr: "Réponse"),
        "admin": Localized(ar: "إدارة", fr: "Administration"),
        "title": Localized(ar: "العنوان", fr: "Titre"),
        "body": Localized(ar: "النص", fr: "Texte"),
        "category": Localized(ar: "الفئة", fr: "Catégorie"),
        "status": Localized(ar: "الحالة", fr: "Statut"),
        "answer-field": Localized(ar: "الجواب الرسمي", fr: "Réponse officielle"),
        "commune": Localized(ar: "الجماعة", fr: "Commune"),
        "author": Localized(ar: "المُدخِل", fr: "Saisie par"),
        "created_at": Localized(ar: "تاريخ الإيداع", fr: "Date de dépôt"),
        "withdrawn": Localized(ar: "السحب", fr: "Retrait"),
        "hidden": Localized(ar: "الحجب", fr: "Masquage"),
    ]

    /// The name of a code in a language; an unknown code is shown as it is.
    ///
    /// - Parameters:
    ///   - code: A commune, status, alignment, event kind or role.
    ///   - language: The language.
    /// - Returns: The name.
    package static func name(_ code: String, _ language: Language) -> String {
        if let commune = territory.first(where: { $0.id == code }) {
            let names = commune.names
            let preferred = language == .arabic ? names.arabic ?? names.french : names.french ?? names.arabic
            return preferred ?? names.tamazight ?? code
        }
        return names[code]?(language) ?? code
    }

    /// The name of a proposal field (`answer` is the official answer, not the role).
    package static func field(_ name: String, _ language: Language) -> String {
        Self.name(name == "answer" ? "answer-field" : name, language)
    }

    /// `<option>`s for a select, the selected one marked, with an "all" option first when given.
    package static func options(
        _ codes: [String],
        selected: String?,
        all: String? = nil,
        _ language: Language
    )
        -> HTML
    {
        let first: HTML = all.map { "<option value=\"\">\($0)</option>" } ?? .empty
        return HTML(
            [first]
                + codes.map { code in
                    "<option value=\"\(code)\"\(HTML.attribute("selected", if: code == selected))>\(name(code, language))</option>"
                }
        )
    }
}

/// Small coloured labels.
package enum Badge {
    /// A proposal's status.
    package static func status(_ status: String, _ language: Language) -> HTML {
        "<span class=\"badge status status-\(status)\">\(Vocabulary.name(status, language))</span>"
    }

    /// A commune.
    package static func commune(_ commune: String, _ language: Language) -> HTML {
        "<span class=\"badge commune\">\(Vocabulary.name(commune, language))</span>"
    }

    /// A comment's alignment with its proposal.
    package static func alignment(_ alignment: String, _ language: Language) -> HTML {
        let mark = alignment == "for" ? "+" : alignment == "against" ? "−" : "="
        return "<span class=\"badge align align-\(alignment)\">\(mark) \(Vocabulary.name(alignment, language))</span>"
    }

    /// A plain label with a style.
    package static func label(_ text: String, style: String) -> HTML {
        "<span class=\"badge \(style)\">\(text)</span>"
    }
}
