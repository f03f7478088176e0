// One run's synthesis step, through the library's `Synthesizer`: fit the configured synthesizer on
// the train split (the validation rows held out for checkpoint selection) and sample the run's
// table with the run's seed, exactly as `tabcorr generate` samples from the saved model later.

import Foundation
import TensorKit
import TabularData
import Synthesis

/// What the synthesis step produced.
struct SynthesisResult {
    var synthetic: SyntheticSample
    var synthesizer: Synthesizer
}

/// Fits `config`'s synthesizer on `train` (rows `validation` held out) and samples `rows` rows with `seed`.
/// - Throws: `TrainingFailure` (the run is recorded as failed, its model kept), or a `LabError`.
func synthesize(config: ExperimentConfig, train: Table, validation: [Int], rows: Int, seed: Int,
                resolvedConfig: String, progress: Progress) throws -> SynthesisResult {
    try checkSampleFits(rows: rows, encodedWidth: 0, columns: train.columnCount, setting: "generation.rows")
    try MemoryEstimate(config: config, train: train).check()
    let synthesizer: Synthesizer
    do {
        synthesizer = try Synthesizer.fit(train, validationRows: validation, options: config.synthesizerOptions, seed: UInt64(seed)) { row, total in
            progress.trainingStep(row, of: total)
        }
    } catch let error as SynthesisError {
        throw LabError(error.description)
    } catch let failure as TrainingFailure {
        failure.synthesizer?.metadata = resolvedConfig
        throw failure
    }
    synthesizer.metadata = resolvedConfig
    if let layout = synthesizer.pipeline {
        try checkSampleFits(rows: rows, encodedWidth: layout.encodedWidth, columns: train.columnCount, setting: "generation.rows")
    }
    return SynthesisResult(synthetic: try synthesizer.sample(rows: rows, seed: UInt64(seed)), synthesizer: synthesizer)
}

/// Refuses to sample more rows than memory holds: each row takes `encodedWidth` floats while
/// generated and `columns` doubles once decoded, and the whole table must stay within the memory
/// budget of `MemoryEstimate` (otherwise the allocation would abort the process).
func checkSampleFits(rows: Int, encodedWidth: Int, columns: Int, setting: String) throws {
    let bytesPerRow = max(encodedWidth * 4 + columns * 8, 1)
    let budget = Int(min(MemoryEstimate.budget, Double(Int.max / 2)))
    let (bytes, overflow) = rows.multipliedReportingOverflow(by: bytesPerRow)
    guard overflow || bytes > budget else { return }
    throw LabError("\(setting) \(rows): that many rows need \(overflow ? "more memory than exists" : "about " + MemoryEstimate.size(Double(bytes))), "
        + "over \(MemoryEstimate.budgetText); generate at most \(budget / bytesPerRow) rows at a time")
}
