import Hummingbird

/// What the dashboard's paths answer on a hub whose state is in PostgreSQL: a page, in Arabic
/// and French, saying that the coordinators' dashboard needs the SQLite backend for now.
///
/// The dashboard reads the typed participation API of the SQLite store; the PostgreSQL
/// backend serves the sync routes, `/health`, `/metrics` and `/openapi.yaml` only
/// (Docs/OPERATIONS.md).
struct DashboardUnavailableRoutes: Sendable {
    /// The page's HTML.
    static let page = """
        <!doctype html>
        <html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>لوحة المتابعة غير متاحة</title></head>
        <body>
        <h1>لوحة المتابعة غير متاحة على هذا الخادم</h1>
        <p>يحفظ هذا الخادم بياناته في PostgreSQL، ولوحة المتابعة تتطلب حاليا قاعدة SQLite. \
        استعملوا خادما يعمل بالخيار <code dir="ltr">--db</code> لقراءة اللوحة.</p>
        <div lang="fr" dir="ltr">
        <h1>Tableau de bord indisponible sur ce serveur</h1>
        <p>Ce hub garde ses données dans PostgreSQL ; le tableau de bord des coordinateurs demande \
        pour l'instant le stockage SQLite. Consultez-le sur un hub lancé avec <code>--db</code>.</p>
        </div>
        </body></html>
        """

    /// Adds `GET /` and every other unmatched `GET` path.
    ///
    /// - Parameter router: The hub's router.
    func addRoutes(to router: Router<HubRequestContext>) {
        router.get("/") { _, _ in Self.response() }
        router.get("**") { _, _ in Self.response() }
    }

    private static func response() -> Response {
        Response(
            status: .serviceUnavailable,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: page))
        )
    }
}
