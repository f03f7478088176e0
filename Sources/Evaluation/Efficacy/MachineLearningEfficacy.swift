// Machine-learning efficacy (TSTR vs TRTR): fit the same model on synthetic rows and on the real
// train split to predict a target column from all other columns, score both on the test split.
// Classification (categorical target): accuracy and macro F1; regression (numeric target): R².

import TabularData

/// Whether the target is predicted as a class or a number.
public enum EfficacyTask: String, Codable, Sendable {
    case classification
    case regression
}

/// Test-split scores of one model (nil when undefined, e.g. no labelled rows).
public struct EfficacyScores: Codable, Sendable, Equatable {
    /// Share of test rows whose class is predicted exactly, in [0, 1], 1 best.
    public var accuracy: Double?
    /// Mean over classes in (true ∪ predicted) of F1 = 2TP / (2TP + FP + FN), in [0, 1], 1 best.
    public var macroF1: Double?
    /// 1 − Σ(y − ŷ)² / Σ(y − ȳ)² on the test split, ≤ 1, 1 best.
    public var r2: Double?
    /// Rows with a present target that the model was trained on.
    public var trainingRows: Int
}

/// Train-on-synthetic vs train-on-real scores and their ratios.
public struct EfficacyReport: Codable, Sendable, Equatable {
    public var target: String
    public var task: EfficacyTask
    /// The model's registry name.
    public var model: String
    /// Trained on the synthetic table (TSTR).
    public var synthetic: EfficacyScores
    /// Trained on the train split (TRTR).
    public var real: EfficacyScores
    /// synthetic / real accuracy (nil unless real > 0).
    public var accuracyRatio: Double?
    public var macroF1Ratio: Double?
    /// synthetic / real R² (nil unless real R² > 0).
    public var r2Ratio: Double?
    /// Test rows with a present target.
    public var testRows: Int
}

/// Efficacy report on aligned [train, test, synthetic] tables for target column `target`.
func efficacyReport(
    _ aligned: AlignedTables, target: Int, classifier: any ClassifierTrainer, regressor: any RegressorTrainer
) -> EfficacyReport {
    let (train, test, synthetic) = (aligned.tables[0], aligned.tables[1], aligned.tables[2])
    let features = aligned.columnNames.indices.filter { $0 != target }
    let indicators = columnsWithMissing(aligned.tables, among: features)
    let isClassification = train.columns[target].numbers == nil
    func labelled(_ table: Table) -> [Int] {
        if isClassification {
            let codes = table.categoricalCodes(target)
            return codes.indices.filter { codes[$0] >= 0 }
        }
        let values = table.numericValues(target)
        return values.indices.filter { !values[$0].isNaN }
    }
    let testRows = labelled(test)
    func score(trainingTable: Table) -> EfficacyScores {
        let rows = labelled(trainingTable)
        guard !rows.isEmpty, !testRows.isEmpty else { return EfficacyScores(trainingRows: rows.count) }
        let encoder = FeatureEncoder(fitting: trainingTable, rows: rows, columns: features, levels: aligned.levels, indicatorColumns: indicators)
        let x = encoder.encode(trainingTable, rows: rows), xTest = encoder.encode(test, rows: testRows)
        if isClassification {
            let codes = trainingTable.categoricalCodes(target), truth = testRows.map { Int(test.categoricalCodes(target)[$0]) }
            let classes = Set(rows.map { Int(codes[$0]) }).sorted()
            let predicted: [Int]
            if classes.count == 1 {
                predicted = truth.map { _ in classes[0] }
            } else {
                let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
                let model = classifier.fit(features: x, labels: rows.map { index[Int(codes[$0])]! }, classCount: classes.count)
                let p = model.classProbabilities(features: xTest), k = classes.count
                predicted = (0..<testRows.count).map { i in
                    var best = 0
                    for c in 1..<k where p[i * k + c] > p[i * k + best] { best = c }
                    return classes[best]
                }
            }
            return EfficacyScores(
                accuracy: accuracy(truth: truth, predicted: predicted), macroF1: macroF1(truth: truth, predicted: predicted),
                trainingRows: rows.count)
        }
        let y = trainingTable.numericValues(target), truth = testRows.map { test.numericValues(target)[$0] }
        let model = regressor.fit(features: x, targets: rows.map { y[$0] })
        return EfficacyScores(r2: rSquared(truth: truth, predicted: model.predict(features: xTest)), trainingRows: rows.count)
    }
    let onSynthetic = score(trainingTable: synthetic), onReal = score(trainingTable: train)
    func ratio(_ s: Double?, _ r: Double?) -> Double? {
        guard let s, let r, r > 0 else { return nil }
        return s / r
    }
    return EfficacyReport(
        target: aligned.columnNames[target], task: isClassification ? .classification : .regression,
        model: isClassification ? classifier.name : regressor.name, synthetic: onSynthetic, real: onReal,
        accuracyRatio: ratio(onSynthetic.accuracy, onReal.accuracy), macroF1Ratio: ratio(onSynthetic.macroF1, onReal.macroF1),
        r2Ratio: ratio(onSynthetic.r2, onReal.r2), testRows: testRows.count)
}

/// Share of positions where `predicted` equals `truth`.
func accuracy(truth: [Int], predicted: [Int]) -> Double? {
    guard !truth.isEmpty else { return nil }
    return Double(zip(truth, predicted).filter { $0 == $1 }.count) / Double(truth.count)
}

/// Macro-averaged F1 over the labels in truth ∪ predicted (scikit-learn's `f1_score(average="macro")`).
func macroF1(truth: [Int], predicted: [Int]) -> Double? {
    let labels = Set(truth).union(predicted).sorted()
    guard !labels.isEmpty else { return nil }
    var total = 0.0
    for label in labels {
        var tp = 0.0, fp = 0.0, fn = 0.0
        for (t, p) in zip(truth, predicted) {
            if p == label && t == label { tp += 1 } else if p == label { fp += 1 } else if t == label { fn += 1 }
        }
        total += 2 * tp / (2 * tp + fp + fn)
    }
    return total / Double(labels.count)
}

/// Coefficient of determination 1 − SS_res / SS_tot; nil when the truth is constant or empty.
func rSquared(truth: [Double], predicted: [Double]) -> Double? {
    guard let m = mean(truth) else { return nil }
    var residual = 0.0, totalSquares = 0.0
    for (t, p) in zip(truth, predicted) { residual += (t - p) * (t - p); totalSquares += (t - m) * (t - m) }
    return totalSquares > 0 ? 1 - residual / totalSquares : nil
}
