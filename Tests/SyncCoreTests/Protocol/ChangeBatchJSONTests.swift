import Foundation
import SyncCore
import SyncTestSupport
import Testing

/// The batch's own JSON coder against Foundation's coders: the same messages in both directions,
/// and the same bodies refused.
@Suite struct ChangeBatchJSONTests {
    static let first = ReplicaID()
    static let second = ReplicaID()

    /// A batch with every kind of value: Arabic, Tifinagh, escapes and control characters,
    /// integers of both signs, nulls, several origins in a context, several covered ranges.
    static let sample = ChangeBatch(
        schemaVersion: 1,
        changes: [
            Change(
                table: "proposal",
                record: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
                origin: first,
                seq: 7,
                timestamp: HybridTimestamp(wallMillis: 1_764_380_000_000, counter: 3),
                schemaVersion: 1,
                fields: [
                    "title": FieldChange(
                        value: .text("تهيئة \"ساحة\" مولاي\\الحسن ⵜⴰⵎⴰⵣⵉⵖⵜ"),
                        context: VersionVector([first: 7, second: 2])
                    ),
                    "body": FieldChange(
                        value: .text("ligne 1\nligne\t2\r\u{0001}\u{001F} / fin 😀"),
                        context: VersionVector([first: 7])
                    ),
                    "created_at": FieldChange(value: .integer(-42)),
                    "author": FieldChange(value: .null),
                ]
            ),
            Change(
                table: "comment",
                record: "c-1",
                origin: second,
                seq: UInt64(1) << 61,
                timestamp: HybridTimestamp(rawValue: Int64.max),
                schemaVersion: 1,
                fields: ["depth": FieldChange(value: .integer(Int64.min)), "body": FieldChange(value: .text(""))]
            ),
        ],
        covered: [
            CoveredRange(origin: first, after: 0, through: 7), CoveredRange(origin: second, after: 3, through: 1 << 61),
        ],
        isComplete: false
    )

    @Test func json_isReadByFoundation_asTheSameBatch() throws {
        let bytes = Self.sample.json()
        #expect(try JSONDecoder().decode(ChangeBatch.self, from: Data(bytes)) == Self.sample)
    }

