// Line charts of several named series (loss curves per step), with a legend, nice ticks, optional
// log-scaled y and gaps where a value is missing (NaN, ±inf, or ≤ 0 on a log axis). Points are
// drawn in the order given; no smoothing or decimation.

import Foundation

/// A named sequence of (x, y) points.
public struct Series: Equatable, Sendable {
    public let name: String
    public let x: [Double]
    public let y: [Double]

    /// Pairs `x[i]` with `y[i]`; extra values in the longer array are ignored.
    public init(name: String, x: [Double], y: [Double]) {
        self.name = name
        self.x = x
        self.y = y
    }

    /// A series plotted against its index: x = 0, 1, 2, …
    public init(name: String, y: [Double]) {
        self.init(name: name, x: y.indices.map(Double.init), y: y)
    }
}

extension Figures {
    /// A line chart of `series`, one colour each, with a legend on the right.
    ///
    /// A non-drawable point (NaN, ±inf, or y ≤ 0 when `logY`) breaks its line; an isolated point is
    /// drawn as a dot.
    /// - Parameters:
    ///   - series: the curves; their names label the legend.
    ///   - logY: base-10 log scale on y with decade ticks.
    /// - Returns: an SVG document of `width × height` pixels.
    public static func lineChart(
        series: [Series], title: String, xLabel: String = "", yLabel: String = "",
        logY: Bool = false, width: Double = 640, height: Double = 400
    ) -> String {
        let pairs = series.map { Array(zip($0.x, $0.y)) }
        let drawable = pairs.flatMap { $0 }.filter { $0.0.isFinite && $0.1.isFinite && (!logY || $0.1 > 0) }
        let xAxis = Axis.linear(covering: drawable.map(\.0), targetTickCount: 6)
        let yAxis = logY ? Axis.logarithmic(covering: drawable.map(\.1)) : Axis.linear(covering: drawable.map(\.1))
        let frame = PlotFrame(width: width, height: height, xAxis: xAxis, yAxis: yAxis,
                              hasXLabel: !xLabel.isEmpty, hasYLabel: !yLabel.isEmpty, legend: series.map(\.name))
        var svg = SVGBuilder(width: width, height: height, title: title)
        frame.drawAxes(into: &svg, title: title, xLabel: xLabel, yLabel: yLabel)
        if drawable.isEmpty { frame.drawNote(into: &svg, "no data") }

        for (index, points) in pairs.enumerated() {
            let color = Palette.color(index)
            var run: [(x: Double, y: Double)] = []
            func flush() {
                if run.count == 1 {
                    svg.circle(cx: run[0].x, cy: run[0].y, radius: 2.5, fill: color)
                } else if run.count > 1 {
                    svg.polyline(points: run, stroke: color)
                }
                run.removeAll(keepingCapacity: true)
            }
            for (x, y) in points {
                if let px = frame.x(x), let py = frame.y(y) { run.append((px, py)) } else { flush() }
            }
            flush()
        }
        let legend = series.enumerated().map { LegendEntry(label: $0.element.name, color: Palette.color($0.offset), marker: .line) }
        frame.drawLegend(into: &svg, entries: legend)
        return svg.render()
    }
}
