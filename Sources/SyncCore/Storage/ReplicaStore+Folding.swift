import Foundation
import GRDB

/// Text compared as people search it: case and diacritics ignored (« eclairage » finds
/// « Éclairage »), in Swift and in SQL alike.
extension ReplicaStore {
    /// Text with case and diacritics folded away, as the lists compare it.
    ///
    /// - Parameter text: The text.
    /// - Returns: The folded text.
    public static func folded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    /// The SQL name of ``folded(_:)``, registered on every connection of the store.
    static let foldName = "essaouira_fold"

    /// ``folded(_:)`` as an SQL function.
    static let foldFunction = DatabaseFunction(foldName, argumentCount: 1, pure: true) { values in
        String.fromDatabaseValue(values[0]).map(folded)
    }
}
