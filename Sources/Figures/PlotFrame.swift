// The frame shared by the x–y charts: margins sized from the tick labels and legend, title, grid,
// ticks, axis labels, the data-to-pixel mapping and a legend to the right of the plot area (so it
// never covers data).

import Foundation

/// How a legend entry is drawn.
enum LegendMarker {
    case line, box, circle, cross
}

/// One legend row: a label and its marker in `color`.
struct LegendEntry {
    let label: String
    let color: String
    let marker: LegendMarker
}

/// Margins, axes and pixel mapping of one x–y chart.
struct PlotFrame {
    static let tickFont = 11.0, labelFont = 12.0, titleFont = 15.0, legendFont = 12.0
    static let legendLabelLimit = 28

    let width: Double, height: Double
    let left: Double, right: Double, top: Double, bottom: Double
    let xAxis: Axis, yAxis: Axis

    /// Plans the layout of a `width × height` chart whose legend holds `legend` labels;
    /// `extraBottom` reserves room for rotated category labels.
    init(width: Double, height: Double, xAxis: Axis, yAxis: Axis, hasXLabel: Bool, hasYLabel: Bool, legend: [String], extraBottom: Double = 0) {
        let widestTick = yAxis.tickLabels.map { SVGBuilder.estimatedWidth(of: $0, fontSize: PlotFrame.tickFont) }.max() ?? 0
        let widestLegend = legend.map {
            SVGBuilder.estimatedWidth(of: SVGBuilder.truncated($0, maxCharacters: PlotFrame.legendLabelLimit), fontSize: PlotFrame.legendFont)
        }.max()
        self.width = width
        self.height = height
        left = 14 + widestTick + (hasYLabel ? 22 : 0)
        right = widestLegend.map { $0 + 46 } ?? 20
        top = 40
        bottom = 30 + (hasXLabel ? 22 : 0) + extraBottom
        self.xAxis = xAxis
        self.yAxis = yAxis
    }

    var plotWidth: Double { max(1, width - left - right) }
    var plotHeight: Double { max(1, height - top - bottom) }

    /// Pixel x of a data value, nil when it cannot be drawn.
    func x(_ value: Double) -> Double? { xAxis.fraction(value).map { left + $0 * plotWidth } }
    /// Pixel y of a data value, nil when it cannot be drawn.
    func y(_ value: Double) -> Double? { yAxis.fraction(value).map { top + (1 - $0) * plotHeight } }

    /// Draws title, grid lines, ticks with labels, the axis box and the axis labels.
    func drawAxes(into svg: inout SVGBuilder, title: String, xLabel: String, yLabel: String, xTicks: Bool = true) {
        let titleLimit = Int((width - 20) / (PlotFrame.titleFont * 0.65))
        let shownTitle = SVGBuilder.truncated(title, maxCharacters: titleLimit)
        svg.text(shownTitle, x: width / 2, y: 24, fontSize: PlotFrame.titleFont, anchor: .middle, bold: true,
                 tooltip: shownTitle == title ? nil : title)
        for (value, label) in zip(yAxis.ticks, yAxis.tickLabels) {
            guard let py = y(value) else { continue }
            svg.line(x1: left, y1: py, x2: left + plotWidth, y2: py, stroke: "#e5e5e5")
            svg.line(x1: left - 4, y1: py, x2: left, y2: py, stroke: "#555555")
            svg.text(label, x: left - 7, y: py + 4, fontSize: PlotFrame.tickFont, anchor: .end, fill: "#444444")
        }
        if xTicks {
            for (value, label) in zip(xAxis.ticks, xAxis.tickLabels) {
                guard let px = x(value) else { continue }
                svg.line(x1: px, y1: top, x2: px, y2: top + plotHeight, stroke: "#eeeeee")
                svg.line(x1: px, y1: top + plotHeight, x2: px, y2: top + plotHeight + 4, stroke: "#555555")
                svg.text(label, x: px, y: top + plotHeight + 17, fontSize: PlotFrame.tickFont, anchor: .middle, fill: "#444444")
            }
        }
        svg.rect(x: left, y: top, width: plotWidth, height: plotHeight, fill: "none", stroke: "#777777")
        if !xLabel.isEmpty {
            svg.text(xLabel, x: left + plotWidth / 2, y: height - 10, fontSize: PlotFrame.labelFont, anchor: .middle)
        }
        if !yLabel.isEmpty {
            let cy = top + plotHeight / 2
            svg.text(yLabel, x: 16, y: cy, fontSize: PlotFrame.labelFont, anchor: .middle, rotation: -90)
        }
    }

    /// Draws `entries` top-down in the right margin.
    func drawLegend(into svg: inout SVGBuilder, entries: [LegendEntry]) {
        let x0 = left + plotWidth + 14
        for (index, entry) in entries.enumerated() {
            let cy = top + 10 + Double(index) * 20
            switch entry.marker {
            case .line: svg.line(x1: x0, y1: cy, x2: x0 + 18, y2: cy, stroke: entry.color, strokeWidth: 2.5)
            case .box: svg.rect(x: x0 + 2, y: cy - 6, width: 14, height: 12, fill: entry.color, stroke: entry.color, opacity: 0.5)
            case .circle: svg.circle(cx: x0 + 9, cy: cy, radius: 4, fill: entry.color, opacity: 0.7)
            case .cross: drawCross(into: &svg, cx: x0 + 9, cy: cy, size: 4.5, color: entry.color)
            }
            let label = SVGBuilder.truncated(entry.label, maxCharacters: PlotFrame.legendLabelLimit)
            svg.text(label, x: x0 + 24, y: cy + 4, fontSize: PlotFrame.legendFont,
                     tooltip: label == entry.label ? nil : entry.label)
        }
    }

    /// A centred note inside the plot area, for charts with nothing to draw.
    func drawNote(into svg: inout SVGBuilder, _ note: String) {
        svg.text(note, x: left + plotWidth / 2, y: top + plotHeight / 2, fontSize: 13, anchor: .middle, fill: "#888888")
    }
}

/// An × marker centred at `(cx, cy)` with half-width `size`.
func drawCross(into svg: inout SVGBuilder, cx: Double, cy: Double, size: Double, color: String, opacity: Double = 1) {
    svg.line(x1: cx - size, y1: cy - size, x2: cx + size, y2: cy + size, stroke: color, strokeWidth: 1.5, opacity: opacity)
    svg.line(x1: cx - size, y1: cy + size, x2: cx + size, y2: cy - size, stroke: color, strokeWidth: 1.5, opacity: opacity)
}
