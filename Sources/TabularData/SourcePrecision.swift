// The precision a numeric column is written with in its source, so that synthetic values are
// shipped at that precision (a column of 5.1, 4.9, 6.35 gets 5.2, not 5.185882384122433) while a
// column stored at full precision is left alone. Read from the parsed values themselves: the
// shortest text that reads back as a Double has the source's fraction digits (minus trailing zeros).

import Foundation

/// Fraction digits of the shortest decimal text that reads back as `value`: 5.1 → 1, 3 → 0,
/// 1e-05 → 5, 0.30000000000000004 → 17, 1.5e+20 → 0; nil for NaN and infinities.
public func fractionDigits(_ value: Double) -> Int? {
    guard value.isFinite else { return nil }
    let text = "\(value)"  // Swift prints the shortest round-trip text, e.g. "5.1", "1e-05", "1.5e+20"
    let parts = text.lowercased().split(separator: "e", maxSplits: 1)
    let mantissa = parts[0], exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
    let fraction = mantissa.split(separator: ".", maxSplits: 1).dropFirst().first ?? ""
    let digits = fraction.allSatisfy { $0 == "0" } ? 0 : fraction.count  // "5.0" has none
    return max(0, digits - exponent)
}

/// The decimals of a column whose non-missing `values` have at most `limit` fraction digits (the
/// most any of them has), or nil: no values, or a column stored at full precision.
public func sourceDecimals(_ values: [Double], limit: Int = 6) -> Int? {
    var most: Int? = nil
    for value in values where !value.isNaN {
        guard let digits = fractionDigits(value), digits <= limit else { return nil }
        most = max(most ?? 0, digits)
    }
    return most
}

/// `value` rounded half away from zero to `decimals` places: the Double nearest that decimal, so
/// it prints with at most `decimals` fraction digits. NaN stays NaN.
public func rounded(_ value: Double, decimals: Int) -> Double {
    guard value.isFinite else { return value }
    let scale = pow(10.0, Double(decimals))
    // Both operands are exact (|k| < 2⁵³, 10^d exact for d ≤ 22): one correctly rounded division.
    let k = (value * scale).rounded()
    return abs(k) < 9_007_199_254_740_992 ? k / scale : value
}

extension Table {
    /// This table with each numeric column that has `decimals[j]` rounded to that many places.
    public func rounded(toDecimals decimals: [Int?]) -> Table {
        Table(columns: columns.enumerated().map { j, column in
            guard j < decimals.count, let d = decimals[j], case .numeric(let values) = column.values else { return column }
            return Column(name: column.name, type: column.type, values: .numeric(values.map { TabularData.rounded($0, decimals: d) }))
        })
    }
}
