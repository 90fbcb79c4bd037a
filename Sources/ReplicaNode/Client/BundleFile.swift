import CompressNIO
import Foundation
import NIOCore
import SyncCore

/// A bundle on disk: the ``SyncBundle`` frame, gzip-compressed.
///
/// Reading is bounded twice: the file may not exceed ``maxFileBytes``, and it may not inflate
/// beyond ``SyncBundle/defaultMaxBytes``, so a small "zip bomb" cannot fill memory.
enum BundleFile {
    /// The largest bundle file read.
    static let maxFileBytes = SyncBundle.defaultMaxBytes

    /// Compresses a frame and writes it atomically (a reader never sees half a file), readable
    /// by its owner only: it is signed with a credential and carries personal data.
    ///
    /// - Parameters:
    ///   - frame: The bundle's frame.
    ///   - path: The file.
    /// - Throws: ``CommandFailure`` when the file cannot be written.
    static func write(_ frame: [UInt8], to path: String) throws {
        var buffer = ByteBuffer(bytes: frame)
        let compressed = try buffer.compress(with: .gzip())
        do {
            try PrivateFile.write(Array(compressed.readableBytesView), to: path)
        } catch let error as SyncError {
            throw CommandFailure(
                code: "storage",
                message: "cannot write the bundle: \(error.message)",
                exitCode: CommandFailure.storageError
            )
        }
    }

    /// Reads and inflates a bundle file, refusing one that is too large or not gzip.
    ///
    /// - Parameter path: The file.
    /// - Returns: The frame, to be checked by ``SyncBundle/open(_:schemaVersion:maxBytes:key:)``.
    /// - Throws: ``CommandFailure`` or ``SyncError`` naming what was wrong.
    static func read(_ path: String) throws -> [UInt8] {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        guard let size else {
            throw CommandFailure(
                code: "not-found",
                message: "cannot read the bundle \(path); check the path",
                exitCode: CommandFailure.notFound
            )
        }
        guard size <= maxFileBytes else {
            throw SyncError(
                .tooLarge,
                "the bundle \(path) is \(size) bytes, more than \(maxFileBytes); nothing was applied"
            )
        }
        guard let data = FileManager.default.contents(atPath: path), data.count <= maxFileBytes else {
            throw CommandFailure(
                code: "not-found",
                message: "cannot read the bundle \(path); check the path",
                exitCode: CommandFailure.notFound
            )
        }
        guard data.count >= 2, data[data.startIndex] == 0x1f, data[data.startIndex + 1] == 0x8b else {
            throw SyncError(.invalidBatch, "\(path) is not a bundle (not gzip-compressed); nothing was applied")
        }
        var buffer = ByteBuffer(bytes: data)
        do {
            let inflated = try buffer.decompress(with: .gzip(), maxSize: SyncBundle.defaultMaxBytes + 1)
            guard UInt32(truncatingIfNeeded: inflated.readableBytes) == trailerSize(data) else {
                throw SyncError(
                    .invalidBatch,
                    "the bundle \(path) is truncated or corrupt (its compressed length does not match); "
                        + "nothing was applied, copy the whole file again"
                )
            }
            return Array(inflated.readableBytesView)
        } catch let error as SyncError {
            throw error
        } catch let error as CompressNIOError where error == .bufferOverflow {
            throw SyncError(
                .tooLarge,
                "the bundle \(path) inflates beyond \(SyncBundle.defaultMaxBytes) bytes; nothing was applied"
            )
        } catch {
            throw SyncError(
                .invalidBatch,
                "the bundle \(path) is truncated or corrupt (its compression does not decode); nothing was applied, "
                    + "copy the whole file again",
                cause: error
            )
        }
    }

    /// The uncompressed length a gzip file states in its last four bytes (little-endian, modulo 2^32).
    private static func trailerSize(_ data: Data) -> UInt32 {
        data.suffix(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }
}
