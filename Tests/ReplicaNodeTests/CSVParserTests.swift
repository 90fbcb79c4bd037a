import Testing

@testable import ReplicaNode

@Suite struct CSVParserTests {
    private func parse(_ text: String, delimiter: Character = ",") throws -> [CSVRecord] {
        try CSVParser(delimiter: delimiter.asciiValue!).parse(Array(text.utf8))
    }

    @Test func parse_splitsPlainFields() throws {
        let records = try parse("title,body\nA,B\n")
        #expect(records == [CSVRecord(line: 1, fields: ["title", "body"]), CSVRecord(line: 2, fields: ["A", "B"])])
    }

    @Test func parse_keepsCommasDoubledQuotesAndNewlinesInsideQuotes() throws {
        let records = try parse("t,b\n\"a, b\",\"say \"\"hi\"\"\nsecond line\"\nnext,row\n")
        #expect(records.count == 3)
        #expect(records[1] == CSVRecord(line: 2, fields: ["a, b", "say \"hi\"\nsecond line"]))
        #expect(records[2] == CSVRecord(line: 4, fields: ["next", "row"]))
    }

    @Test(arguments: [
        "t,b\r\nx,y\r\n", "t,b\nx,y", "\u{FEFF}t,b\nx,y\n", "t,b\rx,y\r", "t,b\n\nx,y\n\n",
    ])
    func parse_acceptsLineEndsBOMAndBlankLines(_ text: String) throws {
        let records = try parse(text)
        #expect(records.map(\.fields) == [["t", "b"], ["x", "y"]])
    }

    @Test func parse_keepsCRLFInsideQuotesByteForByte() throws {
        let records = try parse("t\r\n\"a\r\nb\"\r\n")
        #expect(Array(records[1].fields[0].utf8) == Array("a\r\nb".utf8))
    }

    @Test func parse_preservesArabicAndTifinaghBytes() throws {
        let arabic = "تهيئة ساحة مولاي الحسن، وتوفير ممرات"
        let tifinagh = "ⵜⴰⵎⴰⵣⵉⵖⵜ ⵏ ⵜⴰⵎⵓⵔⵜ"
        let records = try parse("title,body\n\"\(arabic)\",\(tifinagh)\n")
        #expect(Array(records[1].fields[0].utf8) == Array(arabic.utf8))
        #expect(Array(records[1].fields[1].utf8) == Array(tifinagh.utf8))
    }

    @Test func parse_keepsEmptyFieldsAndTrailingDelimiter() throws {
        let records = try parse("a,b,c\n,,\n1,\"\",\n")
        #expect(records[1].fields == ["", "", ""])
        #expect(records[2].fields == ["1", "", ""])
    }

    @Test func parse_acceptsSemicolons() throws {
        let input = Array("title;body\n\"a;b\";c, d\n".utf8)
        #expect(CSVParser.guessDelimiter(input) == UInt8(ascii: ";"))
        let records = try CSVParser(delimiter: CSVParser.guessDelimiter(input)).parse(input)
        #expect(records[1].fields == ["a;b", "c, d"])
    }

    @Test(arguments: [
        ("t,b\nok,ok\n\"never closed,x\nmore\n", 3),
        ("t,b\nok,ok\nok,ok\nbad\"quote,x\n", 4),
        ("t,b\n\"multi\nline\",ok\n\"closed\"junk,x\n", 4),
    ])
    func parse_refusesMalformedInputWithItsLine(_ text: String, line: Int) {
        #expect {
            try parse(text)
        } throws: { error in
            (error as? CSVError)?.line == line
        }
    }

    @Test func parse_refusesInvalidUTF8WithItsLine() {
        var bytes = Array("t,b\nok,ok\n".utf8)
        bytes += [0x61, 0xFF, 0x62, UInt8(ascii: ","), 0x63, 0x0A]
        #expect(throws: CSVError.self) { try CSVParser().parse(bytes) }
        #expect((try? CSVParser().parse(bytes)) == nil)
        do {
            _ = try CSVParser().parse(bytes)
        } catch {
            #expect(error.line == 3)
        }
    }
}
