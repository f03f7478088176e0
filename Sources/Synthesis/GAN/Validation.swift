// The criterion that picks the kept generator, scored on what the Synthesizer would ship: a
// validation-slice-sized (at least 1,000 rows) sample is drawn, decoded, post-processed and chosen
// among draws exactly as `Synthesizer.sample` does, then
//   score = mean |C_shipped − C_validation| over numeric column pairs      (the correlation gap;
//           Pearson on each pair's complete rows, as the metric)
//         + mean over columns of KS (numeric) or total variation (categorical) between the
//           generator's own output before marginal matching and the validation rows
// The marginal term sees collapse (one mode of a bimodal column) that matching would hide. A
// bootstrap of the validation rows gives a standard error; the trainer applies the
// one-standard-error rule (keep the latest generator within one SE of the best).

import TensorKit
import TabularData
import Evaluation

/// A validation score and its bootstrap standard error.
public struct ValidationScore: Sendable, Equatable {
    public var value: Double
    public var standardError: Double
    /// The two parts of `value`.
    public var correlationGap: Double
    public var marginalDistance: Double
}

/// Scores a generator during training (lower is better).
public protocol GANValidator {
    func score(_ model: GANModel, rng: inout RandomStream) -> ValidationScore
}

/// Scores the shipped sample of a generator against the validation rows (never the test split).
struct ShippedSampleValidator: GANValidator {
    let shipping: Shipping
    let numeric: [Int], categorical: [Int]
    /// Pearson matrix of the validation rows over `numeric`, and of each bootstrap resample.
    let target: [Double]
    let targetReplicates: [[Double]]
    /// Per numeric column: sorted validation values; per replicate, the resample's.
    let sortedValues: [[Double]]
    let sortedReplicates: [[[Double]]]
    /// Per categorical column: the validation table's level names, level shares (missing last);
    /// per replicate, the resample's.
    let levelNames: [[String]]
    let shares: [[Double]]
    let shareReplicates: [[[Double]]]
    let sampleRows: Int

    /// nil when the slice has fewer than 3 rows or no column to compare.
    init?(validation: Table, shipping: Shipping, replicates: Int = 30, rng: RandomStream) {
        let rows = validation.rowCount
        let numeric = validation.columns.indices.filter { validation.columns[$0].numbers != nil }
        let categorical = validation.columns.indices.filter { validation.columns[$0].numbers == nil }
        guard rows >= 3, numeric.count + categorical.count > 0 else { return nil }
        self.numeric = numeric
        self.categorical = categorical
        self.shipping = shipping
        sampleRows = max(1000, rows)
        var stream = rng
        let picks = (0..<replicates).map { _ in stream.sampleWithReplacement(rows, from: rows) }
        let columns = validation.columns
        let validationMatrix = numericMatrix(validation, columns: numeric)
        func correlations(_ rowsPicked: [Int]?) -> [Double] {
            guard numeric.count >= 2 else { return [] }
            guard let rowsPicked else { return pearsonMatrix(validationMatrix, rows: rows, columns: Array(numeric.indices), stride: numeric.count) }
            var m = [Float]()
            m.reserveCapacity(rows * numeric.count)
            for r in rowsPicked { m.append(contentsOf: validationMatrix[(r * numeric.count)..<((r + 1) * numeric.count)]) }
            return pearsonMatrix(m, rows: rows, columns: Array(numeric.indices), stride: numeric.count)
        }
        target = correlations(nil)
        targetReplicates = picks.map { correlations($0) }
        let numericNumbers = numeric.map { columns[$0].numbers! }
        sortedValues = numericNumbers.map { $0.filter { !$0.isNaN }.sorted() }
        sortedReplicates = picks.map { p in numericNumbers.map { v in p.map { v[$0] }.filter { !$0.isNaN }.sorted() } }
        let codes = categorical.map { columns[$0].categoryCodes }
        levelNames = codes.map(\.levels)
        shares = codes.map { levelShares($0.codes, levels: $0.levels.count) }
        shareReplicates = picks.map { p in codes.map { c in levelShares(p.map { c.codes[$0] }, levels: c.levels.count) } }
    }

