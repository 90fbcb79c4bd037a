/// Checks the laws of a join: commutative, associative, idempotent, with an identity.
///
/// Returns the names of the laws that fail, so that any test framework can report them.
///
/// ```swift
/// let broken = checkMergeLaws(a, b, c, identity: FieldState(rule: .multiValue)) { $0.merged(with: $1) }
/// #expect(broken.isEmpty)
/// ```
///
/// - Parameters:
///   - a: A state.
///   - b: A state.
///   - c: A state.
///   - identity: The bottom state.
///   - merge: The join.
/// - Returns: The names of the failed laws.
public func checkMergeLaws<State: Equatable>(
    _ a: State,
    _ b: State,
    _ c: State,
    identity: State,
    merge: (State, State) -> State
) -> [String] {
    var failed: [String] = []
    if merge(a, b) != merge(b, a) { failed.append("commutative") }
    if merge(merge(a, b), c) != merge(a, merge(b, c)) { failed.append("associative") }
    if merge(a, a) != a { failed.append("idempotent") }
    if merge(a, identity) != a || merge(identity, a) != a { failed.append("identity") }
    return failed
}
