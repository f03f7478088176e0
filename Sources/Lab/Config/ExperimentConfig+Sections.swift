// The model, training, correlation-constraint, generation and evaluation sections of the
// experiment config, each with its JSON keys declared once in `fields`. Defaults are the
// property initial values; cross-field checks live in `finish`. Where a key names a library enum
// (normalisation, adversarial loss, correlation norm and weighting, metric families) it decodes
// that enum itself, so the valid names are declared once, in the library.

import Synthesis
import Evaluation

/// The generator network (or a baseline that needs no training).
public struct GeneratorConfig: Sendable, Equatable {
    public enum GeneratorType: String, Sendable, CaseIterable {
        case attention, mlp, identity, independent, gaussianCopula
    }
    public enum OutputActivation: String, Sendable, CaseIterable {
        case auto, tanh, identity
    }

    public var type = GeneratorType.attention
    public var noiseSize = 128
    public var trunkWidths = [256, 256]
    public var tokenWidth = 16
    public var heads = 2
    public var blocks = 1
    public var feedForwardWidth = 32
    public var dropout = 0.0
    public var normalization = Normalization.batch
    public var leakySlope = 0.2
    public var outputActivation = OutputActivation.auto
    public var conditionColumn: String? = nil
    public var gumbelTemperature = 0.2

    public init() {}
}

extension GeneratorConfig: ConfigSection {
    static var summary: String { "The generator: self-attention across column tokens, a plain MLP, or a baseline." }

    static var fields: [ConfigField<GeneratorConfig>] {
        [
            ConfigField("type", \.type, .enumeration(GeneratorType.self),
                        "Generator: attention GAN, MLP GAN, or a baseline needing no training (identity copies train rows, independent samples marginals, gaussianCopula)."),
            ConfigField("noiseSize", \.noiseSize, .integer(minimum: 1), "Length of the noise vector z."),
            ConfigField("trunkWidths", \.trunkWidths, .array(of: .integer(minimum: 1)), "Hidden widths of the MLP trunk (the whole network for `mlp`)."),
            ConfigField("tokenWidth", \.tokenWidth, .integer(minimum: 1), "Width e of each column token; a multiple of `heads`."),
            ConfigField("heads", \.heads, .integer(minimum: 1), "Attention heads per block."),
            ConfigField("blocks", \.blocks, .integer(minimum: 0), "Self-attention blocks across column tokens."),
            ConfigField("feedForwardWidth", \.feedForwardWidth, .integer(minimum: 1), "Hidden width of each block's feed-forward layer."),
            ConfigField("dropout", \.dropout, .number(.interval("[", 0, 1, ")")), "Dropout rate in the generator."),
            ConfigField("normalization", \.normalization, .enumeration(Normalization.self), "Normalisation in the trunk."),
            ConfigField("leakySlope", \.leakySlope, .number(.atLeast(0)),
                        "Negative slope of the generator's leaky ReLUs (0 gives ReLU)."),
            ConfigField("outputActivation", \.outputActivation, .enumeration(OutputActivation.self),
                        "Activation of numeric outputs; `auto` picks tanh for min-max encodings and identity otherwise."),
            ConfigField("conditionColumn", \.conditionColumn, .optional(DataConfig.columnName),
                        "Categorical column the generator is conditioned on (CTGAN-style); null for none."),
            ConfigField("gumbelTemperature", \.gumbelTemperature, .number(.above(0)), "Temperature of the Gumbel-softmax for categorical outputs."),
        ]
    }

    mutating func finish(_ context: SectionContext) throws(ConfigError) {
        if tokenWidth % heads != 0 {
            throw context.invalid("tokenWidth", "tokenWidth (\(tokenWidth)) must be a multiple of heads (\(heads)) so each head gets tokenWidth/heads dimensions")
        }
    }
}

/// The discriminator (critic) network.
public struct DiscriminatorConfig: Sendable, Equatable {
    public var widths = [256, 256]
    public var dropout = 0.5
    public var normalization = Normalization.none
    public var leakySlope = 0.2
    public var pac = 1

    public init() {}
}

extension DiscriminatorConfig: ConfigSection {
    static var summary: String { "The discriminator (critic): an MLP, optionally packing rows (PacGAN)." }

