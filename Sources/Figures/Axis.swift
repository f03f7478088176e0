// Axis ranges and tick marks: "nice" linear ticks on the 1-2-5 rule and decade ticks for log axes,
// plus the mapping from data values to the unit interval. Degenerate input (no finite values, a
// constant) still yields a usable, finite axis.

import Foundation

/// Tick values for a linear axis: a step of 1, 2 or 5 × 10^k chosen so about `targetCount` intervals
/// cover `[min, max]`; the axis runs from the tick at or below `min` to the tick at or above `max`.
///
/// Example: `NiceTicks(min: 0.13, max: 0.97)` gives step 0.2 and ticks 0, 0.2, …, 1.
public struct NiceTicks: Equatable, Sendable {
    public let lower: Double
    public let upper: Double
    public let step: Double
    public let values: [Double]

    /// - Parameters:
    ///   - min, max: the data range; non-finite bounds fall back to `[0, 1]`, and a zero-width range
    ///     is widened by 10 % of its magnitude (or by 1 around zero).
    ///   - targetCount: the number of intervals to aim for (at least 1).
    public init(min: Double, max: Double, targetCount: Int = 5) {
        var low = Swift.min(min, max), high = Swift.max(min, max)
        if !low.isFinite || !high.isFinite { (low, high) = (0, 1) }
        (low, high) = (Swift.max(low, -1e300), Swift.min(high, 1e300))  // keeps high − low finite
        if high - low <= abs(high) * 1e-12 {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            (low, high) = (low - pad, high + pad)
        }
        let rough = (high - low) / Double(Swift.max(1, targetCount))
        var exponent = Int(floor(log10(rough)))
        let residual = rough / pow(10, Double(exponent))
        let slack = 1 + 1e-9  // so 0.1 / 10^-1 = 1.0000000000000002 still counts as 1
        var multiple = residual <= slack ? 1 : residual <= 2 * slack ? 2 : residual <= 5 * slack ? 5 : 10
        if multiple == 10 { (multiple, exponent) = (1, exponent + 1) }
        // Values are k·multiple·10^exponent computed as one correctly rounded division or
        // multiplication, so 0.3 prints and compares as 0.3 rather than 0.30000000000000004.
        let power = pow(10, Double(abs(exponent)))
        func value(_ k: Int) -> Double {
            exponent < 0 ? Double(k * multiple) / power : Double(k * multiple) * power
        }
        let step = exponent < 0 ? Double(multiple) / power : Double(multiple) * power
        let first = Int(floor(low / step + 1e-9)), last = Int(ceil(high / step - 1e-9))
        self.step = step
        self.values = (first...Swift.max(first + 1, last)).map(value)
        self.lower = values.first ?? low
        self.upper = values.last ?? high
    }

    /// Tick labels with just enough decimals for this step.
    public var labels: [String] { NumberFormat.ticks(values, step: step) }
}

/// One axis of a chart: its range, its ticks and labels, linear or base-10 logarithmic.
public struct Axis: Sendable {
    public let lower: Double
    public let upper: Double
    public let ticks: [Double]
    public let tickLabels: [String]
    public let isLogarithmic: Bool

    /// A linear axis covering the finite values in `values` with nice ticks; `includeZero` extends
    /// the range to 0 (for densities and frequencies).
    public static func linear(covering values: [Double], includeZero: Bool = false, targetTickCount: Int = 5) -> Axis {
        var finite = values.filter(\.isFinite)
        if includeZero { finite.append(0) }
        let ticks = NiceTicks(min: finite.min() ?? 0, max: finite.max() ?? 1, targetCount: targetTickCount)
        return Axis(lower: ticks.lower, upper: ticks.upper, ticks: ticks.values, tickLabels: ticks.labels, isLogarithmic: false)
    }

    /// A log-10 axis from the decade at or below the smallest positive finite value to the decade at
    /// or above the largest; ticks at decades (every second or more decade when there are many).
    public static func logarithmic(covering values: [Double]) -> Axis {
        let positive = values.filter { $0.isFinite && $0 > 0 }
        var low = Int(floor(log10(positive.min() ?? 1) + 1e-9))
        var high = Int(ceil(log10(positive.max() ?? 10) - 1e-9))
        if high <= low { (low, high) = (low, low + 1) }
        let stride = Swift.max(1, (high - low + 7) / 8)
        let exponents = Swift.stride(from: low, through: high, by: stride).map { $0 }
        let ticks = exponents.map { Double("1e\($0)") ?? 1 }
        return Axis(
            lower: Double("1e\(low)") ?? 1, upper: Double("1e\(high)") ?? 10, ticks: ticks,
            tickLabels: ticks.map { NumberFormat.compact($0) }, isLogarithmic: true)
    }

    /// Position of `value` along the axis as a fraction: 0 at `lower`, 1 at `upper`; nil when the
    /// value cannot be drawn (non-finite, or not positive on a log axis).
    public func fraction(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        if isLogarithmic {
            guard value > 0 else { return nil }
            return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
        return (value - lower) / (upper - lower)
    }
}
