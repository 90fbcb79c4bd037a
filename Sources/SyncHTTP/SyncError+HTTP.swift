import Foundation
public import Hummingbird
import SyncCore

/// How a ``SyncError`` reaches an HTTP client: a status chosen from its code and the
/// `{"error":{"code":…,"message":…}}` body.
///
/// | code | status |
/// | --- | --- |
/// | invalid-argument, invalid-batch | 400 Bad Request |
/// | unauthorized | 401 Unauthorized (with `WWW-Authenticate: Bearer`) |
/// | forbidden | 403 Forbidden |
/// | record-not-found | 404 Not Found |
/// | conflict, schema-mismatch | 409 Conflict |
/// | too-large | 413 Content Too Large |
/// | clock-drift | 422 Unprocessable Content |
/// | protocol-mismatch | 426 Upgrade Required (with `Upgrade: essaouira-sync/<version>`) |
/// | transport | 502 Bad Gateway |
/// | storage | 503 Service Unavailable (with `Retry-After`) |
extension SyncError: HTTPResponseError {
    /// The HTTP status of the error's code; a code added later and not listed here is a 500.
    var status: HTTPResponse.Status {
        Self.statuses[code] ?? .internalServerError
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = ErrorResponse(code: code.description, message: message)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if code == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"essaouira-hub\"" }
        if code == .protocolMismatch { headers[.upgrade] = "essaouira-sync/\(ProtocolVersion.current)" }
        if code == .storage { headers[.retryAfter] = "5" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: status,
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(body)))
        )
    }

    private static let statuses: [Code: HTTPResponse.Status] = [
        .invalidArgument: .badRequest,
        .invalidBatch: .badRequest,
        .unauthorized: .unauthorized,
        .forbidden: .forbidden,
        .recordNotFound: .notFound,
        .conflict: .conflict,
        .schemaMismatch: .conflict,
        .tooLarge: .contentTooLarge,
        .clockDrift: .unprocessableContent,
        .protocolMismatch: .upgradeRequired,
        .transport: .badGateway,
        .storage: .serviceUnavailable,
    ]
}
