// Tick generation (1-2-5 rule, log decades), axis fractions and number formatting, against values
// worked out by hand in the comments.

@testable import Figures
import XCTest

final class AxisAndFormatTests: XCTestCase {
    func testNiceTicksHandCheckedCases() {
        // (min, max, target) → expected step and ticks. Worked: range/target = rough step,
        // rough = m·10^k with m rounded up to 1, 2, 5 or 10; axis from ⌊min/step⌋ to ⌈max/step⌉.
        let cases: [(Double, Double, Int, Double, [Double])] = [
            (0.13, 0.97, 5, 0.2, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),        // rough 0.168 → 0.2
            (0, 97, 5, 20, [0, 20, 40, 60, 80, 100]),                   // rough 19.4 → 20
            (-1, 1, 5, 0.5, [-1, -0.5, 0, 0.5, 1]),                     // rough 0.4 → 0.5
            (1234, 98765, 5, 20000, [0, 20000, 40000, 60000, 80000, 100000]), // rough 19506 → 2e4
            (0.3, 0.7, 4, 0.1, [0.3, 0.4, 0.5, 0.6, 0.7]),              // rough 0.1 exactly → 0.1
            (3, 3, 5, 0.2, [2.6, 2.8, 3.0, 3.2, 3.4]),                  // constant: ±10 % → [2.7, 3.3]
            (0, 0, 5, 0.5, [-1, -0.5, 0, 0.5, 1]),                      // zero: ±1
            (.nan, 5, 5, 0.2, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),            // non-finite → [0, 1]
            (-0.004, 0.0153, 5, 0.005, [-0.005, 0, 0.005, 0.01, 0.015, 0.02]), // rough 0.00386 → 0.005
        ]
        for (low, high, target, step, expected) in cases {
            let ticks = NiceTicks(min: low, max: high, targetCount: target)
            XCTAssertEqual(ticks.step, step, "step for [\(low), \(high)]")
            XCTAssertEqual(ticks.values, expected, "ticks for [\(low), \(high)]")
            XCTAssertEqual(ticks.lower, expected.first)
            XCTAssertEqual(ticks.upper, expected.last)
        }
    }

    func testTickLabelsUseDecimalsOfTheStep() {
        XCTAssertEqual(NiceTicks(min: 0.13, max: 0.97).labels, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        XCTAssertEqual(NiceTicks(min: 0, max: 97).labels, ["0", "20", "40", "60", "80", "100"])
        XCTAssertEqual(NiceTicks(min: -1, max: 1).labels, ["-1.0", "-0.5", "0.0", "0.5", "1.0"])
        XCTAssertEqual(NiceTicks(min: 0, max: 4e6, targetCount: 2).labels, ["0", "2e6", "4e6"])
    }

    func testLogAxisDecadesAndFractions() {
        let axis = Axis.logarithmic(covering: [0.003, 42, -1, .nan])  // decades 10^-3 … 10^2
        XCTAssertEqual(axis.ticks, [0.001, 0.01, 0.1, 1, 10, 100])
        XCTAssertEqual(axis.tickLabels, ["0.001", "0.01", "0.1", "1", "10", "100"])
        XCTAssertEqual(axis.fraction(1)!, 3.0 / 5.0, accuracy: 1e-12)
        XCTAssertNil(axis.fraction(0))
        XCTAssertNil(axis.fraction(-2))
        // 20 decades: every third decade (stride ⌈20 / 8⌉ = 3: 10^-10, 10^-7, …, 10^8) stays readable.
        let wide = Axis.logarithmic(covering: [1e-10, 1e10])
        XCTAssertEqual(wide.ticks.count, 7)
        XCTAssertEqual(wide.tickLabels.first, "1e-10")
        // Nothing positive: one decade [1, 10].
        let empty = Axis.logarithmic(covering: [0, -3])
        XCTAssertEqual([empty.lower, empty.upper], [1, 10])
    }

    func testLinearAxisFraction() {
        let axis = Axis.linear(covering: [2, 7, .infinity])  // rough 1 → step 1, axis [2, 7]
        XCTAssertEqual([axis.lower, axis.upper], [2, 7])
        XCTAssertEqual(axis.fraction(4.5)!, 0.5, accuracy: 1e-12)
        XCTAssertNil(axis.fraction(.nan))
        XCTAssertEqual(Axis.linear(covering: [3, 4], includeZero: true).lower, 0)
    }

    func testFixedNeverPrintsNegativeZeroOrNoise() {
        XCTAssertEqual(NumberFormat.fixed(-0.0001, decimals: 2), "0.00")
        XCTAssertEqual(NumberFormat.fixed(-0.0, decimals: 0), "0")
        XCTAssertEqual(NumberFormat.fixed(0.1 + 0.2, decimals: 2), "0.30")
        XCTAssertEqual(NumberFormat.fixed(-1.25, decimals: 1), "-1.2")  // -1.25 is exact; ties to even
        XCTAssertEqual(NumberFormat.fixed(-1.5, decimals: 1), "-1.5")
        XCTAssertEqual(NumberFormat.fixed(.nan, decimals: 2), "–")
        XCTAssertEqual(NumberFormat.fixed(-.infinity, decimals: 2), "–")
    }

    func testCoordinateAndCompactFormats() {
        XCTAssertEqual(NumberFormat.coordinate(12.5), "12.5")
        XCTAssertEqual(NumberFormat.coordinate(40), "40")
        XCTAssertEqual(NumberFormat.coordinate(-0.001), "0")
        XCTAssertEqual(NumberFormat.coordinate(1.0 / 3.0), "0.33")
        XCTAssertEqual(NumberFormat.coordinate(.nan), "0")
        XCTAssertEqual(NumberFormat.compact(0.000035), "3.5e-5")
        XCTAssertEqual(NumberFormat.compact(1_234_567), "1.23e6")
        XCTAssertEqual(NumberFormat.compact(0.25), "0.25")
        XCTAssertEqual(NumberFormat.compact(1200), "1200")
        XCTAssertEqual(NumberFormat.compact(-0.0), "0")
    }
}
