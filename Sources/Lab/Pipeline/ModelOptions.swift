// Maps the experiment config onto the synthesis and evaluation options. One place, so a config key
// and the code it drives are easy to trace. Keys that decode a library enum are copied; the other
// config enums map by exhaustive switches, so a new case is a compile error here, never a fallback.

import TabularData
import Synthesis
import Evaluation

extension ExperimentConfig {
    /// The synthesizer `generator.type` names, with its transforms and post-processing.
    var synthesizerOptions: SynthesizerOptions {
        let g = generator
        let kind: SynthesizerKind = switch g.type {
        case .identity: .identity
        case .independent: .independent
        case .gaussianCopula: .gaussianCopula
        case .mlp: .gan(ganOptions(.mlp(widths: g.trunkWidths)))
        case .attention:
            .gan(ganOptions(.attention(trunkWidths: g.trunkWidths, tokenWidth: g.tokenWidth, heads: g.heads, blocks: g.blocks,
                                       feedForwardWidth: g.feedForwardWidth)))
        }
        return SynthesizerOptions(kind: kind, transform: transformOptions, matchMarginals: generation.matchMarginals,
                                  conditionColumn: g.conditionColumn, draws: generation.draws)
    }

    /// The GAN with the given generator architecture, as `generator`, `discriminator`, `training`
    /// and `correlation` describe it.
    func ganOptions(_ architecture: GeneratorArchitecture) -> GANOptions {
        var o = GANOptions()
        let g = generator, d = discriminator, t = training
        o.architecture = architecture
        o.noiseSize = g.noiseSize
        o.generatorNormalization = g.normalization
        o.generatorDropout = Float(g.dropout)
        o.leakySlope = Float(g.leakySlope)
        o.gumbelTemperature = Float(g.gumbelTemperature)
        o.valueActivation = switch g.outputActivation {
        case .auto: nil
        case .tanh: .tanh
        case .identity: .identity
        }
        o.discriminatorWidths = d.widths
        o.discriminatorLeakySlope = Float(d.leakySlope)
        o.discriminatorDropout = Float(d.dropout)
        o.discriminatorNormalization = d.normalization
        o.pac = d.pac
        o.loss = t.loss
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
        o.marginalWeight = t.marginalWeight > 0 ? Float(t.marginalWeight) : nil
        o.correlation = CorrelationLossOptions(weight: Float(correlation.weight), norm: correlation.norm, weighting: correlation.weighting,
                                               warmupSteps: correlation.warmupSteps)
        o.correlationIncludesCategorical = correlation.includeCategorical
        o.classConditionalCorrelation = correlation.classConditional
        return o
    }

    /// Transform options from the `transform` section.
    var transformOptions: TransformOptions {
        var o = TransformOptions()
        o.numeric = transform.numeric
        o.maxModes = transform.maxModes
        o.missingIndicators = transform.missingIndicators
        return o
    }

    /// Evaluation options from the `evaluation` section, seeded by the run's seed.
    func evaluationOptions(seed: Int) -> EvaluationOptions {
        EvaluationOptions(
            targetColumn: evaluation.target, bootstrapReplicates: evaluation.bootstrap, detectionFolds: evaluation.detectionFolds,
            seed: UInt64(seed), metrics: evaluation.metrics)
    }
}
