// Shared test helpers: closeness assertions that print the first mismatches (after llm.c's
// check_tensor) and labelled loops over seeds.

import XCTest

/// Asserts two arrays have equal length and agree within `atol + rtol·|expected|` element-wise,
/// printing up to five mismatches with their indices.
public func assertClose(
    _ actual: [Double], _ expected: [Double], rtol: Double = 1e-5, atol: Double = 1e-6,
    _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line
) {
    guard actual.count == expected.count else {
        XCTFail("count \(actual.count) != expected \(expected.count). \(message())", file: file, line: line)
        return
    }
    var bad: [String] = []
    var badCount = 0
    for i in actual.indices {
        let a = actual[i], e = expected[i]
        let ok = (a.isNaN && e.isNaN) || abs(a - e) <= atol + rtol * abs(e)
        if !ok {
            badCount += 1
            if bad.count < 5 { bad.append("[\(i)] \(a) vs \(e)") }
        }
    }
    if badCount > 0 {
        XCTFail("\(badCount) of \(actual.count) elements differ: \(bad.joined(separator: ", ")). \(message())", file: file, line: line)
    }
}

/// Float overload of `assertClose`.
public func assertClose(
    _ actual: [Float], _ expected: [Float], rtol: Double = 1e-5, atol: Double = 1e-6,
    _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line
) {
    assertClose(actual.map(Double.init), expected.map(Double.init), rtol: rtol, atol: atol, message(), file: file, line: line)
}

/// Runs `body` once per seed; a failure message inside can name the seed it was given.
public func withEverySeed(_ seeds: some Sequence<UInt64>, _ body: (UInt64) throws -> Void) rethrows {
    for seed in seeds { try body(seed) }
}
