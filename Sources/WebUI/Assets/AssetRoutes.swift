import Foundation
package import Hummingbird

/// Serves the stylesheet, the script and the icon from memory, with a long cache lifetime.
package enum AssetRoutes {
    /// Adds `/assets/app.css`, `/assets/app.js` and `/assets/icon.svg`.
    ///
    /// - Parameter router: A router (or group) of any context.
    package static func add<Context: RequestContext>(to router: some RouterMethods<Context>) {
        let assets: [(String, String, String)] = [
            ("app.css", "text/css; charset=utf-8", Stylesheet.css),
            ("app.js", "text/javascript; charset=utf-8", Script.javascript),
            ("icon.svg", "image/svg+xml", Script.icon),
        ]
        for (name, type, content) in assets {
            let bytes = ByteBuffer(string: content)
            router.get("assets/\(name)") { _, _ -> Response in
                var headers: HTTPFields = [.contentType: type, .cacheControl: "public, max-age=86400"]
                headers[.xContentTypeOptions] = "nosniff"
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: bytes))
            }
        }
    }
}
