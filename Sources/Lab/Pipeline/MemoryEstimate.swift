// An upper estimate of a run's memory, made before anything is allocated, so that a size typed
// by mistake (`generator.noiseSize: 2000000000`, `discriminator.widths: [1000000000]`) is refused
// with the key to change instead of aborting the process in the allocator or swapping for minutes.

import Foundation
import TabularData

/// The parts of a run's memory, in bytes, each with the config keys that drive it.
struct MemoryEstimate {
    var parts: [(what: String, keys: String, bytes: Double)] = []
    var total: Double { parts.reduce(0) { $0 + $1.bytes } }

    /// Estimates `config`'s training and evaluation on `train` (upper bounds: the encoded width
    /// assumes a missing-value flag on every numeric column, or all modes with `modeSpecific`).
    init(config: ExperimentConfig, train: Table) {
        let g = config.generator, d = config.discriminator
        let numeric = Double(train.columns.filter { $0.numbers != nil }.count)
        var levels = 0.0
        for column in train.columns {
            if case .categorical(_, let names) = column.values { levels += Double(names.count + 1) }
        }
        let numericWidth = config.transform.numeric == .modeSpecific ? 1 + Double(config.transform.maxModes) : 2
        let width = numeric * numericWidth + levels
        let columns = Double(train.columnCount)
        let batch = Double(min(config.training.batchSize, max(train.rowCount, 1)))
        let noise = Double(g.noiseSize)

        var generatorWeights = 0.0, generatorActivations = 0.0
        switch g.type {
        case .identity, .independent, .gaussianCopula:
            break
        case .mlp:
            let widths = [noise] + g.trunkWidths.map(Double.init) + [width]
            generatorWeights = denseWeights(widths)
            generatorActivations = batch * widths.reduce(0, +)
        case .attention:
            let trunk = [noise] + g.trunkWidths.map(Double.init)
            let tokens = columns * Double(g.tokenWidth), e = Double(g.tokenWidth), ff = Double(g.feedForwardWidth)
            let perBlock: Double = 4 * (e + 1) * e + 2 * e * ff + ff + 5 * e
            let projection: Double = ((trunk.last ?? noise) + 2) * tokens
            generatorWeights = denseWeights(trunk) + projection + Double(g.blocks) * perBlock + tokens * width
            let attention: Double = Double(g.heads) * columns * columns
            let perRow: Double = trunk.reduce(0, +) + Double(g.blocks) * (10 * tokens + 3 * attention) + width
            generatorActivations = batch * perRow
        }
        let critic = [width * Double(d.pac)] + d.widths.map(Double.init) + [1]
        let criticWeights = config.isTrainedGenerator ? denseWeights(critic) : 0
        let criticActivations = criticWeights > 0 ? batch * critic.reduce(0, +) : 0
        // Floats: weights, gradients, two Adam moments, the weight average and a checkpoint (6×);
        // activations kept for backward, again for the gradient penalty's double backward (8×).
        parts.append(("generator weights", "generator.noiseSize, trunkWidths, tokenWidth, blocks, feedForwardWidth", 4 * 6 * generatorWeights))
        parts.append(("critic weights", "discriminator.widths, discriminator.pac", 4 * 6 * criticWeights))
        parts.append(("generator's activations in one step", "training.batchSize, generator widths, blocks, heads", 4 * 8 * generatorActivations))
        parts.append(("critic's activations in one step", "training.batchSize, discriminator.widths, discriminator.pac", 4 * 8 * criticActivations))
        parts.append(("bootstrap replicates", "evaluation.bootstrap", 8 * 4 * Double(config.evaluation.bootstrap) * max(1, columns)))
    }

    /// Weights and biases of dense layers of `widths` (input first).
    func denseWeights(_ widths: [Double]) -> Double {
        zip(widths, widths.dropFirst()).reduce(0) { $0 + ($1.0 + 1) * $1.1 }
    }

    /// Half of physical memory, or `TABCORR_MEMORY_BUDGET_MB` when set.
    static var budget: Double {
        if let text = ProcessInfo.processInfo.environment["TABCORR_MEMORY_BUDGET_MB"], let mb = Double(text), mb > 0 { return mb * 1_048_576 }
        return Double(ProcessInfo.processInfo.physicalMemory) / 2
    }

    /// "the budget of 11.8 GiB (…)", for messages that refuse a size.
    static var budgetText: String {
        "the budget of \(size(budget)) (half of this machine's memory; set TABCORR_MEMORY_BUDGET_MB to change it)"
    }

    /// Bytes as GiB, or TiB beyond 1,024 GiB.
    static func size(_ bytes: Double) -> String {
        bytes >= 1_099_511_627_776 ? String(format: "%.0f TiB", bytes / 1_099_511_627_776) : String(format: "%.1f GiB", bytes / 1_073_741_824)
    }

    /// Throws when the estimate exceeds `budget`, naming the largest part and its keys.
    func check() throws {
        guard total > Self.budget, let largest = parts.max(by: { $0.bytes < $1.bytes }) else { return }
        throw LabError("this run needs about \(Self.size(total)) of memory, over \(Self.budgetText); "
            + "most of it is the \(largest.what) (\(Self.size(largest.bytes))): lower \(largest.keys)")
    }
}
