import Foundation

/// A fragment of HTML whose interpolated strings are escaped.
///
/// A string literal is taken as markup; a `String` interpolated into it is escaped (`&`, `<`, `>`,
/// `"`, `'`), so it is safe in text and in double-quoted attributes; an interpolated `HTML` is
/// inserted as it is. User content can therefore only reach a page escaped.
///
/// ```swift
/// let title = "<script>"
/// let cell: HTML = "<td dir=\"auto\">\(title)</td>"   // <td dir="auto">&lt;script&gt;</td>
/// ```

package struct HTML: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The markup.
    package private(set) var markup: String

    /// Markup taken as it is; only for trusted, constant text.
    package init(unsafe markup: String) {
        self.markup = markup
    }

    package init(stringLiteral value: String) {
        markup = value
    }

    package init(stringInterpolation: StringInterpolation) {
        markup = stringInterpolation.markup
    }

    package var description: String { markup }

    /// Nothing.
    package static let empty = HTML(unsafe: "")

    /// Fragments one after the other.
    package init(_ parts: [HTML]) {
        markup = parts.map(\.markup).joined()
    }

    /// Text as HTML, escaped.
    package init(text: String) {
        markup = Self.escape(text)
    }

    /// Escapes text for an element's content or a double-quoted attribute.
    ///
    /// - Parameter text: The text.
    /// - Returns: The text with `&`, `<`, `>`, `"` and `'` replaced by entities.
    package static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Builds the markup: literals as they are, strings escaped.
    package struct StringInterpolation: StringInterpolationProtocol {
        fileprivate var markup = ""

        package init(literalCapacity: Int, interpolationCount: Int) {
            markup.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        package mutating func appendLiteral(_ literal: String) {
            markup += literal
        }

        package mutating func appendInterpolation(_ text: String) {
            markup += HTML.escape(text)
        }

        package mutating func appendInterpolation(_ text: String?) {
            if let text { markup += HTML.escape(text) }
        }

        package mutating func appendInterpolation(_ number: Int) {
            markup += String(number)
        }

        package mutating func appendInterpolation(_ number: Int64) {
            markup += String(number)
        }

        package mutating func appendInterpolation(_ html: HTML) {
            markup += html.markup
        }

        package mutating func appendInterpolation(_ parts: [HTML]) {
            for part in parts { markup += part.markup }
        }
    }
}

extension HTML {
    /// The fragment when `condition` holds, otherwise nothing.
    package static func when(_ condition: Bool, _ html: @autoclosure () -> HTML) -> HTML {
        condition ? html() : .empty
    }

    /// ` selected` or ` checked` style boolean attributes.
    package static func attribute(_ name: String, if condition: Bool) -> HTML {
        condition ? HTML(unsafe: " " + name) : .empty
    }
}
