/// The version of the sync protocol spoken on the wire (see Docs/PROTOCOL.md).
///
/// ```swift
/// ProtocolVersion.current   // 1
/// ```
public enum ProtocolVersion {
    /// The version this build speaks.
    public static let current = 1
}
