// A tiny append-only SVG writer: shapes, text and groups, with every piece of text escaped for XML.
// The output is self-contained (generic font families, no scripts, no external references, no
// `id` attributes, so several figures can be inlined in one HTML page without clashing).

import Foundation

/// Horizontal anchoring of SVG text.
public enum TextAnchor: String, Sendable {
    case start, middle, end
}

/// Builds one `<svg>` document element by element; `render()` returns the finished string.
public struct SVGBuilder: Sendable {
    public let width: Double
    public let height: Double
    private var body: [String] = []

    /// A canvas of `width × height` pixels with a white background; `title` becomes the SVG's
    /// accessible `<title>`.
    public init(width: Double, height: Double, title: String) {
        self.width = width
        self.height = height
        body.append("<title>\(SVGBuilder.escape(title))</title>")
        rect(x: 0, y: 0, width: width, height: height, fill: "#ffffff")
    }

    /// Escapes `& < > " '` and drops characters XML 1.0 forbids (control characters other than
    /// tab, newline and carriage return), so any label is safe in text and attribute values.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                let forbidden = scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value)
                if !forbidden { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }

    /// Estimated rendered width of `text` at `fontSize` (0.65 em per character: DejaVu Sans, the
    /// usual Linux fallback, averages about that on labels; Helvetica/Arial are narrower), used for
    /// layout: margins, truncation, when to rotate labels.
    public static func estimatedWidth(of text: String, fontSize: Double) -> Double {
        Double(text.count) * fontSize * 0.65
    }

    /// `text` shortened to at most `maxCharacters` characters, ending in `…` when cut.
    public static func truncated(_ text: String, maxCharacters: Int) -> String {
        text.count <= maxCharacters ? text : String(text.prefix(max(1, maxCharacters - 1))) + "…"
    }

    // MARK: Elements

    /// A rectangle; `tooltip` adds a `<title>` child shown on hover.
    public mutating func rect(
        x: Double, y: Double, width: Double, height: Double, fill: String,
        stroke: String? = nil, strokeWidth: Double = 1, opacity: Double = 1, tooltip: String? = nil
    ) {
        var attributes = "x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(max(0, width)))\" height=\"\(f(max(0, height)))\" fill=\"\(SVGBuilder.escape(fill))\""
        attributes += strokeAttributes(stroke, strokeWidth)
        if opacity < 1 { attributes += " fill-opacity=\"\(f(opacity))\"" }
        element("rect", attributes, tooltip: tooltip)
    }

    /// A straight line; `dash` is an SVG dash pattern such as `"4 3"`, `opacity` the stroke opacity.
    public mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double,
        stroke: String, strokeWidth: Double = 1, dash: String? = nil, opacity: Double = 1
    ) {
        var attributes = "x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\""
        attributes += strokeAttributes(stroke, strokeWidth)
        if let dash { attributes += " stroke-dasharray=\"\(SVGBuilder.escape(dash))\"" }
        if opacity < 1 { attributes += " stroke-opacity=\"\(f(opacity))\"" }
        element("line", attributes)
    }

    /// An open polyline through `points` (pixel coordinates).
    public mutating func polyline(points: [(x: Double, y: Double)], stroke: String, strokeWidth: Double = 1.5) {
        let list = points.map { "\(f($0.x)),\(f($0.y))" }.joined(separator: " ")
        element("polyline", "points=\"\(list)\" fill=\"none\"" + strokeAttributes(stroke, strokeWidth)
            + " stroke-linejoin=\"round\" stroke-linecap=\"round\"")
    }

    /// A filled polygon through `points` (pixel coordinates).
    public mutating func polygon(points: [(x: Double, y: Double)], fill: String, opacity: Double = 1, stroke: String? = nil) {
        let list = points.map { "\(f($0.x)),\(f($0.y))" }.joined(separator: " ")
        var attributes = "points=\"\(list)\" fill=\"\(SVGBuilder.escape(fill))\"" + strokeAttributes(stroke, 1)
        if opacity < 1 { attributes += " fill-opacity=\"\(f(opacity))\"" }
        element("polygon", attributes)
    }

    /// A circle.
    public mutating func circle(cx: Double, cy: Double, radius: Double, fill: String, opacity: Double = 1, stroke: String? = nil) {
        var attributes = "cx=\"\(f(cx))\" cy=\"\(f(cy))\" r=\"\(f(radius))\" fill=\"\(SVGBuilder.escape(fill))\""
        attributes += strokeAttributes(stroke, 1)
        if opacity < 1 { attributes += " fill-opacity=\"\(f(opacity))\"" }
        element("circle", attributes)
    }

    /// Text at `(x, y)` (baseline), optionally rotated by `rotation` degrees about its anchor point.
    public mutating func text(
        _ content: String, x: Double, y: Double, fontSize: Double = 12, anchor: TextAnchor = .start,
        bold: Bool = false, rotation: Double = 0, fill: String = "#222222", tooltip: String? = nil
    ) {
        var attributes = "x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(f(fontSize))\" fill=\"\(SVGBuilder.escape(fill))\""
        if anchor != .start { attributes += " text-anchor=\"\(anchor.rawValue)\"" }
        if bold { attributes += " font-weight=\"bold\"" }
        if rotation != 0 { attributes += " transform=\"rotate(\(f(rotation)) \(f(x)) \(f(y)))\"" }
        let titleChild = tooltip.map { "<title>\(SVGBuilder.escape($0))</title>" } ?? ""
        body.append("<text \(attributes)>\(titleChild)\(SVGBuilder.escape(content))</text>")
    }

    /// The finished, self-contained SVG document.
    public func render() -> String {
        let header = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" "
            + "viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"Helvetica, Arial, sans-serif\">"
        return ([header] + body + ["</svg>"]).joined(separator: "\n") + "\n"
    }

    // MARK: Helpers

    private func f(_ value: Double) -> String { NumberFormat.coordinate(value) }

    private func strokeAttributes(_ stroke: String?, _ width: Double) -> String {
        guard let stroke else { return "" }
        return " stroke=\"\(SVGBuilder.escape(stroke))\" stroke-width=\"\(f(width))\""
    }

    private mutating func element(_ name: String, _ attributes: String, tooltip: String? = nil) {
        if let tooltip {
            body.append("<\(name) \(attributes)><title>\(SVGBuilder.escape(tooltip))</title></\(name)>")
        } else {
            body.append("<\(name) \(attributes)/>")
        }
    }
}
