// A GAN synthesizer on encoded rows: builds the generator and discriminator from `GANOptions`
// and the output layout, trains them, and samples encoded rows. Table-level encoding and
// decoding happen in the caller (the transform pipeline).

import Foundation
import TensorKit
import NeuralNet

public final class GANModel {
    public let options: GANOptions
    public let layout: OutputLayout
    public let conditionSpan: Int?
    public let generator: any Layer
    public let discriminator: Discriminator
    let generatorOptimizer: Adam
    let discriminatorOptimizer: Adam
    /// Condition-level frequencies in the training rows (for unconditional sampling of conditions).
    public private(set) var conditionFrequencies: [Double] = []

    /// Builds both networks; parameters are drawn from `rng`'s "generator" and "discriminator" children.
    public init(options: GANOptions, layout: OutputLayout, conditionSpan: Int? = nil, rng: RandomStream) {
        self.options = options
        var spans = layout.spans
        if let activation = options.valueActivation {
            for i in spans.indices where spans[i].output != .softmax { spans[i].output = activation }
        }
        self.layout = OutputLayout(spans: spans)
        self.conditionSpan = conditionSpan
        let conditionWidth = conditionSpan.map { layout.spans[$0].width } ?? 0
        var g = rng.child("generator"), d = rng.child("discriminator")
        let input = options.noiseSize + conditionWidth
        switch options.architecture {
        case .mlp(let widths):
            generator = MLPGenerator(inputSize: input, widths: widths, outputWidth: layout.width, slope: options.leakySlope,
                                     normalization: options.generatorNormalization, dropout: options.generatorDropout, rng: &g)
        case .attention(let trunk, let tokenWidth, let heads, let blocks, let feedForward):
            generator = AttentionGenerator(inputSize: input, trunkWidths: trunk, columnWidths: layout.columnWidths, tokenWidth: tokenWidth,
                                           heads: heads, blocks: blocks, feedForwardWidth: feedForward, slope: options.leakySlope,
                                           normalization: options.generatorNormalization, dropout: options.generatorDropout, rng: &g)
        }
        discriminator = Discriminator(inputWidth: layout.width, widths: options.discriminatorWidths, slope: options.discriminatorLeakySlope ?? options.leakySlope,
                                      dropout: options.discriminatorDropout, normalization: options.discriminatorNormalization,
                                      pac: options.pac, rng: &d)
        generatorOptimizer = Adam(parameters: generator.parameters, learningRate: options.generatorLearningRate,
                                  beta1: options.beta1, beta2: options.beta2, weightDecay: options.weightDecay)
        discriminatorOptimizer = Adam(parameters: discriminator.parameters, learningRate: options.discriminatorLearningRate,
                                      beta1: options.beta1, beta2: options.beta2, weightDecay: options.weightDecay)
    }

    // MARK: Forward passes

    /// Generated encoded rows [N, W] for noise and (optional) condition one-hots [N, K].
    func generate(noise: Tensor, condition: Tensor?, hard: Bool, rng: inout RandomStream) -> Tensor {
        let input = condition.map { Tensor.concatenate(columns: [noise, $0]) } ?? noise
        let activated = activateSpans(generator(input), layout: layout, temperature: options.gumbelTemperature, hard: hard, rng: &rng)
        guard let condition, let c = conditionSpan else { return activated }
        // The condition column is exactly the condition: replace its span.
        let s = layout.spans[c]
        var parts: [Tensor] = []
        if s.start > 0 { parts.append(activated.slice(columns: 0..<s.start)) }
        parts.append(condition)
        if s.start + s.width < layout.width { parts.append(activated.slice(columns: (s.start + s.width)..<layout.width)) }
        return Tensor.concatenate(columns: parts)
    }

    /// Standard normal noise [rows, Z]: Box–Muller in Float using both values of each pair
    /// (r·cos θ and r·sin θ), a third of the transcendental calls of `RandomStream.fillNormal`;
    /// chunks of rows are drawn in parallel from their own streams (`parallelRandomFill`).
    func noise(_ rows: Int, rng: inout RandomStream) -> Tensor {
        let z = Tensor(uninitializedShape: [rows, options.noiseSize])
        let values = SendablePointer(z.data)
        parallelRandomFill(count: z.count, rng: &rng) { stream, range in
            var i = range.lowerBound
            while i < range.upperBound {
                let u1 = Float(stream.nextOpenUniform()), u2 = Float(stream.nextUniform())
                let radius = (-2 * Foundation.log(u1)).squareRoot(), angle = 2 * Float.pi * u2
                values.base[i] = radius * Foundation.cos(angle)
                if i + 1 < range.upperBound { values.base[i + 1] = radius * Foundation.sin(angle) }
                i += 2
            }
        }
        return z
    }

    // MARK: Sampling

    /// `rows` encoded rows [rows × W], generated in eval mode with hard categorical samples.
    /// With a condition span, `conditionLevel` fixes the condition (nil: drawn from the train frequencies).
    public func sampleEncoded(rows: Int, conditionLevel: Int? = nil, rng: inout RandomStream) -> [Float] {
        generator.setTraining(false)
        defer { generator.setTraining(true) }
        var result: [Float] = []
        result.reserveCapacity(rows * layout.width)
        let batch = max(1, options.batchSize)
        var done = 0
        while done < rows {
            let n = min(batch, rows - done)
            let out = GradMode.withoutGrad { () -> Tensor in
                let z = noise(n, rng: &rng)
                let condition = conditionSpan.map { c in
                    conditionOneHots(levels: (0..<n).map { _ in conditionLevel ?? drawCondition(&rng) }, width: layout.spans[c].width)
                }
                return generate(noise: z, condition: condition, hard: true, rng: &rng)
            }
            result.append(contentsOf: UnsafeBufferPointer(start: out.data, count: out.count))
            done += n
        }
        return result
    }

    func drawCondition(_ rng: inout RandomStream) -> Int {
        var u = rng.nextUniform()
        for (k, p) in conditionFrequencies.enumerated() {
            u -= p
            if u < 0 { return k }
        }
        return max(conditionFrequencies.count - 1, 0)
    }

    func conditionOneHots(levels: [Int], width: Int) -> Tensor {
        let t = Tensor(shape: [levels.count, width], repeating: 0)
        for (r, k) in levels.enumerated() { t.data[r * width + k] = 1 }
        return t
    }

    /// Restores the condition-level frequencies saved with a checkpoint.
    public func restoreConditionFrequencies(_ frequencies: [Double]) { conditionFrequencies = frequencies }

    func setConditionFrequencies(_ levels: [Int], width: Int) {
        var counts = [Double](repeating: 0, count: width)
        for k in levels { counts[k] += 1 }
        let total = max(counts.reduce(0, +), 1)
        conditionFrequencies = counts.map { $0 / total }
    }

    // MARK: State

    /// Generator parameters and buffers, in a stable order (what a checkpoint stores).
    public var generatorState: [(String, Tensor)] { generator.namedState() }

    /// Mean attention maps per block (F×F), from a recorded forward pass over `rows` samples.
    public func attentionMaps(rows: Int, rng: inout RandomStream) -> [[Float]] {
        guard let attention = generator as? AttentionGenerator, !attention.blocks.isEmpty else { return [] }
        attention.recordAttention(true)
        defer { attention.recordAttention(false) }
        _ = sampleEncoded(rows: rows, rng: &rng)
        return attention.attentionMaps
    }
}
