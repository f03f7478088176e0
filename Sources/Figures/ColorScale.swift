// Colours: an RGB value with hex output, a fixed categorical palette for series, and piecewise-linear
// colour scales (diverging blue–white–red for correlations, sequential white–blue for attention and
// counts). Interpolation happens in sRGB, which is adequate for these short ramps.

import Foundation

/// An sRGB colour with 8-bit channels.
public struct RGB: Equatable, Sendable {
    public let red: UInt8, green: UInt8, blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        (self.red, self.green, self.blue) = (red, green, blue)
    }

    /// Parses `#rrggbb`; invalid input is a programming error in a palette literal.
    init(hex: String) {
        let value = UInt32(hex.dropFirst(), radix: 16) ?? 0
        self.init(red: UInt8(value >> 16 & 0xFF), green: UInt8(value >> 8 & 0xFF), blue: UInt8(value & 0xFF))
    }

    /// `#rrggbb`, lower case.
    public var hex: String {
        let digits = Array("0123456789abcdef")
        return "#" + [red, green, blue].map { String([digits[Int($0 >> 4)], digits[Int($0 & 0xF)]]) }.joined()
    }

    /// Relative luminance (Rec. 709 weights on linear channels), 0 = black, 1 = white; used to pick
    /// black or white text on a filled cell.
    public var luminance: Double {
        func linear(_ channel: UInt8) -> Double {
            let c = Double(channel) / 255
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    /// Text colour readable on this background.
    public var contrastingText: String { luminance > 0.25 ? "#111111" : "#ffffff" }
}

/// Colours for the real and synthetic data and for further series (Tableau 10, colour-blind safe
/// in its first pairs).
public enum Palette {
    public static let real = "#1f77b4"
    public static let synthetic = "#ff7f0e"
    public static let series = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
    /// Fill for missing (NaN) cells.
    public static let missing = "#d4d4d4"

    /// Colour of series `index`, cycling through `series`.
    public static func color(_ index: Int) -> String { series[index % series.count] }
}

/// Maps numbers to colours by linear interpolation between stops.
///
/// `domain == nil` means "fit to the data": the chart passes its finite min and max to `resolved`.
public struct ColorScale: Sendable {
    /// Stop positions in [0, 1] (increasing) with their colours.
    public let stops: [(position: Double, color: RGB)]
    public let domain: ClosedRange<Double>?

    public init(stops: [(position: Double, color: RGB)], domain: ClosedRange<Double>?) {
        self.stops = stops
        self.domain = domain
    }

    /// Blue (−limit) → white (0) → red (+limit), after ColorBrewer RdBu; for correlation matrices
    /// and signed differences.
    public static func diverging(limit: Double) -> ColorScale {
        let hexes = ["#2166ac", "#92c5de", "#ffffff", "#f4a582", "#b2182b"]
        let stops = hexes.enumerated().map { (position: Double($0.offset) / 4, color: RGB(hex: $0.element)) }
        let bound = limit.isFinite && limit > 0 ? limit : 1
        return ColorScale(stops: stops, domain: -bound...bound)
    }

    /// The diverging scale on [−1, 1].
    public static let diverging = diverging(limit: 1)

    /// White → dark blue (ColorBrewer Blues) over `domain`, or over the data when nil; for attention
    /// weights, absolute differences and counts.
    public static func sequential(domain: ClosedRange<Double>? = nil) -> ColorScale {
        let hexes = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]
        let stops = hexes.enumerated().map { (position: Double($0.offset) / 4, color: RGB(hex: $0.element)) }
        return ColorScale(stops: stops, domain: domain)
    }

    /// The sequential scale fitted to the data.
    public static let sequential = sequential()

    /// This scale with a concrete domain: the given one, else `[min, max]` of the finite `values`
    /// (widened when empty or constant).
    public func resolved(for values: [Double]) -> ColorScale {
        if let domain, domain.upperBound > domain.lowerBound, domain.lowerBound.isFinite, domain.upperBound.isFinite {
            return self
        }
        let finite = values.filter(\.isFinite)
        var low = finite.min() ?? 0, high = finite.max() ?? 1
        if high <= low { (low, high) = (low - 0.5, high + 0.5) }
        return ColorScale(stops: stops, domain: low...high)
    }

    /// The colour of `value`; values outside the domain take the end colours; NaN gives nil.
    public func color(for value: Double) -> RGB? {
        guard value.isFinite, !stops.isEmpty else { return nil }
        let range = domain ?? 0...1
        let width = range.upperBound - range.lowerBound
        let t = width > 0 ? min(1, max(0, (value - range.lowerBound) / width)) : 0.5
        guard let upperIndex = stops.firstIndex(where: { $0.position >= t }) else { return stops.last?.color }
        if upperIndex == 0 { return stops[0].color }
        let (a, b) = (stops[upperIndex - 1], stops[upperIndex])
        let local = (t - a.position) / max(1e-12, b.position - a.position)
        func mix(_ x: UInt8, _ y: UInt8) -> UInt8 { UInt8((Double(x) + (Double(y) - Double(x)) * local).rounded()) }
        return RGB(red: mix(a.color.red, b.color.red), green: mix(a.color.green, b.color.green), blue: mix(a.color.blue, b.color.blue))
    }
}
