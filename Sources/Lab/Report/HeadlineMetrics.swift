// The metrics that tables, summaries and reports lead with, named by their path in metrics.json
// (so every table column can be traced back to the report), plus JSON flattening to such paths.

import Foundation

/// A headline metric: its path in metrics.json, a short label, and which direction is better.
public struct HeadlineMetric: Sendable {
    public let key: String
    public let label: String
    public let lowerIsBetter: Bool
    /// Alternative paths tried in order when `key` is absent (e.g. R² ratio for a numeric target).
    public let fallbacks: [String]

    public init(_ key: String, _ label: String, lowerIsBetter: Bool, fallbacks: [String] = []) {
        self.key = key
        self.label = label
        self.lowerIsBetter = lowerIsBetter
        self.fallbacks = fallbacks
    }

    /// Which direction is better, as the report says it.
    public var betterDirection: String {
        key == "detection.rocAUC" ? "lower, down to 0.5 (indistinguishable)" : lowerIsBetter ? "lower" : "higher"
    }

    /// This metric's value in flattened metrics, trying the fallbacks.
    public func value(in metrics: [String: Double]) -> Double? {
        ([key] + fallbacks).lazy.compactMap { metrics[$0] }.first
    }

    /// The metrics a results table shows by default.
    public static let standard: [HeadlineMetric] = [
        HeadlineMetric("pearson.synthetic.meanAbsoluteDifference", "Pearson mean abs diff", lowerIsBetter: true),
        HeadlineMetric("pearson.synthetic.maxAbsoluteDifference", "Pearson max abs diff", lowerIsBetter: true),
        HeadlineMetric("pearson.floor.meanAbsoluteDifference", "floor (train vs test)", lowerIsBetter: true),
        HeadlineMetric("pearson.gapClosed", "gap closed", lowerIsBetter: false),
        HeadlineMetric("spearman.synthetic.meanAbsoluteDifference", "Spearman mean abs diff", lowerIsBetter: true),
        HeadlineMetric("marginals.meanKSStatistic", "mean KS", lowerIsBetter: true),
        HeadlineMetric("detection.rocAUC", "detection AUC", lowerIsBetter: true),
        HeadlineMetric("efficacy.macroF1Ratio", "efficacy ratio", lowerIsBetter: false, fallbacks: ["efficacy.r2Ratio"]),
        HeadlineMetric("privacy.shareCloserToTrain", "DCR share closer to train", lowerIsBetter: true),
    ]

    /// Wall time of fitting and sampling, from a run's metainfo.json (a peer's fit + sample seconds).
    /// It depends on the machine and its load, so `reproduce --check` does not compare it.
    public static let wallTime = HeadlineMetric("durationsSeconds.synthesis", "fit + sample seconds", lowerIsBetter: true)

    /// Whether this is a wall time (read from metainfo.json, not metrics.json).
    public var isWallTime: Bool { key.hasPrefix("durationsSeconds.") }

    /// Looks a metric up by its key or label (case-insensitive), or accepts any other flattened path.
    public static func named(_ name: String) -> HeadlineMetric {
        (standard + [wallTime]).first { $0.key == name || $0.label.lowercased() == name.lowercased() }
            ?? HeadlineMetric(name, name, lowerIsBetter: !name.lowercased().contains("score") && !name.lowercased().contains("gapclosed"))
    }
}

/// Numeric leaves of a JSON document keyed by dotted paths ("pearson.synthetic.maxAbsoluteDifference");
/// arrays are skipped (per-pair and per-fold detail stays in the file).
public func flattenMetrics(_ data: Data) throws -> [String: Double] {
    flattenMetrics(object: try JSONSerialization.jsonObject(with: data))
}

/// The same for an already parsed JSON value (a `JSONSerialization` object).
public func flattenMetrics(object: Any) -> [String: Double] {
    var result: [String: Double] = [:]
    func walk(_ value: Any, _ path: String) {
        if let object = value as? [String: Any] {
            for (key, child) in object { walk(child, path.isEmpty ? key : "\(path).\(key)") }
        } else if let number = value as? NSNumber, String(cString: number.objCType) != "c" {  // "c": a JSON true/false
            result[path] = number.doubleValue
        }
    }
    walk(object, "")
    return result
}

/// Reads and flattens a metrics.json file.
public func loadMetrics(_ path: String) throws -> [String: Double] {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw LabError("\(path): cannot read metrics; is this a finished run folder (it holds metrics.json)?")
    }
    do { return try flattenMetrics(data) } catch {
        throw LabError("\(path): not valid JSON (\(error.localizedDescription)); the run may have been interrupted — rerun it")
    }
}
