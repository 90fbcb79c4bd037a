/// A commune of the territory: its code, its province and its names.
///
/// Communes are records of the replicated `commune` table (schema version 2): an administrator
/// adds and renames them at the hub (`hub-server commune add|rename`), and they reach every
/// replica with the other changes. The three partner communes of the province of Essaouira are
/// the seed (``Territory/seed``): every replica knows them before its first sync, and renaming
/// one at the hub writes its record.
///
/// ```swift
/// try hub.addCommune(Commune(id: "hanchane", province: "essaouira-province",
///                            names: CommuneNames(arabic: "حنشان", french: "Hanchane", tamazight: "ⵃⴰⵏⵛⴰⵏ")))
/// ```
public struct Commune: Hashable, Sendable, Codable {
    /// The commune's code: 2 to 64 lowercase letters, digits and dashes, such as `tamanar`.
    public var id: String
    /// The province it belongs to, such as `essaouira-province`.
    public var province: String
    /// Its names.
    public var names: CommuneNames
    /// Whether it comes from the seed and was never written as a record.
    public var isSeed: Bool

    /// Creates a commune.
    ///
    /// - Parameters:
    ///   - id: Its code.
    ///   - province: Its province.
    ///   - names: Its names.
    ///   - isSeed: Whether it comes from the seed.
    public init(id: String, province: String, names: CommuneNames, isSeed: Bool = false) {
        self.id = id
        self.province = province
        self.names = names
        self.isSeed = isSeed
    }
}

/// A commune's names in Arabic, French and Tamazight (Tifinagh script).
public struct CommuneNames: Hashable, Sendable, Codable {
    /// The Arabic name.
    public var arabic: String?
    /// The French name.
    public var french: String?
    /// The Tamazight name, in Tifinagh.
    public var tamazight: String?

    /// Creates names; a name left `nil` is not set (or, in a rename, left as it is).
    ///
    /// - Parameters:
    ///   - arabic: The Arabic name.
    ///   - french: The French name.
    ///   - tamazight: The Tamazight name.
    public init(arabic: String? = nil, french: String? = nil, tamazight: String? = nil) {
        self.arabic = arabic
        self.french = french
        self.tamazight = tamazight
    }

    /// The fields of the `commune` table these names set.
    var values: [String: FieldValue] {
        var values: [String: FieldValue] = [:]
        if let arabic { values["name_ar"] = .text(arabic) }
        if let french { values["name_fr"] = .text(french) }
        if let tamazight { values["name_zgh"] = .text(tamazight) }
        return values
    }
}

/// The territory's seed and rules.
public enum Territory {
    /// The province of the partner communes.
    public static let seedProvince = "essaouira-province"

    /// The three partner communes: what every replica knows before its first sync, and what a
    /// new hub starts with.
    public static let seed: [Commune] = [
        Commune(
            id: "essaouira",
            province: seedProvince,
            names: CommuneNames(arabic: "الصويرة", french: "Essaouira", tamazight: "ⵜⴰⵚⵚⵓⵔⵜ"),
            isSeed: true
        ),
        Commune(
            id: "ounagha",
            province: seedProvince,
            names: CommuneNames(arabic: "أوناغة", french: "Ounagha", tamazight: "ⵓⵏⴰⵖⴰ"),
            isSeed: true
        ),
        Commune(
            id: "tamanar",
            province: seedProvince,
            names: CommuneNames(arabic: "تمنار", french: "Tamanar", tamazight: "ⵜⴰⵎⴰⵏⴰⵔ"),
            isSeed: true
        ),
    ]

    /// Whether a code is one of the seed's.
    static func isSeed(_ id: String) -> Bool { seed.contains { $0.id == id } }

    /// Checks a commune or province code: 2 to 64 lowercase letters, digits and dashes.
    ///
    /// - Parameters:
    ///   - code: The code.
    ///   - what: `commune` or `province`, for the message.
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidArgument``.
    public static func requireCode(_ code: String, _ what: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        guard (2...64).contains(code.count), code.allSatisfy(allowed.contains), code.first != "-",
            code.last != "-"
        else {
            throw SyncError(
                .invalidArgument,
                "invalid \(what) code '\(code.prefix(40))'; use 2 to 64 lowercase letters, digits and dashes, "
                    + "such as \(what == "province" ? "essaouira-province" : "tamanar")"
            )
        }
    }
}
