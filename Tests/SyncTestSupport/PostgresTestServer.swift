import Foundation

/// The PostgreSQL server the tests use: the one `scripts/with-postgres.sh` starts for
/// `make test`, named by `HUB_TEST_POSTGRES_URL`.
///
/// Outside `make test` the variable is usually unset and the PostgreSQL suites are skipped with
/// a message; under `make test` (`HUB_TEST_REQUIRE_POSTGRES=1`) they run and fail when the
/// server does not answer.
///
/// ```swift
/// @Suite(.enabled(if: PostgresTestServer.shouldRun, "skipped: no PostgreSQL server"))
/// let url = try await PostgresTestServer.makeDatabase(folder: folder)
/// ```
public enum PostgresTestServer {
    /// The server's URL (a superuser on its `postgres` database), when set.
    public static var url: String? {
        ProcessInfo.processInfo.environment["HUB_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether the run requires PostgreSQL (`make test` sets `HUB_TEST_REQUIRE_POSTGRES=1`).
    public static var isRequired: Bool {
        ProcessInfo.processInfo.environment["HUB_TEST_REQUIRE_POSTGRES"] == "1"
    }

    /// Whether the PostgreSQL suites run: a server is named, or the run requires one.
    public static var shouldRun: Bool { url != nil || isRequired }

    /// Creates a fresh database on the server and returns its URL.
    ///
    /// - Parameter folder: Where `psql` runs.
    /// - Returns: The new database's URL.
    /// - Throws: ``ProgramFailure`` when no server is named or it refuses.
    public static func makeDatabase(folder: TemporaryDirectory) async throws -> String {
        guard let url else {
            throw ProgramFailure(
                "HUB_TEST_POSTGRES_URL is not set but PostgreSQL is required; run the tests through 'make test' "
                    + "or scripts/with-postgres.sh"
            )
        }
        let name = "hub_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        _ = try await query(url, "CREATE DATABASE \(name)", folder: folder)
        guard let cut = url.range(of: "/", options: .backwards) else { throw ProgramFailure("bad URL \(url)") }
        return url[..<cut.lowerBound] + "/" + name
    }

    /// Runs one SQL statement with `psql` and returns its unaligned, tuples-only output.
    ///
    /// - Parameters:
    ///   - url: The database.
    ///   - sql: The statement.
    ///   - folder: Where `psql` runs.
    /// - Returns: The rows, `|`-separated, one a line.
    /// - Throws: ``ProgramFailure`` when `psql` fails.
    public static func query(_ url: String, _ sql: String, folder: TemporaryDirectory) async throws -> String {
        let result = try await Programs.run(
            "/usr/bin/psql",
            [url, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql],
            folder: folder
        )
        guard result.succeeded else { throw ProgramFailure("psql failed on '\(sql)': \(result.stderr)") }
        return result.trimmedOutput
    }
}
