import GRDB

/// Turns SQLite failures into messages that say what happened to the file and what to do.
enum StorageFailure {
    /// What was being done when the failure happened.
    enum Action {
        case open, read, write
    }

    /// The ``SyncError`` for a database failure.
    ///
    /// - Parameters:
    ///   - error: The error GRDB threw.
    ///   - path: The database file.
    ///   - action: What was being done.
    /// - Returns: A ``SyncError`` with ``SyncError/Code/storage`` and `error` as its cause.
    static func error(_ error: any Error, path: String, action: Action) -> SyncError {
        let unchanged = action == .read ? "" : "; nothing was changed"
        let message: String
        switch (error as? DatabaseError)?.resultCode {
        case .SQLITE_FULL?:
            message =
                "the disk holding the replica database at \(path) is full\(unchanged); free some space, then try again"
        case .SQLITE_READONLY?, .SQLITE_PERM?, .SQLITE_AUTH?:
            message =
                "the replica database at \(path) is read-only (the file, its folder or the disk)\(unchanged); give "
                + "this user write access to the file and its folder, then try again"
        case .SQLITE_CANTOPEN?:
            message =
                "cannot open the replica database at \(path): the file or its folder cannot be read or written"
                + "\(unchanged); check the path and its permissions (SQLite needs to write beside the file)"
        case .SQLITE_CORRUPT?, .SQLITE_NOTADB?:
            message = "the replica database at \(path) is damaged\(unchanged); restore it from a backup"
        default:
            switch action {
            case .open: message = "cannot open the replica database at \(path); check the path and its permissions"
            case .read: message = "cannot read the replica database at \(path)"
            case .write:
                message = "cannot write the replica database at \(path) (disk full or read-only?); nothing was changed"
            }
        }
        return SyncError(.storage, message, cause: error)
    }
}
