import Foundation
import GRDB

/// The digests of earlier schema versions, kept as their difference from the latest sum: one
/// row per version in `crdt_digest` (see ``DigestState``).
enum DigestTable {
    /// Adds a transaction's increments to the stored differences.
    ///
    /// - Parameters:
    ///   - increments: Per version, what the transaction moved its difference by.
    ///   - db: The transaction's connection.
    /// - Throws: A database error.
    static func add(_ increments: [Int: DigestSum], _ db: Database) throws {
        for (version, increment) in increments where increment != .zero {
            var delta = try self.delta(at: version, db)
            delta.add(increment.bytes)
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO crdt_digest(version, delta) VALUES (?, ?)")
                .execute(arguments: [version, Data(delta.bytes)])
        }
    }

    /// The stored difference of one version's sum from the latest sum.
    ///
    /// - Parameters:
    ///   - version: An earlier schema version.
    ///   - db: A connection.
    /// - Returns: The difference (zero when nothing differs at that version).
    /// - Throws: A database error.
    static func delta(at version: Int, _ db: Database) throws -> DigestSum {
        let stored = try Data.fetchOne(
            db.cachedStatement(sql: "SELECT delta FROM crdt_digest WHERE version = ?"),
            arguments: [version]
        )
        return DigestSum(stored: stored.map { [UInt8]($0) })
    }
}
