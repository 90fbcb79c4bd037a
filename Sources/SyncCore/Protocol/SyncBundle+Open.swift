import Crypto
import Foundation

extension SyncBundle {
    /// Verifies a whole frame and decodes it.
    ///
    /// The checks run in order: length, magic, checksum, header, authentication tag, versions,
    /// then the batches. Nothing is returned, so nothing can be applied, unless every check passes.
    ///
    /// ```swift
    /// let bundle = try SyncBundle.open(frame, schemaVersion: store.schema.version) { keyID in
    ///     try store.bundleKey(enrollment: keyID)
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - frame: The frame (the bundle file, decompressed).
    ///   - schemaVersion: The importer's schema version (a bundle of a newer one is read: what the
    ///     importer does not know of it is kept until it upgrades).
    ///   - maxBytes: The largest frame accepted.
    ///   - key: The key of an enrollment id, or `nil` when the importer knows no such credential.
    /// - Returns: The bundle.
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidBatch`` (truncated, corrupt, not a
    ///   bundle), ``SyncError/Code/unauthorized`` (unknown key, wrong tag),
    ///   ``SyncError/Code/tooLarge`` or ``SyncError/Code/protocolMismatch``.
    public static func open(
        _ frame: [UInt8],
        schemaVersion: Int,
        maxBytes: Int = defaultMaxBytes,
        key: (String) throws -> [UInt8]?
    ) throws -> SyncBundle {
        let layout = try Layout(frame, maxBytes: maxBytes)
        let signed = frame[..<layout.checksumStart]
        guard Array(SHA256.hash(data: signed)) == Array(frame[layout.checksumStart..<layout.tagStart]) else {
            throw SyncError(
                .invalidBatch,
                "the bundle's checksum does not match its content: the file is corrupt; nothing was applied, "
                    + "copy it again from the exporting machine"
            )
        }
        let header = try decodeHeader(Array(frame[layout.headerRange]))
        guard let keyBytes = try key(header.keyID) else {
            throw SyncError(
                .unauthorized,
                "the bundle is signed with the credential of enrollment \(header.keyID.prefix(40)), which this "
                    + "replica does not know or has revoked; nothing was applied (pass --token-file with that credential)"
            )
        }
        let tag = Array(frame[layout.tagStart...])
        guard
            HMAC<SHA256>.isValidAuthenticationCode(
                tag,
                authenticating: frame[..<layout.tagStart],
                using: SymmetricKey(data: keyBytes)
            )
        else {
            throw SyncError(
                .unauthorized,
                "the bundle's authentication tag does not match the credential of enrollment \(header.keyID.prefix(40)): "
                    + "it was altered or signed with another credential; nothing was applied"
            )
        }
        try checkVersions(header, schemaVersion: schemaVersion)
        let batches = try decodeBatches(Array(frame[layout.bodyRange]), header: header, schemaVersion: schemaVersion)
        return SyncBundle(header: header, batches: batches)
    }

    /// Where the parts of a frame lie, from its two length fields, every one bounded.
    private struct Layout {
        var headerRange: Range<Int>
        var bodyRange: Range<Int>
        var checksumStart: Int
        var tagStart: Int

        init(_ frame: [UInt8], maxBytes: Int) throws {
            guard frame.count <= maxBytes else {
                throw SyncError(.tooLarge, "the bundle is larger than \(maxBytes) bytes; cut smaller bundles")
            }
            let fixed = magic.count + 4 + 8 + 64
            guard frame.count >= magic.count, Array(frame[..<magic.count]) == magic else {
                throw SyncError(
                    .invalidBatch,
                    "this file is not a sync bundle (no ESWBNDL1 header); nothing was applied"
                )
            }
            guard frame.count >= fixed else { throw Self.truncated }
            let headerLength = Int(readBigEndian(frame, at: magic.count, width: 4))
            guard headerLength <= maxHeaderBytes else {
                throw SyncError(
                    .tooLarge,
                    "the bundle's header claims \(headerLength) bytes, more than \(maxHeaderBytes)"
                )
            }
            let headerStart = magic.count + 4
            guard frame.count >= headerStart + headerLength + 8 + 64 else { throw Self.truncated }
            let bodyLength = readBigEndian(frame, at: headerStart + headerLength, width: 8)
            let bodyStart = headerStart + headerLength + 8
            guard bodyLength <= UInt64(frame.count - bodyStart - 64) else { throw Self.truncated }
            headerRange = headerStart..<(headerStart + headerLength)
            bodyRange = bodyStart..<(bodyStart + Int(bodyLength))
            checksumStart = bodyRange.upperBound
            tagStart = checksumStart + 32
            guard tagStart + 32 == frame.count else {
                throw SyncError(
                    .invalidBatch,
                    "the bundle has \(frame.count - tagStart - 32) byte(s) after its end; nothing was applied"
                )
            }
        }

        private static var truncated: SyncError {
            SyncError(.invalidBatch, "the bundle is truncated; nothing was applied, copy the whole file again")
        }
    }

    private static func readBigEndian(_ bytes: [UInt8], at offset: Int, width: Int) -> UInt64 {
        bytes[offset..<(offset + width)].reduce(0) { $0 << 8 | UInt64($1) }
    }

    private static func decodeHeader(_ bytes: [UInt8]) throws -> Header {
        do {
            return try JSONDecoder().decode(Header.self, from: Data(bytes))
        } catch {
            throw SyncError(.invalidBatch, "the bundle's header is not valid; nothing was applied", cause: error)
        }
    }

    private static func checkVersions(_ header: Header, schemaVersion: Int) throws {
        guard header.format == formatVersion else {
            throw SyncError(
                .protocolMismatch,
                "the bundle is in format \(header.format) and this replica reads format \(formatVersion); "
                    + "use the same replica-node version on both machines"
            )
        }
        guard header.protocolVersion == ProtocolVersion.current else {
            throw SyncError(
                .protocolMismatch,
                "the bundle was written with sync protocol \(header.protocolVersion) and this replica speaks "
                    + "\(ProtocolVersion.current); use the same replica-node version on both machines"
            )
        }
        // A bundle of a newer schema version is read: what this replica does not know of it is
        // kept until it upgrades (Docs/UPGRADING.md). A version no release can have is not.
        guard (1..<256).contains(header.schemaVersion) else {
            throw SyncError(
                .invalidBatch,
                "the bundle states schema version \(header.schemaVersion) (this replica writes \(schemaVersion)); "
                    + "nothing was applied"
            )
        }
    }

    private static func decodeBatches(_ bytes: [UInt8], header: Header, schemaVersion: Int) throws -> [ChangeBatch] {
        let batches: [ChangeBatch]
        do {
            batches = try JSONDecoder().decode([ChangeBatch].self, from: Data(bytes))
        } catch {
            throw SyncError(.invalidBatch, "the bundle's batches are not valid; nothing was applied", cause: error)
        }
        guard batches.count == header.batchCount,
            batches.reduce(0, { $0 + $1.changes.count }) == header.changeCount
        else {
            throw SyncError(.invalidBatch, "the bundle holds other batches than its header states; nothing was applied")
        }
        for batch in batches {
            guard batch.changes.count <= ChangeBatch.maxChanges else {
                throw SyncError(.tooLarge, "a batch of the bundle holds more than \(ChangeBatch.maxChanges) changes")
            }
            guard (1..<256).contains(batch.schemaVersion) else {
                throw SyncError(
                    .invalidBatch,
                    "a batch of the bundle states schema version \(batch.schemaVersion) (this replica writes "
                        + "\(schemaVersion)); nothing was applied"
                )
            }
        }
        return batches
    }
}
