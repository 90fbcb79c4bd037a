import Foundation
package import Hummingbird

/// A failure shown to a person as a page: a status and a localized explanation.
package struct WebError: Error, Sendable {
    /// The HTTP status.
    package var status: HTTPResponse.Status
    /// The heading of the page.
    package var title: Localized
    /// What happened and what to do.
    package var message: Localized
    /// A detail that is not translated (such as the engine's message), if any.
    package var detail: String?

    package init(_ status: HTTPResponse.Status, _ title: Localized, _ message: Localized, detail: String? = nil) {
        self.status = status
        self.title = title
        self.message = message
        self.detail = detail
    }

    /// 403: the account may not do this.
    package static let forbidden = WebError(.forbidden, .errorForbiddenTitle, .errorForbidden)
    /// 403: the form's anti-forgery token is missing or wrong.
    package static let badToken = WebError(.forbidden, .errorTokenTitle, .errorToken)
    /// 421: the request names a host this server does not answer to (DNS rebinding).
    package static let wrongHost = WebError(.misdirectedRequest, .errorHostTitle, .errorHost)
    /// 403: a form sent from a page of another site.
    package static let crossSite = WebError(.forbidden, .errorCrossSiteTitle, .errorCrossSite)
    /// 404: no such page or record.
    package static let notFound = WebError(.notFound, .errorNotFoundTitle, .errorNotFound)
    /// 400: a form field is missing or wrong.
    package static func invalid(_ detail: String) -> WebError {
        WebError(.badRequest, .errorInvalidTitle, .errorInvalid, detail: detail)
    }

    /// 409: the record changed since the page was shown.
    package static func conflict(_ title: Localized, _ message: Localized) -> WebError {
        WebError(.conflict, title, message)
    }
}