    func score(_ model: GANModel, rng: inout RandomStream) -> ValidationScore {
        var candidates: [(raw: Table, shipped: Table)] = []
        for _ in 0..<shipping.choiceDraws {
            let encoded = model.sampleEncoded(rows: sampleRows, rng: &rng)
            // A generator that emits NaN/inf is worse than any other (sampling it later fails the run).
            guard encoded.allSatisfy(\.isFinite) else {
                return ValidationScore(value: .infinity, standardError: 0, correlationGap: .nan, marginalDistance: .nan)
            }
            candidates.append(shipping.ship(encoded, rows: sampleRows, rng: &rng))
        }
        let (raw, shipped) = candidates[shipping.closestToFit(candidates.map(\.shipped))]
        let generated = numeric.count >= 2 ? pearsonMatrix(numericMatrix(shipped, columns: numeric), rows: sampleRows,
                                                           columns: Array(numeric.indices), stride: numeric.count) : []
        let rawSorted = numeric.map { raw.columns[$0].numbers!.filter { !$0.isNaN }.sorted() }
        let rawShares = zip(categorical, levelNames).map { j, names -> [Double] in
            // The generator's levels are the fit rows'; count them under the validation table's names.
            let c = raw.columns[j].categoryCodes
            let index = Dictionary(names.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { a, _ in a })
            let slots = c.levels.map { index[$0] ?? -1 }
            return levelShares(c.codes.map { $0 < 0 ? -1 : slots[Int($0)] }, levels: names.count)
        }
        func criterion(_ target: [Double], _ sorted: [[Double]], _ shares: [[Double]]) -> (Double, Double) {
            let gap = numeric.count >= 2 ? meanAbsolutePairDifference(generated, target, k: numeric.count) : 0
            var distance = 0.0
            for (a, b) in zip(rawSorted, sorted) { distance += ksStatistic(sortedA: a, sortedB: b) ?? (a.isEmpty && b.isEmpty ? 0 : 1) }
            for (a, b) in zip(rawShares, shares) { distance += zip(a, b).reduce(0) { $0 + Swift.abs($1.0 - $1.1) } / 2 }
            return (gap, distance / Double(numeric.count + categorical.count))
        }
        let (gap, distance) = criterion(target, sortedValues, shares)
        let boot = targetReplicates.indices.map { b in
            let (g, d) = criterion(targetReplicates[b], sortedReplicates[b], shareReplicates[b])
            return g + d
        }
        let mean = boot.reduce(0, +) / Double(max(boot.count, 1))
        let variance = boot.count > 1 ? boot.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(boot.count - 1) : 0
        return ValidationScore(value: gap + distance, standardError: variance.squareRoot(), correlationGap: gap, marginalDistance: distance)
    }
}

/// Rows × `columns` Floats of a table's numeric columns, NaN where a cell is missing.
func numericMatrix(_ table: Table, columns: [Int]) -> [Float] {
    let rows = table.rowCount, k = columns.count
    var m = [Float](repeating: 0, count: rows * k)
    for (c, j) in columns.enumerated() {
        let v = table.columns[j].numbers!
        for r in 0..<rows { m[r * k + c] = Float(v[r]) }
    }
    return m
}

/// Mean |a_ij − b_ij| over pairs i<j of two k×k matrices.
func meanAbsolutePairDifference(_ a: [Double], _ b: [Double], k: Int) -> Double {
    var total = 0.0, pairs = 0.0
    for i in 0..<k { for j in (i + 1)..<k { total += Swift.abs(a[i * k + j] - b[i * k + j]); pairs += 1 } }
    return pairs > 0 ? total / pairs : 0
}

/// Shares of each level (and of missing, last) among `codes`.
func levelShares(_ codes: [Int32], levels: Int) -> [Double] {
    var counts = [Double](repeating: 0, count: levels + 1)
    for c in codes { counts[c < 0 ? levels : Int(c)] += 1 }
    let total = Swift.max(Double(codes.count), 1)
    return counts.map { $0 / total }
}

extension Column {
    /// Category codes and the level names of a categorical column.
    var categoryCodes: (codes: [Int32], levels: [String]) {
        if case .categorical(let codes, let levels) = values { return (codes, levels) }
        return ([], [])
    }
}
