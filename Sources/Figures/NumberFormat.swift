// Number formatting for figures and reports: fixed decimals, locale-independent, never `-0`, never
// 17-digit noise such as `0.30000000000000004`. Non-finite values never reach SVG coordinates (the
// charts drop them); as text they print as an en dash.

import Foundation

/// Deterministic, locale-independent number formatting shared by every chart.
public enum NumberFormat {
    /// `value` with exactly `decimals` digits after the point (`fixed(-0.001, decimals: 2) == "0.00"`).
    /// Non-finite values print as `–`.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "–" }
        let text = String(format: "%.\(max(0, decimals))f", value)
        return text.hasPrefix("-") && text.allSatisfy({ $0 == "-" || $0 == "0" || $0 == "." })
            ? String(text.dropFirst()) : text
    }

    /// A coordinate for SVG attributes: two decimals with trailing zeros trimmed (`12.5`, `40`).
    /// Non-finite input becomes `0` so a coordinate can never be `nan` or `inf`; charts filter such
    /// values before they get here.
    public static func coordinate(_ value: Double) -> String {
        trimmed(fixed(value.isFinite ? value : 0, decimals: 2))
    }

    /// A compact label with at most `significantDigits` significant digits: `0.25`, `1200`, `3.5e-5`.
    /// Used where no axis step fixes the number of decimals (log-axis ticks, legend counts).
    public static func compact(_ value: Double, significantDigits: Int = 3) -> String {
        guard value.isFinite else { return "–" }
        if value == 0 { return "0" }
        let exponent = Int(floor(log10(abs(value))))
        if exponent >= 6 || exponent <= -4 {
            let mantissa = value / pow(10, Double(exponent))
            return trimmed(fixed(mantissa, decimals: max(0, significantDigits - 1))) + "e\(exponent)"
        }
        return trimmed(fixed(value, decimals: max(0, significantDigits - 1 - exponent)))
    }

    /// Tick labels for values on a grid of spacing `step`: just enough decimals to tell ticks apart
    /// (`step = 0.2` gives one decimal), scientific notation for very large or very small axes.
    public static func ticks(_ values: [Double], step: Double) -> [String] {
        let largest = values.map { abs($0) }.max() ?? 0
        guard step > 0, step.isFinite, largest < 1e6, step >= 1e-4 else {
            return values.map { compact($0) }
        }
        let decimals = max(0, -Int(floor(log10(step) + 1e-9)))
        return values.map { fixed($0, decimals: decimals) }
    }

    /// Removes trailing zeros after a decimal point, and the point itself when nothing follows.
    static func trimmed(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var result = text
        while result.hasSuffix("0") { result.removeLast() }
        if result.hasSuffix(".") { result.removeLast() }
        return result == "-0" ? "0" : result
    }
}
