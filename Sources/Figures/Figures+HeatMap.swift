// Heat maps of square matrices: correlation matrices (diverging scale on [−1, 1]), their differences,
// and d × d attention matrices (sequential scale). Row labels on the left, column labels below
// (rotated 45° when they do not fit), a colour bar on the right, values printed in small matrices.

import Foundation

extension Figures {
    /// A heat map of the F × F `matrix` (`matrix[i][j]` is row i, column j).
    ///
    /// Missing entries (NaN, or beyond a short row) are drawn grey and labelled "n/a". Cells carry
    /// hover tooltips when F ≤ 40; values are printed in the cells when F ≤ 12.
    /// - Parameters:
    ///   - labels: F names for rows and columns (missing ones become the index).
    ///   - scale: `.diverging` for correlations (−1 blue, 0 white, 1 red); `.sequential` (fitted to
    ///     the data) or `.sequential(domain: 0...1)` for attention weights.
    ///   - colorBarLabel: caption next to the colour bar, e.g. "Pearson r".
    /// - Returns: an SVG document; its size follows from F (cells of 6–48 px in a ~480 px grid).
    public static func heatMap(
        matrix: [[Double]], labels: [String], title: String, scale: ColorScale = .diverging,
        colorBarLabel: String = "", showValues: Bool? = nil
    ) -> String {
        let count = matrix.count
        func value(_ i: Int, _ j: Int) -> Double { j < matrix[i].count ? matrix[i][j] : .nan }
        let names = (0..<count).map { $0 < labels.count ? labels[$0] : "\($0)" }
        let shortNames = names.map { SVGBuilder.truncated($0, maxCharacters: labelCharacterLimit) }
        let scale = scale.resolved(for: matrix.flatMap { $0 })

        // Layout: cell size, label font, label stride (every k-th label when cells are tiny).
        let cell = min(48, max(6, (480 / Double(max(1, count))).rounded(.down)))
        let font = min(12, max(8, cell * 0.75))
        let labelStride = max(1, Int((font * 1.2 / cell).rounded(.up)))
        let labelWidth = shortNames.map { SVGBuilder.estimatedWidth(of: $0, fontSize: font) }.max() ?? 0
        // Column labels: horizontal when they fit the cell, else 45° when neighbours stay a line
        // apart (cell · sin 45° ≥ font), else vertical.
        let columnRotation = labelWidth <= cell - 4 ? 0.0 : cell * 0.71 >= font * 1.05 ? -45.0 : -90.0
        let columnLabelHeight = columnRotation == 0 ? font + 4 : columnRotation == -45 ? labelWidth * 0.71 + font : labelWidth + 4
        let gridSize = cell * Double(count)
        let left = max(24, labelWidth + 14, columnRotation == -45 ? labelWidth * 0.71 - cell / 2 + 8 : 0)
        let top = 44.0
        let barWidth = 16.0, barGap = 18.0
        let barTicks = NiceTicks(min: scale.domain?.lowerBound ?? 0, max: scale.domain?.upperBound ?? 1, targetCount: 4)
        let barLabelWidth = barTicks.labels.map { SVGBuilder.estimatedWidth(of: $0, fontSize: 11) }.max() ?? 0
        let barLabelSpace = colorBarLabel.isEmpty ? 0 : 22.0
        let width = (left + gridSize + barGap + barWidth + 8 + barLabelWidth + barLabelSpace + 12).rounded(.up)
        let titleWidth = SVGBuilder.estimatedWidth(of: title, fontSize: 15) + 24
        let canvasWidth = max(width, titleWidth)
        let height = (top + max(gridSize, 120) + 10 + columnLabelHeight + 10).rounded(.up)

        var svg = SVGBuilder(width: canvasWidth, height: height, title: title)
        svg.text(title, x: canvasWidth / 2, y: 26, fontSize: 15, anchor: .middle, bold: true)
        if count == 0 {
            svg.text("no data", x: left + 60, y: top + 60, fontSize: 13, anchor: .middle, fill: "#888888")
        }

        // Cells.
        let printValues = showValues ?? (count <= 12)
        let valueFont = min(12, cell * 0.3)
        for i in 0..<count {
            for j in 0..<count {
                let v = value(i, j)
                let x = left + Double(j) * cell, y = top + Double(i) * cell
                let color = scale.color(for: v)
                let shown = v.isFinite ? NumberFormat.fixed(v, decimals: 3) : "n/a"
                let tooltip = count <= 40 ? "\(names[i]) × \(names[j]): \(shown)" : nil
                svg.rect(x: x, y: y, width: cell, height: cell, fill: color?.hex ?? Palette.missing,
                         stroke: cell >= 12 ? "#ffffff" : nil, tooltip: tooltip)  // no gaps in dense grids
                if printValues {
                    let text = v.isFinite ? NumberFormat.fixed(v, decimals: 2) : "n/a"
                    svg.text(text, x: x + cell / 2, y: y + cell / 2 + valueFont * 0.35, fontSize: valueFont,
                             anchor: .middle, fill: color?.contrastingText ?? "#555555")
                }
            }
        }

        // Labels: rows right-aligned on the left, columns below the grid.
        for i in stride(from: 0, to: count, by: labelStride) {
            let tooltip = shortNames[i] == names[i] ? nil : names[i]
            let center = Double(i) * cell + cell / 2
            svg.text(shortNames[i], x: left - 6, y: top + center + font * 0.35, fontSize: font, anchor: .end, tooltip: tooltip)
            let columnX = left + center, columnY = top + gridSize + 6
            switch columnRotation {
            case 0:
                svg.text(shortNames[i], x: columnX, y: columnY + font, fontSize: font, anchor: .middle, tooltip: tooltip)
            case -45:
                svg.text(shortNames[i], x: columnX + font * 0.3, y: columnY + font * 0.3, fontSize: font,
                         anchor: .end, rotation: -45, tooltip: tooltip)
            default:
                svg.text(shortNames[i], x: columnX + font * 0.35, y: columnY, fontSize: font,
                         anchor: .end, rotation: -90, tooltip: tooltip)
            }
        }

        // Colour bar: 64 stacked bands from the top (domain maximum) down, ticks on its right.
        if let domain = scale.domain, count > 0 {
            let barX = left + gridSize + barGap, barHeight = max(gridSize, 120)
            let bands = 64
            for band in 0..<bands {
                let t = (Double(band) + 0.5) / Double(bands)
                let v = domain.upperBound - t * (domain.upperBound - domain.lowerBound)
                svg.rect(x: barX, y: top + Double(band) * barHeight / Double(bands), width: barWidth,
                         height: barHeight / Double(bands) + 0.5, fill: scale.color(for: v)?.hex ?? Palette.missing)
            }
            svg.rect(x: barX, y: top, width: barWidth, height: barHeight, fill: "none", stroke: "#777777")
            for (tick, label) in zip(barTicks.values, barTicks.labels) where domain.contains(tick) {
                let y = top + (domain.upperBound - tick) / (domain.upperBound - domain.lowerBound) * barHeight
                svg.line(x1: barX + barWidth, y1: y, x2: barX + barWidth + 4, y2: y, stroke: "#555555")
                svg.text(label, x: barX + barWidth + 7, y: y + 4, fontSize: 11, fill: "#444444")
            }
            if !colorBarLabel.isEmpty {
                let x = barX + barWidth + 8 + barLabelWidth + 14
                svg.text(colorBarLabel, x: x, y: top + barHeight / 2, fontSize: 12, anchor: .middle, rotation: 90)
            }
        }
        return svg.render()
    }
}
