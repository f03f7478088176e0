// A grid of small grayscale images (e.g. generated 8×8 digits), one labelled row per class. Pixels are
// `<rect>`s on a white tile: background-level pixels are skipped and horizontal runs of the same grey
// merged, which keeps a 10 × 10 grid of digits small enough to inline in a report.

import Foundation

/// One labelled row of an image grid: images as flattened row-major pixel arrays.
public struct ImageRow: Equatable, Sendable {
    public let label: String
    public let images: [[Double]]

    public init(label: String, images: [[Double]]) {
        self.label = label
        self.images = images
    }
}

extension Figures {
    /// A grid of grayscale images with one labelled row per `ImageRow`.
    ///
    /// Each image holds `imageWidth × h` values row-major (h = count / imageWidth; a missing last
    /// row is padded with background). Values map linearly from `valueRange` (default: min…max of
    /// all finite pixels) onto white (low) … black (high), the usual look of ink on paper for the
    /// digits dataset (values 0…16). Non-finite pixels are drawn as background.
    /// - Parameters:
    ///   - pixelSize: the side of one pixel in SVG units.
    /// - Returns: an SVG document sized to the widest row.
    public static func imageGrid(
        rows: [ImageRow], imageWidth: Int, title: String, valueRange: ClosedRange<Double>? = nil, pixelSize: Double = 5
    ) -> String {
        let columns = max(1, imageWidth)
        let allPixels = rows.flatMap { $0.images.flatMap { $0 } }.filter(\.isFinite)
        var low = valueRange?.lowerBound ?? allPixels.min() ?? 0
        var high = valueRange?.upperBound ?? allPixels.max() ?? 1
        if !(high > low) { (low, high) = (low, low + 1) }
        let imageHeight = max(1, (rows.flatMap { $0.images.map(\.count) }.max() ?? columns) + columns - 1) / columns
        let tileWidth = Double(columns) * pixelSize, tileHeight = Double(imageHeight) * pixelSize
        let gap = max(3, pixelSize), labelFont = 12.0
        let labels = rows.map { SVGBuilder.truncated($0.label, maxCharacters: labelCharacterLimit) }
        let left = 12 + (labels.map { SVGBuilder.estimatedWidth(of: $0, fontSize: labelFont) }.max() ?? 0) + 8
        let perRow = rows.map(\.images.count).max() ?? 0
        let top = 42.0
        let gridWidth = Double(perRow) * (tileWidth + gap)
        let width = max(left + gridWidth + 12, SVGBuilder.estimatedWidth(of: title, fontSize: 15) + 24, 160).rounded(.up)
        let height = (top + Double(max(1, rows.count)) * (tileHeight + gap) + 12).rounded(.up)

        var svg = SVGBuilder(width: width, height: height, title: title)
        svg.text(title, x: width / 2, y: 26, fontSize: 15, anchor: .middle, bold: true)
        if perRow == 0 { svg.text("no images", x: width / 2, y: top + 14, fontSize: 13, anchor: .middle, fill: "#888888") }

        for (rowIndex, row) in rows.enumerated() {
            let y0 = top + Double(rowIndex) * (tileHeight + gap)
            svg.text(labels[rowIndex], x: left - 8, y: y0 + tileHeight / 2 + 4, fontSize: labelFont, anchor: .end,
                     tooltip: labels[rowIndex] == row.label ? nil : row.label)
            for (imageIndex, image) in row.images.enumerated() {
                let x0 = left + Double(imageIndex) * (tileWidth + gap)
                svg.rect(x: x0, y: y0, width: tileWidth, height: tileHeight, fill: "#ffffff", stroke: "#d0d0d0", strokeWidth: 0.5)
                for pixelRow in 0..<imageHeight {
                    // Grey level 0 (background) … 255 (full ink) per pixel of this image row.
                    let levels = (0..<columns).map { column -> Int in
                        let index = pixelRow * columns + column
                        guard index < image.count, image[index].isFinite else { return 0 }
                        let t = (image[index] - low) / (high - low)
                        return t.isFinite ? Int((min(1, max(0, t)) * 255).rounded()) : 0
                    }
                    var start = 0
                    while start < columns {
                        var end = start + 1
                        while end < columns, levels[end] == levels[start] { end += 1 }
                        if levels[start] > 0 {
                            let grey = UInt8(255 - levels[start])
                            svg.rect(x: x0 + Double(start) * pixelSize, y: y0 + Double(pixelRow) * pixelSize,
                                     width: Double(end - start) * pixelSize, height: pixelSize,
                                     fill: RGB(red: grey, green: grey, blue: grey).hex)
                        }
                        start = end
                    }
                }
            }
        }
        return svg.render()
    }
}
