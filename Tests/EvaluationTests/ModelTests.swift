// The classifiers and regressor behind detection and efficacy against scikit-learn (golden.json):
// coefficients and probabilities of logistic/softmax regression, ridge, ROC AUC with ties, the
// fixed-fold detection pipeline and both efficacy tasks end to end.

@testable import Evaluation
import TabularData
import TensorKit
import TestSupport
import XCTest

final class ModelTests: XCTestCase {
    private func features(_ golden: [String: Any]) -> FeatureMatrix {
        let values = numbers(golden, "models.features"), f = Int(number(golden, "models.featureCount")!)
        return FeatureMatrix(rows: values.count / f, columns: f, values: values)
    }

    func testBinaryLogisticRegressionMatchesScikitLearn() throws {
        let golden = try Fixtures.golden(), x = features(golden)
        let labels = numbers(golden, "models.binaryLabels").map { Int($0) }
        let model = LogisticRegression(fitting: x, labels: labels, classCount: 2, trainer: LogisticRegressionTrainer(inverseRegularisation: 0.5))
        let f = x.columns
        assertClose(Array(model.parameters[0..<f]), numbers(golden, "models.binaryCoefficients"), rtol: 1e-5, atol: 1e-6)
        assertClose(model.parameters[f], number(golden, "models.binaryIntercept"), tolerance: 1e-6)
        let p = model.classProbabilities(features: x)
        assertClose(stride(from: 1, to: p.count, by: 2).map { p[$0] }, numbers(golden, "models.binaryProbabilities"), rtol: 1e-6, atol: 1e-7)
    }

    func testSoftmaxRegressionMatchesScikitLearn() throws {
        let golden = try Fixtures.golden(), x = features(golden)
        let labels = numbers(golden, "models.multiLabels").map { Int($0) }
        let model = LogisticRegression(fitting: x, labels: labels, classCount: 3, trainer: LogisticRegressionTrainer(inverseRegularisation: 2))
        let f = x.columns
        let coefficients = (0..<3).flatMap { o in model.parameters[(o * (f + 1))..<(o * (f + 1) + f)] }
        assertClose(coefficients, numbers(golden, "models.multiCoefficients"), rtol: 1e-5, atol: 1e-6)
        assertClose((0..<3).map { model.parameters[$0 * (f + 1) + f] }, numbers(golden, "models.multiIntercepts"), rtol: 1e-5, atol: 1e-6)
        assertClose(model.classProbabilities(features: x), numbers(golden, "models.multiProbabilities"), rtol: 1e-6, atol: 1e-7)
    }

    func testRidgeMatchesScikitLearn() throws {
        let golden = try Fixtures.golden(), x = features(golden)
        let model = RidgeRegression(fitting: x, targets: numbers(golden, "models.ridgeTargets"), penalty: 1)
        assertClose(model.weights, numbers(golden, "models.ridgeCoefficients"), rtol: 1e-9, atol: 1e-11)
        assertClose(model.intercept, number(golden, "models.ridgeIntercept"), tolerance: 1e-10)
    }

    func testRocAUCWithTiesMatchesScikitLearn() throws {
        let golden = try Fixtures.golden()
        let auc = rocAUC(scores: numbers(golden, "rocTies.scores"), labels: numbers(golden, "rocTies.labels").map { Int($0) })
        assertClose(auc, number(golden, "rocTies.auc"), tolerance: 1e-15)
        XCTAssertNil(rocAUC(scores: [0.1, 0.2], labels: [1, 1]))
    }

    func testFixedFoldDetectionMatchesScikitLearnPipeline() throws {
        // Setup: first 120 test rows (label 0) and the 120 train rows (label 1), fold = index mod 5.
        let golden = try Fixtures.golden(), (train, test, synthetic) = try fixtureTables()
        let aligned = try AlignedTables([("train", train), ("test", test), ("synthetic", synthetic)])
        let combined = concatenate(aligned.tables[1].selecting(rows: Array(0..<120)), aligned.tables[0])
        let labels = [Int](repeating: 0, count: 120) + [Int](repeating: 1, count: 120)
        let columns = Array(combined.columns.indices)
        // Run
        let aucs = crossValidatedAUC(
            table: combined, labels: labels, foldOf: labels.indices.map { $0 % 5 }, folds: 5, columns: columns,
            levels: aligned.levels, indicatorColumns: columnsWithMissing([combined], among: columns), classifier: LogisticRegressionTrainer())
        // Assert
        assertClose(aucs, numbers(golden, "detectionFixedFolds.foldAUCs"), rtol: 0, atol: 1e-12)
    }

