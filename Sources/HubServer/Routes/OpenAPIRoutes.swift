import Hummingbird

/// `GET /openapi.yaml`, without authentication: the OpenAPI 3 description of the sync API.
///
/// The document is Docs/openapi.yaml, compiled in by scripts/generate-openapi.sh
/// (OpenAPIDocument.swift), so the hub needs no resource file at run time.
struct OpenAPIRoutes: Sendable {
    /// Adds the route.
    ///
    /// - Parameter router: The application's router.
    func addRoutes(to router: Router<HubRequestContext>) {
        router.get("openapi.yaml") { _, _ in Self.response() }
    }

    /// The document, as `application/yaml`.
    static func response() -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/yaml; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: document))
        )
    }
}
