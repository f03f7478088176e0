// summary.json of an experiment: for every numeric metric in the completed seeds' metrics.json,
// the mean, sample standard deviation and 95 % t-interval over seeds. Failed seeds are listed
// and never averaged in.

import Foundation

/// Mean, standard deviation and 95 % interval of one metric over seeds.
public struct MetricSummary: Codable, Sendable, Equatable {
    public var n: Int
    public var mean: Double
    /// Sample standard deviation and Student-t 95 % interval of the mean; nil (absent from
    /// summary.json) for a single seed, which has neither.
    public var std: Double?
    public var ci95Low: Double?
    public var ci95High: Double?

    /// Summary of `values` (n ≥ 1).
    public init(_ values: [Double]) {
        n = values.count
        mean = values.reduce(0, +) / Double(max(n, 1))
        guard n > 1 else { return }
        let m = mean
        let std = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n - 1)).squareRoot()
        let half = studentT975(degreesOfFreedom: n - 1) * std / Double(n).squareRoot()
        self.std = std
        ci95Low = mean - half
        ci95High = mean + half
    }
}

/// The 97.5 % quantile of Student's t (two-sided 95 %), exact to 3 decimals for the small df we use.
func studentT975(degreesOfFreedom df: Int) -> Double {
    let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                           2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086]
    if df >= 1 && df <= table.count { return table[df - 1] }
    return 1.96 + 2.4 / Double(df)
}

struct ExperimentSummary: Codable {
    var experiment: String
    var completedSeeds: [Int]
    var failedSeeds: [Int]
    var metrics: [String: MetricSummary]
}

/// Seed folders (`seed-<k>`) of an experiment folder with their status, sorted by seed.
func seedFolders(_ experimentDirectory: String) -> [(seed: Int, path: String, status: String?)] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: experimentDirectory)) ?? []
    return names.compactMap { name -> (Int, String, String?)? in
        guard name.hasPrefix("seed-"), let seed = Int(name.dropFirst(5)) else { return nil }
        let path = (experimentDirectory as NSString).appendingPathComponent(name)
        return (seed, path, RunRecord.status(of: path))
    }.sorted { $0.0 < $1.0 }
}

/// Writes `<experiment>/summary.json` from the seed folders present.
func writeSummary(experimentDirectory: String) throws {
    var completed: [Int] = [], failed: [Int] = []
    var values: [String: [Double]] = [:]
    for folder in seedFolders(experimentDirectory) {
        switch folder.status {
        case "completed":
            completed.append(folder.seed)
            for (key, value) in try loadMetrics((folder.path as NSString).appendingPathComponent("metrics.json")) {
                values[key, default: []].append(value)
            }
        case "failed": failed.append(folder.seed)
        default: continue
        }
    }
    let summary = ExperimentSummary(experiment: (experimentDirectory as NSString).lastPathComponent, completedSeeds: completed,
                                    failedSeeds: failed, metrics: values.mapValues(MetricSummary.init))
    try AtomicFile.write(try encodeJSON(summary), to: (experimentDirectory as NSString).appendingPathComponent("summary.json"))
}
