package import SyncCore

extension SyncError {
    /// The exit status a command reports for this error, in the spirit of `sysexits.h`: 75 when
    /// the peer is unreachable (try again later), 77 for a refused credential, and so on.
    ///
    /// `replica-node` and `hub-server upstream sync` exit with the same statuses, so one
    /// supervisor script handles both.
    package var exitStatus: Int32 {
        switch code {
        case .recordNotFound: 66
        case .storage: 74
        case .transport: 75
        case .protocolMismatch, .schemaMismatch: 76
        case .unauthorized, .forbidden: 77
        case .clockDrift: 78
        default: 65
        }
    }
}
