// Distance to closest record: the gemm-based nearest-neighbour search against a brute-force Double
// loop (including far-from-origin data where Float cancellation bites, and exact copies), and the
// privacy report against scipy's cdist on the fixtures.

@testable import Evaluation
import TabularData
import TensorKit
import TestSupport
import XCTest

final class PrivacyTests: XCTestCase {
    private func bruteForce(_ q: FeatureMatrix, _ r: FeatureMatrix) -> [Double] {
        (0..<q.rows).map { i in
            (0..<r.rows).map { j in
                (0..<q.columns).reduce(0.0) { $0 + pow(q.values[i * q.columns + $1] - r.values[j * r.columns + $1], 2) }
            }.min()!.squareRoot()
        }
    }

    func testNearestNeighboursAreExactAcrossBlocksOffsetsAndCopies() {
        withEverySeed([1, 2]) { seed in
            // Setup: 1,300 references (two 1,024-wide blocks), 300 queries (two query blocks), F = 7,
            // centred far from the origin (offset 1,000) so ‖q‖² + ‖r‖² − 2q·r cancels heavily in Float.
            var random = RandomStream(seed: seed)
            let f = 7, offset = 1000.0
            let references = FeatureMatrix(rows: 1300, columns: f, values: (0..<(1300 * f)).map { _ in offset + random.nextNormal() })
            var queryValues = (0..<(300 * f)).map { _ in offset + random.nextNormal() }
            for i in stride(from: 0, to: 300, by: 7) {   // every 7th query copies a reference row exactly
                let source = random.nextInt(below: 1300)
                for p in 0..<f { queryValues[i * f + p] = references.values[source * f + p] }
            }
            let queries = FeatureMatrix(rows: 300, columns: f, values: queryValues)
            // Run
            let fast = nearestNeighbourDistances(queries: queries, references: references)
            // Assert: identical to the Double brute force (same summation order per candidate)
            let expected = bruteForce(queries, references)
            assertClose(fast, expected, rtol: 1e-12, atol: 0, "seed \(seed)")
            XCTAssertEqual(stride(from: 0, to: 300, by: 7).filter { fast[$0] == 0 }.count, 43, "seed \(seed)")
        }
    }

    func testPrivacyReportMatchesScipyCdist() throws {
        // Train (120 rows) is smaller than test (150), so every train row is used: no subsample.
        let golden = try Fixtures.golden(), (train, test, synthetic) = try fixtureTables()
        let aligned = try AlignedTables([("train", train), ("test", test), ("synthetic", synthetic)])
        let report = privacyReport(aligned, random: RandomStream(seed: 5))
        XCTAssertEqual(report.trainRowsUsed, 120)
        assertClose(report.medianDistanceToTrain, number(golden, "privacy.medianDistanceToTrain"), tolerance: 1e-12)
        assertClose(report.medianDistanceToTest, number(golden, "privacy.medianDistanceToTest"), tolerance: 1e-12)
        assertClose(report.shareCloserToTrain, number(golden, "privacy.shareCloserToTrain"), tolerance: 1e-15)
        XCTAssertEqual(report.exactMatchShareTrain, 0)
    }

    func testCopiedTrainRowsAreAllCloserToTrain() throws {
        // Synthetic = 60 train rows: every one is at distance 0 from train and > 0 from test.
        let (train, test, _) = try fixtureTables()
        let copies = train.selecting(rows: Array(0..<60))
        let aligned = try AlignedTables([("train", train), ("test", test), ("synthetic", copies)])
        let report = privacyReport(aligned, random: RandomStream(seed: 5))
        XCTAssertEqual(report.shareCloserToTrain, 1)
        XCTAssertEqual(report.exactMatchShareTrain, 1)
        XCTAssertEqual(report.medianDistanceToTrain, 0)
        // Test copies of test rows, train subsampled from a larger train split: ties count half.
        let both = try AlignedTables([("train", test), ("test", test), ("synthetic", test.selecting(rows: [0, 1, 2, 3]))])
        XCTAssertEqual(privacyReport(both, random: RandomStream(seed: 5)).shareCloserToTrain, 0.5)
    }

    func testTrainIsSubsampledToTestSize() throws {
        let (train, test, synthetic) = try fixtureTables()
        let smallTest = test.selecting(rows: Array(0..<40))
        let aligned = try AlignedTables([("train", train), ("test", smallTest), ("synthetic", synthetic)])
        let a = privacyReport(aligned, random: RandomStream(seed: 5)), b = privacyReport(aligned, random: RandomStream(seed: 6))
        XCTAssertEqual(a.trainRowsUsed, 40)
        XCTAssertEqual(a, privacyReport(aligned, random: RandomStream(seed: 5)))
        XCTAssertNotEqual(a.medianDistanceToTrain, b.medianDistanceToTrain)
    }
}
