/// What a server knows of one origin: who it is bound to and whether changes of it are held.
package struct OriginFact: Hashable, Sendable {
    /// The enrollment the origin is bound to, if any.
    package var enrollment: String?
    /// Whether the server holds changes of the origin (its vector or its log names it).
    package var isHeld: Bool

    /// Creates a fact.
    ///
    /// - Parameters:
    ///   - enrollment: The enrollment the origin is bound to.
    ///   - isHeld: Whether the server holds changes of it.
    package init(enrollment: String?, isHeld: Bool) {
        self.enrollment = enrollment
        self.isHeld = isHeld
    }
}
