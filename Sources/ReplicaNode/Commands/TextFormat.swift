import Foundation
import SyncCore

/// Small helpers for the human output: one record per block, labels in ASCII, texts (Arabic,
/// French, Tifinagh) printed as they are, never padded by byte counts.
enum TextFormat {
    /// A Unix-milliseconds time as ISO 8601 in UTC, such as `2026-05-02T14:03:00Z`.
    static func time(_ millis: Int64) -> String {
        Date(timeIntervalSince1970: Double(millis) / 1000).formatted(.iso8601)
    }

    /// How long ago a time was, roughly: `3 min ago`, `2 h ago`, `5 days ago`.
    static func age(_ millis: Int64, now: Int64 = SyncClient.systemMillis()) -> String {
        let seconds = max(0, (now - millis) / 1000)
        switch seconds {
        case ..<60: return "\(seconds) s ago"
        case ..<3600: return "\(seconds / 60) min ago"
        case ..<172_800: return "\(seconds / 3600) h ago"
        default: return "\(seconds / 86_400) days ago"
        }
    }

    /// A duration in milliseconds for people: `45 s`, `12 min`, `3 h`.
    static func span(_ millis: Int64) -> String {
        let seconds = abs(millis) / 1000
        switch seconds {
        case ..<120: return "\(seconds) s"
        case ..<7200: return "\(seconds / 60) min"
        case ..<172_800: return "\(seconds / 3600) h"
        case ..<63_072_000: return "\(seconds / 86_400) days"
        default: return "\(seconds / 31_536_000) years"
        }
    }

    /// A text indented by `depth` steps of two spaces, each of its lines.
    static func indented(_ text: String, depth: Int = 1) -> String {
        let prefix = String(repeating: "  ", count: depth)
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { prefix + $0 }
            .joined(separator: "\n")
    }

    /// A field value for display: text as it is, `(empty)` for null.
    static func value(_ value: FieldValue) -> String {
        switch value {
        case .null: "(empty)"
        case .integer(let number): String(number)
        case .text(let text): text
        }
    }

    /// Joins the parts that exist with ` · `.
    static func joined(_ parts: [String?]) -> String {
        parts.compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ")
    }

    /// `yes`, `no` or `unknown`.
    static func yesNo(_ flag: Bool?) -> String {
        switch flag {
        case true?: "yes"
        case false?: "no"
        case nil: "unknown"
        }
    }
}
