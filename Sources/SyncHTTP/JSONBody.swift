import CompressNIO
import Foundation
package import Hummingbird
package import SyncCore

/// Reads JSON request bodies and writes JSON responses for the sync routes of the hub and of
/// a commune office.
///
/// A request body is collected up to a limit, inflated when it says `Content-Encoding: gzip`
/// (the inflated size is held to the same limit, so a small bomb cannot fill memory), then
/// decoded. Every failure is a ``SyncError`` that names what was wrong, never a 500.
/// A response is gzip-compressed when the client accepts it and the body is worth compressing,
/// at zlib's fastest level, as pushes are: on the sample proposals it sends 8% more bytes than
/// zlib's default level in two thirds of the compression time.
package enum JSONBody {
    private static let fastestGzip = CompressionAlgorithm.gzip(
        configuration: .init(compressionLevel: .fastestCompression)
    )

    /// Responses smaller than this are sent uncompressed.
    package static let compressionThreshold = 1_024

    // MARK: - Requests

    /// Decodes a request's JSON body.
    ///
    /// - Parameters:
    ///   - type: The expected message.
    ///   - request: The request.
    ///   - limit: The largest body accepted, in bytes, before and after decompression.
    ///   - code: The code for a malformed body (`invalid-argument`, or `invalid-batch` for a push).
    /// - Returns: The message.
    /// - Throws: ``SyncError`` with ``SyncError/Code/tooLarge`` or `code`.
    package static func decode<Value: Decodable>(
        _ type: Value.Type,
        from request: Request,
        limit: Int,
        code: SyncError.Code
    ) async throws -> Value {
        try await decode(from: request, limit: limit, code: code) { buffer in
            try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
        }
    }

    /// Decodes a pushed batch with the batch's own JSON reader (``ChangeBatch/init(json:)``),
    /// which accepts and refuses the same bodies as `JSONDecoder` at a fraction of the cost.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - limit: The largest body accepted, in bytes, before and after decompression.
    /// - Returns: The batch.
    /// - Throws: ``SyncError`` with ``SyncError/Code/tooLarge`` or ``SyncError/Code/invalidBatch``.
    package static func decodeBatch(from request: Request, limit: Int) async throws -> ChangeBatch {
        try await decode(from: request, limit: limit, code: .invalidBatch) { buffer in
            try ChangeBatch(json: buffer.readableBytesView)
        }
    }

    private static func decode<Value>(
        from request: Request,
        limit: Int,
        code: SyncError.Code,
        reading read: (ByteBuffer) throws -> Value
    ) async throws -> Value {
        var buffer = try await collect(request, limit: limit)
        buffer = try inflate(buffer, encoding: request.headers[.contentEncoding], limit: limit)
        guard buffer.readableBytes > 0 else {
            throw SyncError(code, "the request body is empty; send a JSON object")
        }
        do {
            return try read(buffer)
        } catch let error as DecodingError {
            throw SyncError(code, "malformed request body: \(describe(error))", cause: error)
        }
    }

    private static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw tooLarge(limit: limit)
        }
    }

    private static func inflate(_ buffer: ByteBuffer, encoding: String?, limit: Int) throws -> ByteBuffer {
        switch encoding?.lowercased().trimmingCharacters(in: .whitespaces) {
        case nil, "", "identity":
            return buffer
        case "gzip", "x-gzip":
            guard buffer.readableBytes > 0 else { return buffer }
            var compressed = buffer
            do {
                return try compressed.decompress(with: .gzip(), maxSize: limit + 1)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                throw tooLarge(limit: limit)
            } catch {
                throw SyncError(
                    .invalidArgument,
                    "the gzip request body is corrupt or truncated; send it again",
                    cause: error
                )
            }
        case let other?:
            throw SyncError(
                .invalidArgument,
                "unsupported Content-Encoding '\(other.prefix(40))'; send the body as identity or gzip"
            )
        }
    }

    private static func tooLarge(limit: Int) -> SyncError {
        SyncError(.tooLarge, "the request body is larger than \(limit) bytes; send smaller batches")
    }

    /// A one-line description of a decoding error: where in the body and what was wrong,
    /// without echoing the body's values.
    ///
    /// - Parameter error: The decoder's error.
    /// - Returns: The description.
    package static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field '\(path(context.codingPath + [key]))'"
        case .typeMismatch(let type, let context):
            return "field '\(path(context.codingPath))' is not a valid \(typeName(type))"
        case .valueNotFound(let type, let context):
            return "field '\(path(context.codingPath))' is null, expected \(typeName(type))"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "the body is not valid JSON"
        case .dataCorrupted(let context):
            return "field '\(path(context.codingPath))' is invalid: \(context.debugDescription.prefix(120))"
        @unknown default:
            return "the body does not match the expected message"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        let text = keys.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue.prefix(60))" }.joined()
        return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "(root)" : text)
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch String(describing: type) {
        case "Int", "Int64", "UInt64", "Int32": "integer"
        case "String": "string"
        case "Bool": "boolean"
        case let name where name.hasPrefix("Dictionary"): "object"
        case let name where name.hasPrefix("Array"): "array"
        case let name: name
        }
    }

    // MARK: - Responses

    /// Encodes a message as a JSON response, gzip-compressed when the client accepts it.
    ///
    /// - Parameters:
    ///   - value: The message.
    ///   - request: The request answered (for `Accept-Encoding`).
    ///   - status: The status.
    /// - Returns: The response.
    /// - Throws: An encoding error (none for the protocol's messages).
    package static func response(
        _ value: some Encodable,
        for request: Request,
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return response(json: ByteBuffer(bytes: try encoder.encode(value)), for: request, status: status)
    }

    /// A batch as a JSON response, written by the batch's own encoder (``ChangeBatch/json()``):
    /// the same sorted-key JSON as ``response(_:for:status:)``, at a fraction of the cost.
    ///
    /// - Parameters:
    ///   - batch: The batch.
    ///   - request: The request answered (for `Accept-Encoding`).
    /// - Returns: The response.
    static func response(_ batch: ChangeBatch, for request: Request) -> Response {
        response(json: ByteBuffer(bytes: batch.json()), for: request, status: .ok)
    }

    private static func response(json: ByteBuffer, for request: Request, status: HTTPResponse.Status) -> Response {
        var body = json
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        var source = body
        if body.readableBytes >= compressionThreshold, acceptsGzip(request.headers[.acceptEncoding]),
            let compressed = try? source.compress(with: fastestGzip)
        {
            body = compressed
            headers[.contentEncoding] = "gzip"
            headers[.vary] = "Accept-Encoding"
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    /// Whether an `Accept-Encoding` value admits gzip (a `q=0` weight refuses it).
    ///
    /// - Parameter header: The header's value.
    /// - Returns: `true` when gzip may be sent.
    package static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        return header.split(separator: ",").contains { item in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = parts.first, coding == "gzip" || coding == "x-gzip" || coding == "*" else {
                return false
            }
            return !parts.dropFirst().contains { $0 == "q=0" || $0 == "q=0.0" || $0 == "q=0.00" || $0 == "q=0.000" }
        }
    }
}
