import SyncCore

/// A one-line progress bar on the standard error, redrawn after each batch of an exchange.
///
/// Only for terminals: `sync` shows it when the standard error is a TTY, so logs and scripts
/// never receive carriage returns.
struct ProgressBar: Sendable {
    /// Cells in the bar.
    var width = 30

    /// Redraws the bar for the latest progress.
    func update(_ progress: SyncProgress) {
        Console.write("\r\u{1B}[2K" + render(progress), to: .standardError)
    }

    /// Clears the bar's line.
    func finish() {
        Console.write("\r\u{1B}[2K", to: .standardError)
    }

    /// The bar's text, such as `push [###############...............] 250/500`; a pull, whose
    /// total is not known in advance, shows a count.
    func render(_ progress: SyncProgress) -> String {
        guard progress.phase == "push" else { return "\(progress.phase): \(progress.done) changes received" }
        let total = max(progress.total, progress.done, 1)
        let filled = min(width, progress.done * width / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        return "push [\(bar)] \(progress.done)/\(total)"
    }
}
