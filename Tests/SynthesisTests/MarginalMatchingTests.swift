// Marginal matching keeps every column's ranks, gives each numeric column the train split's
// empirical marginal, rounds integer columns, and leaves missing cells and categories alone.
// Ranks come from the generator's unrounded values when given, so rounding never breaks ties.

import XCTest
import TabularData
import TensorKit
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
        var rng = RandomStream(seed: 1)
        let matched = matchMarginals(synthetic, sortedReference: sortedNumericValues(train), rng: &rng)
        // a: the 4 present values rank (−5, 0.3, 0.3 (row order), 7); rank r reads the train CDF at
        // u ∈ [r/4, (r+1)/4), i.e. position 4u − ½ ∈ [r − ½, r + ½) among (10, 20, 30, 40).
        let a = matched.columns[0].numbers!
        let bounds: [(row: Int, low: Double, high: Double)] = [(1, 10, 15), (0, 15, 25), (4, 25, 35), (3, 35, 40)]
        for b in bounds {
            XCTAssertTrue(a[b.row] >= b.low && a[b.row] <= b.high, "row \(b.row): \(a[b.row]) outside [\(b.low), \(b.high)]")
        }
        let ordered: [Double] = [a[1], a[0], a[4], a[3]]
        XCTAssertEqual(ordered, ordered.sorted(), "ranks kept")
        XCTAssertTrue(a[2].isNaN)
        var again = RandomStream(seed: 1)
        let repeated = matchMarginals(synthetic, sortedReference: sortedNumericValues(train), rng: &again)
        XCTAssertEqual(repeated.columns[0].numbers!.map(\.bitPattern), a.map(\.bitPattern), "seeded")
        // n: descending synthetic values map to ascending train quantiles, rounded.
        let n = matched.columns[1].numbers!
        XCTAssertEqual(n.reversed(), n.sorted())
        XCTAssertTrue(n.allSatisfy { $0 == $0.rounded() })
        XCTAssertEqual(matched.columns[2], synthetic.columns[2])
    }

    func testOrderKeysRankTiedRoundedValuesByTheGeneratorsOrder() {
        // A binary column: the decoded (rounded) values tie, the generator's unrounded keys do not.
        let reference: [[Double]] = [[0, 0, 1, 1]]
        let synthetic = Table(columns: [Column(name: "b", type: .integer, values: .numeric([0, 0, 0, 0]))])
        var rng = RandomStream(seed: 3)
        let matched = matchMarginals(synthetic, sortedReference: reference, orderKeys: [[0.9, -1, 0.2, -0.5]], rng: &rng)
        XCTAssertEqual(matched.columns[0].numbers!, [1, 0, 1, 0], "the two rows the generator ranked highest get the 1s")
        var plain = RandomStream(seed: 3)
        let byRow = matchMarginals(synthetic, sortedReference: reference, rng: &plain)
        XCTAssertEqual(byRow.columns[0].numbers!, [0, 0, 1, 1], "without keys, ties fall back to row order")
    }
}
