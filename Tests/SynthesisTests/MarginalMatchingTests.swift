// Marginal matching keeps every column's ranks, gives each numeric column the train split's
// empirical marginal, rounds integer columns, and leaves missing cells and categories alone.

import XCTest
import TabularData
@testable import Synthesis

final class MarginalMatchingTests: XCTestCase {
    func testRanksKeptAndMarginalTakenFromTrain() {
        let train = Table(columns: [
            Column(name: "a", type: .real, values: .numeric([10, 20, 30, 40])),
            Column(name: "n", type: .integer, values: .numeric([1, 2, 3, 100])),
            Column(name: "k", type: .categorical, values: .categorical(codes: [0, 1, 0, 1], levels: ["x", "y"])),
        ])
        let synthetic = Table(columns: [
            Column(name: "a", type: .real, values: .numeric([0.3, -5, .nan, 7, 0.3])),
            Column(name: "n", type: .integer, values: .numeric([9, 8, 7, 6, 5])),
            Column(name: "k", type: .categorical, values: .categorical(codes: [1, 1, 0, -1, 0], levels: ["x", "y"])),
        ])
        let matched = matchMarginals(synthetic, to: train)
        // a: ranks of the 4 present values are (−5, 0.3, 0.3, 7) → quantiles at 1/8, 3/8, 5/8, 7/8.
        let a = matched.columns[0].numbers!
        XCTAssertEqual(a[1], 10)                       // rank 0: u = 0.125 → position 0 → 10
        XCTAssertEqual(a[0], 20)                       // rank 1: u = 0.375 → position 1 → 20
        XCTAssertEqual(a[4], 30)                       // tie kept in row order: rank 2 → 30
        XCTAssertEqual(a[3], 40)                       // rank 3 → 40
        XCTAssertTrue(a[2].isNaN)
        // n: descending synthetic values map to ascending train quantiles, rounded.
        let n = matched.columns[1].numbers!
        XCTAssertEqual(n.reversed(), n.sorted())
        XCTAssertTrue(n.allSatisfy { $0 == $0.rounded() })
        XCTAssertEqual(matched.columns[2], synthetic.columns[2])
    }
}
