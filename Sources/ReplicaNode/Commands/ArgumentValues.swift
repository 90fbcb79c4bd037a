import ArgumentParser
import SyncCore

/// A proposal's status, as `--status` accepts it (the values of ``Schema/proposalStatuses``).
enum ProposalStatusArgument: String, CaseIterable, ExpressibleByArgument {
    case submitted
    case inReview = "in-review"
    case accepted
    case rejected
    case done
}

/// A comment's alignment with its proposal, as `--alignment` accepts it (``Schema/alignments``).
enum AlignmentArgument: String, CaseIterable, ExpressibleByArgument {
    case `for`
    case neutral
    case against
}

/// An event's kind, as `--kind` accepts it (``Schema/eventKinds``).
enum EventKindArgument: String, CaseIterable, ExpressibleByArgument {
    case workshop
    case schoolVisit = "school-visit"
    case thinkTank = "think-tank"
}

/// Checks an id argument, with a message that says what to pass.
func validateRecordID(_ id: String, as what: String) throws {
    do {
        try RecordID.validate(id, as: what)
    } catch let error as SyncError {
        throw ValidationError(error.message)
    }
}

/// Checks that a text argument is not blank.
func validateText(_ text: String, option: String) throws {
    guard !text.allSatisfy(\.isWhitespace) else {
        throw ValidationError("\(option) is empty; write some text")
    }
}
