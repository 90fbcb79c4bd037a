/// One record of a CSV file: its fields and the line of the file it starts on (1-based).
struct CSVRecord: Hashable, Sendable {
    /// The line where the record starts; a record with a line break inside quotes spans several.
    var line: Int
    /// The fields, decoded as UTF-8, byte for byte.
    var fields: [String]
}

/// Why a CSV file was refused, and on which line.
struct CSVError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The line of the file (1-based) where the problem is.
    var line: Int
    /// What is wrong and how to fix it.
    var reason: String

    var description: String { "line \(line): \(reason)" }
}

/// An RFC 4180 CSV parser working on bytes.
///
/// It accepts what spreadsheets write: fields in double quotes holding delimiters, doubled quotes
/// and line breaks; CRLF, LF or CR line ends; a UTF-8 byte order mark; a last line with or without
/// a line end. Blank lines are skipped. Text is never normalized: Arabic, French and Tifinagh come
/// out byte for byte. Anything else (a stray quote, text after a closing quote, a quote never
/// closed, bytes that are not UTF-8) is refused with its line number.
///
/// ```swift
/// let records = try CSVParser().parse(Array(data))
/// ```
struct CSVParser: Sendable {
    /// The field separator: a comma, or a semicolon as French spreadsheets write it.
    var delimiter: UInt8 = UInt8(ascii: ",")

    /// Parses a whole file.
    func parse(_ input: [UInt8]) throws(CSVError) -> [CSVRecord] {
        var scanner = Scanner(delimiter: delimiter)
        var index = input.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < input.count {
            let byte = input[index]
            index += 1
            if byte == Scanner.carriageReturn && scanner.state != .quoted && index < input.count
                && input[index] == Scanner.lineFeed
            {
                continue
            }
            try scanner.consume(byte)
        }
        try scanner.finish()
        return scanner.records
    }

    /// Guesses the delimiter from the first line: a semicolon when it has semicolons and no comma.
    static func guessDelimiter(_ input: [UInt8]) -> UInt8 {
        let firstLine = input.prefix { $0 != Scanner.lineFeed && $0 != Scanner.carriageReturn }
        let semicolons = firstLine.count { $0 == UInt8(ascii: ";") }
        let commas = firstLine.count { $0 == UInt8(ascii: ",") }
        return semicolons > 0 && commas == 0 ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }
}

/// The parser's state machine, one byte at a time.
private struct Scanner {
    static let quote = UInt8(ascii: "\"")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")

    enum State {
        case fieldStart
        case unquoted
        case quoted
        case afterClosingQuote
    }

    let delimiter: UInt8
    var state = State.fieldStart
    var records: [CSVRecord] = []
    var fields: [String] = []
    var field: [UInt8] = []
    var line = 1
    var recordLine = 1
    var quoteLine = 1

    init(delimiter: UInt8) {
        self.delimiter = delimiter
    }

    mutating func consume(_ byte: UInt8) throws(CSVError) {
        let isLineEnd = byte == Self.lineFeed || byte == Self.carriageReturn
        switch state {
        case .fieldStart, .unquoted:
            if byte == delimiter {
                try endField()
            } else if isLineEnd {
                try endRecord()
            } else if byte == Self.quote && state == .fieldStart {
                state = .quoted
                quoteLine = line
            } else if byte == Self.quote {
                throw CSVError(
                    line: line,
                    reason: "a double quote inside a field that does not start with one; put the whole field in "
                        + "double quotes and double each quote inside it"
                )
            } else {
                field.append(byte)
                state = .unquoted
            }
        case .quoted:
            if byte == Self.quote {
                state = .afterClosingQuote
            } else {
                if byte == Self.lineFeed { line += 1 }
                field.append(byte)
            }
        case .afterClosingQuote:
            if byte == Self.quote {
                field.append(byte)
                state = .quoted
            } else if byte == delimiter {
                try endField()
            } else if isLineEnd {
                try endRecord()
            } else {
                throw CSVError(
                    line: line,
                    reason:
                        "text after the closing quote of a field; a quote inside a quoted field must be doubled (\"\")"
                )
            }
        }
    }

    mutating func finish() throws(CSVError) {
        if state == .quoted {
            throw CSVError(
                line: quoteLine,
                reason: "a quoted field starting on this line is never closed; add the closing quote"
            )
        }
        if state != .fieldStart || !fields.isEmpty { try endRecord() }
    }

    private mutating func endField() throws(CSVError) {
        guard let text = String(validating: field, as: UTF8.self) else {
            throw CSVError(line: line, reason: "this line is not valid UTF-8 text; save the file as CSV UTF-8")
        }
        fields.append(text)
        field.removeAll(keepingCapacity: true)
        state = .fieldStart
    }

    private mutating func endRecord() throws(CSVError) {
        try endField()
        if fields.count > 1 || fields.first?.isEmpty == false {
            records.append(CSVRecord(line: recordLine, fields: fields))
        }
        fields.removeAll(keepingCapacity: true)
        line += 1
        recordLine = line
    }
}
