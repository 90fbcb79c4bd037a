/// The value of one field: null, an integer or a text.
///
/// Texts are kept byte for byte: no Unicode normalization happens anywhere, and comparisons that
/// decide merges use the UTF-8 bytes, never Swift's canonical-equivalence `==` on `String`.
///
/// ```swift
/// let title: FieldValue = .text("تهيئة ساحة مولاي الحسن")
/// let withdrawn: FieldValue = .integer(1)
/// ```
public enum FieldValue: Sendable, CustomStringConvertible {
    /// No value.
    case null
    /// A signed 64-bit integer (booleans are 0 and 1).
    case integer(Int64)
    /// A UTF-8 text.
    case text(String)

    /// The text, or `nil` for other cases.
    public var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// The integer, or `nil` for other cases.
    public var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// `true` for a non-zero integer.
    public var isTrue: Bool { (integer ?? 0) != 0 }

    /// The value for display.
    public var description: String {
        switch self {
        case .null: "null"
        case .integer(let value): String(value)
        case .text(let value): value
        }
    }

    /// A boolean as an integer field value.
    ///
    /// - Parameter flag: The boolean.
    /// - Returns: `.integer(1)` or `.integer(0)`.
    public static func bool(_ flag: Bool) -> FieldValue { .integer(flag ? 1 : 0) }
}

extension FieldValue: Hashable {
    /// Compares values bytewise (texts by their UTF-8 bytes, not by canonical equivalence).
    public static func == (lhs: FieldValue, rhs: FieldValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.integer(let a), .integer(let b)): a == b
        case (.text(let a), .text(let b)): a.utf8.elementsEqual(b.utf8)
        default: false
        }
    }

    /// Hashes the value's bytes.
    ///
    /// - Parameter hasher: The hasher.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .integer(let value):
            hasher.combine(1)
            hasher.combine(value)
        case .text(let value):
            hasher.combine(2)
            for byte in value.utf8 { hasher.combine(byte) }
        }
    }
}

extension FieldValue: Codable {
    /// Decodes JSON `null`, an integer or a string.
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: A decoding error for any other JSON type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(String.self) {
            self = .text(value)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "a field value must be null, an integer or a string"
            )
        }
    }

    /// Encodes as JSON `null`, an integer or a string.
    ///
    /// - Parameter encoder: The encoder.
    /// - Throws: An encoding error.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .integer(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        }
    }
}
