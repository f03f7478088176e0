// The efficacy MLPs learn what they should (a non-linear class boundary a linear model cannot
// draw; a smooth regression), are deterministic per seed, and appear in the evaluation report.

import XCTest
import TensorKit
import TabularData
@testable import Evaluation

final class MLPModelTests: XCTestCase {
    /// Points in [−1, 1]²; class 1 inside the circle of radius 0.6 (not linearly separable).
    func circle(_ n: Int, seed: UInt64) -> (FeatureMatrix, [Int]) {
        var rng = RandomStream(seed: seed)
        var values = [Double](), labels = [Int]()
        for _ in 0..<n {
            let a = rng.nextUniform() * 2 - 1, b = rng.nextUniform() * 2 - 1
            values += [a, b]
            labels.append(a * a + b * b < 0.36 ? 1 : 0)
        }
        return (FeatureMatrix(rows: n, columns: 2, values: values), labels)
    }

    func accuracy(_ model: any FittedClassifier, _ x: FeatureMatrix, _ y: [Int]) -> Double {
        let p = model.classProbabilities(features: x)
        return Double(y.indices.filter { (p[2 * $0 + 1] > 0.5 ? 1 : 0) == y[$0] }.count) / Double(y.count)
    }

    func testClassifierLearnsANonLinearBoundaryAndIsSeeded() {
        let (train, labels) = circle(600, seed: 1), (test, truth) = circle(300, seed: 2)
        let mlp = MLPClassifierTrainer().fit(features: train, labels: labels, classCount: 2)
        let linear = LogisticRegressionTrainer(inverseRegularisation: 1).fit(features: train, labels: labels, classCount: 2)
        XCTAssertGreaterThan(accuracy(mlp, test, truth), 0.9)
        XCTAssertLessThan(accuracy(linear, test, truth), 0.8, "control: the boundary is not linear")
        let again = MLPClassifierTrainer().fit(features: train, labels: labels, classCount: 2)
        XCTAssertEqual(mlp.classProbabilities(features: test), again.classProbabilities(features: test))
    }

    func testRegressorFitsASmoothFunction() {
        var rng = RandomStream(seed: 3)
        let xs = (0..<400).map { _ in rng.nextUniform() * 4 - 2 }
        let ys = xs.map { 3 * $0 * $0 - 2 * $0 + 100 }
        let model = MLPRegressorTrainer().fit(features: FeatureMatrix(rows: 400, columns: 1, values: xs), targets: ys)
        let grid = stride(from: -1.5, through: 1.5, by: 0.25).map { $0 }
        let predicted = model.predict(features: FeatureMatrix(rows: grid.count, columns: 1, values: grid))
        let truth = grid.map { 3 * $0 * $0 - 2 * $0 + 100 }
        let mean = truth.reduce(0, +) / Double(truth.count)
        let r2 = 1 - zip(predicted, truth).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / truth.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        XCTAssertGreaterThan(r2, 0.95)
    }

    func testReportCarriesMLPEfficacy() throws {
        var rng = RandomStream(seed: 4)
        func table(_ n: Int) -> Table {
            let x = (0..<n).map { _ in rng.nextNormal() }
            return Table(columns: [
                Column(name: "x", type: .real, values: .numeric(x)),
                Column(name: "y", type: .categorical, values: .categorical(codes: x.map { $0 > 0 ? 1 : 0 }, levels: ["neg", "pos"])),
            ])
        }
        let train = table(200), test = table(100)
        let report = try evaluate(train: train, test: test, synthetic: train, options: EvaluationOptions(targetColumn: "y", metrics: [.efficacy]))
        let mlp = try XCTUnwrap(report.efficacyMLP)
        XCTAssertEqual(mlp.model, "mlpClassifier")
        XCTAssertEqual(mlp.accuracyRatio ?? 0, 1, accuracy: 1e-12, "training on the train split itself: ratio 1")
        XCTAssertGreaterThan(mlp.real.accuracy ?? 0, 0.9)
        let off = try evaluate(train: train, test: test, synthetic: train, options: EvaluationOptions(targetColumn: "y", metrics: [.efficacy], mlpEfficacy: false))
        XCTAssertNil(off.efficacyMLP)
    }
}
