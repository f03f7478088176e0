// The table-level model: `fit` on a train split, `sample` synthetic tables, `save`/`load` a model
// file. It owns every step between the raw table and the shipped rows (transforms, network,
// sampler, decoding, marginal matching, the choice among draws), so what is trained, what selects
// the checkpoint, what a run evaluates and what `generate` samples later are one distribution.

import TensorKit
import TabularData
import Evaluation

/// Which synthesizer to fit.
public enum SynthesizerKind: Sendable, Equatable {
    /// The train split itself (the floor on correlation; resampled when more rows are asked for).
    case identity
    /// Each column bootstrapped on its own.
    case independent
    /// Empirical marginals joined by a Gaussian copula.
    case gaussianCopula
    /// A GAN (attention or MLP generator).
    case gan(GANOptions)
}

/// Everything `Synthesizer.fit` needs besides the data.
public struct SynthesizerOptions: Sendable, Equatable {
    public var kind: SynthesizerKind
    /// The GANs' encoding (baselines ignore it).
    public var transform: TransformOptions
    /// Map each generated numeric column onto the fit rows' marginal, rank for rank (GANs only).
    public var matchMarginals: Bool
    /// Categorical column the generator is conditioned on.
    public var conditionColumn: String?
    /// Samples drawn per request; the one whose Pearson matrix is closest to the fit rows' is shipped
    /// (GANs only; 1 ships the single draw; how the default was chosen: docs/ARCHITECTURE.md).
    public var draws: Int

    public init(kind: SynthesizerKind = .gan(GANOptions()), transform: TransformOptions = TransformOptions(numeric: .quantileNormal),
                matchMarginals: Bool = true, conditionColumn: String? = nil, draws: Int = 8) {
        self.kind = kind
        self.transform = transform
        self.matchMarginals = matchMarginals
        self.conditionColumn = conditionColumn
        self.draws = draws
    }
}

/// A synthetic table as shipped, and the generator's own decoded output before marginal matching
/// and rounding to the source precision (nil for baselines).
public struct SyntheticSample {
    public var shipped: Table
    public var raw: Table?
}

/// What training did (empty for baselines).
public struct TrainingSummary {
    public var log: [TrainingLogRow] = []
    public var plannedSteps = 0
    public var stepsRun = 0
    public var keptStep = 0
    public var keptScore: ValidationScore? = nil
    /// Per attention block, the mean F×F attention matrix over a batch of samples.
    public var attention: [[Float]] = []
    /// What a reader of the run should know (e.g. why the correlation term was off).
    public var notes: [String] = []
}

/// A bad request to the Synthesizer (unknown condition column or value, unusable model file).
public struct SynthesisError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Training diverged, or the trained generator emits non-finite values: the message says what to
/// change; `synthesizer` holds the last good state (for a model file) and `log` what was logged.
/// Unchecked Sendable: it is thrown once and read by the task that catches it.
public struct TrainingFailure: Error, CustomStringConvertible, @unchecked Sendable {
    public let description: String
    public let log: [TrainingLogRow]
    public let synthesizer: Synthesizer?
}

/// Decoding and post-processing of generated encoded rows, and the choice among draws: what
/// `sample` and the checkpoint rule share.
struct Shipping {
    let pipeline: TransformPipeline
    let matchMarginals: Bool
    /// Per table column: the fit rows' sorted values (numeric) or [] (categorical).
    let sortedReference: [[Double]]
    /// Per table column: the decimals its fit rows are written with (nil: full precision, or categorical).
    let decimals: [Int?]
    /// Samples drawn per request (`SynthesizerOptions.draws`).
    let draws: Int
    /// The fit rows' Pearson matrix over the numeric columns (empty with fewer than two).
    let fitCorrelation: [Double]

