// Marginal distributions real vs synthetic: overlaid density histograms for a numeric column (shared
// bins over the pooled range) and grouped bars of level frequencies for a categorical column.

import Foundation

extension Figures {
    /// Overlaid density histograms of one numeric column, real vs synthetic.
    ///
    /// Bins are shared: `binCount` equal-width bins over the pooled finite range of both samples
    /// (default: √n of the larger sample, clamped to 10…40). Bar height is a density,
    /// `count / (n · binWidth)`, so samples of different size compare. Non-finite values are ignored.
    /// - Returns: an SVG document of `width × height` pixels.
    public static func histogramOverlay(
        real: [Double], synthetic: [Double], title: String, xLabel: String = "",
        binCount: Int? = nil, width: Double = 640, height: Double = 400
    ) -> String {
        let realValues = real.filter(\.isFinite), syntheticValues = synthetic.filter(\.isFinite)
        let pooled = realValues + syntheticValues
        var low = pooled.min() ?? 0, high = pooled.max() ?? 1
        if high <= low { (low, high) = (low - 0.5, high + 0.5) }
        let bins = binCount.map { max(1, $0) }
            ?? min(40, max(10, Int(Double(max(realValues.count, syntheticValues.count)).squareRoot().rounded())))
        let binWidth = (high - low) / Double(bins)
        let realDensity = densityHistogram(realValues, low: low, high: high, bins: bins)
        let syntheticDensity = densityHistogram(syntheticValues, low: low, high: high, bins: bins)

        let xAxis = Axis.linear(covering: [low, high], targetTickCount: 6)
        let yAxis = Axis.linear(covering: realDensity + syntheticDensity, includeZero: true)
        let legend = [LegendEntry(label: "real (n=\(realValues.count))", color: Palette.real, marker: .box),
                      LegendEntry(label: "synthetic (n=\(syntheticValues.count))", color: Palette.synthetic, marker: .box)]
        let frame = PlotFrame(width: width, height: height, xAxis: xAxis, yAxis: yAxis,
                              hasXLabel: !xLabel.isEmpty, hasYLabel: true, legend: legend.map(\.label))
        var svg = SVGBuilder(width: width, height: height, title: title)
        frame.drawAxes(into: &svg, title: title, xLabel: xLabel, yLabel: "density")
        if pooled.isEmpty { frame.drawNote(into: &svg, "no data") }

        // Each sample as a filled step outline: both semi-transparent fills first, then both opaque
        // edges, so neither edge disappears under the other sample's fill.
        var outlines: [(points: [(x: Double, y: Double)], color: String)] = []
        for (density, color) in [(realDensity, Palette.real), (syntheticDensity, Palette.synthetic)] {
            guard density.contains(where: { $0 > 0 }), let baseline = frame.y(0) else { continue }
            var outline: [(x: Double, y: Double)] = []
            for (bin, d) in density.enumerated() {
                guard let x0 = frame.x(low + Double(bin) * binWidth), let x1 = frame.x(low + Double(bin + 1) * binWidth),
                      let y = frame.y(d) else { continue }
                if outline.isEmpty { outline.append((x0, baseline)) }
                outline.append((x0, y))
                outline.append((x1, y))
            }
            if let last = outline.last { outline.append((last.x, baseline)) }
            outlines.append((outline, color))
        }
        for outline in outlines { svg.polygon(points: outline.points, fill: outline.color, opacity: 0.35) }
        for outline in outlines { svg.polyline(points: outline.points, stroke: outline.color, strokeWidth: 1.5) }
        frame.drawLegend(into: &svg, entries: legend)
        return svg.render()
    }

    /// Densities of finite `values` in `bins` equal bins over `[low, high]`: count / (n · width).
    /// The last bin is closed on the right; values outside the range go to the end bins. All
    /// zeros when `values` is empty.
    static func densityHistogram(_ values: [Double], low: Double, high: Double, bins: Int) -> [Double] {
        let width = (high - low) / Double(bins)
        var counts = [Double](repeating: 0, count: bins)
        for v in values {
            let t = (v - low) / width  // NaN (from an overflowing range) compares false and lands in bin 0
            counts[t >= 0 ? (t < Double(bins) ? Int(t) : bins - 1) : 0] += 1
        }
        return values.isEmpty ? counts : counts.map { $0 / (Double(values.count) * width) }
    }

