// The validation figure that picks the kept generator: the mean |C_generated − C_validation| over
// numeric column pairs, with a bootstrap standard error from resampling the validation rows. A
// small validation slice gives a noisy C_validation, so the trainer applies the one-standard-error
// rule (keep the latest generator within one SE of the best) rather than the raw minimum.

import TensorKit

/// A validation score and its bootstrap standard error.
public struct ValidationScore: Sendable, Equatable {
    public var value: Double
    public var standardError: Double
}

/// Scores generated encoded rows against a held-out validation slice (lower is better).
public struct PearsonValidator {
    let columns: [Int]
    let target: [Double]
    /// Pearson matrices of bootstrap resamples of the validation rows.
    let replicates: [[Double]]
    let sampleRows: Int

    /// nil when fewer than two columns can be compared or the slice has fewer than 3 rows.
    public init?(validationEncoded: [Float], rows: Int, layout: OutputLayout, sampleRows: Int = 1000,
                 bootstrapReplicates: Int = 30, rng: RandomStream = RandomStream(seed: 0)) {
        var columns = layout.numericValueIndices
        if columns.count < 2 { columns = layout.valueAndCategoryIndices }
        guard columns.count >= 2, rows >= 3 else { return nil }
        self.columns = columns
        target = pearsonMatrix(validationEncoded, rows: rows, columns: columns, stride: layout.width)
        var stream = rng
        replicates = (0..<bootstrapReplicates).map { _ in
            let picks = stream.sampleWithReplacement(rows, from: rows)
            var resample = [Float]()
            resample.reserveCapacity(rows * layout.width)
            for r in picks { resample.append(contentsOf: validationEncoded[(r * layout.width)..<((r + 1) * layout.width)]) }
            return pearsonMatrix(resample, rows: rows, columns: columns, stride: layout.width)
        }
        self.sampleRows = max(sampleRows, rows)
    }

    /// Mean |C_generated − C_validation| over pairs i<j, with its bootstrap standard error.
    public func score(_ model: GANModel, rng: inout RandomStream) -> ValidationScore {
        let sample = model.sampleEncoded(rows: sampleRows, rng: &rng)
        let generated = pearsonMatrix(sample, rows: sampleRows, columns: columns, stride: model.layout.width)
        let value = meanAbsoluteDifference(generated, target)
        let boot = replicates.map { meanAbsoluteDifference(generated, $0) }
        let mean = boot.reduce(0, +) / Double(max(boot.count, 1))
        let variance = boot.count > 1 ? boot.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(boot.count - 1) : 0
        return ValidationScore(value: value, standardError: variance.squareRoot())
    }

    func meanAbsoluteDifference(_ a: [Double], _ b: [Double]) -> Double {
        let k = columns.count
        var total = 0.0, pairs = 0.0
        for i in 0..<k { for j in (i + 1)..<k { total += Swift.abs(a[i * k + j] - b[i * k + j]); pairs += 1 } }
        return total / pairs
    }
}
