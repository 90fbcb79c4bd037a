import Foundation
package import SyncCore

/// A proposal's comment thread: three levels, alignment badges, deleted comments as placeholders.
package enum CommentThreadView {
    /// What a person may do on the thread.
    package struct Actions: Sendable {
        /// Reply, add and delete (a commune office); `false` shows the thread read-only.
        package var canWrite: Bool

        package init(canWrite: Bool) {
            self.canWrite = canWrite
        }
    }

    /// The thread, with a form for a new comment when writing is allowed.
    package static func render(_ comments: [Comment], proposal: String, actions: Actions, page: PageContext) -> HTML {
        let counts = Dictionary(grouping: comments.filter { !$0.isDeleted }, by: \.alignment).mapValues(\.count)
        let summary = Vocabulary.alignments.map { alignment -> HTML in
            "\(Badge.alignment(alignment, page.language)) <strong>\(counts[alignment] ?? 0)</strong>"
        }
        let items = comments.map { item($0, proposal: proposal, actions: actions, page: page) }
        return """
            <section class="card" id="comments"><h2>\(page(.comments)) <small>(\(comments.count))</small></h2>
            \(HTML.when(!comments.isEmpty, "<p class=\"align-summary\">\(summary)</p>"))
            \(comments.isEmpty ? HTML("<p class=\"muted\">\(page(.noComments))</p>") : HTML("<ol class=\"thread\">\(items)</ol>"))
            \(HTML.when(actions.canWrite, newForm(proposal: proposal, parent: nil, page: page)))
            </section>
            """
    }

    private static func item(_ comment: Comment, proposal: String, actions: Actions, page: PageContext) -> HTML {
        let depth = min(max(comment.depth, 1), ReplicaStore.maxThreadDepth)
        let body: HTML =
            comment.isDeleted
            ? "<p class=\"deleted\">\(page(.commentDeleted))</p>"
            : "<p class=\"comment-body\" dir=\"auto\">\(comment.body)</p>"
        let tools: HTML = HTML.when(
            actions.canWrite && !comment.isDeleted,
            """
            <div class="comment-tools">\
            \(HTML.when(depth < ReplicaStore.maxThreadDepth, "<details><summary>\(page(.reply))</summary>\(newForm(proposal: proposal, parent: comment.id, page: page))</details>"))\
            \(page.button("/comments/\(comment.id)/delete", .delete, class: "button ghost danger small"))</div>
            """
        )
        return """
            <li class="comment depth-\(depth)\(comment.isDeleted ? " is-deleted" : "")" id="c-\(comment.id)">
            <div class="comment-head">\(HTML.when(!comment.isDeleted, Badge.alignment(comment.alignment, page.language)))\
            <span class="author" dir="auto">\(comment.author ?? page(.anonymous))</span>\
            <time>\(Format.dateTime(comment.createdAt))</time></div>\(body)\(tools)</li>
            """
    }

    /// The form of a new comment, or of a reply when `parent` is given.
    private static func newForm(proposal: String, parent: String?, page: PageContext) -> HTML {
        let alignments = Vocabulary.alignments.map { alignment -> HTML in
            """
            <label class="choice"><input type="radio" name="alignment" value="\(alignment)"\
            \(HTML.attribute("checked", if: alignment == "neutral"))> \(Vocabulary.name(alignment, page.language))</label>
            """
        }
        let parentField: HTML = parent.map { "<input type=\"hidden\" name=\"parent\" value=\"\($0)\">" } ?? .empty
        return page.form(
            "/proposals/\(proposal)/comments",
            class: "stack comment-form",
            """
            \(parentField)<label>\(page(parent == nil ? .newComment : .yourReply))\
            <textarea name="body" rows="3" required dir="auto"></textarea></label>
            <fieldset class="choices"><legend>\(page(.alignment))</legend>\(alignments)</fieldset>
            <label>\(page(.author))<input name="author" maxlength="100" dir="auto"></label>
            <div><button type="submit" class="button primary">\(page(parent == nil ? .addComment : .reply))</button></div>
            """
        )
    }
}
