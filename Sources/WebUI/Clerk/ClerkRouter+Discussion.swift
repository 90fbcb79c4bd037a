import Foundation
import Hummingbird
import SyncCore

extension ClerkRouter {
    /// Comments (add, reply, delete) and supports (add, remove).
    func addDiscussionRoutes(to router: Router<ClerkContext>) {
        router.post("/proposals/:id/comments") { _, context in
            let id = try context.parameters.require("id")
            let form = context.web.form
            guard let body = form.text("body") else { throw WebError.invalid(context.page(.newComment)) }
            let alignment = form["alignment"].flatMap { Schema.alignments.contains($0) ? $0 : nil } ?? "neutral"
            let comment = try store.addComment(
                proposal: id,
                body: body,
                parent: form.text("parent"),
                alignment: alignment,
                author: form.text("author")
            )
            return WebResponse.redirect("/proposals/\(id)?done=commented#c-\(comment)")
        }
        router.post("/comments/:id/delete") { _, context in
            let id = try context.parameters.require("id")
            guard (try? RecordID.validate(id, as: "comment")) != nil, let comment = try store.comment(id) else {
                throw WebError.notFound
            }
            try store.deleteComment(id)
            return WebResponse.redirect("/proposals/\(comment.proposalID)?done=deleted#c-\(id)")
        }
        router.post("/proposals/:id/supports") { _, context in
            let id = try context.parameters.require("id")
            guard let citizen = context.web.form.text("citizen") else {
                throw WebError.invalid(context.page(.citizenID))
            }
            try store.addSupport(proposal: id, citizen: citizen)
            return WebResponse.redirect("/proposals/\(id)?done=supported#supports")
        }
        router.post("/proposals/:id/supports/remove") { _, context in
            let id = try context.parameters.require("id")
            guard let citizen = context.web.form.text("citizen") else {
                throw WebError.invalid(context.page(.citizenID))
            }
            try store.removeSupport(proposal: id, citizen: citizen)
            return WebResponse.redirect("/proposals/\(id)?done=unsupported#supports")
        }
    }
}
