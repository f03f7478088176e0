// The shared column statistics on hand-checkable cases: ties, missing values, order keys, and the
// Pearson matrix's conventions (diagonal 1, a constant column correlates 0).

import XCTest
import TabularData

final class ColumnStatisticsTests: XCTestCase {
    func testAscendingOrderSkipsMissingValuesAndBreaksTiesByIndex() {
        XCTAssertEqual(ascendingOrder([3, .nan, 1, 3]), [2, 0, 3])
        // Presence comes from the values, the order from the keys.
        XCTAssertEqual(ascendingOrder([3, .nan, 1, 3], by: [0, 9, 0, -1]), [3, 0, 2])
        XCTAssertEqual(ascendingOrder([.nan]), [])
    }

    func testAverageRanksShareTiesAndLeaveMissingValuesOut() {
        let ranks = averageRanks([10, 20, 20, .nan, 5])
        XCTAssertEqual(Array(ranks[0..<3]) + [ranks[4]], [2, 3.5, 3.5, 1])
        XCTAssertTrue(ranks[3].isNaN)
        XCTAssertEqual(averageRanks([7, 7, 7]), [2, 2, 2])
    }

    func testPearsonMatrixConventions() {
        let x: [Double] = [1, 2, 3, 4], y: [Double] = [2, 4, 6, 8.5], constant: [Double] = [5, 5, 5, 5]
        for denominator in [PearsonDenominator.productOfRoots, .rootOfProduct] {
            let c = pearsonMatrix(columns: [x, y, constant, x.map { -$0 }], denominator: denominator)
            XCTAssertEqual(c[0 * 4 + 0], 1)
            XCTAssertEqual(c[2 * 4 + 2], 1, "the diagonal is 1, even for a constant column")
            XCTAssertEqual(c[0 * 4 + 2], 0, "a constant column correlates 0")
            XCTAssertEqual(c[2 * 4 + 1], 0)
            XCTAssertEqual(c[0 * 4 + 3], -1, accuracy: 1e-15)
            // By hand: Sxy = 10.75, Sxx = 5, Syy = 23.1875; r = 0.99838143945703 (numpy.corrcoef agrees).
            XCTAssertEqual(c[0 * 4 + 1], 10.75 / (5 * 23.1875).squareRoot(), accuracy: 1e-15)
            XCTAssertEqual(c[1 * 4 + 0], c[0 * 4 + 1])
        }
    }
}
