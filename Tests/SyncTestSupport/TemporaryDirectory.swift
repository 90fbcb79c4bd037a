public import Foundation

/// A folder under the system's temporary directory, removed when the value is released.
///
/// ```swift
/// let folder = try TemporaryDirectory()
/// let store = try ReplicaStore(path: folder.path("a.sqlite"))
/// ```
public final class TemporaryDirectory: Sendable {
    /// The folder's URL.
    public let url: URL

    /// Creates a fresh, empty folder.
    ///
    /// - Throws: A file-system error.
    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("essaouira-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of a file in the folder.
    ///
    /// - Parameter name: The file name.
    /// - Returns: Its absolute path.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}
