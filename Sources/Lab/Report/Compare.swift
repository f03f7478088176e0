// `tabcorr compare`: experiments (or single seeds) side by side, metric by metric: mean ± std over
// seeds, the difference to the first result, an exact paired sign-flip test over the seeds two
// experiments share, and the best value marked. Output as Markdown, CSV or JSON.

import Foundation
import TabularData

/// One result folder's metrics per seed.
struct ResultSet {
    let label: String
    /// seed → flattened metrics (a single-seed folder has one entry).
    let seeds: [Int: [String: Double]]

    /// Loads an experiment folder (its completed `seed-*` folders) or one seed folder.
    init(path: String) throws {
        let fm = FileManager.default
        let name = (path as NSString).lastPathComponent
        let metricsFile = (path as NSString).appendingPathComponent("metrics.json")
        if fm.fileExists(atPath: metricsFile) {
            let parent = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
            label = "\(parent)/\(name)"
            seeds = [Int(name.replacingOccurrences(of: "seed-", with: "")) ?? 0: try loadMetrics(metricsFile)]
            return
        }
        var found: [Int: [String: Double]] = [:]
        for folder in seedFolders(path) where folder.status == "completed" {
            found[folder.seed] = try loadMetrics((folder.path as NSString).appendingPathComponent("metrics.json"))
        }
        guard !found.isEmpty else {
            throw LabError("\(path): no finished runs here; pass an experiment folder (with seed-*/metrics.json) or a seed folder")
        }
        label = name
        seeds = found
    }

    func values(_ metric: HeadlineMetric) -> [(seed: Int, value: Double)] {
        seeds.keys.sorted().compactMap { seed in metric.value(in: seeds[seed]!).map { (seed, $0) } }
    }
}

/// One cell of the comparison.
struct ComparisonCell: Codable {
    var metric: String
    var result: String
    var n: Int
    var mean: Double?
    var std: Double?
    /// mean − mean of the first result.
    var delta: Double?
    /// Exact two-sided p-value of the paired sign-flip test against the first result (shared seeds).
    var pValue: Double?
    var pairedSeeds: Int
    var best: Bool
}

/// Builds the comparison of `results` on `metrics`.
func compare(_ results: [ResultSet], metrics: [HeadlineMetric]) -> [ComparisonCell] {
    var cells: [ComparisonCell] = []
    for metric in metrics {
        let values = results.map { $0.values(metric) }
        guard values.contains(where: { !$0.isEmpty }) else { continue }
        let summaries = values.map { $0.isEmpty ? nil : MetricSummary($0.map(\.value)) }
        let means = summaries.map { $0?.mean }
        let present = means.compactMap { $0 }
        let bestValue = metric.lowerIsBetter ? present.min() : present.max()
        for (i, result) in results.enumerated() {
            var cell = ComparisonCell(metric: metric.key, result: result.label, n: values[i].count, mean: means[i],
                                      std: summaries[i]?.std, delta: nil, pValue: nil, pairedSeeds: 0,
                                      best: present.count > 1 && means[i] == bestValue)
            if i > 0, let m = means[i], let m0 = means[0] {
                cell.delta = m - m0
                let first = Dictionary(uniqueKeysWithValues: values[0].map { ($0.seed, $0.value) })
                let differences = values[i].compactMap { v in first[v.seed].map { v.value - $0 } }
                cell.pairedSeeds = differences.count
                if differences.count >= 2 { cell.pValue = signFlipPValue(differences) }
            }
            cells.append(cell)
        }
    }
    return cells
}

/// Exact two-sided paired randomisation test: the share of the 2ⁿ sign assignments whose
/// |mean| is at least the observed |mean| (n ≤ 20; beyond that the first 20 pairs are used).
func signFlipPValue(_ differences: [Double]) -> Double {
    let d = Array(differences.prefix(20))
    let observed = abs(d.reduce(0, +))
    var atLeast = 0
    let total = 1 << d.count
    for mask in 0..<total {
        var s = 0.0
        for (i, x) in d.enumerated() { s += (mask >> i) & 1 == 1 ? -x : x }
        if abs(s) >= observed - 1e-12 * max(1, observed) { atLeast += 1 }
    }
    return Double(atLeast) / Double(total)
}

func format(_ x: Double?, _ decimals: Int = 4) -> String {
    guard let x, x.isFinite else { return "—" }
    let s = String(format: "%.\(decimals)f", x)
    return s.hasPrefix("-") && Double(s) == 0 ? String(s.dropFirst()) : s
}

/// Markdown: one row per metric, one column per result ("mean ± std", **best**), then Δ and p vs the first.
func renderComparisonMarkdown(_ cells: [ComparisonCell], results: [String]) -> String {
    var lines = ["| metric | " + results.joined(separator: " | ") + " |",
                 "|---|" + String(repeating: "---|", count: results.count)]
    let byMetric = Dictionary(grouping: cells, by: \.metric)
    for metric in cells.map(\.metric).uniqued() {
        let row = byMetric[metric]!.map { c -> String in
            var text = c.n > 1 ? "\(format(c.mean)) ± \(format(c.std))" : format(c.mean)
            if c.best { text = "**\(text)**" }
            if let delta = c.delta { text += " (Δ \(delta >= 0 ? "+" : "")\(format(delta))\(c.pValue.map { ", p=\(format($0, 3))" } ?? ""))" }
            return text
        }
        lines.append("| \(HeadlineMetric.named(metric).label) | " + row.joined(separator: " | ") + " |")
    }
    lines.append("")
    lines.append("Mean ± std over seeds; **bold** = best; Δ = difference to the first column; p = exact paired sign-flip test over shared seeds.")
    return lines.joined(separator: "\n")
}

func renderComparisonCSV(_ cells: [ComparisonCell]) -> String {
    let header = "metric,result,n,mean,std,delta,p_value,paired_seeds,best"
    let rows = cells.map { c in
        [CSVWriter.field(c.metric), CSVWriter.field(c.result), "\(c.n)", c.mean.map { "\($0)" } ?? "", c.std.map { "\($0)" } ?? "",
         c.delta.map { "\($0)" } ?? "", c.pValue.map { "\($0)" } ?? "", "\(c.pairedSeeds)", c.best ? "1" : "0"].joined(separator: ",")
    }
    return ([header] + rows).joined(separator: "\n") + "\n"
}

extension Array where Element: Hashable {
    /// Elements in first-seen order without repeats.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

extension TabCorrCLI {
    static func compareCommand(_ command: ParsedCommand) throws {
        let results = try command.strings("result").map(ResultSet.init(path:))
        let metrics = command.string("metric").map { [HeadlineMetric.named($0)] } ?? HeadlineMetric.standard
        let cells = compare(results, metrics: metrics)
        guard !cells.isEmpty else {
            throw LabError("no result has the metric \(metrics.map(\.key).joined(separator: ", ")); metric names are paths in metrics.json, e.g. pearson.synthetic.meanAbsoluteDifference")
        }
        switch command.string("format") ?? "md" {
        case "csv": print(renderComparisonCSV(cells), terminator: "")
        case "json": print(try encodeJSON(cells), terminator: "")
        default: print(renderComparisonMarkdown(cells, results: results.map(\.label)))
        }
    }
}
