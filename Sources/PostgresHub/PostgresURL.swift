import Foundation
import NIOSSL
package import PostgresNIO
import SyncCore

/// A PostgreSQL connection URL: `postgres://user[:password]@host[:port]/database`, or a unix
/// socket with `postgres://user@/database?host=/run/postgresql` (and `port=` for its number).
///
/// `sslmode=require` asks for TLS; without it the connection is plain, for a database on the
/// same machine or a private network.
package struct PostgresURL: Sendable {
    /// The client configuration the URL describes.
    package private(set) var configuration: PostgresClient.Configuration
    /// The same, for one connection outside the pool (the check made when a store opens).
    package let connectionConfiguration: PostgresConnection.Configuration
    /// The URL with its password hidden, for logs.
    package let redacted: String

    /// Parses a URL.
    ///
    /// - Parameter text: The URL given to `--postgres` or `HUB_POSTGRES`.
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidArgument`` naming what is wrong.
    package init(_ text: String) throws {
        guard let components = URLComponents(string: text),
            components.scheme == "postgres" || components.scheme == "postgresql"
        else {
            throw SyncError(
                .invalidArgument,
                "the PostgreSQL URL must look like postgres://USER:PASSWORD@HOST:PORT/DATABASE"
            )
        }
        guard let user = components.user, !user.isEmpty else {
            throw SyncError(.invalidArgument, "the PostgreSQL URL names no user; write postgres://USER@HOST/DATABASE")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else {
            throw SyncError(.invalidArgument, "the PostgreSQL URL names no database; end it with /DATABASE")
        }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") },
            uniquingKeysWith: { _, last in last }
        )
        let password = components.password
        if let socketFolder = query["host"], socketFolder.hasPrefix("/") {
            let port = query["port"] ?? "5432"
            configuration = PostgresClient.Configuration(
                unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)",
                username: user,
                password: password,
                database: database
            )
            connectionConfiguration = PostgresConnection.Configuration(
                unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)",
                username: user,
                password: password,
                database: database
            )
        } else {
            guard let host = components.host, !host.isEmpty else {
                throw SyncError(
                    .invalidArgument,
                    "the PostgreSQL URL names no host; write postgres://USER@HOST/DATABASE or add ?host=/socket/folder"
                )
            }
            var tls = PostgresClient.Configuration.TLS.disable
            var connectionTLS = PostgresConnection.Configuration.TLS.disable
            if query["sslmode"] == "require" {
                tls = .require(.makeClientConfiguration())
                connectionTLS = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            connectionConfiguration = PostgresConnection.Configuration(
                host: host,
                port: components.port ?? 5432,
                username: user,
                password: password,
                database: database,
                tls: connectionTLS
            )
            configuration = PostgresClient.Configuration(
                host: host,
                port: components.port ?? 5432,
                username: user,
                password: password,
                database: database,
                tls: tls
            )
        }
        // Connections opened ahead of the first requests: a burst of replicas at start does not
        // wait for new server connections (seen taking seconds on a loaded machine).
        configuration.options.minimumConnections = 2
        var shown = components
        if shown.password != nil { shown.password = "***" }
        redacted = shown.string ?? "postgres://…"
    }
}
