// `tabcorr bench train`: the reference model of our performance work, fixed in code. Batch 500 of
// the 30 standardised numeric columns of breast_cancer; attention generator (noise 128 → 256 →
// 256 with LeakyReLU 0.2 + BatchNorm → 30 tokens × 16 + column embedding → one 2-head
// ColumnAttention block, FFN 16→32→16 → per-column heads); critic 30 → 256 → 256 → 1 with
// LeakyReLU 0.2 and dropout 0.5; one step = one WGAN-GP critic step (λ_GP = 10) + one generator
// step with the correlation loss (λ = 1); Adam 2e-4, β = (0.5, 0.9). "No attention" drops the block.

import Foundation
import TensorKit
import TabularData
import Synthesis

/// One line of the training benchmark.
public struct TrainingBenchmarkRow: Codable, Sendable {
    public var model: String
    public var attention: Bool
    public var threads: Int
    public var steps_per_s: Double
    public var rows_per_s: Double
    /// Executed matrix-product GFLOP per second (counted at the matmul op).
    public var gflops: Double
    public var gflop_per_step: Double
    /// Process CPU time (user + system, all threads) per timed step, in ms. On a shared machine
    /// this is steadier than wall time: with 1 thread it approximates the step time on an idle core.
    public var cpu_ms_per_step: Double
    public var peak_rss_mb: Double
}

public enum TrainingBenchmark {
    /// The reference GAN options (with or without the attention block).
    public static func referenceOptions(attention: Bool) -> GANOptions {
        var o = GANOptions()
        o.architecture = .attention(trunkWidths: [256, 256], tokenWidth: 16, heads: 2, blocks: attention ? 1 : 0, feedForwardWidth: 32)
        o.noiseSize = 128
        o.generatorNormalization = .batch
        o.discriminatorWidths = [256, 256]
        o.discriminatorDropout = 0.5
        o.loss = .wganGP
        o.gradientPenalty = 10
        o.batchSize = 500
        o.generatorLearningRate = 2e-4
        o.discriminatorLearningRate = 2e-4
        o.beta1 = 0.5
        o.beta2 = 0.9
        o.correlation = CorrelationLossOptions(weight: 1)
        o.validateEvery = 0
        o.averageDecay = nil  // the PyTorch reference keeps no weight average
        o.marginalWeight = nil  // nor a marginal term
        return o
    }

    /// Times `steps` steps (after a 3-step warm-up fit) of each reference model on `threads`
    /// threads. Each is a whole `Synthesizer.fit` (standardised columns, no validation slice, no
    /// marginal matching): the transforms and the attention maps after training are in the time,
    /// a few milliseconds beside the steps.
    public static func run(dataPath: String, threads: Int, steps: Int) throws -> [TrainingBenchmarkRow] {
        var table = try CSVReader.read(file: dataPath)
        table.columns.removeAll { !$0.type.isNumeric }
        let transform = TransformOptions(numeric: .standard, missingIndicators: false)
        Parallel.threadCount = threads
        return try [true, false].map { attention in
            func fit(steps: Int, seed: UInt64) throws {
                var gan = referenceOptions(attention: attention)
                gan.steps = steps
                gan.logEvery = 1_000_000
                _ = try Synthesizer.fit(table, options: SynthesizerOptions(kind: .gan(gan), transform: transform, matchMarginals: false), seed: seed)
            }
            // Warm-up: a 3-step fit fills the buffer pool and the worker threads' caches.
            try fit(steps: 3, seed: 1)
            FLOPCounter.matrixFLOPs = 0
            FLOPCounter.isCounting = true
            let clock = ContinuousClock()
            let start = clock.now, cpuStart = processCPUSeconds()
            try fit(steps: steps, seed: 2)
            let elapsed = seconds(clock.now - start), cpu = processCPUSeconds() - cpuStart
            FLOPCounter.isCounting = false
            let perStep = Double(FLOPCounter.matrixFLOPs) / Double(steps)
            return TrainingBenchmarkRow(
                model: attention ? "reference" : "reference-no-attention", attention: attention, threads: threads,
                steps_per_s: Double(steps) / elapsed, rows_per_s: Double(steps * referenceOptions(attention: attention).batchSize) / elapsed,
                gflops: perStep * Double(steps) / elapsed / 1e9, gflop_per_step: perStep / 1e9,
                cpu_ms_per_step: cpu * 1000 / Double(steps), peak_rss_mb: peakResidentMegabytes())
        }
    }

    public static func renderTable(_ rows: [TrainingBenchmarkRow]) -> String {
        var lines = ["model                    threads  steps/s   rows/s     GFLOP/s  GFLOP/step  CPU ms/step  peak RSS MB"]
        for r in rows {
            let name = r.model.padding(toLength: 24, withPad: " ", startingAt: 0)
            lines.append(name + String(format: " %7d %8.2f %9.0f %10.1f %10.3f %12.1f %12.1f", r.threads, r.steps_per_s, r.rows_per_s,
                                       r.gflops, r.gflop_per_step, r.cpu_ms_per_step, r.peak_rss_mb))
        }
        return lines.joined(separator: "\n")
    }
}

/// User plus system CPU seconds of this process so far (all threads).
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Peak resident set size of this process so far, in MB.
func peakResidentMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

extension TabCorrCLI {
    static func benchTrain(_ command: ParsedCommand) throws {
        let threads = command.integer("threads") ?? Parallel.threadCount
        let rows = try TrainingBenchmark.run(dataPath: "Experiments/datasets/breast_cancer.csv", threads: threads, steps: command.integer("steps") ?? 100)
        print(command.flag("json") ? try encodeJSON(rows) : TrainingBenchmark.renderTable(rows), terminator: command.flag("json") ? "" : "\n")
    }
}