    func testDetectionSeparatesAnObviousFakeButNotAFreshSample() throws {
        // The fixture's synthetic x5 is constant: trivially detectable.
        let (_, test, synthetic) = try fixtureTables()
        XCTAssertGreaterThan(try detectionAUC(test: test, synthetic: synthetic, seed: 1).rocAUC, 0.95)
        // Two independent draws from one distribution (2,000 rows each): AUC ≈ 0.5.
        var random = RandomStream(seed: 4)
        func draw(_ n: Int) -> Table {
            let z = (0..<n).map { _ in random.nextNormal() }
            return Table(columns: [
                Column(name: "a", type: .real, values: .numeric(z)),
                Column(name: "b", type: .real, values: .numeric(z.map { 0.8 * $0 + 0.6 * random.nextNormal() })),
                Column(name: "c", type: .categorical, values: .categorical(codes: z.map { $0 > 0.3 ? 1 : 0 }, levels: ["no", "yes"])),
            ])
        }
        let fresh = try detectionAUC(test: draw(2000), synthetic: draw(3000), seed: 1)
        XCTAssertEqual(fresh.rowsPerClass, 2000)
        XCTAssertEqual(fresh.rocAUC, 0.5, accuracy: 0.04)
        XCTAssertEqual(fresh.foldAUCs.count, 5)
    }

    func testPairedFoldsAreBalancedAndSeeded() {
        let folds = pairedFolds(pairs: 53, folds: 5, random: RandomStream(seed: 9))
        XCTAssertEqual(folds.count, 106)
        for k in 0..<5 {
            let zeros = (0..<53).filter { folds[$0] == k }.count, ones = (53..<106).filter { folds[$0] == k }.count
            XCTAssertEqual(zeros, ones)
            XCTAssertTrue((10...11).contains(zeros))
        }
        XCTAssertEqual(Array(folds[0..<53]), Array(folds[53...]))
        XCTAssertEqual(folds, pairedFolds(pairs: 53, folds: 5, random: RandomStream(seed: 9)))
        XCTAssertNotEqual(folds, pairedFolds(pairs: 53, folds: 5, random: RandomStream(seed: 10)))
    }

    func testEfficacyMatchesScikitLearnForBothTasks() throws {
        let golden = try Fixtures.golden(), (train, test, synthetic) = try fixtureTables()
        let aligned = try AlignedTables([("train", train), ("test", test), ("synthetic", synthetic)])
        let classifier = LogisticRegressionTrainer(), regressor = RidgeRegressionTrainer()
        let classification = efficacyReport(aligned, target: aligned.columnNames.firstIndex(of: "cat_a")!, classifier: classifier, regressor: regressor)
        XCTAssertEqual(classification.task, .classification)
        for (name, scores) in [("synthetic", classification.synthetic), ("real", classification.real)] {
            assertClose(scores.accuracy, number(golden, "efficacy.cat_a.\(name).accuracy"), tolerance: 1e-12, name)
            assertClose(scores.macroF1, number(golden, "efficacy.cat_a.\(name).macroF1"), tolerance: 1e-12, name)
        }
        assertClose(classification.accuracyRatio, classification.synthetic.accuracy! / classification.real.accuracy!, tolerance: 1e-15)
        let regression = efficacyReport(aligned, target: aligned.columnNames.firstIndex(of: "x2")!, classifier: classifier, regressor: regressor)
        XCTAssertEqual(regression.task, .regression)
        XCTAssertEqual(regression.model, "ridgeRegression")
        assertClose(regression.synthetic.r2, number(golden, "efficacy.x2.synthetic.r2"), tolerance: 1e-9)
        assertClose(regression.real.r2, number(golden, "efficacy.x2.real.r2"), tolerance: 1e-9)
    }

    func testMacroF1HandCase() {
        // Labels {0, 1, 2}: F1₀ = 2·1/(2+1+1) = 1/2 (TP row 0, FP row 3, FN row 1),
        // F1₁ = 2·1/(2+1+0) = 2/3 (TP row 2, FP row 1), F1₂ = 0 (never predicted right).
        XCTAssertEqual(macroF1(truth: [0, 0, 1, 2], predicted: [0, 1, 1, 0])!, (1.0 / 2 + 2.0 / 3 + 0) / 3, accuracy: 1e-15)
        XCTAssertEqual(accuracy(truth: [0, 0, 1, 2], predicted: [0, 1, 1, 0])!, 0.5)
    }
}