    static var fields: [ConfigField<DiscriminatorConfig>] {
        [
            ConfigField("widths", \.widths, .array(of: .integer(minimum: 1)), "Hidden widths of the MLP."),
            ConfigField("dropout", \.dropout, .number(.interval("[", 0, 1, ")")), "Dropout rate after each hidden layer."),
            ConfigField("normalization", \.normalization, .enumeration(Normalization.self),
                        "Normalisation after each hidden layer (keep `none` or `layer` with WGAN-GP)."),
            ConfigField("leakySlope", \.leakySlope, .number(.atLeast(0)),
                        "Negative slope of the discriminator's leaky ReLUs (0 gives ReLU)."),
            ConfigField("pac", \.pac, .integer(minimum: 1), "Rows packed into one critic input (PacGAN); must divide `training.batchSize`."),
        ]
    }
}

/// Optimisation of the GAN.
public struct TrainingConfig: Sendable, Equatable {
    public var loss = AdversarialLoss.wganGP
    public var steps: Int? = nil
    public var batchSize = 500
    public var criticSteps = 1
    public var generatorLearningRate = 2e-4
    public var discriminatorLearningRate = 2e-4
    public var beta1 = 0.5
    public var beta2 = 0.9
    public var weightDecay = 0.0
    public var gradientPenalty = 10.0
    public var labelSmoothing = 1.0
    public var gradientClipNorm: Double? = nil
    public var logEvery = 50
    public var validateEvery = 200
    public var earlyStoppingPatience: Int? = nil
    public var trainingBySampling = false
    public var averageDecay = 0.999
    public var marginalWeight = 10.0

    public init() {}
}

extension TrainingConfig: ConfigSection {
    static var summary: String { "The adversarial training loop: loss, steps, batches, Adam settings, early stopping." }

    static var fields: [ConfigField<TrainingConfig>] {
        [
            ConfigField("loss", \.loss, .enumeration(AdversarialLoss.self), "Adversarial loss: Wasserstein with gradient penalty, binary cross-entropy, or hinge."),
            ConfigField("steps", \.steps, .optional(.integer(minimum: 0)),
                        "Generator steps; null: they follow the data, 150 passes over the fit rows clamped to 2,000–6,000 steps (baselines need none)."),
            ConfigField("batchSize", \.batchSize, .integer(minimum: 2), "Rows per batch (at least 2: batch correlations and statistics need two rows); clamped to the fit rows, so a smaller table trains on all its rows every step."),
            ConfigField("criticSteps", \.criticSteps, .integer(minimum: 1), "Discriminator steps per generator step."),
            ConfigField("generatorLearningRate", \.generatorLearningRate, .number(.above(0)), "Adam learning rate of the generator."),
            ConfigField("discriminatorLearningRate", \.discriminatorLearningRate, .number(.above(0)), "Adam learning rate of the discriminator (TTUR when different)."),
            ConfigField("beta1", \.beta1, .number(.interval("[", 0, 1, ")")), "Adam β₁."),
            ConfigField("beta2", \.beta2, .number(.interval("[", 0, 1, ")")), "Adam β₂."),
            ConfigField("weightDecay", \.weightDecay, .number(.atLeast(0)), "Decoupled weight decay (AdamW); 0 for plain Adam."),
            ConfigField("gradientPenalty", \.gradientPenalty, .number(.atLeast(0)), "Weight of the WGAN-GP gradient penalty."),
            ConfigField("labelSmoothing", \.labelSmoothing, .number(.interval("(", 0, 1, "]")), "Target for real labels with `bce` (1 disables smoothing)."),
            ConfigField("gradientClipNorm", \.gradientClipNorm, .optional(.number(.above(0))), "Clip each network's gradient to this global L2 norm; null for no clipping."),
            ConfigField("logEvery", \.logEvery, .integer(minimum: 1), "Write a training-log row every this many steps."),
            ConfigField("validateEvery", \.validateEvery, .integer(minimum: 1), "Score the validation slice every this many steps."),
            ConfigField("earlyStoppingPatience", \.earlyStoppingPatience, .optional(.integer(minimum: 1)),
                        "Stop after this many validations without improvement; null to always run all steps."),
            ConfigField("trainingBySampling", \.trainingBySampling, .boolean,
                        "CTGAN's training-by-sampling: draw real rows by category of a categorical column so rare categories are seen in training."),
            ConfigField("averageDecay", \.averageDecay, .number(.interval("[", 0, 1, ")")),
                        "Decay of an exponential moving average of the generator's weights; the average is validated, kept and sampled. 0: the raw weights."),
            ConfigField("marginalWeight", \.marginalWeight, .number(.atLeast(0)),
                        "Weight of the marginal term: each generated continuous numeric value is pulled towards the fit rows' encoded value of its rank in the batch, so the generator's own marginals are the fit rows' and matching moves little; discrete columns are left out. 0: off."),
        ]
    }
}