    init(pipeline: TransformPipeline, matchMarginals: Bool, sortedReference: [[Double]], draws: Int, fitCorrelation: [Double]) {
        self.pipeline = pipeline
        self.matchMarginals = matchMarginals
        self.sortedReference = sortedReference
        decimals = sortedReference.map { sourceDecimals($0) }
        self.draws = draws
        self.fitCorrelation = fitCorrelation
    }

    /// Samples worth drawing: one when there is no pair of numeric columns to choose by.
    var choiceDraws: Int { fitCorrelation.isEmpty ? 1 : draws }

    /// The Pearson matrix `fitCorrelation` holds, of `table`'s numeric columns (the metric's estimator).
    static func numericCorrelation(_ table: Table) -> [Double] {
        let numeric = table.columns.compactMap(\.numbers)
        return numeric.count >= 2 ? pearsonMatrix(columns: numeric) : []
    }

    /// The index of the shipped table whose Pearson matrix is closest to the fit rows' (mean
    /// |ΔC| over numeric pairs, the metric's quantity), the first on ties.
    func closestToFit(_ candidates: [Table]) -> Int {
        guard candidates.count > 1, !fitCorrelation.isEmpty else { return 0 }
        let k = Int(Double(fitCorrelation.count).squareRoot())
        let gaps = candidates.map { meanAbsolutePairDifference(Self.numericCorrelation($0), fitCorrelation, k: k) }
        return gaps.indices.min { gaps[$0] < gaps[$1] }!
    }

    /// The generator's decoded output and the shipped table for `rows` encoded rows: matched to
    /// the fit rows' marginals (when on), then rounded to each column's source precision.
    func ship(_ encoded: [Float], rows: Int, rng: inout RandomStream) -> (raw: Table, shipped: Table) {
        let raw = pipeline.decode(encoded, rows: rows)
        let matched = matchMarginals
            ? Synthesis.matchMarginals(raw, sortedReference: sortedReference, orderKeys: pipeline.orderingKeys(encoded, rows: rows), rng: &rng)
            : raw
        return (raw, matched.rounded(toDecimals: decimals))
    }
}

/// A fitted synthesizer.
///
/// ```swift
/// let synthesizer = try Synthesizer.fit(train, validationRows: validation, options: SynthesizerOptions(), seed: 0)
/// let table = try synthesizer.sample(rows: 1000, seed: 0).shipped
/// try synthesizer.save(to: "model.tcmodel")        // later: try Synthesizer.load(from:).sample(…)
/// ```
public final class Synthesizer {
    enum Fitted {
        case table(Table)
        case copula(GaussianCopula)
        case gan(GANModel, Shipping)
    }

    public let options: SynthesizerOptions
    let fitted: Fitted
    public internal(set) var training: TrainingSummary
    /// Free text saved with the model (the Lab stores the run's resolved config).
    public var metadata: String = ""

    init(options: SynthesizerOptions, fitted: Fitted, training: TrainingSummary = TrainingSummary()) {
        self.options = options
        self.fitted = fitted
        self.training = training
    }

    /// The fitted transforms of a GAN (nil for baselines).
    public var pipeline: TransformPipeline? {
        if case .gan(_, let shipping) = fitted { return shipping.pipeline }
        return nil
    }

    /// Fits on the train split's rows outside `validationRows`; the validation rows only score
    /// checkpoints. Transforms, marginals and the correlation target come from the fit rows alone.
    /// Every random draw derives from `seed`. `onLog` sees each training-log row and the planned steps.
    /// - Throws: `TrainingFailure` when training diverges; `SynthesisError` or `DataError` for bad input.
    public static func fit(_ train: Table, validationRows: [Int] = [], options: SynthesizerOptions, seed: UInt64,
                           onLog: (TrainingLogRow, Int) -> Void = { _, _ in }) throws -> Synthesizer {
        switch options.kind {
        case .identity, .independent:
            return Synthesizer(options: options, fitted: .table(train))
        case .gaussianCopula:
            return Synthesizer(options: options, fitted: .copula(GaussianCopula(fit: train)))
        case .gan(let gan):
            return try fitGAN(train, validationRows: validationRows, gan: gan, options: options, root: RandomStream(seed: seed), onLog: onLog)
        }
    }

