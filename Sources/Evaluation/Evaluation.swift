// The Evaluation module's entry point: `evaluate(train:test:synthetic:options:)` scores a synthetic
// table against the held-out test split (with the train split as floor and for privacy) and
// returns one Codable report. Metric definitions: docs/METRICS.md. Same inputs + seed → same report.

import TabularData
import TensorKit

/// A family of metrics that `evaluate` can compute; the config's `evaluation.metrics` takes these names.
public enum MetricFamily: String, Codable, Sendable, CaseIterable {
    case pearson, spearman, associations, marginals, detection, efficacy, privacy
}

/// What `evaluate` computes and how. Keys match the config's camelCase; absent keys take defaults.
public struct EvaluationOptions: Codable, Sendable, Equatable {
    /// Column predicted by the efficacy metric; nil skips efficacy.
    public var targetColumn: String?
    /// Bootstrap replicates for the correlation-difference interval (0 = none). Default 200.
    public var bootstrapReplicates: Int
    /// Cross-validation folds for detection (≥ 2). Default 5.
    public var detectionFolds: Int
    /// Root seed; every random draw (shuffles, bootstrap, folds, subsamples) derives from it.
    public var seed: UInt64
    /// Families to compute. Default: all.
    public var metrics: [MetricFamily]
    /// |ρ_reference| above which a pair counts as strong for `strongPairScore`. Default 0.5.
    public var strongCorrelationThreshold: Double
    /// scikit-learn's C for the logistic/softmax models (detection, efficacy). Default 1.
    public var logisticInverseRegularisation: Double
    /// scikit-learn's alpha for the ridge efficacy model. Default 1.
    public var ridgePenalty: Double
    /// Also measure efficacy with the small MLP (two hidden layers of 64, built on NeuralNet). Default true.
    public var mlpEfficacy: Bool

    public init(
        targetColumn: String? = nil, bootstrapReplicates: Int = 200, detectionFolds: Int = 5, seed: UInt64 = 0,
        metrics: [MetricFamily] = MetricFamily.allCases, strongCorrelationThreshold: Double = 0.5,
        logisticInverseRegularisation: Double = 1, ridgePenalty: Double = 1, mlpEfficacy: Bool = true
    ) {
        self.targetColumn = targetColumn
        self.bootstrapReplicates = bootstrapReplicates
        self.detectionFolds = detectionFolds
        self.seed = seed
        self.metrics = metrics
        self.strongCorrelationThreshold = strongCorrelationThreshold
        self.logisticInverseRegularisation = logisticInverseRegularisation
        self.ridgePenalty = ridgePenalty
        self.mlpEfficacy = mlpEfficacy
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = EvaluationOptions()
        targetColumn = try c.decodeIfPresent(String.self, forKey: .targetColumn)
        bootstrapReplicates = try c.decodeIfPresent(Int.self, forKey: .bootstrapReplicates) ?? defaults.bootstrapReplicates
        detectionFolds = try c.decodeIfPresent(Int.self, forKey: .detectionFolds) ?? defaults.detectionFolds
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? defaults.seed
        metrics = try c.decodeIfPresent([MetricFamily].self, forKey: .metrics) ?? defaults.metrics
        strongCorrelationThreshold = try c.decodeIfPresent(Double.self, forKey: .strongCorrelationThreshold) ?? defaults.strongCorrelationThreshold
        logisticInverseRegularisation = try c.decodeIfPresent(Double.self, forKey: .logisticInverseRegularisation) ?? defaults.logisticInverseRegularisation
        ridgePenalty = try c.decodeIfPresent(Double.self, forKey: .ridgePenalty) ?? defaults.ridgePenalty
        mlpEfficacy = try c.decodeIfPresent(Bool.self, forKey: .mlpEfficacy) ?? defaults.mlpEfficacy
    }

    /// Throws `EvaluationError.invalidOption` naming the first out-of-range option.
    public func validate() throws {
        if bootstrapReplicates < 0 { throw EvaluationError.invalidOption(key: "bootstrapReplicates", message: "must be ≥ 0, got \(bootstrapReplicates)") }
        if detectionFolds < 2 { throw EvaluationError.invalidOption(key: "detectionFolds", message: "must be ≥ 2, got \(detectionFolds)") }
        if !(strongCorrelationThreshold >= 0 && strongCorrelationThreshold < 1) {
            throw EvaluationError.invalidOption(key: "strongCorrelationThreshold", message: "must be in [0, 1), got \(strongCorrelationThreshold)")
        }
        if !(logisticInverseRegularisation > 0) {
            throw EvaluationError.invalidOption(key: "logisticInverseRegularisation", message: "must be > 0, got \(logisticInverseRegularisation)")
        }
        if !(ridgePenalty > 0) { throw EvaluationError.invalidOption(key: "ridgePenalty", message: "must be > 0, got \(ridgePenalty)") }
    }
}

/// Row counts of the three inputs.
public struct RowCounts: Codable, Sendable, Equatable {
    public var train: Int
    public var test: Int
    public var synthetic: Int
}

