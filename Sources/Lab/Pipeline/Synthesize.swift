// One run's synthesis step: fit the configured generator on the train split (transforms and the
// correlation target from train only; the validation slice held out for checkpoint selection)
// and sample the synthetic table. Baselines need no training.

import Foundation
import TensorKit
import TabularData
import Synthesis

/// What the synthesis step produced.
struct SynthesisResult {
    var synthetic: Table
    var log: [TrainingLogRow] = []
    /// Per attention block, the mean F×F attention matrix.
    var attention: [[Float]] = []
    var checkpoint: ModelCheckpoint? = nil
    var stepsRun = 0
    var keptStep = 0
    var bestValidation: Double? = nil
    /// Notes for the report (e.g. why the correlation term was off).
    var notes: [String] = []
}

/// Training diverged: the run fails, keeping what was learned before.
struct TrainingFailure: Error {
    let message: String
    let log: [TrainingLogRow]
    let checkpoint: ModelCheckpoint?
}

/// Fits `config.generator.type` on `train` (rows `validation` held out) and samples `rows` rows.
func synthesize(config: ExperimentConfig, train: Table, validation: [Int], rows: Int, seed: Int,
                resolvedConfig: String, progress: Progress) throws -> SynthesisResult {
    let root = RandomStream(seed: UInt64(seed))
    var sampling = root.child("sample")
    try checkSampleFits(rows: rows, encodedWidth: 0, columns: train.columnCount, setting: "generation.rows")
    switch config.generator.type {
    case .identity:
        return SynthesisResult(synthetic: identitySample(train, rows: rows, rng: &sampling))
    case .independent:
        return SynthesisResult(synthetic: independentSample(train, rows: rows, rng: &sampling))
    case .gaussianCopula:
        return SynthesisResult(synthetic: GaussianCopula(fit: train).sample(rows: rows, rng: &sampling))
    case .mlp, .attention:
        return try trainGAN(config: config, train: train, validation: validation, rows: rows, root: root,
                            resolvedConfig: resolvedConfig, progress: progress)
    }
}

private func trainGAN(config: ExperimentConfig, train: Table, validation: [Int], rows: Int, root: RandomStream,
                      resolvedConfig: String, progress: Progress) throws -> SynthesisResult {
    let pipeline = try TransformPipeline.fit(train, options: config.transformOptions)
    let layout = OutputLayout(pipeline: pipeline)
    try checkSampleFits(rows: rows, encodedWidth: layout.width, columns: train.columnCount, setting: "generation.rows")
    let validationSet = Set(validation)
    let fitRows = (0..<train.rowCount).filter { !validationSet.contains($0) }
    let fitEncoded = try pipeline.encode(train.selecting(rows: fitRows))
    let trainEncoded = try pipeline.encode(train)

    var conditionSpan: Int? = nil
    if let name = config.generator.conditionColumn {
        guard let column = train.index(of: name) else {
            throw LabError("generator.conditionColumn: no column named \"\(name)\"; columns are \(train.columnNames.joined(separator: ", "))")
        }
        guard let span = layout.spans.firstIndex(where: { $0.column == column && $0.output == .softmax }) else {
            throw LabError("generator.conditionColumn: \"\(name)\" is not categorical; condition on a categorical column or override its type in data.columns")
        }
        conditionSpan = span
    }
    let options = config.ganOptions
    var notes: [String] = []
    let correlation = correlationTargets(options: options, layout: layout, trainEncoded: trainEncoded, rows: train.rowCount,
                                         conditionSpan: conditionSpan, notes: &notes)
    let validator = validation.count >= 3
        ? PearsonValidator(validationEncoded: try pipeline.encode(train.selecting(rows: validation)), rows: validation.count, layout: layout,
                           rng: root.child("validation.bootstrap"))
        : nil
    if validator == nil { notes.append("No validation slice (or fewer than two comparable columns): the last generator is kept.") }

    let model = GANModel(options: options, layout: layout, conditionSpan: conditionSpan, rng: root.child("model"))
    let data = TrainingData(encoded: fitEncoded, rows: fitRows.count, layout: layout, conditionSpan: conditionSpan)
    var log: [TrainingLogRow] = []
    let outcome: TrainingOutcome
    do {
        outcome = try model.train(data, correlation: correlation, validator: validator, rng: root.child("train")) { row in
            log.append(row)
            progress.trainingStep(row, of: options.steps)
        }
    } catch let error as TrainingDivergedError {
        throw TrainingFailure(message: error.description, log: log,
                              checkpoint: ModelCheckpoint(model: model, pipeline: pipeline, conditionColumn: config.generator.conditionColumn,
                                                          resolvedConfig: resolvedConfig))
    }
    var sampling = root.child("sample")
    let encoded = model.sampleEncoded(rows: rows, rng: &sampling)
    // Finite losses do not guarantee finite samples (e.g. batch-norm running statistics blown up
    // by a huge learning rate); decoding would silently turn NaN into column means.
    if let bad = encoded.firstIndex(where: { !$0.isFinite }) {
        throw TrainingFailure(message: "the trained generator outputs non-finite values (first at row \(bad / layout.width), encoded column \(bad % layout.width)) "
                                + "although its losses stayed finite. Try a lower learning rate, a gradient clip (training.gradientClipNorm), or layer normalisation",
                              log: outcome.log,
                              checkpoint: ModelCheckpoint(model: model, pipeline: pipeline, conditionColumn: config.generator.conditionColumn,
                                                          resolvedConfig: resolvedConfig))
    }
    let decoded = pipeline.decode(encoded, rows: rows)
    var attentionRng = root.child("attention"), marginalRng = root.child("marginals")
    return SynthesisResult(
        synthetic: config.generation.matchMarginals ? matchMarginals(decoded, to: train, rng: &marginalRng) : decoded,
        log: outcome.log,
        attention: model.attentionMaps(rows: model.effectiveBatchSize(rows: fitRows.count), rng: &attentionRng),
        checkpoint: ModelCheckpoint(model: model, pipeline: pipeline, conditionColumn: config.generator.conditionColumn, resolvedConfig: resolvedConfig),
        stepsRun: outcome.stepsRun, keptStep: outcome.keptStep, bestValidation: outcome.bestValidation, notes: notes)
}

