import Hummingbird
import SyncCore
import Testing

@testable import HubServer

@Suite struct SyncErrorHTTPTests {
    @Test(arguments: [
        (SyncError.Code.invalidArgument, 400), (.invalidBatch, 400), (.unauthorized, 401), (.forbidden, 403),
        (.recordNotFound, 404), (.conflict, 409), (.schemaMismatch, 409), (.tooLarge, 413), (.clockDrift, 422),
        (.protocolMismatch, 426), (.transport, 502), (.storage, 503),
    ])
    func status_followsCode(code: SyncError.Code, expected: Int) {
        #expect(SyncError(code, "test").status.code == expected)
    }
}
