/// The version of the sync protocol spoken on the wire (see Docs/PROTOCOL.md).
///
/// ```swift
/// ProtocolVersion.current   // 1
/// ```
public enum ProtocolVersion {
    /// The version this build speaks.
    public static let current = 1
}

/// The release of the programs (`replica-node`, `hub-server`), carried by every hello so that a
/// hub can tell its operator which replica still runs an older release.
///
/// ```swift
/// ProgramVersion.current   // "0.2.0"
/// ```
public enum ProgramVersion {
    /// The release this build is.
    public static let current = "0.2.0"
}
