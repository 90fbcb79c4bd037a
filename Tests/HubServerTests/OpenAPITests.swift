import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HubServer

@Suite struct OpenAPITests {
    /// Docs/openapi.yaml, read from the checkout.
    static func documentOnDisk() throws -> Data {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try Data(contentsOf: root.appendingPathComponent("Docs/openapi.yaml"))
    }

    @Test func openAPI_servedDocument_equalsDocsFileByteForByte() async throws {
        let expected = try Self.documentOnDisk()
        let fixture = try HubFixture()
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.executeRequest(uri: "/openapi.yaml", method: .get, headers: [:], body: nil)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/yaml") == true)
            #expect(Data(response.body.readableBytesView) == expected, "run scripts/generate-openapi.sh")
        }
    }

    @Test func openAPI_namesEveryRouteAndStatusTheHubSends() throws {
        let text = String(decoding: try Self.documentOnDisk(), as: UTF8.self)
        for path in ["/v1/hello:", "/v1/pull:", "/v1/push:", "/health:", "/metrics:", "/openapi.yaml:"] {
            #expect(text.contains("\n  \(path)\n"), "\(path) is missing")
        }
        for status in ["400", "401", "403", "409", "413", "422", "426", "429", "503"] {
            #expect(text.contains("\"\(status)\":"), "status \(status) is missing")
        }
        #expect(text.contains("maxLength: 20000"))
        #expect(text.contains("format: uuid"))
    }
}
