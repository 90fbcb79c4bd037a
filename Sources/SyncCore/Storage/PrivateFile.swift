public import Foundation

/// Files that hold credentials (a replica's database keeps its token and the hashes it checks;
/// a bundle is signed with a credential and carries personal data), created readable and
/// writable by their owner only (mode 0600), whatever the process's umask.
///
/// ```swift
/// try PrivateFile.createIfMissing("replica.sqlite")
/// for warning in PrivateFile.tighten(databaseAt: "replica.sqlite") { print(warning) }
/// try PrivateFile.write(bytes, to: "to-office.bundle")
/// ```
public enum PrivateFile {
    /// The mode of every file these programs create: read and write by the owner.
    public static let mode: mode_t = 0o600

    /// Creates an empty file with mode 0600 when nothing exists at the path yet.
    ///
    /// SQLite treats an empty file as a new database, and gives the `-wal` and `-shm` files it
    /// creates beside it the main file's mode, so a database created this way is private with
    /// its journal files.
    ///
    /// - Parameter path: The file.
    /// - Throws: ``SyncError`` with ``SyncError/Code/storage`` when it cannot be created.
    public static func createIfMissing(_ path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        if descriptor >= 0 {
            fchmod(descriptor, mode)
            close(descriptor)
            return
        }
        guard errno == EEXIST else {
            throw SyncError(
                .storage,
                "cannot create \(path): \(String(cString: strerror(errno))); check that its folder exists and is writable"
            )
        }
    }

    /// Takes the group and other permissions away from a database file and its `-wal` and
    /// `-shm` files, when they have any.
    ///
    /// Files made by older versions were created with the umask's mode (usually 0644): readable
    /// by every user of the machine, tokens included.
    ///
    /// - Parameter path: The database file.
    /// - Returns: One warning per file tightened, or per file that could not be.
    public static func tighten(databaseAt path: String) -> [String] {
        [path, path + "-wal", path + "-shm"].compactMap(tighten(_:))
    }

    /// Writes a file atomically (a reader never sees half of it) with mode 0600.
    ///
    /// - Parameters:
    ///   - bytes: The content.
    ///   - path: The file; replaced when it exists.
    /// - Throws: ``SyncError`` with ``SyncError/Code/storage`` naming the file.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure(path) }
        fchmod(descriptor, mode)
        var written = 0
        var failed = false
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let count = Foundation.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    failed = true
                    return
                }
                written += count
            }
        }
        if failed || fsync(descriptor) != 0 {
            let error = failure(path)
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let error = failure(path)
            unlink(temporary)
            throw error
        }
    }

    private static func tighten(_ file: String) -> String? {
        var info = stat()
        guard stat(file, &info) == 0, info.st_mode & 0o077 != 0 else { return nil }
        let before = String(info.st_mode & 0o777, radix: 8)
        guard chmod(file, info.st_mode & 0o700) == 0 else {
            return "\(file) is readable by other users of this machine (mode \(before)) and could not be "
                + "tightened: \(String(cString: strerror(errno))); run 'chmod 600 \(file)' as its owner"
        }
        return "\(file) was readable by other users of this machine (mode \(before)); "
            + "its mode is now \(String(info.st_mode & 0o700, radix: 8)), as it holds credentials"
    }

    private static func failure(_ path: String) -> SyncError {
        SyncError(
            .storage,
            "cannot write \(path): \(String(cString: strerror(errno))); check the folder and the free space"
        )
    }
}
