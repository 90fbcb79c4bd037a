import Foundation
import SyncCore
import SyncHTTP
import Testing

@testable import ReplicaNode

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite struct HubFailureTests {
    private let hub = URL(string: "http://127.0.0.1:8080")!

    private func body(_ code: String, _ message: String) -> Data {
        try! JSONEncoder().encode(ErrorResponse(code: code, message: message))
    }

    @Test(arguments: [
        (401, SyncError.Code.unauthorized), (403, .forbidden), (409, .schemaMismatch), (426, .protocolMismatch),
        (413, .tooLarge), (422, .clockDrift),
    ])
    func status_mapsClientErrorsWithoutRetry(_ status: Int, code: SyncError.Code) {
        let failure = HubFailure.status(status, body: Data(), hub: hub)
        #expect(failure.error.code == code)
        #expect(!failure.isRetryable)
    }

    @Test func status_keepsTheHubsCodeAndMessage() {
        let failure = HubFailure.status(422, body: body("clock-drift", "replica X is 3 h ahead"), hub: hub)
        #expect(failure.error.code == .clockDrift)
        #expect(failure.error.message.contains("replica X is 3 h ahead"))
    }

    @Test(arguments: [500, 502, 503, 504])
    func status_retriesServerErrors(_ status: Int) {
        let failure = HubFailure.status(status, body: body("storage", "disk full"), hub: hub)
        #expect(failure.isRetryable)
        #expect(failure.error.code == .transport)
        #expect(failure.error.message.contains("local writes are safe"))
    }

    @Test func connection_refusedIsRetryableAndSaysWhatToDo() {
        let failure = HubFailure.connection(URLError(.cannotConnectToHost), hub: hub, timeout: .seconds(30))
        #expect(failure.isRetryable)
        #expect(failure.error.code == .transport)
        #expect(failure.error.message.contains("unreachable (connection refused)"))
        #expect(failure.error.message.contains("run sync again later"))
    }
}
