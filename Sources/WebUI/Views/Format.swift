package import Foundation

/// Dates, ages and numbers as the pages show them, in Morocco's time zone.
package enum Format {
    /// The time zone of the province.
    package static let timeZone = TimeZone(identifier: "Africa/Casablanca") ?? TimeZone(identifier: "UTC")!

    /// `2026-11-29 09:15`.
    package static func dateTime(_ millis: Int64) -> String {
        let parts = components(millis)
        return String(
            format: "%04d-%02d-%02d %02d:%02d",
            parts.year ?? 0,
            parts.month ?? 0,
            parts.day ?? 0,
            parts.hour ?? 0,
            parts.minute ?? 0
        )
    }

    /// `2026-11-29`.
    package static func date(_ millis: Int64) -> String {
        String(dateTime(millis).prefix(10))
    }

    /// The Unix milliseconds of the start of a `YYYY-MM-DD` day in the province, or `nil`.
    package static func millis(ofDay text: String) -> Int64? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.utf8.count == 10 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])) else {
            return nil
        }
        return Int64(date.timeIntervalSince1970 * 1_000)
    }

    /// How long ago a time was: `5 min`, `3 h`, `2 j` / `٥ د`… kept short for tables.
    package static func age(_ millis: Int64, now: Int64, _ language: Language) -> String {
        let seconds = max(0, (now - millis) / 1_000)
        let (value, unit): (Int64, Localized) =
            switch seconds {
            case ..<60: (seconds, .unitSeconds)
            case ..<3_600: (seconds / 60, .unitMinutes)
            case ..<86_400: (seconds / 3_600, .unitHours)
            default: (seconds / 86_400, .unitDays)
            }
        return Localized.ago(language).replacingOccurrences(of: "%@", with: "\(value) \(unit(language))")
    }

    /// A signed duration such as `+7 min` or `-40 s`.
    package static func offset(_ millis: Int64, _ language: Language) -> String {
        let seconds = abs(millis) / 1_000
        guard seconds > 0 else { return "0 \(Localized.unitSeconds(language))" }
        let sign = millis < 0 ? "−" : "+"
        if seconds < 120 { return "\(sign)\(seconds) \(Localized.unitSeconds(language))" }
        if seconds < 7_200 { return "\(sign)\(seconds / 60) \(Localized.unitMinutes(language))" }
        return "\(sign)\(seconds / 3_600) \(Localized.unitHours(language))"
    }

    /// The first eight characters of an id, enough to tell records apart on a page.
    package static func shortID(_ id: String) -> String {
        String(id.prefix(8))
    }

    /// The Monday (in the province) of the week of a time, as Unix milliseconds.
    package static func weekStart(_ millis: Int64) -> Int64 {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone
        let date = Date(timeIntervalSince1970: Double(millis) / 1_000)
        let start = calendar.dateInterval(of: .weekOfYear, for: date)?.start ?? date
        return Int64(start.timeIntervalSince1970 * 1_000)
    }

    private static func components(_ millis: Int64) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.dateComponents(
            [.year, .month, .day, .hour, .minute],
            from: Date(timeIntervalSince1970: Double(millis) / 1_000)
        )
    }
}
