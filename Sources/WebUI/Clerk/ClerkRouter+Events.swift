import Foundation
import Hummingbird
import SyncCore

extension ClerkRouter {
    /// Events (list, create, page) and their attendance (add, remove).
    func addEventRoutes(to router: Router<ClerkContext>) {
        router.get("/events") { _, context in
            let page = context.page
            let main: HTML = """
                \(Layout.heading(page(.events), subtitle: HTML(text: page(.eventsHint))))
                \(eventTable(try store.events(), page))\(newEventForm(page))
                """
            return respond(.events, main, context)
        }
        router.post("/events") { _, context in
            let form = context.web.form
            let draft = EventDraft(
                title: form.text("title"),
                kind: form["kind"].flatMap { Schema.eventKinds.contains($0) ? $0 : nil },
                date: form.text("date"),
                venue: form.text("venue"),
                commune: form.text("commune")
            )
            let id = try store.createEvent(draft)
            return WebResponse.redirect("/events/\(id)?done=event")
        }
        router.get("/events/:id") { _, context in
            let id = try context.parameters.require("id")
            guard let event = try store.events().first(where: { $0.id == id }) else { throw WebError.notFound }
            return respond(.events, eventPage(event, attendees: try store.attendees(event: id), context.page), context)
        }
        addAttendanceRoutes(to: router)
    }

    /// Adding and removing a participant of an event.
    private func addAttendanceRoutes(to router: Router<ClerkContext>) {
        router.post("/events/:id/attendance") { _, context in
            let id = try context.parameters.require("id")
            guard let participant = context.web.form.text("participant") else {
                throw WebError.invalid(context.page(.participantID))
            }
            try store.addAttendance(event: id, participant: participant)
            return WebResponse.redirect("/events/\(id)?done=attendance")
        }
        router.post("/events/:id/attendance/remove") { _, context in
            let id = try context.parameters.require("id")
            guard let participant = context.web.form.text("participant") else {
                throw WebError.invalid(context.page(.participantID))
            }
            try store.removeAttendance(event: id, participant: participant)
            return WebResponse.redirect("/events/\(id)?done=attendance")
        }
    }

    private func eventTable(_ events: [Event], _ page: PageContext) -> HTML {
        guard !events.isEmpty else {
            return "<section class=\"card\"><p class=\"empty\">\(page(.noEvents))</p></section>"
        }
        let rows = events.reversed().map { event -> HTML in
            let count = (try? store.attendees(event: event.id).count) ?? 0
            return """
                <tr><td data-label="\(page(.date))"><time>\(event.date)</time></td>\
                <td data-label="\(page(.title))"><a class="title" dir="auto" href="/events/\(event.id)">\(event.title)</a></td>\
                <td data-label="\(page(.kind))">\(Vocabulary.name(event.kind, page.language))</td>\
                <td data-label="\(page(.venue))" dir="auto">\(event.venue ?? "—")</td>\
                <td data-label="\(page(.commune))">\(Badge.commune(event.commune, page.language))</td>\
                <td class="num" data-label="\(page(.attendees))">\(count)</td></tr>
                """
        }
        return """
            <section class="card flush"><table class="list"><thead><tr><th>\(page(.date))</th><th>\(page(.title))</th>\
            <th>\(page(.kind))</th><th>\(page(.venue))</th><th>\(page(.commune))</th>\
            <th class="num">\(page(.attendees))</th></tr></thead><tbody>\(rows)</tbody></table></section>
            """
    }

    private func newEventForm(_ page: PageContext) -> HTML {
        let fields: HTML = """
            <div class="row"><label>\(page(.title))<input name="title" required maxlength="300" dir="auto"></label>
            <label>\(page(.kind))<select name="kind">\(Vocabulary.options(Vocabulary.eventKinds, selected: nil, page.language))\
            </select></label>
            <label>\(page(.date))<input type="date" name="date" required></label></div>
            <div class="row"><label>\(page(.venue))<input name="venue" maxlength="300" dir="auto"></label>
            <label>\(page(.commune))<select name="commune">\
            \(Vocabulary.options(Vocabulary.communes, selected: hooks.commune(), page.language))</select></label></div>
            <div><button type="submit" class="button primary">\(page(.saveEvent))</button></div>
            """
        return "<section class=\"card\"><h2>\(page(.newEvent))</h2>\(page.form("/events", fields))</section>"
    }

    private func eventPage(_ event: Event, attendees: [String], _ page: PageContext) -> HTML {
        let items = attendees.map { participant -> HTML in
            let remove = page.button(
                "/events/\(event.id)/attendance/remove",
                .remove,
                class: "button ghost small danger",
                hidden: ["participant": participant]
            )
            return "<li><code>\(participant)</code> \(remove)</li>"
        }
        let fields: HTML = """
            <label>\(page(.participantID))<input name="participant" required pattern="[A-Za-z0-9._\\-]{1,64}" \
            placeholder="p-0107" autofocus></label>
            <div><button type="submit" class="button primary">\(page(.addAttendee))</button></div>
            """
        let subtitle: HTML = """
            \(Vocabulary.name(event.kind, page.language)) · <time>\(event.date)</time> · \
            <span dir="auto">\(event.venue ?? "")</span> · \(Badge.commune(event.commune, page.language))
            """
        return """
            <nav class="crumbs"><a href="/events">\(page(.events))</a></nav>
            \(Layout.heading(event.title, subtitle: subtitle))
            <section class="card"><h2>\(page(.attendees)) <small>(\(attendees.count))</small></h2>
            <p class="muted small">\(page(.attendanceHint))</p>\(page.form("/events/\(event.id)/attendance", fields))
            \(HTML.when(!items.isEmpty, "<ul class=\"supporters\">\(items)</ul>"))</section>
            """
    }
}
