import Foundation
import Hummingbird
import HummingbirdTesting
import SyncCore
import Testing

@testable import HubServer

/// Every kind of hostile push gets a 4xx JSON error naming the problem, and changes nothing.
@Suite struct HostileInputTests {
    /// A mutation of a valid one-proposal batch, as a JSON object.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let status: Int
        let mutate: @Sendable (inout [String: Any]) -> Void
        var testDescription: String { name }
    }

    static let farFuture = (Int64(Date().timeIntervalSince1970 * 1_000) + 365 * 86_400_000) << 16

    static let cases: [Case] = [
        Case(name: "oversized field", status: 413) {
            editChange(&$0) { setField(&$0, "title", String(repeating: "ب", count: 600)) }
        },
        Case(name: "wrong type of seq", status: 400) { editChange(&$0) { $0["seq"] = "1" } },
        Case(name: "wrong type of isComplete", status: 400) { $0["isComplete"] = "yes" },
        Case(name: "field value of wrong JSON type", status: 400) {
            editChange(&$0) { setField(&$0, "title", [1, 2]) }
        },
        Case(name: "text in an integer field", status: 400) { editChange(&$0) { setField(&$0, "created_at", "hier") } },
        Case(name: "unknown table", status: 400) { editChange(&$0) { $0["table"] = "citizen" } },
        Case(name: "unknown field", status: 400) { editChange(&$0) { setField(&$0, "national_id", "AB123456") } },
        Case(name: "malformed record id", status: 400) { editChange(&$0) { $0["record"] = "a record\"id" } },
        Case(name: "over-long record id", status: 400) {
            editChange(&$0) { $0["record"] = String(repeating: "a", count: 141) }
        },
        Case(name: "malformed origin", status: 400) { editChange(&$0) { $0["origin"] = "not-a-replica" } },
        Case(name: "malformed vector key", status: 400) { editChange(&$0) { setContext(&$0, "title", ["x": 1]) } },
        Case(name: "negative timestamp", status: 400) { editChange(&$0) { $0["hlc"] = -1 } },
        Case(name: "far-future timestamp", status: 422) { editChange(&$0) { $0["hlc"] = farFuture } },
        Case(name: "sequence zero", status: 400) { editChange(&$0) { $0["seq"] = 0 } },
        Case(name: "schema no release can have", status: 400) { editChange(&$0) { $0["schema"] = 300 } },
        Case(name: "newer schema, malformed field name", status: 400) {
            editChange(&$0) {
                $0["schema"] = 99
                setField(&$0, "Not A Name", "x")
            }
        },
        Case(name: "status outside its values", status: 400) {
            editChange(&$0) { setField(&$0, "status", "approved!") }
        },
        Case(name: "covered range beyond 2^62", status: 400) { editCovered(&$0) { $0["through"] = UInt64(1) << 63 } },
        Case(name: "sequence beyond 2^62", status: 400) { editChange(&$0) { $0["seq"] = UInt64(1) << 63 } },
        Case(name: "context sequence beyond 2^62", status: 400) {
            editChange(&$0) { setContext(&$0, "title", ["\($0["origin"] ?? "")": UInt64(1) << 63]) }
        },
    ]

    @Test(arguments: cases)
    func push_hostileBatch_is4xxJSON_andStoresNothing(_ hostile: Case) async throws {
        let setup = try Setup()
        var object = setup.batchObject
        hostile.mutate(&object)
        let body = try JSONSerialization.data(withJSONObject: object)
        try await setup.expectRefused(ByteBuffer(bytes: body), status: hostile.status)
    }

    @Test func push_invalidUTF8_is400_andStoresNothing() async throws {
        let setup = try Setup()
        var bytes = Array(try JSONSerialization.data(withJSONObject: setup.batchObject))
        let quote = try #require(bytes.firstIndex(of: UInt8(ascii: "\"")))
        bytes.insert(contentsOf: [0xC3, 0x28, 0xFF], at: quote + 1)
        try await setup.expectRefused(ByteBuffer(bytes: bytes), status: 400)
    }

    @Test func push_moreThan5000Changes_is413_andStoresNothing() async throws {
        let setup = try Setup()
        var object = setup.batchObject
        let changes = try #require(object["changes"] as? [Any])
        object["changes"] = Array(repeating: changes[0], count: SyncServer.maxBatchLimit + 1)
        try await setup.expectRefused(
            ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object)),
            status: 413
        )
    }

    @Test func push_replayedBatch_isApplied0_andChangesNothing() async throws {
        let setup = try Setup()
        let body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: setup.batchObject))
        try await setup.fixture.makeApp().test(.router) { client in
            let first = try Wire.decode(
                PushResponse.self,
                try await client.post("/v1/push", token: setup.token, body: body)
            )
            #expect(first.applied > 0)
            let digest = try setup.fixture.hub.digest()
            let vector = try setup.fixture.hub.vector()
            let replay = try await client.post("/v1/push", token: setup.token, body: body)
            #expect(replay.status == .ok)
            let answer = try Wire.decode(PushResponse.self, replay)
            #expect(answer.applied == 0)
            #expect(answer.ignored == first.applied)
            #expect(try setup.fixture.hub.digest() == digest)
            #expect(try setup.fixture.hub.vector() == vector)
        }
    }

    @Test(arguments: ["hello", "pull"])
    func vectorBeyond2To62_is400_andStoresNothing(route: String) async throws {
        let setup = try Setup()
        let origin = UUID().uuidString.lowercased()
        let vector = "{\"\(origin)\":9223372036854775808}"
        let body =
            route == "pull"
            ? "{\"vector\":\(vector),\"limit\":10}"
            : "{\"protocolVersion\":1,\"schemaVersion\":1,\"replica\":\"\(origin)\",\"previousIdentities\":[],\"vector\":\(vector)}"
        let digest = try setup.fixture.hub.digest()
        try await setup.fixture.makeApp().test(.router) { client in
            let response = try await client.post("/v1/\(route)", token: setup.token, body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
        }
        #expect(try setup.fixture.hub.digest() == digest)
    }

    @Test(arguments: [Int64.min + 1, -1, Int64.max])
    func hello_clockOutOfRange_is400(time: Int64) async throws {
        let setup = try Setup()
        let replica = try setup.fixture.replica("laptop")
        var message = try Wire.hello(for: replica)
        message.time = time
        let hello = message
        try await setup.fixture.makeApp().test(.router) { client in
            let response = try await client.post("/v1/hello", token: setup.token, json: hello)
            #expect(response.status == .badRequest)
            #expect(try Wire.decode(ErrorResponse.self, response).error.message.contains("time"))
        }
    }

    // MARK: - Helpers

    /// A hub, a credential and a valid batch of one proposal written on a replica of its commune.
    struct Setup {
        let fixture: HubFixture
        let token: String
        let batchJSON: Data

        /// The valid batch, as a JSON object to mutate.
        var batchObject: [String: Any] {
            (try? JSONSerialization.jsonObject(with: batchJSON) as? [String: Any]) ?? [:]
        }

        init() throws {
            fixture = try HubFixture()
            token = try fixture.enroll("essaouira")
            let replica = try fixture.replica("office")
            _ = try replica.createProposal(ProposalDraft(title: "ساحة", body: "نص", commune: "essaouira"))
            let batch = try replica.changes(since: VersionVector(), limit: 10)
            batchJSON = try JSONEncoder().encode(batch)
        }

        func expectRefused(_ body: ByteBuffer, status: Int) async throws {
            let digest = try fixture.hub.digest()
            try await fixture.makeApp().test(.router) { client in
                let response = try await client.post("/v1/push", token: token, body: body)
                #expect(response.status.code == status)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let error = try Wire.decode(ErrorResponse.self, response)
                #expect(!error.error.message.isEmpty)
            }
            #expect(try fixture.hub.vector() == VersionVector())
            #expect(try fixture.hub.digest() == digest)
        }
    }

    static func editChange(_ batch: inout [String: Any], _ edit: (inout [String: Any]) -> Void) {
        guard var changes = batch["changes"] as? [[String: Any]], !changes.isEmpty else { return }
        edit(&changes[0])
        batch["changes"] = changes
    }

    static func editCovered(_ batch: inout [String: Any], _ edit: (inout [String: Any]) -> Void) {
        guard var covered = batch["covered"] as? [[String: Any]], !covered.isEmpty else { return }
        edit(&covered[0])
        batch["covered"] = covered
    }

    static func setField(_ change: inout [String: Any], _ name: String, _ value: Any) {
        var fields = change["fields"] as? [String: Any] ?? [:]
        var field = fields[name] as? [String: Any] ?? [:]
        field["value"] = value
        if field["context"] == nil, let origin = change["origin"], let seq = change["seq"] {
            field["context"] = ["\(origin)": seq]
        }
        fields[name] = field
        change["fields"] = fields
    }

    static func setContext(_ change: inout [String: Any], _ name: String, _ context: [String: Any]) {
        var fields = change["fields"] as? [String: Any] ?? [:]
        var field = fields[name] as? [String: Any] ?? [:]
        field["context"] = context
        fields[name] = field
        change["fields"] = fields
    }
}
