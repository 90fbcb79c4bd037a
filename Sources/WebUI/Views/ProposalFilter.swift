import Foundation
package import SyncCore

/// The filters of the proposal list, read from the query: commune, status, category, a date range
/// on creation, a text search, and the page.
package struct ProposalFilter: Sendable, Hashable {
    /// Proposals per page.
    package static let pageSize = 20

    package var commune: String?
    package var status: String?
    package var category: String?
    /// Words of the place a proposal concerns (a douar, a neighbourhood), case and diacritics ignored.
    package var place: String?
    /// The first day, `YYYY-MM-DD`, inclusive.
    package var from: String?
    /// The last day, `YYYY-MM-DD`, inclusive.
    package var to: String?
    /// Words to find in the title, body or answer (case and diacritics ignored).
    package var search: String?
    /// The page, from 1.
    package var page = 1

    /// The filters of a query; unknown communes and statuses are ignored.
    package init(_ query: FormData) {
        commune = query.text("commune").flatMap { Vocabulary.communes.contains($0) ? $0 : nil }
        status = query.text("status").flatMap { Schema.proposalStatuses.contains($0) ? $0 : nil }
        category = query.text("category").map { String($0.prefix(200)) }
        place = query.text("place").map { String($0.prefix(200)) }
        from = query.text("from").flatMap { Format.millis(ofDay: $0) == nil ? nil : $0 }
        to = query.text("to").flatMap { Format.millis(ofDay: $0) == nil ? nil : $0 }
        search = query.text("q").map { String($0.prefix(200)) }
        page = max(1, min(100_000, Int(query["page"] ?? "") ?? 1))
    }

    /// The filters as a query (without the page).
    package var query: FormData {
        var query = FormData()
        query.set("commune", commune)
        query.set("status", status)
        query.set("category", category)
        query.set("place", place)
        query.set("from", from)
        query.set("to", to)
        query.set("q", search)
        return query
    }

    /// Whether any filter is set.
    package var isActive: Bool { !query.fields.isEmpty }

    /// The filters and the page as the store's query.
    package var storeQuery: ProposalQuery {
        var query = ProposalQuery()
        query.commune = commune
        query.status = status
        query.category = category
        query.place = place
        query.createdFrom = from.flatMap(Format.millis(ofDay:))
        query.createdBefore = to.flatMap(Format.millis(ofDay:)).map { $0 + 86_400_000 }
        query.search = search
        query.offset = (page - 1) * Self.pageSize
        query.limit = Self.pageSize
        return query
    }
}
