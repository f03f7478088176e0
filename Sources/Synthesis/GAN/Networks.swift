// Generator and discriminator networks. The attention generator turns noise into one token per
// table column, lets tokens attend to each other, and decodes each token with its own head.
// All map inputs to raw (pre-activation) encoded rows; `activateSpans` applies the heads.

import TensorKit
import NeuralNet

/// Hidden-layer normalisation; the config's `generator.normalization` and
/// `discriminator.normalization` take these names.
public enum Normalization: String, Sendable, Codable, CaseIterable { case batch, layer, none }

/// Linear → LeakyReLU → [norm] → [dropout] per width: the MLP body shared by all networks.
func mlpBody(inputSize: Int, widths: [Int], slope: Float, normalization: Normalization, dropout: Float,
             rng: inout RandomStream) -> [any Layer] {
    var layers: [any Layer] = []
    var size = inputSize
    for (i, w) in widths.enumerated() {
        layers.append(Linear(inputSize: size, outputSize: w, initializer: .heUniform(slope: slope), rng: &rng))
        layers.append(Activation(.leakyReLU(slope: slope)))
        switch normalization {
        case .batch: layers.append(BatchNorm(features: w))
        case .layer: layers.append(LayerNorm(features: w))
        case .none: break
        }
        if dropout > 0 { layers.append(Dropout(rate: dropout, rng: rng.child("dropout.\(i)"))) }
        size = w
    }
    return layers
}

/// noise [N, Z] → MLP → raw encoded rows [N, W].
public final class MLPGenerator: Layer {
    let network: Sequential

    public init(inputSize: Int, widths: [Int], outputWidth: Int, slope: Float = 0.2,
                normalization: Normalization = .batch, dropout: Float = 0, rng: inout RandomStream) {
        var layers = mlpBody(inputSize: inputSize, widths: widths, slope: slope, normalization: normalization, dropout: dropout, rng: &rng)
        layers.append(Linear(inputSize: widths.last ?? inputSize, outputSize: outputWidth, rng: &rng))
        network = Sequential(layers)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { network(x) }
    public func namedParameters() -> [(String, Tensor)] { network.namedParameters() }
    public func namedBuffers() -> [(String, Tensor)] { network.namedBuffers() }
    public func setTraining(_ training: Bool) { network.setTraining(training) }
}

/// noise [N, Z] → trunk → F tokens of width E (+ learned column embeddings) → L ColumnAttention
/// blocks → per-column heads → raw encoded rows [N, W]. Column j's head maps its token to that
/// column's encoded width; all heads run as one block-diagonal product.
public final class AttentionGenerator: Layer {
    let trunk: Sequential
    let toTokens: Linear
    public let columnEmbedding: Tensor
    public let blocks: [ColumnAttention]
    let headWeight: Tensor, headBias: Tensor, headMask: Tensor
    public let columnCount: Int, tokenWidth: Int

    public init(inputSize: Int, trunkWidths: [Int], columnWidths: [Int], tokenWidth: Int, heads: Int, blocks blockCount: Int,
                feedForwardWidth: Int, slope: Float = 0.2, normalization: Normalization = .batch, dropout: Float = 0,
                rng: inout RandomStream) {
        let f = columnWidths.count, e = tokenWidth, w = columnWidths.reduce(0, +)
        columnCount = f
        self.tokenWidth = e
        trunk = Sequential(mlpBody(inputSize: inputSize, widths: trunkWidths, slope: slope, normalization: normalization, dropout: dropout, rng: &rng))
        toTokens = Linear(inputSize: trunkWidths.last ?? inputSize, outputSize: f * e, rng: &rng)
        columnEmbedding = Tensor(shape: [f, e], repeating: 0, requiresGrad: true)
        var embeddingRng = rng.child("columnEmbedding")
        embeddingRng.fillNormal(columnEmbedding.buffer, std: 0.1)
        blocks = (0..<blockCount).map { _ in ColumnAttention(width: e, heads: heads, feedForwardWidth: feedForwardWidth, slope: slope, rng: &rng) }
        // Block-diagonal head weights [F·E, W]: token j feeds only column j's outputs.
        let mask = Tensor(shape: [f * e, w], repeating: 0)
        let weight = Initializer.xavierUniform.make([f * e, w], fanIn: e, fanOut: 1, rng: &rng)
        var start = 0
        for (j, width) in columnWidths.enumerated() {
            for r in (j * e)..<((j + 1) * e) { for c in start..<(start + width) { mask.data[r * w + c] = 1 } }
            start += width
        }
        for i in 0..<weight.count { weight.data[i] *= mask.data[i] }
        headWeight = weight
        headMask = mask
        headBias = Tensor(shape: [w], repeating: 0, requiresGrad: true)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let n = x.shape[0]
        var tokens = toTokens(trunk(x)).reshaped([n, columnCount, tokenWidth]) + columnEmbedding
        for block in blocks { tokens = block(tokens) }
        return tokens.reshaped([n, columnCount * tokenWidth]).matmul(headWeight * headMask) + headBias
    }

