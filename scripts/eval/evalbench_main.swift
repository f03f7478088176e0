// Throwaway timing driver for docs/METRICS.md ("Speed"); run through scripts/eval/bench.sh, which
// builds it in a temporary copy of the package (it is not a target of Package.swift).
// Usage: evalbench THREADS [DCR_ROWS]

import Evaluation
import Foundation
import TabularData
import TensorKit

func table(rows n: Int, seed: UInt64) -> Table {
    var r = RandomStream(seed: seed)
    var cols: [[Double]] = []
    let z = (0..<n).map { _ in r.nextNormal() }
    for k in 0..<7 {
        let rho = 0.9 - 0.15 * Double(k)
        cols.append(z.map { rho * $0 + (1 - rho * rho).squareRoot() * r.nextNormal() })
    }
    for i in 0..<n where r.nextUniform() < 0.05 { cols[3][i] = .nan }
    var columns = cols.enumerated().map { Column(name: "n\($0)", type: .real, values: .numeric($1)) }
    let levels = ["a", "b", "c", "d", "e"]
    for k in 0..<3 {
        let codes = z.map { v -> Int32 in
            let u = r.nextUniform()
            return u < 0.3 ? Int32(r.nextInt(below: 5)) : Int32(min(4, max(0, Int((v + 2) * 1.25))))
        }
        columns.append(Column(name: "c\(k)", type: .categorical, values: .categorical(codes: codes, levels: levels)))
    }
    return Table(columns: columns)
}

Parallel.threadCount = Int(CommandLine.arguments.dropFirst().first ?? "2") ?? 2
let train = table(rows: 16000, seed: 1), test = table(rows: 4000, seed: 2), synthetic = table(rows: 16000, seed: 3)
func time(_ label: String, _ body: () throws -> Void) rethrows {
    let start = Date()
    try body()
    print(String(format: "%@: %.2f s", label, Date().timeIntervalSince(start)))
}
var report: EvaluationReport?
try time("all metrics, 16k synthetic vs 4k test (train 16k), 10 columns") {
    report = try evaluate(train: train, test: test, synthetic: synthetic, options: EvaluationOptions(targetColumn: "c0", seed: 1))
}
for family in MetricFamily.allCases {
    try time("  \(family.rawValue)") {
        _ = try evaluate(train: train, test: test, synthetic: synthetic, options: EvaluationOptions(targetColumn: "c0", seed: 1, metrics: [family]))
    }
}
print(report!.renderText())
if CommandLine.arguments.count > 2 {
    let big = Int(CommandLine.arguments[2])!
    let t = table(rows: big, seed: 4), s = table(rows: big, seed: 5), tr = table(rows: big, seed: 6)
    try time("DCR \(big) synthetic vs \(big) train + \(big) test") {
        let r = try evaluate(train: tr, test: t, synthetic: s, options: EvaluationOptions(metrics: [.privacy]))
        print(r.privacy!)
    }
}
