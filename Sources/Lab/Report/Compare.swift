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
    /// The train split itself (`generator.type` identity): a reference, never the best competitor.
    var isFloor = false
    /// Data file name and row count (train + validation + test) of the first seed, when recorded.
    var dataset: String? = nil

    /// Loads an experiment folder (its completed `seed-*` folders) or one seed folder.
    init(path: String) throws {
        let fm = FileManager.default
        let name = (path as NSString).lastPathComponent
        let metricsFile = (path as NSString).appendingPathComponent("metrics.json")
        if fm.fileExists(atPath: metricsFile) {
            let parent = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
            label = "\(parent)/\(name)"
            seeds = [Int(name.replacingOccurrences(of: "seed-", with: "")) ?? 0: try loadMetrics(metricsFile)]
            readRunFacts(path)
            return
        }
        var found: [Int: [String: Double]] = [:]
        var first: String? = nil
        for folder in seedFolders(path) where folder.status == "completed" {
            found[folder.seed] = try loadMetrics((folder.path as NSString).appendingPathComponent("metrics.json"))
            first = first ?? folder.path
        }
        guard let first else {
            throw LabError("\(path): no finished runs here; pass an experiment folder (with seed-*/metrics.json) or a seed folder")
        }
        label = name
        seeds = found
        readRunFacts(first)
    }

    /// Reads `isFloor` and `dataset` from a seed folder's config.resolved.json and split.json.
    private mutating func readRunFacts(_ seedFolder: String) {
        func object(_ file: String) -> [String: Any]? {
            FileManager.default.contents(atPath: (seedFolder as NSString).appendingPathComponent(file))
                .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        }
        let config = object("config.resolved.json")
        isFloor = (config?["generator"] as? [String: Any])?["type"] as? String == "identity"
        guard let path = (config?["data"] as? [String: Any])?["path"] as? String else { return }
        let rows = object("split.json").map { split in ["train", "validation", "test"].reduce(0) { $0 + ((split[$1] as? [Any])?.count ?? 0) } }
        dataset = (path as NSString).lastPathComponent + (rows.map { " (\($0) rows)" } ?? "")
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
        // The floor (the train split itself) is a reference, not a competitor for "best".
        let present = zip(means, results).compactMap { $1.isFloor ? nil : $0 }
        let bestValue = metric.lowerIsBetter ? present.min() : present.max()
        for (i, result) in results.enumerated() {
            var cell = ComparisonCell(metric: metric.key, result: result.label, n: values[i].count, mean: means[i],
                                      std: summaries[i]?.std, delta: nil, pValue: nil, pairedSeeds: 0,
                                      best: present.count > 1 && !result.isFloor && means[i] == bestValue)
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
    // The legend names only what the table shows.
    var legend = [cells.contains { $0.n > 1 } ? "Mean ± std over seeds" : "One seed each: values, no spread"]
    if cells.contains(where: \.best) { legend.append("**bold** = best (the floor, `identity`, is not ranked)") }
    if cells.contains(where: { $0.delta != nil }) { legend.append("Δ = difference to the first column") }
    if cells.contains(where: { $0.pValue != nil }) { legend.append("p = exact paired sign-flip test over shared seeds") }
    lines.append("")
    lines.append(legend.joined(separator: "; ") + ".")
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
        let datasets = Set(results.compactMap(\.dataset))
        if datasets.count > 1 {
            FileHandle.standardError.write(Data("warning: these results come from different data (\(datasets.sorted().joined(separator: "; "))); their metrics are not comparable\n".utf8))
        }
        let metrics = command.string("metric").map { [HeadlineMetric.named($0)] } ?? HeadlineMetric.standard
        let cells = compare(results, metrics: metrics)
        guard !cells.isEmpty else {
            let asked = metrics.map(\.key).joined(separator: ", ")
            let known = Set(results.flatMap { $0.seeds.values.flatMap(\.keys) })
            let close = known.filter { $0.localizedCaseInsensitiveContains(asked) }.sorted().prefix(8)
            let names = close.isEmpty ? HeadlineMetric.standard.map(\.key) : Array(close)
            throw LabError("no result has the metric \(asked); metric names are paths in metrics.json, \(close.isEmpty ? "such as" : "matching ones:") \(names.joined(separator: ", "))")
        }
        switch command.string("format") ?? "md" {
        case "csv": print(renderComparisonCSV(cells), terminator: "")
        case "json": print(try encodeJSON(cells), terminator: "")
        default: print(renderComparisonMarkdown(cells, results: results.map(\.label)))
        }
    }
}