    /// Grouped bars of categorical level frequencies (shares of each sample), real vs synthetic.
    ///
    /// Levels are ordered by real frequency (descending), ties and synthetic-only levels by name.
    /// Beyond `maxLevels`, the rarest levels are merged into one "other" bar.
    /// - Parameters:
    ///   - real, synthetic: one level per row (missing values as whatever string the caller uses).
    /// - Returns: an SVG document of `width × height` pixels.
    public static func barComparison(
        real: [String], synthetic: [String], title: String, xLabel: String = "",
        maxLevels: Int = 20, width: Double = 640, height: Double = 400
    ) -> String {
        func counts(_ values: [String]) -> [String: Int] { values.reduce(into: [:]) { $0[$1, default: 0] += 1 } }
        let realCounts = counts(real), syntheticCounts = counts(synthetic)
        var levels = Set(realCounts.keys).union(syntheticCounts.keys).sorted {
            let (a, b) = (realCounts[$0] ?? 0, realCounts[$1] ?? 0)
            if a != b { return a > b }
            let (c, d) = (syntheticCounts[$0] ?? 0, syntheticCounts[$1] ?? 0)
            return c != d ? c > d : $0 < $1
        }
        func share(_ counts: [String: Int], _ total: Int, _ keys: [String]) -> Double {
            total == 0 ? 0 : Double(keys.reduce(0) { $0 + (counts[$1] ?? 0) }) / Double(total)
        }
        var groups = levels.map { [$0] }
        if levels.count > max(1, maxLevels) {
            let kept = max(1, maxLevels) - 1
            groups = levels.prefix(kept).map { [$0] } + [Array(levels.dropFirst(kept))]
            levels = Array(levels.prefix(kept)) + ["other (\(levels.count - kept) levels)"]
        }
        let realShares = groups.map { share(realCounts, real.count, $0) }
        let syntheticShares = groups.map { share(syntheticCounts, synthetic.count, $0) }

        // Category axis: one slot per level; long or many labels are rotated 45°.
        let shortLevels = levels.map { SVGBuilder.truncated($0, maxCharacters: labelCharacterLimit) }
        let labelWidth = shortLevels.map { SVGBuilder.estimatedWidth(of: $0, fontSize: PlotFrame.tickFont) }.max() ?? 0
        let yAxis = Axis.linear(covering: realShares + syntheticShares, includeZero: true)
        let xAxis = Axis(lower: 0, upper: Double(max(1, levels.count)), ticks: [], tickLabels: [], isLogarithmic: false)
        let legend = [LegendEntry(label: "real (n=\(real.count))", color: Palette.real, marker: .box),
                      LegendEntry(label: "synthetic (n=\(synthetic.count))", color: Palette.synthetic, marker: .box)]
        // The plot width does not depend on the height: a first frame gives the slot per level,
        // which decides whether labels rotate and so how tall the final frame is.
        let probe = PlotFrame(width: width, height: height, xAxis: xAxis, yAxis: yAxis,
                              hasXLabel: !xLabel.isEmpty, hasYLabel: true, legend: legend.map(\.label))
        let slot = probe.plotWidth / Double(max(1, levels.count))
        let rotate = labelWidth > slot - 6
        let extraBottom = rotate ? max(0, labelWidth * 0.71 - 10) : 0  // beyond the usual tick-label row
        let frame = PlotFrame(width: width, height: height + extraBottom, xAxis: xAxis, yAxis: yAxis,
                              hasXLabel: !xLabel.isEmpty, hasYLabel: true, legend: legend.map(\.label),
                              extraBottom: extraBottom)
        var svg = SVGBuilder(width: frame.width, height: frame.height, title: title)
        frame.drawAxes(into: &svg, title: title, xLabel: xLabel, yLabel: "share of rows", xTicks: false)
        if levels.isEmpty { frame.drawNote(into: &svg, "no data") }

        let plotBottom = frame.top + frame.plotHeight
        let barWidth = min(40, slot * 0.38)
        for (index, level) in shortLevels.enumerated() {
            let center = frame.left + (Double(index) + 0.5) * slot
            for (offset, shares, color) in [(-1.0, realShares, Palette.real), (0.0, syntheticShares, Palette.synthetic)] {
                let top = frame.y(shares[index]) ?? plotBottom
                svg.rect(x: center + offset * barWidth, y: top, width: barWidth, height: plotBottom - top,
                         fill: color, stroke: color, opacity: 0.7,
                         tooltip: "\(levels[index]): \(NumberFormat.fixed(shares[index], decimals: 3))")
            }
            let tooltip = level == levels[index] ? nil : levels[index]
            if rotate {
                svg.text(level, x: center + 3, y: plotBottom + 12, fontSize: PlotFrame.tickFont, anchor: .end,
                         rotation: -45, fill: "#444444", tooltip: tooltip)
            } else {
                svg.text(level, x: center, y: plotBottom + 16, fontSize: PlotFrame.tickFont, anchor: .middle,
                         fill: "#444444", tooltip: tooltip)
            }
        }
        frame.drawLegend(into: &svg, entries: legend)
        return svg.render()
    }
}
