// Categorical associations and marginal distances against scipy/pandas (golden.json), and the
// zero-distance property for a table compared with itself.

@testable import Evaluation
import TabularData
import XCTest

final class FidelityTests: XCTestCase {
    func testCramersVAndCorrelationRatioMatchScipy() throws {
        // Setup: the synthetic table lists levels in reverse order, so alignment is exercised too.
        let golden = try Fixtures.golden(), (train, test, synthetic) = try fixtureTables()
        let aligned = try AlignedTables([("train", train), ("test", test), ("synthetic", synthetic)])
        // Run
        let report = associationReport(aligned)
        // Assert: scipy association(method="cramer", correction=False); η from scipy's one-way ANOVA F
        let v = try XCTUnwrap(report.cramersV.pairs.first)
        assertClose(v.train, number(golden, "associations.cramersV.train"), tolerance: 1e-12)
        assertClose(v.test, number(golden, "associations.cramersV.test"), tolerance: 1e-12)
        assertClose(v.synthetic, number(golden, "associations.cramersV.synthetic"), tolerance: 1e-12)
        assertClose(report.cramersV.meanAbsoluteDifference, abs(v.test! - v.synthetic!), tolerance: 1e-15)
        for pair in report.correlationRatio.pairs where pair.first != "x5" {
            for (name, actual) in [("train", pair.train), ("test", pair.test), ("synthetic", pair.synthetic)] {
                assertClose(actual, number(golden, "associations.eta.\(name).\(pair.first)|\(pair.second)"), tolerance: 1e-10, "\(pair.first)|\(pair.second) \(name)")
            }
        }
        // x5 is constant in the synthetic table: η undefined there, so its two pairs are excluded.
        XCTAssertEqual(report.correlationRatio.pairs.count, 10)
        XCTAssertEqual(report.correlationRatio.excludedPairs, 2)
        XCTAssertEqual(report.correlationRatio.comparedPairs, 8)
    }

    func testCramersVHandCases() {
        // Perfect association over a 2×2 table: V = 1; independence (uniform counts): V = 0.
        XCTAssertEqual(cramersV([0, 0, 1, 1], [1, 1, 0, 0], levelsA: 2, levelsB: 2)!, 1, accuracy: 1e-12)
        XCTAssertEqual(cramersV([0, 0, 1, 1], [0, 1, 0, 1], levelsA: 2, levelsB: 2)!, 0, accuracy: 1e-12)
        // A single observed level on one side (after dropping a missing row) is undefined.
        XCTAssertNil(cramersV([0, 0, -1], [0, 1, 1], levelsA: 2, levelsB: 2))
    }

    func testMarginalsMatchScipy() throws {
        let golden = try Fixtures.golden(), (train, test, synthetic) = try fixtureTables()
        let aligned = try AlignedTables([("train", train), ("test", test), ("synthetic", synthetic)])
        let report = marginalReport(aligned)
        for column in report.numeric {
            // scipy.stats.ks_2samp statistic, wasserstein_distance / np.std(test)
            assertClose(column.ksStatistic, number(golden, "marginals.synthetic.\(column.column).ks"), tolerance: 1e-12, column.column)
            assertClose(column.wassersteinOverStd, number(golden, "marginals.synthetic.\(column.column).w1OverStd"), tolerance: 1e-10, column.column)
            assertClose(column.floorKSStatistic, number(golden, "marginals.floor.\(column.column).ks"), tolerance: 1e-12, column.column)
            assertClose(column.floorWassersteinOverStd, number(golden, "marginals.floor.\(column.column).w1OverStd"), tolerance: 1e-10, column.column)
        }
        for column in report.categorical {
            assertClose(column.totalVariation, number(golden, "marginals.synthetic.\(column.column).tv"), tolerance: 1e-12, column.column)
            assertClose(column.floorTotalVariation, number(golden, "marginals.floor.\(column.column).tv"), tolerance: 1e-12, column.column)
        }
        let expectedMeanKS = report.numeric.map { number(golden, "marginals.synthetic.\($0.column).ks")! }.reduce(0, +) / 5
        assertClose(report.meanKSStatistic, expectedMeanKS, tolerance: 1e-12)
    }

    func testIdenticalTableHasZeroMarginalDistances() throws {
        let (train, test, _) = try fixtureTables()
        let report = marginalReport(try AlignedTables([("train", train), ("test", test), ("synthetic", test)]))
        XCTAssertEqual(report.meanKSStatistic, 0)
        XCTAssertEqual(report.meanWassersteinOverStd, 0)
        XCTAssertEqual(report.meanTotalVariation, 0)
        XCTAssertGreaterThan(report.floorMeanKSStatistic!, 0)
    }

    func testKSAndWassersteinHandCases() {
        // a = {1, 2, 3}, b = {2, 3, 4}: CDFs differ by 1/3 on [1, 4): KS = 1/3, W1 = 3 · 1/3 = 1.
        XCTAssertEqual(ksStatistic(sortedA: [1, 2, 3], sortedB: [2, 3, 4])!, 1.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(wasserstein1(sortedA: [1, 2, 3], sortedB: [2, 3, 4])!, 1, accuracy: 1e-15)
        // Ties across samples: a = {1, 1, 2}, b = {1, 2, 2}: at 1: 2/3 vs 1/3 → KS = 1/3; W1 = 1/3 · 1.
        XCTAssertEqual(ksStatistic(sortedA: [1, 1, 2], sortedB: [1, 2, 2])!, 1.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(wasserstein1(sortedA: [1, 1, 2], sortedB: [1, 2, 2])!, 1.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(totalVariation([0, 0, 1, -1], [1, 1, 1, 0], levels: 2)!, 2.0 / 3 - 1.0 / 4, accuracy: 1e-15)
    }
}
