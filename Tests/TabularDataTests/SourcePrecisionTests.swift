// Source precision on hand-checked values: fraction digits of the shortest round-trip text,
// the column's decimals (or none for a full-precision column), and rounding to them.

import XCTest
import TabularData

final class SourcePrecisionTests: XCTestCase {
    func testFractionDigitsOfTheShortestText() {
        XCTAssertEqual(fractionDigits(5.1), 1)
        XCTAssertEqual(fractionDigits(3), 0)
        XCTAssertEqual(fractionDigits(-2.25), 2)
        XCTAssertEqual(fractionDigits(1e-5), 5)
        XCTAssertEqual(fractionDigits(1.25e-7), 9)
        XCTAssertEqual(fractionDigits(1.5e20), 0)
        XCTAssertEqual(fractionDigits(0.1 + 0.2), 17)
        XCTAssertNil(fractionDigits(.nan))
        XCTAssertNil(fractionDigits(.infinity))
    }

    func testSourceDecimalsIsTheMostAColumnHasUpToTheLimit() {
        XCTAssertEqual(sourceDecimals([5.1, 4.9, 6.35, .nan, 7]), 2)
        XCTAssertEqual(sourceDecimals([1, 2, 3]), 0)
        XCTAssertNil(sourceDecimals([5.1, 5.185882384122433]), "a column stored at full precision has none to keep")
        XCTAssertNil(sourceDecimals([.nan, .nan]))
        XCTAssertNil(sourceDecimals([]))
        XCTAssertEqual(sourceDecimals([0.1234567], limit: 7), 7)
    }

    func testRoundingGivesTheNearestDoubleOfTheDecimal() {
        XCTAssertEqual("\(rounded(5.185882384122433, decimals: 1))", "5.2")
        XCTAssertEqual("\(rounded(0.6400000000000001, decimals: 2))", "0.64")
        XCTAssertEqual("\(rounded(6.835185000000001, decimals: 6))", "6.835185")
        XCTAssertEqual(rounded(-2.5, decimals: 0), -3, "half away from zero")
        XCTAssertEqual(rounded(1284.340334563091, decimals: 0), 1284)
        XCTAssertTrue(rounded(.nan, decimals: 2).isNaN)
        let table = Table(columns: [
            Column(name: "a", type: .real, values: .numeric([1.23456, .nan])),
            Column(name: "b", type: .real, values: .numeric([1.23456, 2])),
            Column(name: "k", type: .categorical, values: .categorical(codes: [0, 0], levels: ["x"])),
        ])
        let out = table.rounded(toDecimals: [2, nil, 3])
        XCTAssertEqual(out.columns[0].numbers![0], 1.23)
        XCTAssertTrue(out.columns[0].numbers![1].isNaN)
        XCTAssertEqual(out.columns[1], table.columns[1], "no decimals: left alone")
        XCTAssertEqual(out.columns[2], table.columns[2], "categorical columns are left alone")
    }
}