/// The correlation-matrix loss term of the generator.
public struct CorrelationConfig: Sendable, Equatable {
    public var weight = 100.0
    public var norm = CorrelationLossOptions.Norm.squared
    public var weighting = CorrelationLossOptions.Weighting.uniform
    public var warmupSteps = 0
    public var includeCategorical = false
    public var classConditional = false

    public init() {}
}

extension CorrelationConfig: ConfigSection {
    static var summary: String {
        "The correlation constraint: λ · mean over pairs i<j of w_ij · |corr(fake)_ij − C_train_ij|^p, added to the generator loss."
    }

    static var fields: [ConfigField<CorrelationConfig>] {
        [
            ConfigField("weight", \.weight, .number(.atLeast(0)), "λ, the weight of the correlation loss; 0 gives the plain GAN exactly."),
            ConfigField("norm", \.norm, .enumeration(CorrelationLossOptions.Norm.self), "Penalty per pair: squared (p = 2) or absolute (p = 1) difference."),
            ConfigField("weighting", \.weighting, .enumeration(CorrelationLossOptions.Weighting.self), "Pair weights w_ij: uniform (1) or magnitude (|C_train_ij|)."),
            ConfigField("warmupSteps", \.warmupSteps, .integer(minimum: 0), "λ ramps linearly from 0 over this many generator steps."),
            ConfigField("includeCategorical", \.includeCategorical, .boolean, "Include one-hot columns in the matrix, not only numeric ones."),
            ConfigField("classConditional", \.classConditional, .boolean,
                        "Match the matrix within each level of `generator.conditionColumn` instead of over the whole batch."),
        ]
    }
}

/// How many synthetic rows to write.
public struct GenerationConfig: Sendable, Equatable {
    public var rows: Int? = nil
    public var matchMarginals = true
    public var draws = 8
    public init() {}
}

extension GenerationConfig: ConfigSection {
    static var summary: String { "Sampling the synthetic table after training." }

    static var fields: [ConfigField<GenerationConfig>] {
        [ConfigField("rows", \.rows, .optional(.integer(minimum: 1)), "Synthetic rows to generate; null for as many as the train split."),
         ConfigField("matchMarginals", \.matchMarginals, .boolean,
                     "Map each generated numeric column, rank for rank, onto the train split's empirical quantiles (GANs only): keeps the learned dependence (ranks), takes each marginal from the train split."),
         ConfigField("draws", \.draws, .integer(minimum: 1),
                     "Samples drawn per table (GANs only); the one whose Pearson matrix is closest to the fit rows' is shipped, and the checkpoint rule scores its sample the same way. 1: the single draw.")]
    }
}

/// Metrics computed on the held-out test split.
public struct EvaluationConfig: Sendable, Equatable {
    /// Target of the efficacy metric; after loading, `data.target` when the file leaves it null.
    public var target: String? = nil
    public var bootstrap = 200
    public var detectionFolds = 5
    /// The metric families a run computes; a new `MetricFamily` case is computed by default.
    public var metrics = MetricFamily.allCases

    public init() {}
}

extension EvaluationConfig: ConfigSection {
    static var summary: String { "Metrics on the held-out test split and their bootstrap intervals." }

    static var fields: [ConfigField<EvaluationConfig>] {
        [
            ConfigField("target", \.target, .optional(DataConfig.columnName), "Column predicted in the efficacy metric.",
                        defaultNote: "`data.target`"),
            ConfigField("bootstrap", \.bootstrap, .integer(minimum: 0), "Bootstrap resamples for 95 % intervals; 0 for none."),
            ConfigField("detectionFolds", \.detectionFolds, .integer(minimum: 2), "Cross-validation folds of the detection classifiers."),
            ConfigField("metrics", \.metrics, .array(of: .enumeration(MetricFamily.self), unique: true),
                        "Metric families to compute (the Evaluation module's `MetricFamily`), each written under its name in metrics.json."),
        ]
    }
}

/// Extra figures in each run's report.
public struct ReportConfig: Sendable, Equatable {
    public var imageWidth: Int? = nil
    public init() {}
}

extension ReportConfig: ConfigSection {
    static var summary: String { "Extra figures in each run's report." }

    static var fields: [ConfigField<ReportConfig>] {
        [ConfigField("imageWidth", \.imageWidth, .optional(.integer(minimum: 1)),
                     "Draw rows as grayscale images of this width from their numeric columns (8 for digits): real and synthetic, one row of images per class of generator.conditionColumn (or data.target); null for none.")]
    }
}