/// Refuses to sample more rows than memory holds: each row takes `encodedWidth` floats while
/// generated and `columns` doubles once decoded, and the whole table must stay under half the
/// physical memory (otherwise the allocation would abort the process).
func checkSampleFits(rows: Int, encodedWidth: Int, columns: Int, setting: String) throws {
    let bytesPerRow = max(encodedWidth * 4 + columns * 8, 1)
    let budget = Int(min(ProcessInfo.processInfo.physicalMemory / 2, UInt64(Int.max)))
    let (bytes, overflow) = rows.multipliedReportingOverflow(by: bytesPerRow)
    guard overflow || bytes > budget else { return }
    let gib = { (b: Int) in String(format: "%.1f GiB", Double(b) / 1_073_741_824) }
    throw LabError("\(setting) \(rows): that many rows need \(overflow ? "more memory than exists" : "about " + gib(bytes)), over half of this machine's memory (\(gib(budget))); "
        + "generate at most \(budget / bytesPerRow) rows at a time")
}

/// C_train over the constrained columns (numeric values, plus categories when configured), for the
/// whole batch or per condition level.
private func correlationTargets(options: GANOptions, layout: OutputLayout, trainEncoded: [Float], rows: Int,
                                conditionSpan: Int?, notes: inout [String]) -> CorrelationTargets {
    guard options.correlation.weight > 0 else { return .none }
    let columns = options.correlationIncludesCategorical ? layout.valueAndCategoryIndices : layout.numericValueIndices
    guard columns.count >= 2 else {
        notes.append("The correlation constraint is off: fewer than two numeric columns to correlate.")
        return .none
    }
    guard options.classConditionalCorrelation, let c = conditionSpan else {
        return .global(CorrelationLoss(columns: columns, trainEncoded: trainEncoded, rows: rows, stride: layout.width, options: options.correlation))
    }
    let span = layout.spans[c]
    let losses = (0..<span.width).map { level -> CorrelationLoss? in
        let members = (0..<rows).filter { trainEncoded[$0 * layout.width + span.start + level] > 0.5 }
        guard members.count >= 3 else { return nil }
        var subset = [Float]()
        subset.reserveCapacity(members.count * layout.width)
        for r in members { subset.append(contentsOf: trainEncoded[(r * layout.width)..<((r + 1) * layout.width)]) }
        return CorrelationLoss(columns: columns, trainEncoded: subset, rows: members.count, stride: layout.width, options: options.correlation)
    }
    return .perClass(losses)
}
