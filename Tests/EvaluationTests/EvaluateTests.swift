// The `evaluate` entry point end to end: determinism (seed, thread count), the identical-table
// properties, JSON keys and round trip, option decoding and validation, errors, text rendering.

@testable import Evaluation
import Foundation
import TabularData
import TensorKit
import XCTest

final class EvaluateTests: XCTestCase {
    private let options = EvaluationOptions(targetColumn: "cat_a", bootstrapReplicates: 40, seed: 7)

    func testSameSeedGivesIdenticalReportWhateverTheThreadCount() throws {
        let (train, test, synthetic) = try fixtureTables()
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        Parallel.threadCount = 1
        let single = try evaluate(train: train, test: test, synthetic: synthetic, options: options)
        Parallel.threadCount = 2
        let double = try evaluate(train: train, test: test, synthetic: synthetic, options: options)
        XCTAssertEqual(single, double)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        XCTAssertEqual(try encoder.encode(single), try encoder.encode(double))
        var reseeded = options
        reseeded.seed = 8
        let other = try evaluate(train: train, test: test, synthetic: synthetic, options: reseeded)
        XCTAssertNotEqual(other.pearson!.bootstrapInterval, single.pearson!.bootstrapInterval)
        XCTAssertEqual(other.pearson!.synthetic, single.pearson!.synthetic)   // no randomness in the headline
    }

    func testSyntheticIdenticalToTestScoresPerfectly() throws {
        let (train, test, _) = try fixtureTables()
        let report = try evaluate(train: train, test: test, synthetic: test, options: options)
        XCTAssertEqual(report.pearson!.synthetic.meanAbsoluteDifference, 0)
        XCTAssertEqual(report.spearman!.synthetic.maxAbsoluteDifference, 0)
        XCTAssertEqual(report.associations!.cramersV.meanAbsoluteDifference, 0)
        XCTAssertEqual(report.associations!.correlationRatio.meanAbsoluteDifference, 0)
        XCTAssertEqual(report.marginals!.meanKSStatistic, 0)
        XCTAssertEqual(report.marginals!.meanTotalVariation, 0)
        XCTAssertEqual(report.detection!.rocAUC, 0.5, accuracy: 1e-12)   // paired folds: every weight stays 0
        XCTAssertEqual(report.privacy!.exactMatchShareTest, 1)
        XCTAssertEqual(report.privacy!.shareCloserToTrain, 0)
    }

    func testJSONHasDocumentedCamelCaseKeysAndRoundTrips() throws {
        let (train, test, synthetic) = try fixtureTables()
        let report = try evaluate(train: train, test: test, synthetic: synthetic, options: options)
        let data = try JSONEncoder().encode(report)
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        XCTAssertEqual(Set(json.keys), [
            "formatVersion", "options", "rows", "numericColumns", "categoricalColumns", "pearson", "spearman",
            "associations", "marginals", "detection", "efficacy", "efficacyMLP", "privacy",
        ])
        let pearson = json["pearson"] as! [String: Any]
        XCTAssertEqual(Set(pearson.keys), [
            "method", "columns", "synthetic", "floor", "independent", "syntheticVsTrain", "bootstrapInterval", "gapClosed", "pairs",
        ])
        XCTAssertEqual(Set((pearson["synthetic"] as! [String: Any]).keys), [
            "meanAbsoluteDifference", "maxAbsoluteDifference", "frobeniusNorm", "pairScore", "strongPairScore",
            "comparedPairs", "strongPairs", "excludedPairs",
        ])
        XCTAssertEqual(try JSONDecoder().decode(EvaluationReport.self, from: data), report)
    }

