// Progress on stderr: a redrawn bar with step, ETA and current losses when stderr is a terminal,
// plain periodic lines otherwise, nothing with --quiet. Wall-clock time is only displayed here,
// never written into results (so results stay byte-identical).

import Foundation
import Synthesis

/// Reports long work on standard error.
public final class Progress: @unchecked Sendable {
    public enum Style { case bar, lines, quiet }
    let style: Style
    var label = ""
    var started = Date()
    var lastLine = Date.distantPast

    /// `quiet` silences everything; otherwise a bar on a terminal and lines elsewhere.
    public init(quiet: Bool) {
        style = quiet ? .quiet : (isatty(STDERR_FILENO) == 1 ? .bar : .lines)
    }

    /// Starts a phase (e.g. "wine seed 0").
    public func begin(_ label: String) {
        self.label = label
        started = Date()
        lastLine = .distantPast
        message("\(label): started")
    }

    /// A one-line message.
    public func message(_ text: String) {
        guard style != .quiet else { return }
        if style == .bar { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    func trainingStep(_ row: TrainingLogRow, of total: Int) {
        guard style != .quiet else { return }
        let elapsed = Date().timeIntervalSince(started)
        let eta = row.step > 0 ? elapsed / Double(row.step) * Double(total - row.step) : 0
        let losses = String(format: "D %.3f  G %.3f  corr %.4f", row["discriminator_loss"] ?? .nan, row["generator_loss"] ?? .nan,
                            row["correlation_loss"] ?? .nan)
        let fraction = Double(row.step) / Double(max(total, 1))
        switch style {
        case .bar:
            let filled = Int(fraction * 24)
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: 24 - filled)
            FileHandle.standardError.write(Data("\r\u{1B}[K\(label) [\(bar)] \(row.step)/\(total) ETA \(Int(eta))s  \(losses)".utf8))
        case .lines:
            guard Date().timeIntervalSince(lastLine) >= 10 || row.step == total else { return }
            lastLine = Date()
            FileHandle.standardError.write(Data("\(label): step \(row.step)/\(total), ETA \(Int(eta))s, \(losses)\n".utf8))
        case .quiet:
            break
        }
    }
}
