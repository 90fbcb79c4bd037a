import Foundation

/// One cell of a CSV export: text written by people, or a value the program computed.
package enum CSVField: Sendable, Hashable {
    /// Text that came from a person or a replica (a title, a body, a category): neutralised when
    /// a spreadsheet would read it as a formula.
    case text(String)
    /// A count or other integer the program computed: written as it is, sign included.
    case number(Int64)
    /// A flag, written `true` or `false`.
    case flag(Bool)
}

/// Writes every CSV export of the programs (the dashboard's `/export.csv`, `replica-node export
/// --format csv`): RFC 4180 records, and no cell that a spreadsheet would run as a formula.
///
/// A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return (or their
/// full-width forms) gets a single quote in front, as OWASP recommends against CSV injection:
/// `=HYPERLINK("http://x","y")` is shown as text instead of becoming a live link. Only text
/// cells are neutralised; a ``CSVField/number(_:)`` such as `-3` stays a number. Arabic,
/// Tifinagh and French text is written byte for byte.
package enum CSVWriter {
    /// The first characters that make a spreadsheet read a cell as a formula.
    static let formulaStarts: Set<Character> = [
        "=", "+", "-", "@", "\t", "\r", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}",
    ]

    /// One record with its line end (CRLF): a field holding a comma, semicolon, quote, line
    /// break or edge space is quoted, quotes inside doubled.
    ///
    /// - Parameter fields: The cells, in column order.
    /// - Returns: The record.
    package static func record(_ fields: [CSVField]) -> String {
        fields.map { field in
            switch field {
            case .text(let text): quoted(neutralized(text))
            case .number(let number): String(number)
            case .flag(let flag): flag ? "true" : "false"
            }
        }
        .joined(separator: ",") + "\r\n"
    }

    /// One record of text cells.
    ///
    /// - Parameter texts: The cells, in column order.
    /// - Returns: The record.
    package static func record(texts: [String]) -> String {
        record(texts.map(CSVField.text))
    }

    /// A text cell that a spreadsheet shows as text: a single quote before a formula start.
    ///
    /// - Parameter text: The cell's text.
    /// - Returns: The text, or the text after a `'`.
    package static func neutralized(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, formulaStarts.contains(Character(first)) else { return text }
        return "'" + text
    }

    private static func quoted(_ field: String) -> String {
        let needsQuotes = field.utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "\"")
                || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
        }
        let edged = field.first?.isWhitespace == true || field.last?.isWhitespace == true
        guard needsQuotes || edged else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
