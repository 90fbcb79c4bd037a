import Foundation

/// The profile of the reliability tests: short inside `make test`, long in `make soak`.
///
/// `RELIABILITY_PROFILE=soak` selects the long profile; `RELIABILITY_<NAME>` overrides one count
/// (such as `RELIABILITY_TRIALS=500`); `RELIABILITY_SEED` replays a run. Figures are printed as
/// `reliability: <scenario> key=value …` lines, and appended to `RELIABILITY_REPORT` when set.
enum Reliability {
    private static let environment = ProcessInfo.processInfo.environment

    /// Whether the long profile runs.
    static var isSoak: Bool { environment["RELIABILITY_PROFILE"] == "soak" }

    /// The seed of every random choice of a run.
    static var seed: UInt64 { environment["RELIABILITY_SEED"].flatMap { UInt64($0) } ?? 20_261_129 }

    /// A count of the active profile, unless `RELIABILITY_<name>` overrides it.
    static func count(_ name: String, quick: Int, soak: Int) -> Int {
        environment["RELIABILITY_\(name)"].flatMap { Int($0) } ?? (isSoak ? soak : quick)
    }

    /// Prints (and appends to `RELIABILITY_REPORT`) the figures of a scenario.
    static func record(_ scenario: String, _ figures: [(String, any CustomStringConvertible)]) {
        let line =
            "reliability: \(scenario) profile=\(isSoak ? "soak" : "quick") seed=\(seed) "
            + figures.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
        print(line)
        guard let path = environment["RELIABILITY_REPORT"], let data = (line + "\n").data(using: .utf8) else { return }
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(data)
            try? handle.close()
        } else {
            _ = FileManager.default.createFile(atPath: path, contents: data)
        }
    }
}
