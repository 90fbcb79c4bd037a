import Foundation

/// Checks that a place to send a browser to is a path of this application, never another site.
///
/// Browsers strip tabs and line breaks from URLs and read `\` as `/`, so `/\t/evil.example` or
/// `/\evil.example` in a `Location` header leads off the site; so do `//evil.example` and
/// `https://evil.example`. A local path here is printable ASCII only (anything else is
/// percent-encoded by the page that made it), starts with one `/`, holds no `\`, and stays so
/// once percent escapes are decoded.
package enum LocalPath {
    /// Whether a text is a path of this application.
    ///
    /// - Parameter text: A `Location` or a `next` parameter.
    /// - Returns: `true` for `/proposals?page=2`; `false` for `//x`, `/\x`, `/\t/x`, `https://x`, `x`.
    package static func isLocal(_ text: String) -> Bool {
        guard text.utf8.allSatisfy({ (0x21...0x7E).contains($0) }), isLocalForm(text) else { return false }
        guard let decoded = text.removingPercentEncoding else { return false }
        return isLocalForm(decoded)
    }

    /// One `/` first, no second `/` or `\` after it, no `\` and no control character (C0, DEL, C1).
    private static func isLocalForm(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.first == "/", scalars.count <= 2_048 else { return false }
        if scalars.count > 1 && (scalars[1] == "/" || scalars[1] == "\\") { return false }
        return scalars.allSatisfy { scalar in
            scalar != "\\" && !(0x00...0x1F).contains(scalar.value) && !(0x7F...0x9F).contains(scalar.value)
        }
    }
}
