// Fitting a GAN synthesizer: the transforms, the marginals and the correlation targets (of the
// constraint and of the choice among draws) from the fit rows, the shipped-sample validator from
// the validation rows, then the training loop.

import TensorKit
import TabularData

extension Synthesizer {
    static func fitGAN(_ train: Table, validationRows: [Int], gan: GANOptions, options: SynthesizerOptions, root: RandomStream,
                       onLog: (TrainingLogRow, Int) -> Void) throws -> Synthesizer {
        let validationSet = Set(validationRows)
        let fitRows = (0..<train.rowCount).filter { !validationSet.contains($0) }
        let fitTable = train.selecting(rows: fitRows)
        let pipeline = try TransformPipeline.fit(fitTable, options: options.transform)
        let layout = OutputLayout(pipeline: pipeline)
        var dequantizing = root.child("dequantize")
        let fitEncoded = try pipeline.encode(fitTable, dequantize: { dequantizing.nextOpenUniform() })
        let conditionSpan = try findConditionSpan(options.conditionColumn, table: fitTable, layout: layout)
        let shipping = Shipping(pipeline: pipeline, matchMarginals: options.matchMarginals, sortedReference: sortedNumericValues(fitTable),
                                draws: options.draws, fitCorrelation: Shipping.numericCorrelation(fitTable))

        var notes: [String] = []
        let correlation = correlationTargets(gan, layout: layout, pipeline: pipeline, fit: fitTable, fitEncoded: fitEncoded,
                                             conditionSpan: conditionSpan, standardize: options.matchMarginals, notes: &notes)
        let marginal = marginalTerm(gan, layout: layout, pipeline: pipeline, fitEncoded: fitEncoded, rows: fitRows.count, notes: &notes)
        let validator = ShippedSampleValidator(validation: train.selecting(rows: validationRows), shipping: shipping,
                                               rng: root.child("validation.bootstrap"))
        if validator == nil { notes.append("No validation slice of at least 3 rows: the last generator is kept.") }

        let model = GANModel(options: gan, layout: layout, conditionSpan: conditionSpan, rng: root.child("model"))
        let data = TrainingData(encoded: fitEncoded, rows: fitRows.count, layout: layout, conditionSpan: conditionSpan)
        let planned = gan.trainingSteps(rows: fitRows.count)
        var log: [TrainingLogRow] = []
        let outcome: TrainingOutcome
        do {
            outcome = try model.train(data, correlation: correlation, marginal: marginal, validator: validator, rng: root.child("train")) { row in
                log.append(row)
                onLog(row, planned)
            }
        } catch let error as TrainingDivergedError {
            throw TrainingFailure(description: error.description, log: log,
                                  synthesizer: Synthesizer(options: options, fitted: .gan(model, shipping), training: TrainingSummary(log: log)))
        }
        var attentionRng = root.child("attention")
        let attention = model.attentionMaps(rows: model.effectiveBatchSize(rows: fitRows.count), rng: &attentionRng)
        return Synthesizer(options: options, fitted: .gan(model, shipping), training: TrainingSummary(
            log: outcome.log, plannedSteps: outcome.plannedSteps, stepsRun: outcome.stepsRun, keptStep: outcome.keptStep,
            keptScore: outcome.keptScore, attention: attention, notes: notes))
    }

    /// The layout span of the categorical condition column, or nil when unconditional.
    static func findConditionSpan(_ name: String?, table: Table, layout: OutputLayout) throws -> Int? {
        guard let name else { return nil }
        guard let column = table.index(of: name) else {
            throw SynthesisError("generator.conditionColumn: no column named \"\(name)\"; columns are \(table.columnNames.joined(separator: ", "))")
        }
        guard let span = layout.spans.firstIndex(where: { $0.column == column && $0.output == .softmax }) else {
            throw SynthesisError("generator.conditionColumn: \"\(name)\" is not categorical; condition on a categorical column or override its type in data.columns")
        }
        return span
    }

