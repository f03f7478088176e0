// Scatter plots of two columns, real vs synthetic: real as semi-transparent blue dots, synthetic as
// orange crosses, both on shared axes. Large samples are thinned deterministically (evenly spaced
// rows) so the SVG stays small and the same input always draws the same points.

import Foundation

extension Figures {
    /// Real vs synthetic points for two columns.
    ///
    /// Rows where x or y is not finite are dropped; then each sample keeps at most `maxPoints` rows,
    /// chosen as rows ⌊k·n / maxPoints⌋ for k = 0 … maxPoints−1 (deterministic, spread evenly over the
    /// sample). Axes cover the drawn points of both samples.
    /// - Parameters:
    ///   - realX, realY: the two columns of the real sample (N values each; the shorter length wins).
    ///   - syntheticX, syntheticY: the same for the synthetic sample.
    /// - Returns: an SVG document of `width × height` pixels.
    public static func scatter(
        realX: [Double], realY: [Double], syntheticX: [Double], syntheticY: [Double],
        title: String, xLabel: String, yLabel: String, maxPoints: Int = 1000,
        width: Double = 640, height: Double = 440
    ) -> String {
        let realPairs = finitePairs(realX, realY), syntheticPairs = finitePairs(syntheticX, syntheticY)
        let real = evenlyThinned(realPairs, to: maxPoints), synthetic = evenlyThinned(syntheticPairs, to: maxPoints)
        let all = real + synthetic
        func legendLabel(_ name: String, shown: Int, of total: Int) -> String {
            shown == total ? "\(name) (n=\(total))" : "\(name) (\(shown) of \(total) shown)"
        }
        let xAxis = Axis.linear(covering: padded(all.map(\.x)), targetTickCount: 6)
        let yAxis = Axis.linear(covering: padded(all.map(\.y)))
        let legend = [
            LegendEntry(label: legendLabel("real", shown: real.count, of: realPairs.count), color: Palette.real, marker: .circle),
            LegendEntry(label: legendLabel("synthetic", shown: synthetic.count, of: syntheticPairs.count),
                        color: Palette.synthetic, marker: .cross),
        ]
        let frame = PlotFrame(width: width, height: height, xAxis: xAxis, yAxis: yAxis,
                              hasXLabel: !xLabel.isEmpty, hasYLabel: !yLabel.isEmpty, legend: legend.map(\.label))
        var svg = SVGBuilder(width: width, height: height, title: title)
        frame.drawAxes(into: &svg, title: title, xLabel: xLabel, yLabel: yLabel)
        if all.isEmpty { frame.drawNote(into: &svg, "no data") }

        for point in real {
            guard let px = frame.x(point.x), let py = frame.y(point.y) else { continue }
            svg.circle(cx: px, cy: py, radius: 3, fill: Palette.real, opacity: 0.45)
        }
        for point in synthetic {
            guard let px = frame.x(point.x), let py = frame.y(point.y) else { continue }
            drawCross(into: &svg, cx: px, cy: py, size: 2.8, color: Palette.synthetic, opacity: 0.6)
        }
        frame.drawLegend(into: &svg, entries: legend)
        return svg.render()
    }

    /// `values` plus two points 3 % of the range beyond each end, so markers at the extremes are
    /// not cut by the plot frame.
    static func padded(_ values: [Double]) -> [Double] {
        guard let low = values.min(), let high = values.max() else { return values }
        let margin = (high - low) * 0.03
        return values + [low - margin, high + margin]
    }

    /// The (x, y) pairs where both values are finite.
    static func finitePairs(_ x: [Double], _ y: [Double]) -> [(x: Double, y: Double)] {
        zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }.map { (x: $0.0, y: $0.1) }
    }

    /// At most `limit` elements of `items`: indices ⌊k·n / limit⌋, k = 0 … limit−1.
    static func evenlyThinned<T>(_ items: [T], to limit: Int) -> [T] {
        let limit = max(0, limit)
        guard items.count > limit else { return items }
        return (0..<limit).map { items[$0 * items.count / limit] }
    }
}
