// Every knob of a GAN synthesizer, with defaults that hold across datasets. The experiment
// config maps onto these one for one (see docs/CONFIG.md).

import NeuralNet

/// Which adversarial objective to train with; the config's `training.loss` takes these names.
public enum AdversarialLoss: String, Sendable, Codable, CaseIterable {
    /// Wasserstein critic with gradient penalty (Gulrajani et al. 2017).
    case wganGP
    /// Non-saturating BCE; real labels may be smoothed (one-sided).
    case bce
    /// Hinge loss (Lim & Ye 2017).
    case hinge
}

/// Architecture of the generator.
public enum GeneratorArchitecture: Sendable, Equatable, Codable {
    /// Dense layers of `widths` then a linear map to the encoded row.
    case mlp(widths: [Int])
    /// Trunk, column tokens, attention blocks, per-column heads.
    case attention(trunkWidths: [Int], tokenWidth: Int, heads: Int, blocks: Int, feedForwardWidth: Int)
}

/// Full description of a GAN synthesizer.
public struct GANOptions: Sendable, Equatable, Codable {
    public var architecture: GeneratorArchitecture = .attention(trunkWidths: [256, 256], tokenWidth: 16, heads: 2, blocks: 1, feedForwardWidth: 32)
    public var noiseSize = 128
    public var generatorNormalization: Normalization = .batch
    public var generatorDropout: Float = 0
    /// Negative slope of the generator's leaky ReLUs.
    public var leakySlope: Float = 0.2
    /// Negative slope of the critic's leaky ReLUs; nil: `leakySlope` (optional so that model files
    /// written before it existed still load).
    public var discriminatorLeakySlope: Float? = nil
    public var gumbelTemperature: Float = 0.2
    /// Overrides every value span's activation (nil: as the transform says).
    public var valueActivation: SpanOutput? = nil

    public var discriminatorWidths = [256, 256]
    public var discriminatorDropout: Float = 0.5
    public var discriminatorNormalization: Normalization = .none
    public var pac = 1

    public var loss: AdversarialLoss = .wganGP
    /// Generator steps; nil: they follow the data (`trainingSteps(rows:)`).
    public var steps: Int? = nil
    public var batchSize = 500
    public var criticSteps = 1
    public var generatorLearningRate: Float = 2e-4
    public var discriminatorLearningRate: Float = 2e-4
    public var beta1: Float = 0.5
    public var beta2: Float = 0.9
    public var weightDecay: Float = 0
    public var gradientPenalty: Float = 10
    /// Target for real rows with BCE (1 = no smoothing).
    public var labelSmoothing: Float = 1
    public var gradientClipNorm: Float? = nil
    public var logEvery = 50
    public var validateEvery = 200
    public var earlyStoppingPatience: Int? = nil
    public var trainingBySampling = false
    /// Decay of the exponential moving average of the generator's weights; the average is what is
    /// validated, kept and sampled. nil or 0: the raw weights (optional so that model files written
    /// before it existed still load; how the default was chosen: docs/ARCHITECTURE.md).
    public var averageDecay: Float? = 0.999
    /// Weight μ of the marginal term (`MarginalLoss`, targets from `Synthesizer.marginalTerm`):
    /// each generated continuous numeric value is pulled towards the fit rows' encoded value of its
    /// rank in the batch. nil or 0: off (optional so that model files written before it existed load
    /// without it; how the default was chosen: docs/ARCHITECTURE.md).
    public var marginalWeight: Float? = 10

    public var correlation = CorrelationLossOptions()
    /// Include one-hot category columns in the constrained correlation matrix.
    public var correlationIncludesCategorical = false
    /// One C_train per class of the condition column, applied to that class's rows.
    public var classConditionalCorrelation = false

    public init() {}

    /// Generator steps for `rows` fit rows: `steps` when set, else `epochs` passes over the rows in
    /// batches of min(batchSize, rows), clamped to `stepRange` (large tables get more steps, tiny
    /// ones do not run thousands of epochs).
    public func trainingSteps(rows: Int) -> Int {
        if let steps { return steps }
        let perEpoch = Double(max(rows, 1)) / Double(max(min(batchSize, rows), 1))
        let wanted = Int((Self.autoEpochs * perEpoch).rounded(.up))
        return min(max(wanted, Self.autoStepRange.lowerBound), Self.autoStepRange.upperBound)
    }

    /// Passes over the fit rows when `steps` is nil (how it was chosen: docs/ARCHITECTURE.md).
    public static let autoEpochs = 150.0
    /// Bounds of the data-driven step count.
    public static let autoStepRange = 2000...6000
}
