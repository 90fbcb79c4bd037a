import Foundation

/// The languages of the pages: Arabic (right to left, the default) and French.

package enum Language: String, Sendable, CaseIterable {
    /// Arabic, written right to left; the default.
    case arabic = "ar"
    /// French, written left to right.
    case french = "fr"

    /// The default language of the pages.
    package static let standard = Language.arabic

    /// The BCP 47 code for `<html lang>`.
    package var code: String { rawValue }

    /// `rtl` or `ltr`, for `<html dir>`.
    package var direction: String { self == .arabic ? "rtl" : "ltr" }

    /// The language's own name, for the switch.
    package var name: String { self == .arabic ? "العربية" : "Français" }

    /// The other language, offered by the switch.
    package var other: Language { self == .arabic ? .french : .arabic }

    /// The language named by a code such as `fr` or `ar-MA`, if supported.
    ///
    /// - Parameter code: A language code.
    package init?(code: String) {
        let primary = code.split(separator: "-").first.map { $0.lowercased() } ?? ""
        guard let language = Language(rawValue: primary) else { return nil }
        self = language
    }
}

/// A text in every language of the pages; both are required, so none can be forgotten.
package struct Localized: Sendable, Hashable {
    /// The Arabic text.
    package var arabic: String
    /// The French text.
    package var french: String

    /// Creates a text.
    ///
    /// - Parameters:
    ///   - ar: The Arabic text.
    ///   - fr: The French text.
    package init(ar: String, fr: String) {
        arabic = ar
        french = fr
    }

    /// The text in a language.
    ///
    /// - Parameter language: The language.
    /// - Returns: The text.
    package func callAsFunction(_ language: Language) -> String {
        language == .arabic ? arabic : french
    }
}