    func testOptionsDecodeWithDefaultsAndValidate() throws {
        let decoded = try JSONDecoder().decode(EvaluationOptions.self, from: Data(#"{"targetColumn": "x2", "metrics": ["pearson"]}"#.utf8))
        XCTAssertEqual(decoded, EvaluationOptions(targetColumn: "x2", metrics: [.pearson]))
        XCTAssertEqual(decoded.bootstrapReplicates, 200)
        XCTAssertEqual(decoded.detectionFolds, 5)
        var bad = EvaluationOptions()
        bad.detectionFolds = 1
        XCTAssertThrowsError(try bad.validate()) { error in
            XCTAssertTrue("\(error)".contains("detectionFolds"), "\(error)")
        }
    }

    func testOnlyRequestedFamiliesAreComputed() throws {
        let (train, test, synthetic) = try fixtureTables()
        let report = try evaluate(
            train: train, test: test, synthetic: synthetic,
            options: EvaluationOptions(targetColumn: "cat_a", metrics: [.pearson, .marginals]))
        XCTAssertNotNil(report.pearson)
        XCTAssertNotNil(report.marginals)
        XCTAssertNil(report.spearman)
        XCTAssertNil(report.detection)
        XCTAssertNil(report.efficacy)
        XCTAssertNil(report.privacy)
    }

    func testMismatchedInputsThrowHelpfulErrors() throws {
        let (train, test, synthetic) = try fixtureTables()
        let missing = Table(columns: synthetic.columns.filter { $0.name != "x3" })
        XCTAssertThrowsError(try evaluate(train: train, test: test, synthetic: missing)) { error in
            XCTAssertEqual(error as? EvaluationError, .columnMismatch(table: "synthetic", missing: ["x3"], unexpected: []))
            XCTAssertTrue("\(error)".contains("lacks x3"), "\(error)")
        }
        var retyped = synthetic
        retyped.columns[0] = Column(name: "x1", type: .categorical, values: .categorical(codes: [Int32](repeating: 0, count: synthetic.rowCount), levels: ["a"]))
        XCTAssertThrowsError(try evaluate(train: train, test: test, synthetic: retyped)) { error in
            XCTAssertEqual(error as? EvaluationError, .kindMismatch(column: "x1", table: "synthetic", expectedNumeric: true))
        }
        XCTAssertThrowsError(try evaluate(train: train, test: test, synthetic: synthetic, options: EvaluationOptions(targetColumn: "nope"))) { error in
            XCTAssertTrue("\(error)".contains("targetColumn 'nope'"), "\(error)")
        }
    }

    /// A model that ignores its features: predicts the training class shares for every row.
    private struct ClassSharesTrainer: ClassifierTrainer {
        var name: String { "classShares" }
        struct Model: FittedClassifier {
            let shares: [Double]
            func classProbabilities(features: FeatureMatrix) -> [Double] { (0..<features.rows).flatMap { _ in shares } }
        }
        func fit(features: FeatureMatrix, labels: [Int], classCount: Int) -> any FittedClassifier {
            var counts = [Double](repeating: 0, count: classCount)
            for label in labels { counts[label] += 1 }
            return Model(shares: counts.map { $0 / Double(labels.count) })
        }
    }

    func testOtherModelsPlugInThroughTheTrainerProtocols() throws {
        let (train, test, synthetic) = try fixtureTables()
        let models = EvaluationModels(classifier: ClassSharesTrainer(), regressor: RidgeRegressionTrainer(penalty: 3))
        let report = try evaluate(
            train: train, test: test, synthetic: synthetic,
            options: EvaluationOptions(targetColumn: "cat_a", metrics: [.detection, .efficacy]), models: models)
        XCTAssertEqual(report.detection!.classifier, "classShares")
        XCTAssertEqual(report.detection!.rocAUC, 0.5)   // constant scores: every pair tied
        XCTAssertEqual(report.efficacy!.model, "classShares")
        // Predicting the majority training class for every test row: accuracy = its test share.
        guard case .categorical(let testCodes, let levels) = test["cat_a"]!.values else { return XCTFail("cat_a is categorical") }
        guard case .categorical(let trainCodes, let trainLevels) = train["cat_a"]!.values else { return XCTFail("cat_a is categorical") }
        var counts = [Int](repeating: 0, count: trainLevels.count)
        for code in trainCodes { counts[Int(code)] += 1 }
        let majority = trainLevels[counts.firstIndex(of: counts.max()!)!]   // ties: first level, as argmax
        let expected = Double(testCodes.filter { levels[Int($0)] == majority }.count) / Double(testCodes.count)
        XCTAssertEqual(report.efficacy!.real.accuracy!, expected, accuracy: 1e-15)
    }

    func testTextRenderingShowsHeadlineFigures() throws {
        let (train, test, synthetic) = try fixtureTables()
        let report = try evaluate(train: train, test: test, synthetic: synthetic, options: options)
        let text = report.renderText()
        let headline = String(format: "%.4f", report.pearson!.synthetic.meanAbsoluteDifference!)
        XCTAssertTrue(text.contains("Pearson correlation difference over 5 numeric columns (6 pairs, 4 excluded)"), text)
        XCTAssertTrue(text.contains("mean |ΔC|        synthetic \(headline)"), text)
        XCTAssertTrue(text.contains("Spearman correlation difference"), text)
        XCTAssertTrue(text.contains("ML efficacy: predict 'cat_a' (classification, logisticRegression, 150 test rows)"), text)
        XCTAssertTrue(text.contains("Detection (logisticRegression, 5-fold, 150 rows per class)"), text)
    }
}
