import Foundation
import SyncCore

/// The JSON coding the hub and the replica apply to each message: batches through their own
/// coder (``ChangeBatch/json()``, ``ChangeBatch/init(json:)``), or, with `--foundation`, every
/// message through Foundation's coders as before.
enum WireCoding {
    nonisolated(unsafe) static var foundationOnly = CommandLine.arguments.contains("--foundation")

    static func encode<Value: Encodable>(_ value: Value) throws -> Data {
        if !foundationOnly, let batch = value as? ChangeBatch { return Data(batch.json()) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        if !foundationOnly, type == ChangeBatch.self { return try ChangeBatch(json: data) as! Value }
        return try JSONDecoder().decode(type, from: data)
    }
}
