/// The one error type that SyncCore throws.
///
/// A `SyncError` says what failed, names the replica or record involved and says what to do next.
/// It never carries payloads or SQL arguments. Errors from SQLite or the network are kept as
/// ``cause`` for logs, never exposed in signatures.
///
/// ```swift
/// do {
///     try store.editProposal(id, ProposalEdit(title: "…"))
/// } catch let error as SyncError where error.code == .recordNotFound {
///     print(error.message)
/// }
/// ```
public struct SyncError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; new codes can be added without breaking a `switch`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable {
            case invalidArgument = "invalid-argument"
            case recordNotFound = "record-not-found"
            case schemaMismatch = "schema-mismatch"
            case clockDrift = "clock-drift"
            case invalidBatch = "invalid-batch"
            case storage = "storage"
            case unauthorized = "unauthorized"
            case forbidden = "forbidden"
            case transport = "transport"
            case protocolMismatch = "protocol-mismatch"
            case tooLarge = "too-large"
            case conflict = "conflict"
        }

        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// An argument or field value was malformed or out of range.
        public static let invalidArgument = Code(.invalidArgument)
        /// The record named does not exist on this replica.
        public static let recordNotFound = Code(.recordNotFound)
        /// A change was written under a schema this replica does not know: upgrade it.
        public static let schemaMismatch = Code(.schemaMismatch)
        /// A change is stamped too far in the future: the clock of its origin is wrong.
        public static let clockDrift = Code(.clockDrift)
        /// A batch of changes failed validation; nothing of it was applied.
        public static let invalidBatch = Code(.invalidBatch)
        /// The database could not be read or written.
        public static let storage = Code(.storage)
        /// The credential is missing, unknown or revoked.
        public static let unauthorized = Code(.unauthorized)
        /// The credential is valid but not allowed to do this.
        public static let forbidden = Code(.forbidden)
        /// The peer could not be reached or answered badly.
        public static let transport = Code(.transport)
        /// The peer speaks another protocol version.
        public static let protocolMismatch = Code(.protocolMismatch)
        /// A request, batch or field is larger than allowed.
        public static let tooLarge = Code(.tooLarge)
        /// The operation conflicts with the current state (for example, a duplicate enrollment).
        public static let conflict = Code(.conflict)

        /// The stable, machine-readable spelling of the code, such as `clock-drift`.
        public var description: String { wrapped.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// What failed and what to do next, for a person to read.
    public var message: String
    /// The underlying error, when one exists (SQLite, the HTTP client, a decoder).
    public var cause: (any Error)?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: What failed and what to do next.
    ///   - cause: The underlying error, if any.
    public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// The message, prefixed with the code.
    public var description: String { "\(code): \(message)" }
}
