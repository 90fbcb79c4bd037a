import Foundation

/// Tokens against cross-site request forgery: random, unguessable, compared in constant time.
package enum CSRFToken {
    /// A new token: 256 random bits in base64url.
    package static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Whether a cookie value looks like a token this code made.
    package static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 43
            && token.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == 0x2D || byte == 0x5F
            }
    }

    /// Whether a sent token equals the expected one; an empty expected token never matches.
    package static func matches(_ sent: String, _ expected: String) -> Bool {
        let (x, y) = (Array(sent.utf8), Array(expected.utf8))
        guard !y.isEmpty, x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
