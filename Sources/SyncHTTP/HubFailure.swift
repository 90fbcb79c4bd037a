package import Foundation
package import SyncCore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A failed attempt at a hub request: the error to report, and whether trying again may help.
package struct HubFailure: Error {
    /// What to report when no retry is left.
    package var error: SyncError
    /// Whether the same request may succeed later (no connection, timeout, 5xx).
    package var isRetryable = false

    /// Creates a failure.
    ///
    /// - Parameters:
    ///   - error: What to report.
    ///   - isRetryable: Whether trying again may help.
    package init(error: SyncError, isRetryable: Bool = false) {
        self.error = error
        self.isRetryable = isRetryable
    }

    /// Codes the hub may send in its error body, by their stable spelling.
    private static let knownCodes: [String: SyncError.Code] = Dictionary(
        uniqueKeysWithValues: [
            SyncError.Code.invalidArgument, .recordNotFound, .schemaMismatch, .clockDrift, .invalidBatch, .storage,
            .unauthorized, .forbidden, .transport, .protocolMismatch, .tooLarge, .conflict,
        ].map { ($0.description, $0) }
    )

    /// A request that never got an HTTP answer.
    package static func connection(_ error: URLError, hub: URL, timeout: Duration) -> HubFailure {
        let reason: String
        var isRetryable = true
        switch error.code {
        case .cannotConnectToHost: reason = "connection refused"
        case .timedOut: reason = "no answer within \(Int(timeout.seconds)) s"
        case .cannotFindHost, .dnsLookupFailed: reason = "unknown host \(hub.host ?? "")"
        case .networkConnectionLost: reason = "connection lost"
        case .notConnectedToInternet: reason = "no network"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            reason = "TLS failure: \(error.localizedDescription)"
            isRetryable = false
        case .cancelled:
            return HubFailure(error: SyncError(.transport, "the request to the hub was cancelled", cause: error))
        default: reason = error.localizedDescription
        }
        let message =
            "the hub at \(hub.absoluteString) is unreachable (\(reason)); local writes are safe, run sync again later"
        return HubFailure(error: SyncError(.transport, message, cause: error), isRetryable: isRetryable)
    }

    /// An HTTP answer other than 2xx: the hub's own code and message when its body is an
    /// `ErrorResponse`, otherwise a code derived from the status.
    package static func status(_ status: Int, body: Data, hub: URL) -> HubFailure {
        let served = try? JSONDecoder().decode(ErrorResponse.self, from: body)
        let fallback = Self.code(forStatus: status)
        let code = served.flatMap { knownCodes[$0.error.code] } ?? fallback
        let detail = served.map { Self.oneLine($0.error.message) }
        let message: String
        if status >= 500 {
            message =
                "the hub at \(hub.absoluteString) failed (HTTP \(status)\(detail.map { ": \($0)" } ?? "")); "
                + "local writes are safe, run sync again later"
            return HubFailure(error: SyncError(.transport, message), isRetryable: true)
        } else if let detail {
            message = "the hub refused the request (HTTP \(status)): \(detail)"
        } else {
            message =
                "the hub at \(hub.absoluteString) refused the request (HTTP \(status)); " + Self.advice(for: fallback)
        }
        return HubFailure(error: SyncError(code, message))
    }

    private static func code(forStatus status: Int) -> SyncError.Code {
        switch status {
        case 401: .unauthorized
        case 403: .forbidden
        case 409: .schemaMismatch
        case 426: .protocolMismatch
        case 413: .tooLarge
        case 422: .clockDrift
        case 400: .invalidBatch
        default: .transport
        }
    }

    private static func advice(for code: SyncError.Code) -> String {
        switch code {
        case .unauthorized: "check the token given to 'replica-node init'"
        case .forbidden: "this replica's credential may not do this; ask the province"
        case .protocolMismatch, .schemaMismatch: "upgrade replica-node or the hub so that both speak the same version"
        case .tooLarge: "sync again with a smaller --batch-limit"
        case .clockDrift: "set this machine's date and time, then sync again"
        default: "check that the hub URL is right"
        }
    }

    /// The hub's message on one line and of bounded length, as it goes to a terminal.
    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 }.prefix(500))
    }
}
