// The field's peers (SDV, synthcity) in a suite's table. `scripts/peers/run_peers.py` fits each
// peer on a run's train split, scores its sample with `tabcorr evaluate`, and writes one JSON per
// seed to `<out>/<suite>/peers/<dataset>--<peer>/seed-<k>.json`. tabcorr never runs a peer: it
// reads these committed files, so `reproduce --check` rebuilds the peers' columns without Python.

import Foundation

/// One seed of one peer on one dataset, as `scripts/peers` recorded it.
struct PeerSeedResult {
    var seed: Int
    /// Flattened `metrics` (the output of `tabcorr evaluate`) plus the wall time under
    /// `HeadlineMetric.wallTime`'s key; nil when the fit did not finish.
    var metrics: [String: Double]?
    /// Why there are no metrics: the peer's own error, or the budget it ran over.
    var problem: String?
    var overBudget = false
}

/// Where a suite's peer results live: `<out>/<suite>/peers/<dataset>--<peer>/`.
func peerDirectory(out: String, suite: String, dataset: String, peer: String) -> String {
    [out, suite, "peers", "\(dataset)--\(peer)"].reduce("") { ($0 as NSString).appendingPathComponent($1) }
}

/// The results of `seeds` found in `directory` (a seed without a file is simply not there yet).
func loadPeerResults(_ directory: String, seeds: [Int]) throws -> [PeerSeedResult] {
    try seeds.compactMap { seed in
        let path = (directory as NSString).appendingPathComponent("seed-\(seed).json")
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw LabError("\(path): not a JSON object; rerun scripts/peers/run_peers.py for this fit (delete the file first)")
        }
        if let metrics = object["metrics"] as? [String: Any] {
            var values = flattenMetrics(object: metrics)
            if let fit = object["fitSeconds"] as? Double, let sample = object["sampleSeconds"] as? Double {
                values[HeadlineMetric.wallTime.key] = fit + sample
            }
            return PeerSeedResult(seed: seed, metrics: values, problem: nil)
        }
        if let failure = object["failed"] as? String {
            return PeerSeedResult(seed: seed, metrics: nil, problem: "failed: \(failure)")
        }
        if let seconds = object["overBudget"] as? Double {
            let budget = (object["budgetSeconds"] as? Double).map { " of \(Int($0)) s" } ?? ""
            return PeerSeedResult(seed: seed, metrics: nil, problem: "over the budget\(budget): stopped after \(Int(seconds.rounded())) s", overBudget: true)
        }
        throw LabError("\(path): holds neither metrics nor a failure nor overBudget; rerun scripts/peers/run_peers.py for this fit (delete the file first)")
    }
}

/// The note a table prints for a peer's seeds that have no metrics, e.g.
/// "seeds 0, 1: failed: ValueError: found NaNs in sample"; nil when every seed finished.
func peerNote(_ results: [PeerSeedResult]) -> String? {
    let problems = results.compactMap { r in r.problem.map { (r.seed, $0) } }
    guard !problems.isEmpty else { return nil }
    // One clause per distinct problem, in seed order of first appearance.
    var order: [String] = [], seedsOf: [String: [Int]] = [:]
    for (seed, problem) in problems {
        if seedsOf[problem] == nil { order.append(problem) }
        seedsOf[problem, default: []].append(seed)
    }
    return order.map { problem in
        let seeds = seedsOf[problem]!
        return "seed\(seeds.count > 1 ? "s" : "") \(seeds.map(String.init).joined(separator: ", ")): \(problem)"
    }.joined(separator: "; ")
}
