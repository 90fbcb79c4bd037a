import Foundation
import SyncCore
import SyncTestSupport

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An enrolled replica that lies: a valid credential sending well-formed messages of the
/// protocol to a real server (a hub or an office's `--sync-listen`), with claims it may not make.
struct Attacker: Sendable {
    /// The server's base URL (the `/v1` routes are under it).
    let server: URL
    /// A valid credential.
    let token: String
    /// The identity it presents as its own.
    let identity = ReplicaID()

    /// What the server answered.
    struct Answer: Sendable {
        var status: Int
        var body: String

        /// The `code` of an error answer.
        var code: String? {
            guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
                let error = object["error"] as? [String: Any]
            else { return nil }
            return error["code"] as? String
        }
    }

    /// Posts a JSON body to a `/v1` route.
    func post(_ route: String, body: Data) async throws -> Answer {
        var request = URLRequest(url: server.appendingPathComponent("v1/\(route)"))
        request.httpMethod = "POST"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        request.timeoutInterval = 60
        let (data, response) = try await URLSession.shared.data(for: request)
        return Answer(
            status: (response as? HTTPURLResponse)?.statusCode ?? 0,
            body: String(decoding: data, as: UTF8.self)
        )
    }

    /// Says hello as `identity`, presenting `others` as earlier identities, with a vector.
    func hello(presenting others: [ReplicaID] = [], vector: VersionVector = VersionVector()) async throws -> Answer {
        let hello = HelloRequest(replica: identity, previousIdentities: others, vector: vector, schemaVersion: 1)
        return try await post("hello", body: try JSONEncoder().encode(hello))
    }

    /// The server's vector, from an honest hello.
    func serverVector() async throws -> (replica: ReplicaID, vector: VersionVector) {
        let answer = try await hello()
        guard answer.status == 200 else { throw ProgramFailure("hello failed (\(answer.status)): \(answer.body)") }
        let response = try JSONDecoder().decode(HelloResponse.self, from: Data(answer.body.utf8))
        return (response.replica, response.vector)
    }

    /// Pushes a batch.
    func push(_ batch: ChangeBatch) async throws -> Answer {
        try await post("push", body: try JSONEncoder().encode(batch))
    }

    /// A batch of one title write to a record, under an origin and sequence, with a context.
    static func titleWrite(
        record: String,
        origin: ReplicaID,
        seq: UInt64,
        context: [ReplicaID: UInt64],
        covered: [CoveredRange] = []
    ) -> ChangeBatch {
        let change = Change(
            table: "proposal",
            record: record,
            origin: origin,
            seq: seq,
            timestamp: HybridTimestamp(wallMillis: Int64(Date().timeIntervalSince1970 * 1000), counter: 0),
            schemaVersion: 1,
            fields: ["title": FieldChange(value: .text("إعلان مزور"), context: VersionVector(context))]
        )
        return ChangeBatch(schemaVersion: 1, changes: [change], covered: covered, isComplete: true)
    }

    /// A batch that only covers a range of an origin, up to the largest sequence allowed.
    static func silencing(_ origin: ReplicaID, after: UInt64) -> ChangeBatch {
        ChangeBatch(
            schemaVersion: 1,
            changes: [],
            covered: [CoveredRange(origin: origin, after: after, through: VersionVector.maxSequence - 1)],
            isComplete: true
        )
    }
}

extension ProgramResult {
    /// The JSON lines of `hub-server replicas --json` or `replica-node peer list --json`, decoded.
    var jsonArray: [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(stdoutBytes)) as? [[String: Any]]) ?? []
    }
}