    /// `rows` synthetic rows drawn with `seed` (a run samples its table with the run's seed, so
    /// `sample(rows: n, seed: s)` reproduces it). `condition` fixes the condition column's level.
    /// - Throws: `SynthesisError` for a condition the model cannot take; `TrainingFailure` when the
    ///   generator emits non-finite values.
    public func sample(rows: Int, seed: UInt64, condition: (column: String, value: String)? = nil) throws -> SyntheticSample {
        let root = RandomStream(seed: seed)
        var sampling = root.child("sample")
        switch fitted {
        case .table(let train):
            try refuseCondition(condition)
            let table = options.kind == .identity ? identitySample(train, rows: rows, rng: &sampling) : independentSample(train, rows: rows, rng: &sampling)
            return SyntheticSample(shipped: table, raw: nil)
        case .copula(let copula):
            try refuseCondition(condition)
            return SyntheticSample(shipped: copula.sample(rows: rows, rng: &sampling), raw: nil)
        case .gan(let model, let shipping):
            let level = try conditionLevel(condition, model: model, pipeline: shipping.pipeline)
            // Draw k samples and matches with the streams of `seed`'s child "draw k"; draw 0 uses
            // `seed`'s own, so one draw is the plain sample. A conditioned request ships its one
            // draw: the fit rows' matrix is not its class's.
            var candidates: [(raw: Table, shipped: Table)] = []
            for k in 0..<(condition == nil ? shipping.choiceDraws : 1) {
                let stream = k == 0 ? root : root.child("draw \(k)")
                sampling = stream.child("sample")
                let encoded = model.sampleEncoded(rows: rows, conditionLevel: level, rng: &sampling)
                // Finite losses do not guarantee finite samples (e.g. batch-norm running statistics blown
                // up by a huge learning rate); decoding would silently turn NaN into column means.
                if let bad = encoded.firstIndex(where: { !$0.isFinite }) {
                    throw TrainingFailure(
                        description: "the trained generator outputs non-finite values (first at row \(bad / model.layout.width), encoded column \(bad % model.layout.width)) "
                            + "although its losses stayed finite. Try a lower learning rate, a gradient clip (training.gradientClipNorm), or layer normalisation",
                        log: training.log, synthesizer: self)
                }
                var matching = stream.child("marginals")
                candidates.append(shipping.ship(encoded, rows: rows, rng: &matching))
            }
            let best = candidates[shipping.closestToFit(candidates.map(\.shipped))]
            return SyntheticSample(shipped: best.shipped, raw: best.raw)
        }
    }

    func refuseCondition(_ condition: (column: String, value: String)?) throws {
        if let condition { throw SynthesisError("--condition \(condition.column): this model is not conditional; train a GAN with generator.conditionColumn set to condition on a column") }
    }

    /// The condition span's level for `condition`, or nil for none.
    func conditionLevel(_ condition: (column: String, value: String)?, model: GANModel, pipeline: TransformPipeline) throws -> Int? {
        guard let condition else { return nil }
        guard condition.column == options.conditionColumn, model.conditionSpan != nil else {
            throw SynthesisError("--condition \(condition.column): this model is \(options.conditionColumn.map { "conditioned on \"\($0)\"" } ?? "not conditional"); train with generator.conditionColumn set to condition on a column")
        }
        let levels = pipeline.columns.first { $0.name == condition.column }?.levels ?? []
        guard let k = levels.firstIndex(of: condition.value) else {
            throw SynthesisError("--condition \(condition.column)=\(condition.value): unknown value; \(condition.column) takes \(levels.joined(separator: ", "))")
        }
        return k
    }
}
