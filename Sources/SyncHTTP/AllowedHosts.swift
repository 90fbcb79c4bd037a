import Foundation
package import Hummingbird
import NIOCore
import NIOPosix

/// The host names a listener answers to, checked against every request's `Host`.
///
/// A page on another site can make the browser of the office PC send requests to
/// `127.0.0.1:8090` under its own name (DNS rebinding: `evil.example` resolved to 127.0.0.1),
/// with the page's `Host: evil.example`. A listener that answers only its own names refuses
/// those. Names are compared without case, port or a final dot.
///
/// ```swift
/// let hosts = AllowedHosts(listeningOn: "127.0.0.1", extra: ["office.local"])
/// hosts.admits("127.0.0.1:8090")   // true
/// hosts.admits("evil.example")     // false
/// ```
package struct AllowedHosts: Sendable, Hashable {
    /// The names and addresses accepted, normalized.
    package private(set) var names: Set<String>

    /// Accepts exactly these names (with any port).
    ///
    /// - Parameter names: Host names or addresses, such as `hub.example.ma`, `hub.example.ma:8443`
    ///   (the port is ignored) or `::1`.
    package init(names: some Sequence<String>) {
        self.names = Set(names.compactMap { Self.hostName(ofAuthority: $0) ?? Self.normalized($0) })
    }

    /// The names of a listener: its address; the loopback names when it listens on loopback;
    /// every address of this machine and its host name when it listens on all addresses; and
    /// the names given with `--allowed-host`.
    ///
    /// - Parameters:
    ///   - host: The address the listener binds, such as `127.0.0.1`, `192.168.1.10` or `0.0.0.0`.
    ///   - extra: More names, such as `office.local`.
    package init(listeningOn host: String, extra: [String] = []) {
        var names = [host] + extra
        let normalized = Self.normalized(host) ?? host
        let wildcard = ["0.0.0.0", "::", ""].contains(normalized)
        if wildcard || Self.isLoopback(normalized) { names += ["localhost", "127.0.0.1", "::1"] }
        if wildcard {
            names += Self.machineNames()
        }
        self.init(names: names)
    }

    /// Whether a request's `Host` (its authority) names this listener.
    ///
    /// - Parameter authority: `name`, `name:port`, `[v6]` or `[v6]:port`; `nil` when absent.
    /// - Returns: `true` when the name is accepted.
    package func admits(_ authority: String?) -> Bool {
        guard let authority, let name = Self.hostName(ofAuthority: authority) else { return false }
        return names.contains(name)
    }

    /// The host part of an authority, normalized: without port, brackets, case or final dot.
    ///
    /// - Parameter authority: Such as `Office.Local.:8091` or `[::1]:8090`.
    /// - Returns: `office.local`, `::1`; `nil` when malformed.
    package static func hostName(ofAuthority authority: String) -> String? {
        var text = Substring(authority.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let rest = text[text.index(after: close)...]
            guard rest.isEmpty || (rest.hasPrefix(":") && rest.dropFirst().allSatisfy(\.isNumber)) else { return nil }
            text = text[text.index(after: text.startIndex)..<close]
        } else if let colon = text.lastIndex(of: ":") {
            guard text[text.index(after: colon)...].allSatisfy(\.isNumber), !text[..<colon].contains(":") else {
                return nil
            }
            text = text[..<colon]
        }
        return normalized(String(text))
    }

    /// The host part of an origin such as `https://hub.example:8443` (from `Origin` or `Referer`).
    ///
    /// - Parameter origin: The header's value.
    /// - Returns: The normalized host, or `nil` for `null` or a malformed value.
    package static func hostName(ofOrigin origin: String) -> String? {
        guard let components = URLComponents(string: origin), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return nil }
        return normalized(host)
    }

    private static func normalized(_ name: String) -> String? {
        var text = name.trimmingCharacters(in: .whitespaces).lowercased()
        if text.hasPrefix("[") && text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        while text.hasSuffix(".") { text.removeLast() }
        guard !text.isEmpty, text.utf8.count <= 255,
            text.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "/") })
        else { return nil }
        return text
    }

    private static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// This machine's host name (with `.local`, as mDNS names it) and its interfaces' addresses.
    private static func machineNames() -> [String] {
        var names: [String] = []
        let hostName = ProcessInfo.processInfo.hostName
        if !hostName.isEmpty { names += [hostName, hostName + ".local"] }
        if let devices = try? System.enumerateDevices() {
            for device in devices {
                guard let ip = device.address?.ipAddress else { continue }
                names.append(ip.split(separator: "%").first.map(String.init) ?? ip)
            }
        }
        return names
    }
}

extension Request {
    /// The request's `Host`: the HTTP/1.1 header, or the authority the server read from it.
    package var hostAuthority: String? {
        head.authority
    }
}
