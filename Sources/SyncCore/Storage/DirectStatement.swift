import GRDB
import GRDBSQLite

/// Binds arguments and reads columns through SQLite's C interface, on statements that GRDB
/// prepared, caches and executes.
///
/// The statements run for every change of a sync (the row read, the row write, the log insert)
/// spend more in GRDB's generic argument and row conversions than in SQLite itself; these
/// helpers bind and read the values of a ``FieldValue`` directly. GRDB still prepares, resets,
/// steps and finalizes the statement, and reports its errors.
struct DirectStatement {
    /// SQLite's `SQLITE_TRANSIENT`: the value is copied before the bind returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    let statement: Statement

    /// Prepares `statement` for direct binds: its bindings cleared, GRDB told that they are set.
    init(_ statement: Statement) {
        statement.setUncheckedArguments(StatementArguments())
        self.statement = statement
    }

    private var handle: SQLiteStatement { statement.sqliteStatement }

    // MARK: - Binding (indices from 1)

    func bind(_ index: Int32, _ value: FieldValue) {
        switch value {
        case .null: check(sqlite3_bind_null(handle, index), index)
        case .integer(let number): bind(index, number)
        case .text(let text): bind(index, text)
        }
    }

    func bind(_ index: Int32, _ text: String) {
        var text = text
        let code = text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, Self.transient) }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { pointer in
                sqlite3_bind_text(handle, index, pointer, Int32(bytes.count), Self.transient)
            }
        }
        check(code, index)
    }

    func bind(_ index: Int32, _ number: Int64) {
        check(sqlite3_bind_int64(handle, index, number), index)
    }

    func bind(_ index: Int32, blob bytes: [UInt8]) {
        let code = bytes.withUnsafeBytes { buffer in
            let base = buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1)  // a zero-length blob, not NULL
            return sqlite3_bind_blob(handle, index, base, Int32(buffer.count), Self.transient)
        }
        check(code, index)
    }

    /// A bind fails only for a wrong index or a value beyond SQLite's limits, which validated
    /// values never reach: a programmer error, as in GRDB's own binds.
    private func check(_ code: Int32, _ index: Int32) {
        precondition(code == SQLITE_OK, "binding argument \(index) failed with SQLite code \(code)")
    }

    // MARK: - Reading (column indices from 0)

    /// Steps a query to its next row.
    ///
    /// - Parameter db: The connection, for the error message.
    /// - Returns: `true` when the query is on a row, `false` when it has no more.
    /// - Throws: GRDB's `DatabaseError` when SQLite fails.
    func step(_ db: Database) throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
        }
    }

    /// Ends a query early, so that the statement holds no read.
    func reset() {
        sqlite3_reset(handle)
    }

    /// The value of a column of the row the statement is on, as ``FieldValue(_:)`` reads it from
    /// a `DatabaseValue`.
    func value(_ column: Int32) -> FieldValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT: return .integer(Int64(sqlite3_column_double(handle, column)))
        default: return .text(text(column))
        }
    }

    /// The integer of a column of the current row (0 for NULL).
    func integer(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    /// The text (or the blob, as UTF-8) of a column of the current row.
    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// The bytes of a blob column of the current row, or `nil` for NULL.
    func blob(_ column: Int32) -> [UInt8]? {
        guard sqlite3_column_type(handle, column) != SQLITE_NULL else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }
}