    /// The marginal term over the continuous numeric value columns, its targets the fit rows'
    /// encoded values, or nil when it is off. A discrete column (a step map) is left out: what it
    /// ships depends only on the step its value falls in, and its encoded fit values inside a step
    /// are dequantisation noise. Training-by-sampling draws batches by class, whose marginals are
    /// not the fit rows': off.
    static func marginalTerm(_ gan: GANOptions, layout: OutputLayout, pipeline: TransformPipeline, fitEncoded: [Float], rows: Int,
                             notes: inout [String]) -> MarginalLoss? {
        let columns = layout.spans.filter { $0.isNumericValue && pipeline.columns[$0.column].numeric?.discreteLevels == nil }.map(\.start)
        guard let weight = gan.marginalWeight, weight > 0, !columns.isEmpty else { return nil }
        guard !gan.trainingBySampling else {
            notes.append("The marginal term is off: training-by-sampling draws batches whose class mix is not the fit rows'.")
            return nil
        }
        return MarginalLoss(columns: columns, sortedTargets: columns.map { j in (0..<rows).map { fitEncoded[$0 * layout.width + j] }.sorted() })
    }

    /// C_train over the constrained columns (numeric values, plus one-hot categories when
    /// configured) in the space the shipped table is judged in: numeric columns by their train-scale
    /// values, through the differentiable decoding; for the whole batch or per condition level.
    static func correlationTargets(_ gan: GANOptions, layout: OutputLayout, pipeline: TransformPipeline, fit: Table, fitEncoded: [Float],
                                   conditionSpan: Int?, standardize: Bool, notes: inout [String]) -> CorrelationTargets {
        guard gan.correlation.weight > 0 else { return .none }
        let columns = gan.correlationIncludesCategorical ? layout.valueAndCategoryIndices : layout.numericValueIndices
        guard columns.count >= 2 else {
            notes.append("The correlation constraint is off: fewer than two numeric columns to correlate.")
            return .none
        }
        // Per constrained column: the table column whose values stand in for it (numeric value spans), or nil (one-hots).
        let valueColumn: [Int?] = columns.map { index in layout.spans.first { $0.start == index && $0.isNumericValue }?.column }
        let encoders = valueColumn.map { column in column.flatMap { pipeline.columns[$0].numeric } }
        let space = CorrelationSpace(standardize: standardize, decoding: encoders.map { $0?.decodingKnots().map(piecewiseLinearMap) },
                                     levels: encoders.map(CorrelationSpace.snapLevels))
        // Train-scale values with their missing cells (NaN): each pair is correlated on the rows where
        // both are present, as the metric does, rather than on mean-filled columns (which attenuate).
        let values = valueColumn.map { column in column.map { fit.columns[$0].numbers! } }
        func target(_ rows: [Int]) -> [Double] {
            var matrix = [Float]()
            matrix.reserveCapacity(rows.count * columns.count)
            for r in rows {
                for (c, index) in columns.enumerated() { matrix.append(values[c].map { Float($0[r]) } ?? fitEncoded[r * layout.width + index]) }
            }
            return pearsonMatrix(matrix, rows: rows.count, columns: Array(columns.indices), stride: columns.count)
        }
        let all = Array(0..<fit.rowCount)
        guard gan.classConditionalCorrelation, let c = conditionSpan else {
            return .global(CorrelationLoss(columns: columns, target: target(all), space: space, options: gan.correlation))
        }
        let span = layout.spans[c]
        return .perClass((0..<span.width).map { level -> CorrelationLoss? in
            let members = all.filter { fitEncoded[$0 * layout.width + span.start + level] > 0.5 }
            guard members.count >= 3 else { return nil }
            return CorrelationLoss(columns: columns, target: target(members), space: space, options: gan.correlation)
        })
    }
}

/// Knots as a Float map, dropping knots that collapse onto their predecessor in Float.
func piecewiseLinearMap(_ knots: (scores: [Double], values: [Double])) -> PiecewiseLinearMap {
    var xs: [Float] = [], ys: [Float] = []
    for (x, y) in zip(knots.scores, knots.values) where x.isFinite && (xs.last.map { Float(x) > $0 } ?? true) {
        xs.append(Float(x))
        ys.append(Float(y))
    }
    return PiecewiseLinearMap(xs: xs.isEmpty ? [0] : xs, ys: ys.isEmpty ? [Float(knots.values.first ?? 0)] : ys)
}
