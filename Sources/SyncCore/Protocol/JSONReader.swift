#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A strict JSON reader over UTF-8 bytes, for the messages decoded on every exchange.
///
/// It reads the grammar of RFC 8259 (objects, arrays, strings with every escape, numbers,
/// literals) and refuses anything else, including invalid UTF-8 and trailing bytes. Errors are
/// `DecodingError`s carrying the coding path, like Foundation's, so that callers describe them
/// the same way (which field, what was wrong) without echoing values.
struct JSONReader {
    /// How deep unknown values may nest before the input is refused.
    static let maxDepth = 64

    private let bytes: UnsafeBufferPointer<UInt8>
    private var offset = 0
    /// Where the reader is, for errors.
    private(set) var path: [JSONKey] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    // MARK: - Structure

    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    /// Reads the members of an object, calling `member` with each key (the reader then sits on
    /// the value, which `member` must read or skip).
    mutating func readObject(_ member: (inout JSONReader, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"), as: [String: Any].self, what: "an object")
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            offset += 1
            return
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw syntaxError() }
            let key = try readRawString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw syntaxError() }
            offset += 1
            skipWhitespace()
            path.append(JSONKey(key))
            try member(&self, key)
            path.removeLast()
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"):
                offset += 1
                return
            default: throw syntaxError()
            }
        }
    }

    /// Reads the elements of an array, calling `element` once per element.
    mutating func readArray(_ element: (inout JSONReader) throws -> Void) throws {
        try expect(UInt8(ascii: "["), as: [Any].self, what: "an array")
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            offset += 1
            return
        }
        var index = 0
        while true {
            skipWhitespace()
            path.append(JSONKey(index: index))
            try element(&self)
            path.removeLast()
            index += 1
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"):
                offset += 1
                return
            default: throw syntaxError()
            }
        }
    }

    /// Checks that nothing but white space follows the top-level value.
    mutating func finish() throws {
        skipWhitespace()
        guard offset == bytes.count else { throw syntaxError() }
    }

    // MARK: - Scalars

    /// Whether the value here is `null`; if so, it is consumed.
    mutating func readNull() throws -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    mutating func readBool() throws -> Bool {
        switch peek() {
        case UInt8(ascii: "t"):
            try literal("true")
            return true
        case UInt8(ascii: "f"):
            try literal("false")
            return false
        default:
            throw mismatch(Bool.self, "a boolean")
        }
    }

    mutating func readString() throws -> String {
        guard peek() == UInt8(ascii: "\"") else { throw mismatch(String.self, "a string") }
        return try readRawString()
    }

    /// Reads a JSON number that must be an integer in `Int64`.
    mutating func readInt64() throws -> Int64 {
        let (negative, magnitude) = try readInteger(Int64.self)
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw mismatch(Int64.self, "an integer in range") }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw mismatch(Int64.self, "an integer in range") }
        return Int64(magnitude)
    }

    /// Reads a JSON number that must be a non-negative integer in `UInt64`.
    mutating func readUInt64() throws -> UInt64 {
        let (negative, magnitude) = try readInteger(UInt64.self)
        guard !negative || magnitude == 0 else { throw mismatch(UInt64.self, "a non-negative integer") }
        return magnitude
    }

    mutating func readInt() throws -> Int {
        Int(try readInt64())
    }

    /// Whether the value here is a JSON number (of any form).
    func isNumber() -> Bool {
        guard let byte = peek() else { return false }
        return byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Whether the value here is a JSON string.
    func isString() -> Bool { peek() == UInt8(ascii: "\"") }

    /// Skips one value of any type.
    mutating func skipValue(depth: Int = 0) throws {
        guard depth < Self.maxDepth else { throw corrupted("nests deeper than \(Self.maxDepth) levels") }
        switch peek() {
        case UInt8(ascii: "{"): try readObject { reader, _ in try reader.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["): try readArray { reader in try reader.skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""): _ = try readRawString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try readBool()
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try readNumberToken()
        }
    }

    // MARK: - Errors

    /// A value present but not acceptable (a range or format rule), at the current path.
    func corrupted(_ description: String) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: path, debugDescription: description))
    }

    /// A required member that was absent from the object just read.
    func missing(_ key: String) -> DecodingError {
        .keyNotFound(JSONKey(key), DecodingError.Context(codingPath: path, debugDescription: "missing"))
    }

    private func mismatch(_ type: Any.Type, _ expected: String) -> DecodingError {
        .typeMismatch(type, DecodingError.Context(codingPath: path, debugDescription: "expected \(expected)"))
    }

    private func syntaxError() -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: [], debugDescription: "not valid JSON at byte \(offset)"))
    }

    // MARK: - Tokens

    private func peek() -> UInt8? {
        offset < bytes.count ? bytes[offset] : nil
    }

    private mutating func expect(_ byte: UInt8, as type: Any.Type, what: String) throws {
        guard peek() == byte else {
            throw peek() == nil ? syntaxError() : mismatch(type, what)
        }
        offset += 1
    }

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard offset + count <= bytes.count else { throw syntaxError() }
        for index in 0..<count where bytes[offset + index] != word.utf8Start[index] {
            throw syntaxError()
        }
        offset += count
    }

    /// Reads a number token; returns its sign, its integer digits' range and whether it has a
    /// fraction or an exponent.
    private mutating func readNumberToken() throws -> (negative: Bool, digits: Range<Int>, isIntegral: Bool) {
        let negative = peek() == UInt8(ascii: "-")
        if negative { offset += 1 }
        let start = offset
        guard let first = peek(), isDigit(first) else { throw syntaxError() }
        offset += 1
        if first != UInt8(ascii: "0") {
            while let byte = peek(), isDigit(byte) { offset += 1 }
        }
        let digits = start..<offset
        var isIntegral = true
        if peek() == UInt8(ascii: ".") {
            isIntegral = false
            offset += 1
            guard let byte = peek(), isDigit(byte) else { throw syntaxError() }
            while let byte = peek(), isDigit(byte) { offset += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isIntegral = false
            offset += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { offset += 1 }
            guard let byte = peek(), isDigit(byte) else { throw syntaxError() }
            while let byte = peek(), isDigit(byte) { offset += 1 }
        }
        return (negative, digits, isIntegral)
    }

    private mutating func readInteger(_ type: Any.Type) throws -> (negative: Bool, magnitude: UInt64) {
        guard isNumber() else { throw mismatch(type, "an integer") }
        let token = try readNumberToken()
        guard token.isIntegral else { throw mismatch(type, "an integer") }
        var magnitude: UInt64 = 0
        for index in token.digits {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { throw mismatch(type, "an integer in range") }
            magnitude = sum
        }
        return (token.negative, magnitude)
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Reads a string token (the reader is on its opening quote), unescaping and checking UTF-8.
    private mutating func readRawString() throws -> String {
        offset += 1
        let start = offset
        offset = CanonicalJSON.firstSpecialByte(in: bytes, from: offset)
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let text = try Self.validString(UnsafeBufferPointer(rebasing: bytes[start..<offset]), reader: self)
                offset += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw syntaxError() }
            offset += 1
        }
        var unescaped = Array(bytes[start..<offset])
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            switch byte {
            case UInt8(ascii: "\""):
                return try unescaped.withUnsafeBufferPointer { try Self.validString($0, reader: self) }
            case UInt8(ascii: "\\"):
                try readEscape(into: &unescaped)
            case 0x00..<0x20:
                throw syntaxError()
            default:
                unescaped.append(byte)
            }
        }
        throw syntaxError()
    }

    /// The string of UTF-8 bytes, refused when they are not valid UTF-8.
    ///
    /// `String(decoding:as:)` is the fast, specialized path; it repairs invalid bytes, so the
    /// result is compared with the input: any repair changes the bytes.
    private static func validString(
        _ bytes: UnsafeBufferPointer<UInt8>,
        reader: borrowing JSONReader
    ) throws -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        let same = text.withUTF8 { decoded in
            decoded.count == bytes.count
                && (bytes.isEmpty || memcmp(decoded.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
        guard same else { throw reader.corrupted("a string is not valid UTF-8") }
        return text
    }

    private mutating func readEscape(into out: inout [UInt8]) throws {
        guard let byte = peek() else { throw syntaxError() }
        offset += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try readHex4())
            if (0xD800..<0xDC00).contains(scalar) {
                guard peek() == UInt8(ascii: "\\") else { throw corrupted("a string holds a lone surrogate") }
                offset += 1
                guard peek() == UInt8(ascii: "u") else { throw corrupted("a string holds a lone surrogate") }
                offset += 1
                let low = UInt32(try readHex4())
                guard (0xDC00..<0xE000).contains(low) else { throw corrupted("a string holds a lone surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw corrupted("a string holds a lone surrogate") }
            out.append(contentsOf: UTF8.encode(unicode)!)
        default:
            throw syntaxError()
        }
    }

    private mutating func readHex4() throws -> UInt16 {
        guard offset + 4 <= bytes.count else { throw syntaxError() }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            offset += 1
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw syntaxError()
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}

/// A coding key for ``JSONReader``'s error paths.
struct JSONKey: CodingKey {
    private let name: String?
    let intValue: Int?

    var stringValue: String { name ?? "Index \(intValue ?? 0)" }

    init(_ name: String) {
        self.name = name
        intValue = nil
    }

    init(index: Int) {
        name = nil
        intValue = index
    }

    init?(stringValue: String) { self.init(stringValue) }

    init?(intValue: Int) { self.init(index: intValue) }
}