    @Test func json_equalsFoundationsSortedKeyEncoding() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let foundation = try JSONSerialization.jsonObject(with: try encoder.encode(Self.sample)) as? NSDictionary
        let ours = try JSONSerialization.jsonObject(with: Data(Self.sample.json())) as? NSDictionary
        #expect(foundation != nil && foundation == ours)
    }

    @Test(arguments: [JSONEncoder.OutputFormatting(), [.sortedKeys], [.prettyPrinted, .withoutEscapingSlashes]])
    func initJSON_readsFoundationsEncoding(_ formatting: JSONEncoder.OutputFormatting) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = formatting
        #expect(try ChangeBatch(json: try encoder.encode(Self.sample)) == Self.sample)
    }

    @Test func initJSON_readsItsOwnOutput_andAStoresBatch() throws {
        #expect(try ChangeBatch(json: Self.sample.json()) == Self.sample)
        let folder = try TemporaryDirectory()
        let store = try ReplicaStore(path: folder.path("r.sqlite"))
        _ = try store.createProposal(ProposalDraft(title: "عنوان", body: "نص", category: "eau", commune: "ounagha"))
        let batch = try store.changes(since: VersionVector())
        #expect(try ChangeBatch(json: batch.json()) == batch)
    }

    @Test func initJSON_unescapesEveryForm_andIgnoresUnknownMembers() throws {
        let origin = Self.first.rawValue
        let body = """
             { "extra": [1, {"a": [true, false, null, -1.5e3]}], "schemaVersion": 1, "isComplete": true,
              "covered": [], "changes": [{"table": "proposal", "record": "r", "origin": "\(origin)", "seq": 1,
              "hlc": 5, "schema": 1, "unknown": "x", "fields": {"title": {"value": "\\u0628\\"\\\\\\/\\b\\f\\n\\r\\t\\ud83d\\ude00",
              "context": {"\(origin)": 1}}, "author": {}, "answer": {"value": null, "context": null}}}] }
            """
        let batch = try ChangeBatch(json: Array(body.utf8))
        #expect(batch == (try JSONDecoder().decode(ChangeBatch.self, from: Data(body.utf8))))
        let fields = batch.changes[0].fields
        #expect(fields["title"]?.value == .text("ب\"\\/\u{8}\u{c}\n\r\t😀"))
        #expect(fields["author"] == FieldChange(value: .null))
        #expect(fields["answer"] == FieldChange(value: .null))
    }

    /// Bodies that both readers refuse; ours names the member at fault where Foundation does.
    static let refused: [(String, String?)] = {
        let origin = first.rawValue
        func change(_ members: String) -> String {
            #"{"schemaVersion":1,"isComplete":true,"covered":[],"changes":[{"#
                + members + "}]}"
        }
        let valid = #""table":"proposal","record":"r","origin":"\#(origin)","seq":1,"hlc":5,"schema":1"#
        return [
            ("{", nil),
            ("", nil),
            ("[]", nil),
            (#"{"changes":5}"#, "changes"),
            (#"{"schemaVersion":1,"isComplete":true,"covered":[]}"#, "changes"),
            (#"{"schemaVersion":1,"isComplete":"yes","covered":[],"changes":[]}"#, "isComplete"),
            (#"{"schemaVersion":1,"isComplete":true,"covered":[],"changes":[]} x"#, nil),
            (change(valid), "fields"),
            (change(valid.replacingOccurrences(of: #""seq":1"#, with: #""seq":"1""#) + #","fields":{}"#), "seq"),
            (change(valid.replacingOccurrences(of: #""seq":1"#, with: #""seq":-1"#) + #","fields":{}"#), "seq"),
            (change(valid.replacingOccurrences(of: #""seq":1"#, with: #""seq":1.5"#) + #","fields":{}"#), "seq"),
            (
                change(
                    valid.replacingOccurrences(of: #""seq":1"#, with: #""seq":18446744073709551616"#) + #","fields":{}"#
                ), "seq"
            ),
            (change(valid.replacingOccurrences(of: #""hlc":5"#, with: #""hlc":-1"#) + #","fields":{}"#), "hlc"),
            (change(valid.replacingOccurrences(of: origin, with: "not-a-replica") + #","fields":{}"#), "origin"),
            (change(valid + #","fields":{"title":{"value":[1,2]}}"#), "title"),
            (change(valid + #","fields":{"title":{"value":1.5}}"#), "title"),
            (change(valid + #","fields":{"title":{"value":"a","context":{"x":1}}}"#), "title"),
            (
                change(valid + #","fields":{"title":{"value":"a","context":{"\#(origin)":4611686018427387904}}}"#),
                "title"
            ),
            (change(valid + #","fields":{"title":{"value":"\ud800"}}"#), nil),
            (change(valid + #","fields":{"title":{"value":"a\#u{01}"}}"#), nil),
            (
                #"{"schemaVersion":1,"isComplete":true,"changes":[],"covered":[{"origin":"\#(origin)","after":0,"through":4611686018427387904}]}"#,
                "covered"
            ),
            (
                #"{"schemaVersion":1,"isComplete":true,"changes":[],"covered":[{"origin":"\#(origin)","after":0}]}"#,
                "through"
            ),
            (#"{"schemaVersion":1,"pad":"# + String(repeating: "[", count: 600) + "}", nil),
        ]
    }()

    @Test(arguments: refused)
    func initJSON_refusesWhatFoundationRefuses(body: String, member: String?) throws {
        #expect(throws: (any Error).self) { try JSONDecoder().decode(ChangeBatch.self, from: Data(body.utf8)) }
        let error = try #require(throws: DecodingError.self) { try ChangeBatch(json: Array(body.utf8)) }
        if let member {
            #expect(String(describing: error).contains(member), "\(error) does not name \(member)")
        }
    }

    @Test func initJSON_refusesInvalidUTF8() throws {
        var bytes = Self.sample.json()
        let quote = try #require(bytes.firstIndex(of: UInt8(ascii: "\"")))
        bytes.insert(contentsOf: [0xC3, 0x28, 0xFF], at: quote + 1)
        #expect(throws: DecodingError.self) { try ChangeBatch(json: bytes) }
    }
}
