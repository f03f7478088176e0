// What the GAN training loop (`GANModel+Training.swift`) takes and gives back: the encoded
// training rows, one `training_log.csv` row per logged step, the outcome (steps run, kept step and
// score) and the divergence error. The loop itself is not here.

import TensorKit
import NeuralNet

/// A logged training quantity: its `training_log.csv` column and its value.
public struct NamedScalar: Sendable, Equatable {
    public var name: String
    public var value: Float

    public init(_ name: String, _ value: Float) {
        self.name = name
        self.value = value
    }
}

/// One row of `training_log.csv`: the step, the step's losses and gradient norms as named scalars
/// (their names are the columns, in order) and, on validation steps, the checkpoint criterion. A
/// new loss term is one entry in `GANModel.generatorStep`'s term list; header and values follow.
public struct TrainingLogRow: Sendable, Equatable {
    public var step: Int
    public var scalars: [NamedScalar]
    /// The checkpoint criterion on the validation slice (nil when not validated at this step; see
    /// `ShippedSampleValidator`).
    public var validation: ValidationScore?

    public init(step: Int, scalars: [NamedScalar], validation: ValidationScore?) {
        self.step = step
        self.scalars = scalars
        self.validation = validation
    }

    /// The value logged in column `name`, or nil when there is no such column.
    public subscript(name: String) -> Float? { scalars.first { $0.name == name }?.value }

    /// The validation columns, written empty when not validated or NaN.
    static var validationColumns: [(name: String, value: (ValidationScore) -> Double)] { [
        ("validation_score", \.value), ("validation_correlation_gap", \.correlationGap),
        ("validation_marginal_distance", \.marginalDistance),
    ] }

    /// `training_log.csv`: a header from the first row's column names, then one line per row.
    public static func csv(_ rows: [TrainingLogRow]) -> String {
        guard let first = rows.first else { return "" }
        let header = ["step"] + first.scalars.map(\.name) + validationColumns.map(\.name)
        return ([header.joined(separator: ",")] + rows.map { row in
            precondition(row.scalars.map(\.name) == first.scalars.map(\.name), "training log: step \(row.step) has other columns")
            let validation = validationColumns.map { column in row.validation.map(column.value).map { $0.isNaN ? "" : "\($0)" } ?? "" }
            return (["\(row.step)"] + row.scalars.map { "\($0.value)" } + validation).joined(separator: ",")
        }).joined(separator: "\n") + "\n"
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
