// Maps the experiment config onto the synthesis and evaluation options, and the fitted transform's
// span record onto the generator's output layout. One place, so a config key and the code it
// drives are easy to trace.

import TabularData
import Synthesis
import Evaluation

extension ExperimentConfig {
    /// The GAN described by `generator`, `discriminator`, `training` and `correlation`.
    var ganOptions: GANOptions {
        var o = GANOptions()
        let g = generator, d = discriminator, t = training
        o.architecture = g.type == .mlp
            ? .mlp(widths: g.trunkWidths)
            : .attention(trunkWidths: g.trunkWidths, tokenWidth: g.tokenWidth, heads: g.heads, blocks: g.blocks, feedForwardWidth: g.feedForwardWidth)
        o.noiseSize = g.noiseSize
        o.generatorNormalization = Synthesis.Normalization(rawValue: g.normalization.rawValue) ?? .batch
        o.generatorDropout = Float(g.dropout)
        o.leakySlope = Float(g.leakySlope)
        o.gumbelTemperature = Float(g.gumbelTemperature)
        o.valueActivation = switch g.outputActivation {
        case .auto: nil
        case .tanh: .tanh
        case .identity: .identity
        }
        o.discriminatorWidths = d.widths
        o.discriminatorDropout = Float(d.dropout)
        o.discriminatorNormalization = Synthesis.Normalization(rawValue: d.normalization.rawValue) ?? .none
        o.pac = d.pac
        o.loss = switch t.loss {
        case .bce: .bce
        case .wganGP: .wganGP
        case .hinge: .hinge
        }
        o.steps = t.steps
        o.batchSize = t.batchSize
        o.criticSteps = t.criticSteps
        o.generatorLearningRate = Float(t.generatorLearningRate)
        o.discriminatorLearningRate = Float(t.discriminatorLearningRate)
        o.beta1 = Float(t.beta1)
        o.beta2 = Float(t.beta2)
        o.weightDecay = Float(t.weightDecay)
        o.gradientPenalty = Float(t.gradientPenalty)
        o.labelSmoothing = Float(t.labelSmoothing)
        o.gradientClipNorm = t.gradientClipNorm.map(Float.init)
        o.logEvery = t.logEvery
        o.validateEvery = t.validateEvery
        o.earlyStoppingPatience = t.earlyStoppingPatience
        o.trainingBySampling = t.trainingBySampling
        o.averageDecay = t.averageDecay > 0 ? Float(t.averageDecay) : nil
        o.correlation = CorrelationLossOptions(
            weight: Float(correlation.weight),
            norm: correlation.norm == .squared ? .squared : .absolute,
            weighting: correlation.weighting == .uniform ? .uniform : .magnitude,
            warmupSteps: correlation.warmupSteps)
        o.correlationIncludesCategorical = correlation.includeCategorical
        o.classConditionalCorrelation = correlation.classConditional
        return o
    }

    /// The synthesizer `generator.type` names, with its transforms and post-processing.
    var synthesizerOptions: SynthesizerOptions {
        let kind: SynthesizerKind = switch generator.type {
        case .identity: .identity
        case .independent: .independent
        case .gaussianCopula: .gaussianCopula
        case .mlp, .attention: .gan(ganOptions)
        }
        return SynthesizerOptions(kind: kind, transform: transformOptions, matchMarginals: generation.matchMarginals,
                                  conditionColumn: generator.conditionColumn)
    }

    /// Transform options from the `transform` section.
    var transformOptions: TransformOptions {
        var o = TransformOptions()
        o.numeric = switch transform.numeric {
        case .standard: .standard
        case .minMax: .minMax
        case .quantileNormal: .quantileNormal
        case .modeSpecific: .modeSpecific
        }
        o.maxModes = transform.maxModes
        o.missingIndicators = transform.missingIndicators
        return o
    }

    /// Evaluation options from the `evaluation` section, seeded by the run's seed.
    func evaluationOptions(seed: Int) -> EvaluationOptions {
        EvaluationOptions(
            targetColumn: evaluation.target, bootstrapReplicates: evaluation.bootstrap, detectionFolds: evaluation.detectionFolds,
            seed: UInt64(seed), metrics: evaluation.metrics.compactMap { MetricFamily(rawValue: $0.rawValue) })
    }
}