/// Everything `evaluate` measured. A family left out of `options.metrics` (or efficacy without a
/// target column) is absent; an undefined figure is absent from JSON (Swift nil).
public struct EvaluationReport: Codable, Sendable, Equatable {
    /// Version of this layout; bumped when a key changes meaning.
    public var formatVersion: Int
    public var options: EvaluationOptions
    public var rows: RowCounts
    public var numericColumns: [String]
    public var categoricalColumns: [String]
    public var pearson: CorrelationDifferenceReport?
    public var spearman: CorrelationDifferenceReport?
    public var associations: AssociationReport?
    public var marginals: MarginalReport?
    /// The same marginal metrics on the generator's own output before post-processing (marginal
    /// matching), so that matching cannot hide a bad generator; absent when not given.
    public var generatorMarginals: MarginalReport?
    public var detection: DetectionReport?
    public var efficacy: EfficacyReport?
    /// The same efficacy measurement with the small MLP (`options.mlpEfficacy`).
    public var efficacyMLP: EfficacyReport?
    public var privacy: PrivacyReport?
}

/// The models detection and efficacy train. The defaults are the linear models configured by the
/// options; another model (e.g. an MLP) plugs in by conforming to `ClassifierTrainer` /
/// `RegressorTrainer` and being passed here. Its registry name is written into the report.
public struct EvaluationModels: Sendable {
    /// Used by detection and by efficacy on a categorical target.
    public var classifier: any ClassifierTrainer
    /// Used by efficacy on a numeric target.
    public var regressor: any RegressorTrainer

    public init(classifier: any ClassifierTrainer, regressor: any RegressorTrainer) {
        self.classifier = classifier
        self.regressor = regressor
    }

    /// Logistic/softmax regression with `options.logisticInverseRegularisation`, ridge with `options.ridgePenalty`.
    public static func linear(_ options: EvaluationOptions) -> EvaluationModels {
        EvaluationModels(
            classifier: LogisticRegressionTrainer(inverseRegularisation: options.logisticInverseRegularisation),
            regressor: RidgeRegressionTrainer(penalty: options.ridgePenalty))
    }
}

/// Scores `synthetic` against the held-out `test` split; `train` gives floors, the independent
/// baseline, the TRTR model and the privacy reference.
///
/// ```swift
/// let report = try evaluate(train: train, test: test, synthetic: fake,
///                           options: EvaluationOptions(targetColumn: "income", seed: 0))
/// print(report.renderText())   // or JSONEncoder().encode(report)
/// ```
///
/// - Parameters:
///   - train, test, synthetic: tables with the same column names and kinds (any column order;
///     categorical levels matched by string).
///   - options: metric families, seed and model settings.
///   - models: the detection/efficacy models; nil = `EvaluationModels.linear(options)`.
///   - generatorOutput: a synthesizer's output before post-processing, for `generatorMarginals`.
/// - Returns: the report; bit-identical for identical inputs and options, whatever the thread count.
/// - Throws: `EvaluationError` for mismatched tables, an unknown target column or bad options.
public func evaluate(
    train: Table, test: Table, synthetic: Table, options: EvaluationOptions = EvaluationOptions(), models: EvaluationModels? = nil,
    generatorOutput: Table? = nil
) throws -> EvaluationReport {
    try options.validate()
    let models = models ?? .linear(options)
    let aligned = try AlignedTables([("train", train), ("test", test), ("synthetic", synthetic)])
    let families = Set(options.metrics)
    var target: Int?
    if let name = options.targetColumn, families.contains(.efficacy) {
        guard let index = aligned.columnNames.firstIndex(of: name) else {
            throw EvaluationError.unknownTargetColumn(name, available: aligned.columnNames)
        }
        target = index
    }
    let root = RandomStream(seed: options.seed)
    func correlations(_ method: CorrelationMethod) -> CorrelationDifferenceReport? {
        guard families.contains(method == .pearson ? .pearson : .spearman) else { return nil }
        return correlationDifferenceReport(
            aligned, method: method, bootstrapReplicates: options.bootstrapReplicates,
            strongThreshold: options.strongCorrelationThreshold, random: root.child("correlation.\(method.rawValue)"))
    }
    return EvaluationReport(
        formatVersion: 1, options: options,
        rows: RowCounts(train: train.rowCount, test: test.rowCount, synthetic: synthetic.rowCount),
        numericColumns: aligned.numericColumns.map { aligned.columnNames[$0] },
        categoricalColumns: aligned.categoricalColumns.map { aligned.columnNames[$0] },
        pearson: correlations(.pearson),
        spearman: correlations(.spearman),
        associations: families.contains(.associations) ? associationReport(aligned) : nil,
        marginals: families.contains(.marginals) ? marginalReport(aligned) : nil,
        generatorMarginals: families.contains(.marginals)
            ? try generatorOutput.map { marginalReport(try AlignedTables([("train", train), ("test", test), ("generator output", $0)])) } : nil,
        detection: families.contains(.detection)
            ? try detectionReport(
                test: aligned.tables[1], synthetic: aligned.tables[2], levels: aligned.levels, folds: options.detectionFolds,
                classifier: models.classifier, random: root.child("detection"))
            : nil,
        efficacy: target.map {
            efficacyReport(aligned, target: $0, classifier: models.classifier, regressor: models.regressor)
        },
        efficacyMLP: options.mlpEfficacy ? target.map {
            var settings = MLPSettings()
            settings.seed = root.child("efficacy.mlp").key
            return efficacyReport(aligned, target: $0, classifier: MLPClassifierTrainer(settings: settings),
                                  regressor: MLPRegressorTrainer(settings: settings))
        } : nil,
        privacy: families.contains(.privacy) ? privacyReport(aligned, random: root.child("privacy")) : nil)
}
