// Pearson/Spearman matrices and their differences against pandas (golden.json), plus the
// properties that need no reference: identical tables give 0, shuffled columns destroy
// correlations, constant columns are excluded and counted.

@testable import Evaluation
import TabularData
import TensorKit
import TestSupport
import XCTest

final class CorrelationDifferenceTests: XCTestCase {
    func testMatricesMatchPandasWithMissingValuesTiesAndConstantColumn() throws {
        // Setup
        let golden = try Fixtures.golden(), (train, test, synthetic) = try fixtureTables()
        let aligned = try AlignedTables([("train", train), ("test", test), ("synthetic", synthetic)])
        for method in [CorrelationMethod.pearson, .spearman] {
            for (name, table) in zip(["train", "test", "synthetic"], aligned.tables) {
                // Run
                let matrix = correlationMatrix(columns: aligned.numericColumns.map { table.numericValues($0) }, method: method)
                // Assert: pandas DataFrame.corr (pairwise complete); x5 is constant in synthetic → NaN
                assertClose(matrix, numbers(golden, "\(method.rawValue).matrices.\(name)"), rtol: 1e-10, atol: 1e-12, "\(method) \(name)")
            }
        }
    }

    func testModelPearsonMatrixUsesCompleteRowsAndReadsUndefinedAsZero() {
        let x: [Double] = [1, 2, 3, 4], y: [Double] = [2, 4, 6, 8.5], constant: [Double] = [5, 5, 5, 5]
        let c = pearsonMatrix(columns: [x, y, constant, x.map { -$0 }])
        XCTAssertEqual(c[0 * 4 + 0], 1)
        XCTAssertEqual(c[2 * 4 + 2], 1, "the diagonal is 1, even for a constant column")
        XCTAssertEqual(c[0 * 4 + 2], 0, "a constant column correlates 0")
        XCTAssertEqual(c[2 * 4 + 1], 0)
        XCTAssertEqual(c[0 * 4 + 3], -1, accuracy: 1e-15)
        // By hand: Sxy = 10.75, Sxx = 5, Syy = 23.1875; r = 0.99838143945703 (numpy.corrcoef agrees).
        XCTAssertEqual(c[0 * 4 + 1], 10.75 / (5 * 23.1875).squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(c[1 * 4 + 0], c[0 * 4 + 1])
        // A missing cell drops its row from its own pairs only: (x, y) on rows 0, 1, 3, where by hand
        // Sxy = 61/6, Sxx = 14/3, Syy = 133/6; (x, z) keeps all four rows; (y, w) share no row.
        let gappy = pearsonMatrix(columns: [x, [2, 4, .nan, 8.5], x, [.nan, .nan, 7, 9]])
        XCTAssertEqual(gappy[0 * 4 + 1], (61.0 / 6) / ((14.0 / 3) * (133.0 / 6)).squareRoot(), accuracy: 1e-14)
        XCTAssertEqual(gappy[0 * 4 + 2], 1, accuracy: 1e-15)
        XCTAssertEqual(gappy[1 * 4 + 3], 0, "a pair never present together correlates 0")
    }

    func testReportFiguresMatchReferenceComparisons() throws {
        let golden = try Fixtures.golden(), (train, test, synthetic) = try fixtureTables()
        let aligned = try AlignedTables([("train", train), ("test", test), ("synthetic", synthetic)])
        for method in [CorrelationMethod.pearson, .spearman] {
            let report = correlationDifferenceReport(aligned, method: method, bootstrapReplicates: 50, strongThreshold: 0.5, random: RandomStream(seed: 3))
            for (key, comparison) in [("synthetic", report.synthetic), ("floor", report.floor), ("syntheticVsTrain", report.syntheticVsTrain)] {
                let path = "\(method.rawValue).\(key)"
                assertClose(comparison.meanAbsoluteDifference, number(golden, "\(path).mean"), tolerance: 1e-12, path)
                assertClose(comparison.maxAbsoluteDifference, number(golden, "\(path).max"), tolerance: 1e-12, path)
                assertClose(comparison.frobeniusNorm, number(golden, "\(path).frobenius"), tolerance: 1e-12, path)
                assertClose(comparison.pairScore, number(golden, "\(path).pairScore"), tolerance: 1e-12, path)
                assertClose(comparison.strongPairScore, number(golden, "\(path).strongPairScore"), tolerance: 1e-12, path)
                XCTAssertEqual(comparison.comparedPairs, Int(number(golden, "\(path).compared")!), path)
                XCTAssertEqual(comparison.strongPairs, Int(number(golden, "\(path).strong")!), path)
                XCTAssertEqual(comparison.excludedPairs, Int(number(golden, "\(path).excluded")!), path)
            }
            // x5 is constant in the synthetic table: its 4 pairs are excluded there but not in the floor.
            XCTAssertEqual(report.synthetic.excludedPairs, 4)
            XCTAssertEqual(report.floor.excludedPairs, 0)
            XCTAssertEqual(report.pairs.count, 10)
            XCTAssertNil(report.pairs.first { $0.first == "x1" && $0.second == "x5" }!.synthetic)
            let interval = try XCTUnwrap(report.bootstrapInterval)
            XCTAssertEqual(interval.replicates, 50)
            XCTAssertLessThan(interval.lower, interval.upper)
            XCTAssertLessThan(interval.lower, report.synthetic.meanAbsoluteDifference! + 0.1)
            XCTAssertGreaterThan(interval.upper, report.synthetic.meanAbsoluteDifference! - 0.1)
        }
    }

    func testIdenticalTableScoresZeroAndClosesTheWholeGap() throws {
        let (train, test, _) = try fixtureTables()
        let aligned = try AlignedTables([("train", train), ("test", test), ("synthetic", test)])
        for method in [CorrelationMethod.pearson, .spearman] {
            let report = correlationDifferenceReport(aligned, method: method, bootstrapReplicates: 0, strongThreshold: 0.5, random: RandomStream(seed: 1))
            XCTAssertEqual(report.synthetic.meanAbsoluteDifference, 0)
            XCTAssertEqual(report.synthetic.maxAbsoluteDifference, 0)
            XCTAssertEqual(report.synthetic.frobeniusNorm, 0)
            XCTAssertEqual(report.synthetic.pairScore, 1)
            XCTAssertNil(report.bootstrapInterval)
            // gap closed = (independent − 0) / (independent − floor) > 1 since the floor is above 0
            let expected = report.independent.meanAbsoluteDifference! / (report.independent.meanAbsoluteDifference! - report.floor.meanAbsoluteDifference!)
            assertClose(report.gapClosed, expected, tolerance: 1e-12)
        }
    }

    func testShuffledColumnsDestroyCorrelations() throws {
        // Setup: 4,000 rows of three strongly correlated columns; the copy has each column permuted.
        var random = RandomStream(seed: 11)
        let n = 4000
        let z = (0..<n).map { _ in random.nextNormal() }
        let columns = [0.9, -0.8, 0.6].map { rho in z.map { rho * $0 + (1 - rho * rho).squareRoot() * random.nextNormal() } }
        func table(_ cols: [[Double]]) -> Table {
            Table(columns: cols.enumerated().map { Column(name: "c\($0)", type: .real, values: .numeric($1)) })
        }
        let real = table(columns)
        let shuffled = table(columns.enumerated().map { c, values in
            var s = random.child(c)
            return s.permutation(n).map { values[$0] }
        })
        // Run
        let difference = try pearsonDifference(reference: real, synthetic: shuffled)
        let realMatrix = correlationMatrix(columns: columns, method: .pearson)
        let meanAbsRho = [realMatrix[1], realMatrix[2], realMatrix[5]].map(abs).reduce(0, +) / 3
        // Assert: with correlations destroyed, |ΔC| ≈ |C_real| up to sampling noise ~ 1/sqrt(n)
        XCTAssertEqual(difference.meanAbsoluteDifference!, meanAbsRho, accuracy: 0.05)
        XCTAssertGreaterThan(meanAbsRho, 0.5)
        let spearman = try correlationDifference(reference: real, synthetic: shuffled, method: .spearman)
        XCTAssertGreaterThan(spearman.meanAbsoluteDifference!, 0.5)
    }

    func testConstantColumnPairsAreExcludedAndCounted() throws {
        let reference = Table(columns: [
            Column(name: "a", type: .real, values: .numeric([1, 2, 3, 4, 5])),
            Column(name: "b", type: .real, values: .numeric([2, 1, 4, 3, 5])),
            Column(name: "k", type: .real, values: .numeric([7, 7, 7, 7, 7])),
        ])
        let other = Table(columns: [
            Column(name: "a", type: .real, values: .numeric([1, 2, 3, 4, 5])),
            Column(name: "b", type: .real, values: .numeric([5, 4, 3, 2, 1])),
            Column(name: "k", type: .real, values: .numeric([1, 2, 1, 2, 1])),
        ])
        let result = try pearsonDifference(reference: reference, synthetic: other)
        // Hand computation: corr(a, b) = 0.8 in reference (Σdxdy = 8, Σdx² = 10, Σdy² = 10), −1 in other.
        XCTAssertEqual(result.comparedPairs, 1)
        XCTAssertEqual(result.excludedPairs, 2)
        XCTAssertEqual(result.meanAbsoluteDifference!, 1.8, accuracy: 1e-12)
        XCTAssertEqual(result.frobeniusNorm!, (2 * 1.8 * 1.8).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(result.strongPairScore!, 1 - 1.8 / 2, accuracy: 1e-12)
    }

    func testWeightedMatrixEqualsMatrixOfRepeatedRows() throws {
        // A bootstrap replicate is a weight vector; it must equal the matrix of the gathered rows.
        let (_, test, _) = try fixtureTables()
        let numeric = test.columns.indices.filter { test.columns[$0].numbers != nil }
        let columns = numeric.map { test.numericValues($0) }
        withEverySeed([1, 2, 3]) { seed in
            var random = RandomStream(seed: seed)
            let sample = random.sampleWithReplacement(test.rowCount, from: test.rowCount)
            var counts = [Double](repeating: 0, count: test.rowCount)
            for k in sample { counts[k] += 1 }
            for method in [CorrelationMethod.pearson, .spearman] {
                let weighted = correlationMatrix(CorrelationInput(columns: columns), method: method, weights: counts)
                let gathered = correlationMatrix(columns: columns.map { c in sample.map { c[$0] } }, method: method)
                assertClose(weighted, gathered, rtol: 1e-12, atol: 1e-13, "seed \(seed) \(method)")
            }
        }
    }

    func testBootstrapIntervalIsThePercentileIntervalOfResampledDifferences() throws {
        // Setup: recompute every replicate by gathering its rows (draws as documented: replicate b
        // uses random.child(b), n draws of nextInt(below: n)), then take numpy-style percentiles.
        let (_, test, synthetic) = try fixtureTables()
        let numeric = test.columns.indices.filter { test.columns[$0].numbers != nil }
        let testColumns = numeric.map { test.numericValues($0) }
        let cSynthetic = correlationMatrix(columns: numeric.map { synthetic.numericValues($0) }, method: .spearman)
        let random = RandomStream(seed: 21), n = test.rowCount
        var statistics: [Double] = []
        for b in 0..<30 {
            var stream = random.child(b)
            let rows = (0..<n).map { _ in stream.nextInt(below: n) }
            let c = correlationMatrix(columns: testColumns.map { column in rows.map { column[$0] } }, method: .spearman)
            statistics.append(compareCorrelations(reference: c, other: cSynthetic, size: numeric.count, strongThreshold: 1).meanAbsoluteDifference!)
        }
        statistics.sort()
        // numpy.quantile(..., 0.025) on 30 values: position 0.725 between the 1st and 2nd smallest
        let lower = statistics[0] + 0.725 * (statistics[1] - statistics[0])
        let upper = statistics[28] + 0.275 * (statistics[29] - statistics[28])
        // Run
        let interval = try XCTUnwrap(bootstrapMeanDifference(testColumns: testColumns, synthetic: cSynthetic, method: .spearman, replicates: 30, random: random))
        // Assert
        XCTAssertEqual(interval.replicates, 30)
        XCTAssertEqual(interval.lower, lower, accuracy: 1e-12)
        XCTAssertEqual(interval.upper, upper, accuracy: 1e-12)
    }

    func testAverageRanksAndQuantilesMatchScipyAndNumpy() throws {
        let golden = try Fixtures.golden()
        assertClose(averageRanks(numbers(golden, "ranks.values")), numbers(golden, "ranks.ranks"), rtol: 0, atol: 0)
        let values = numbers(golden, "quantiles.values")
        assertClose(quantile(sorted: values.sorted(), 0.025), number(golden, "quantiles.q025"), tolerance: 1e-14)
        assertClose(quantile(sorted: values.sorted(), 0.975), number(golden, "quantiles.q975"), tolerance: 1e-14)
        assertClose(median(Array(values.prefix(36))), number(golden, "quantiles.median"), tolerance: 1e-14)
    }
}
