import Foundation
package import SyncCore

/// One field of a record with concurrent values waiting for a decision.
package struct FieldConflict: Sendable, Hashable {
    /// One of the concurrent values, and where and when it was written.
    package struct Candidate: Sendable, Hashable {
        package var value: String
        package var origin: ReplicaID
        package var timestamp: HybridTimestamp
        /// Whether this is the value shown now (the latest by timestamp).
        package var isShown: Bool
    }

    package var record: String
    package var field: String
    /// The shown value first, then the others.
    package var candidates: [Candidate]
    /// Names the exact set of concurrent writes, so that a decision taken on a page is refused
    /// if another value arrived meanwhile.
    package var fingerprint: String

    /// The open conflicts of a proposal.
    ///
    /// - Parameters:
    ///   - proposal: The proposal.
    ///   - store: The replica.
    /// - Returns: One conflict per field in conflict.
    /// - Throws: ``SyncError`` when the store cannot be read.
    package static func load(_ proposal: Proposal, store: ReplicaStore) throws -> [FieldConflict] {
        try proposal.conflictingFields.compactMap { field in
            let state = try store.fieldState(table: "proposal", record: proposal.id, column: field)
            guard state.writes.count > 1 else { return nil }
            let candidates = state.writes.enumerated().map { index, write in
                Candidate(
                    value: write.value.text ?? write.value.description,
                    origin: write.dot.origin,
                    timestamp: write.timestamp,
                    isShown: index == 0
                )
            }
            let dots = state.writes.map(\.dot.description).sorted().joined(separator: ",")
            return FieldConflict(record: proposal.id, field: field, candidates: candidates, fingerprint: fnv1a(dots))
        }
    }

    private static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

/// The open conflicts of a proposal side by side, with a form to keep one value or write a
/// combined one; the decision is an ordinary write that reaches every replica at its next sync.
package enum ConflictView {
    /// The conflicts panel, or nothing when there is none.
    ///
    /// - Parameters:
    ///   - conflicts: The proposal's conflicts.
    ///   - canResolve: Whether the forms are shown.
    ///   - originName: The name of a replica, for people.
    ///   - page: The page context.
    /// - Returns: The panel.
    package static func render(
        _ conflicts: [FieldConflict],
        canResolve: Bool,
        originName: (ReplicaID) -> String,
        page: PageContext
    ) -> HTML {
        guard !conflicts.isEmpty else { return .empty }
        let blocks = conflicts.map { block($0, canResolve: canResolve, originName: originName, page: page) }
        return """
            <section class="card conflicts" id="conflicts"><h2>⚠ \(page(.openConflicts))</h2>
            <p class="muted">\(page(.conflictHint))</p>\(blocks)</section>
            """
    }

    private static func block(
        _ conflict: FieldConflict,
        canResolve: Bool,
        originName: (ReplicaID) -> String,
        page: PageContext
    ) -> HTML {
        let action = "/proposals/\(conflict.record)/resolve"
        let hidden = ["field": conflict.field, "seen": conflict.fingerprint]
        let sides = conflict.candidates.map { candidate -> HTML in
            let shown = conflict.field == "status" ? Vocabulary.name(candidate.value, page.language) : candidate.value
            let keep = page.button(
                action,
                .keepThis,
                class: "button primary",
                hidden: hidden.merging(["value": candidate.value]) { $1 }
            )
            return """
                <div class="side\(candidate.isShown ? " shown" : "")">
                <div class="side-head">\(Badge.label(page(candidate.isShown ? .shownNow : .concurrentValue), style: candidate.isShown ? "info" : "warn"))\
                <span>\(originName(candidate.origin))</span><time>\(Format.dateTime(candidate.timestamp.wallMillis))</time></div>
                <div class="value prose" dir="auto">\(shown)</div>\(HTML.when(canResolve, keep))</div>
                """
        }
        return """
            <div class="conflict" data-field="\(conflict.field)"><h3>\(Vocabulary.field(conflict.field, page.language))</h3>
            <div class="sides">\(sides)</div>\(HTML.when(canResolve, combineForm(conflict, action: action, page: page)))</div>
            """
    }

    private static func combineForm(_ conflict: FieldConflict, action: String, page: PageContext) -> HTML {
        let input: HTML
        if conflict.field == "status" {
            let shown = conflict.candidates.first?.value
            input =
                "<select name=\"value\">\(Vocabulary.options(Vocabulary.statuses, selected: shown, page.language))</select>"
        } else {
            let joined = conflict.candidates.map(\.value).joined(separator: conflict.field == "body" ? "\n\n" : " / ")
            input =
                "<textarea name=\"value\" rows=\"\(conflict.field == "body" ? 6 : 2)\" dir=\"auto\" required>\(joined)</textarea>"
        }
        let fields: HTML = """
            <input type="hidden" name="field" value="\(conflict.field)">\
            <input type="hidden" name="seen" value="\(conflict.fingerprint)">
            <label>\(page(.combinedValue))\(input)</label>
            <div><button type="submit" class="button">\(page(.saveCombined))</button></div>
            """
        return "<details class=\"combine\"><summary>\(page(.combine))</summary>\(page.form(action, fields))</details>"
    }

    /// Carries out a decision posted by the panel's forms: checks that the conflict is still the
    /// one shown, then writes the kept value.
    ///
    /// - Parameters:
    ///   - form: The posted form (`field`, `seen`, `value`).
    ///   - proposal: The proposal's id.
    ///   - store: The replica.
    /// - Throws: ``WebError`` when the form is wrong or the conflict changed; ``SyncError`` from the store.
    package static func resolve(_ form: FormData, proposal: String, store: ReplicaStore) throws {
        guard let record = try store.proposal(proposal) else { throw WebError.notFound }
        guard let field = form["field"], let value = form["value"] else { throw WebError.invalid("field, value") }
        guard let conflict = try FieldConflict.load(record, store: store).first(where: { $0.field == field }) else {
            throw WebError.conflict(.errorConflictGoneTitle, .errorConflictGone)
        }
        guard conflict.fingerprint == form["seen"] else {
            throw WebError.conflict(.errorConflictChangedTitle, .errorConflictChanged)
        }
        guard !value.allSatisfy(\.isWhitespace) else { throw WebError.invalid(Vocabulary.field(field, .french)) }
        try store.resolveConflict(table: "proposal", record: proposal, field: field, value: .text(value))
    }
}
