// The GAN training loop, after llm.c's main and nanoGPT's phase order: `discriminatorStep` and
// `generatorStep` do one update each and return their statistics; `train` only schedules steps,
// validation, logging, best-checkpoint keeping and early stopping.

import TensorKit
import NeuralNet

/// One row of `training_log.csv`.
public struct TrainingLogRow: Sendable, Equatable {
    public var step: Int
    public var discriminatorLoss: Float
    public var generatorLoss: Float
    public var correlationLoss: Float
    public var gradientPenalty: Float
    public var discriminatorGradientNorm: Float
    public var generatorGradientNorm: Float
    /// The checkpoint criterion on the validation slice and its two parts (NaN when not validated
    /// at this step; see `ShippedSampleValidator`).
    public var validationScore: Double
    public var validationCorrelationGap: Double
    public var validationMarginalDistance: Double

    public static let csvHeader = "step,discriminator_loss,generator_loss,correlation_loss,gradient_penalty,discriminator_grad_norm,generator_grad_norm,validation_score,validation_correlation_gap,validation_marginal_distance"
    public var csvLine: String {
        let validation = [validationScore, validationCorrelationGap, validationMarginalDistance].map { $0.isNaN ? "" : "\($0)" }
        return "\(step),\(discriminatorLoss),\(generatorLoss),\(correlationLoss),\(gradientPenalty),\(discriminatorGradientNorm),\(generatorGradientNorm),"
            + validation.joined(separator: ",")
    }
}

/// Training stopped because a loss or gradient became NaN or infinite.
public struct TrainingDivergedError: Error, CustomStringConvertible {
    public let step: Int
    public let quantity: String
    public let lastGoodStep: Int
    public var description: String {
        "training diverged at step \(step): \(quantity) is not finite. The generator was restored to its last good state (step \(lastGoodStep)). Try a lower learning rate, a gradient clip (training.gradientClipNorm), or the wganGP loss."
    }
}

/// Encoded training rows and, when conditional, each row's condition level.
public struct TrainingData {
    public let encoded: [Float]
    public let rows: Int
    public let layout: OutputLayout
    /// Index into `layout.spans` of the condition column's softmax span, if conditional.
    public let conditionSpan: Int?

    public init(encoded: [Float], rows: Int, layout: OutputLayout, conditionSpan: Int? = nil) {
        precondition(encoded.count == rows * layout.width, "TrainingData: \(encoded.count) values is not \(rows) rows × \(layout.width)")
        self.encoded = encoded
        self.rows = rows
        self.layout = layout
        self.conditionSpan = conditionSpan
    }

    /// Condition level of each row (argmax of its condition span).
    func conditionLevels() -> [Int]? {
        guard let c = conditionSpan else { return nil }
        let s = layout.spans[c]
        return (0..<rows).map { r in
            var best = 0
            for k in 1..<s.width where encoded[r * layout.width + s.start + k] > encoded[r * layout.width + s.start + best] { best = k }
            return best
        }
    }
}

/// What the training loop produced.
public struct TrainingOutcome {
    public var log: [TrainingLogRow]
    public var stepsRun: Int
    /// Steps the run was planned for (`GANOptions.trainingSteps(rows:)`).
    public var plannedSteps: Int
    /// Step whose generator was kept (one-standard-error rule on the validation score, or the last step).
    public var keptStep: Int
    /// The kept generator's validation score (nil without validation).
    public var keptScore: ValidationScore?

    public init(log: [TrainingLogRow], stepsRun: Int, plannedSteps: Int, keptStep: Int, keptScore: ValidationScore?) {
        self.log = log
        self.stepsRun = stepsRun
        self.plannedSteps = plannedSteps
        self.keptStep = keptStep
        self.keptScore = keptScore
    }
}
