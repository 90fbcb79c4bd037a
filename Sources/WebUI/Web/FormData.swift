import Foundation

/// The fields of an `application/x-www-form-urlencoded` body or a query string.
package struct FormData: Sendable, Hashable {
    /// Each name with its values, in order.
    package private(set) var fields: [String: [String]] = [:]

    package init() {}

    /// Parses `a=1&b=x+y&b=%D8%A7`: `+` is a space, percent escapes are UTF-8 bytes.
    ///
    /// - Parameter encoded: The encoded text.
    package init(encoded: String) {
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            guard !name.isEmpty else { continue }
            fields[name, default: []].append(parts.count > 1 ? Self.decode(parts[1]) : "")
        }
    }

    /// The first value of a field, or `nil`.
    package subscript(_ name: String) -> String? {
        fields[name]?.first
    }

    /// The first value of a field with surrounding spaces trimmed, or `nil` when absent or blank.
    package func text(_ name: String) -> String? {
        guard let value = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            return nil
        }
        return value
    }

    /// Sets a field to one value, or removes it.
    package mutating func set(_ name: String, _ value: String?) {
        fields[name] = value.map { [$0] }
    }

    /// The fields as a query string, sorted by name, without the leading `?`.
    package var encoded: String {
        fields.keys.sorted().flatMap { name in
            (fields[name] ?? []).map { "\(Self.encode(name))=\(Self.encode($0))" }
        }
        .joined(separator: "&")
    }

    /// Percent-encodes a query component (everything but unreserved characters).
    package static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<"\u{80}"))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// Decodes a name or value; browsers send line breaks as CRLF, kept here as LF.
    private static func decode(_ part: Substring) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        return (spaced.removingPercentEncoding ?? spaced).replacingOccurrences(of: "\r\n", with: "\n")
    }
}
