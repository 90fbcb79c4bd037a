// The texts of the fields of schema version 2, Arabic then French.

extension Localized {
    /// The place a proposal concerns.
    package static let place = Localized(ar: "المكان (دوار أو حي)", fr: "Lieu (douar ou quartier)")
}
