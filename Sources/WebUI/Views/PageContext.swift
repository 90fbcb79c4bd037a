import Foundation

/// What a view needs to know about the request it renders for: the language, the form token
/// and where the page is.

package struct PageContext: Sendable {
    /// The language of the page.
    package var language: Language
    /// The token every form sends back.
    package var csrfToken: String
    /// The path of the page, without the query.
    package var path: String
    /// The query of the page.
    package var query: FormData

    /// The context of a request.
    ///
    /// - Parameter web: The request's page state.
    package init(_ web: WebState) {
        language = web.language
        csrfToken = web.csrfToken
        path = web.path
        query = web.query
    }

    /// A text in the page's language.
    package func callAsFunction(_ text: Localized) -> String {
        text(language)
    }

    /// The hidden field that carries the form token.
    package var csrfField: HTML {
        "<input type=\"hidden\" name=\"_csrf\" value=\"\(csrfToken)\">"
    }

    /// This page in the other language, with the same query.
    package var otherLanguageHref: String {
        var query = query
        query.set("lang", language.other.code)
        return Self.href(path, query)
    }

    /// A link to a path with a query (empty values dropped).
    ///
    /// - Parameters:
    ///   - path: The path, starting with `/`.
    ///   - query: The query.
    /// - Returns: The link.
    package static func href(_ path: String, _ query: FormData) -> String {
        var kept = FormData()
        for (name, values) in query.fields {
            if let value = values.first, !value.isEmpty { kept.set(name, value) }
        }
        let encoded = kept.encoded
        return encoded.isEmpty ? path : path + "?" + encoded
    }

    /// A POST form with its token, around some fields.
    ///
    /// - Parameters:
    ///   - action: Where it posts.
    ///   - css: Its class.
    ///   - content: The fields and buttons.
    /// - Returns: The form.
    package func form(_ action: String, class css: String = "stack", _ content: HTML) -> HTML {
        "<form method=\"post\" action=\"\(action)\" class=\"\(css)\">\(csrfField)\(content)</form>"
    }

    /// A form with a single button that posts.
    package func button(
        _ action: String,
        _ label: Localized,
        class css: String = "button",
        hidden: [String: String] = [:]
    )
        -> HTML
    {
        let fields = hidden.keys.sorted().map { name -> HTML in
            "<input type=\"hidden\" name=\"\(name)\" value=\"\(hidden[name] ?? "")\">"
        }
        return form(
            action,
            class: "inline",
            "\(fields)<button type=\"submit\" class=\"\(css)\">\(self(label))</button>"
        )
    }
}
