import Foundation
package import Hummingbird

/// The responses pages are made of.
package enum WebResponse {
    /// A whole HTML page.
    package static func page(_ html: HTML, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html.markup))
        )
    }

    /// A redirect after a form (303 See Other), to a path of this application only.
    package static func redirect(_ location: String) -> Response {
        Response.redirect(to: LocalPath.isLocal(location) ? location : "/", type: .normal)
    }

    /// A file to download.
    package static func download(_ bytes: [UInt8], type: String, filename: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type, .contentDisposition: "attachment; filename=\"\(filename)\"",
                .cacheControl: "no-store",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }

    /// Adds the headers every page response carries: assets from this application only, no
    /// framing, no content sniffing, no referrer outside it.
    package static func secure(_ headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.init("Referrer-Policy")!] = "same-origin"
        headers[.init("X-Frame-Options")!] = "DENY"
    }
}