    /// Mean attention map of each block from the last forward pass with recording on (F×F each).
    public var attentionMaps: [[Float]] { blocks.map(\.lastAttention) }

    /// Turns attention-map recording on or off for every block.
    public func recordAttention(_ on: Bool) { blocks.forEach { $0.recordsAttention = on } }

    public func namedParameters() -> [(String, Tensor)] {
        prefixed("trunk", trunk.namedParameters()) + prefixed("toTokens", toTokens.namedParameters())
            + [("columnEmbedding", columnEmbedding)]
            + blocks.enumerated().flatMap { prefixed("block\($0.offset)", $0.element.namedParameters()) }
            + [("head.weight", headWeight), ("head.bias", headBias)]
    }

    public func namedBuffers() -> [(String, Tensor)] { prefixed("trunk", trunk.namedBuffers()) }

    public func setTraining(_ training: Bool) {
        trunk.setTraining(training)
        blocks.forEach { $0.setTraining(training) }
    }
}

/// Critic / discriminator: rows [N, W] packed `pac` at a time → [N/pac, pac·W] → MLP → [N/pac, 1].
public final class Discriminator: Layer {
    let network: Sequential
    public let pac: Int
    public let inputWidth: Int

    public init(inputWidth: Int, widths: [Int], slope: Float = 0.2, dropout: Float = 0.5,
                normalization: Normalization = .none, pac: Int = 1, rng: inout RandomStream) {
        precondition(pac >= 1, "Discriminator: pac must be ≥ 1")
        self.pac = pac
        self.inputWidth = inputWidth
        var layers = mlpBody(inputSize: inputWidth * pac, widths: widths, slope: slope, normalization: normalization, dropout: dropout, rng: &rng)
        layers.append(Linear(inputSize: widths.last ?? inputWidth * pac, outputSize: 1, rng: &rng))
        network = Sequential(layers)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.shape[0] % pac == 0, "Discriminator: batch \(x.shape[0]) is not a multiple of pac \(pac)")
        return network(pac == 1 ? x : x.reshaped([x.shape[0] / pac, pac * x.shape[1]]))
    }

    public func namedParameters() -> [(String, Tensor)] { network.namedParameters() }
    public func namedBuffers() -> [(String, Tensor)] { network.namedBuffers() }
    public func setTraining(_ training: Bool) { network.setTraining(training) }
}

/// Applies each span's activation to raw outputs [N, W]: identity, tanh, or Gumbel-softmax for
/// categorical groups (soft while training, hard one-hot samples when `hard`). Runs of equal
/// non-softmax activations are handled as one slice.
public func activateSpans(_ raw: Tensor, layout: OutputLayout, temperature: Float, hard: Bool,
                          rng: inout RandomStream) -> Tensor {
    if layout.spans.allSatisfy({ $0.output == .identity }) { return raw }
    var parts: [Tensor] = []
    var i = 0
    let spans = layout.spans
    while i < spans.count {
        let s = spans[i]
        if s.output == .softmax {
            parts.append(raw.slice(columns: s.range).gumbelSoftmax(temperature: temperature, hard: hard, rng: &rng))
            i += 1
            continue
        }
        var end = s.start + s.width
        var j = i + 1
        while j < spans.count && spans[j].output == s.output { end += spans[j].width; j += 1 }
        let slice = raw.slice(columns: s.start..<end)
        parts.append(s.output == .tanh ? slice.tanh() : slice)
        i = j
    }
    return parts.count == 1 ? parts[0] : Tensor.concatenate(columns: parts)
}
