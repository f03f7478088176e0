// Every chart on degenerate input (empty, one point, constant, NaN, ±inf): it must not crash, must
// parse as XML, and must not write a non-finite number. Also escaping of hostile labels and
// byte-identical output for identical input.

@testable import Figures
import FoundationXML
import XCTest

final class EdgeCaseTests: XCTestCase {
    /// Named numeric samples that have broken plotting code before.
    static let awkwardSamples: [(name: String, values: [Double])] = [
        ("empty", []),
        ("single", [3]),
        ("constant", [2, 2, 2, 2]),
        ("zeros", [0, 0, 0]),
        ("with-missing", [1, .nan, 3, 2]),
        ("all-missing", [.nan, .nan]),
        ("with-unbounded", [1, .infinity, -.infinity, 2]),
        ("huge", [-1e300, 1e300]),
        ("tiny-range", [1, 1 + 1e-13]),
    ]

    func testLineChartOnAwkwardSeries() {
        for (name, values) in Self.awkwardSamples {
            for logY in [false, true] {
                let svg = Figures.lineChart(series: [Series(name: name, y: values), Series(name: "other", y: [])],
                                            title: name, xLabel: "step", yLabel: "loss", logY: logY)
                assertWellFormedSVG(svg, "lineChart \(name) logY=\(logY)")
            }
        }
        assertWellFormedSVG(Figures.lineChart(series: [], title: "none"), "lineChart without series")
    }

    func testHistogramAndBarsOnAwkwardSamples() {
        for (name, values) in Self.awkwardSamples {
            for (other, otherValues) in Self.awkwardSamples {
                let svg = Figures.histogramOverlay(real: values, synthetic: otherValues, title: "\(name) vs \(other)")
                assertWellFormedSVG(svg, "histogram \(name) vs \(other)")
            }
        }
        assertWellFormedSVG(Figures.histogramOverlay(real: [1, 2], synthetic: [3], title: "zero bins", binCount: 0), "binCount 0")
        for (real, synthetic) in [([String](), [String]()), (["a"], []), ([], ["b", "b"]), (["x", "x"], ["x"])] {
            assertWellFormedSVG(Figures.barComparison(real: real, synthetic: synthetic, title: "bars"), "bars \(real) \(synthetic)")
        }
        assertWellFormedSVG(Figures.barComparison(real: ["a", "b"], synthetic: ["c"], title: "bars", maxLevels: 0), "maxLevels 0")
    }

    func testScatterOnAwkwardSamples() {
        for (name, values) in Self.awkwardSamples {
            let svg = Figures.scatter(realX: values, realY: values.reversed(), syntheticX: values, syntheticY: [1],
                                      title: name, xLabel: "x", yLabel: "y")
            assertWellFormedSVG(svg, "scatter \(name)")
        }
        assertWellFormedSVG(Figures.scatter(realX: [1, 2], realY: [1, 2], syntheticX: [], syntheticY: [],
                                            title: "no points kept", xLabel: "", yLabel: "", maxPoints: 0), "maxPoints 0")
    }

    func testHeatMapOnAwkwardMatrices() {
        let matrices: [(String, [[Double]])] = [
            ("empty", []), ("one", [[1]]), ("ragged", [[1, 0.5], []]), ("all-missing", [[.nan, .nan], [.nan, .nan]]),
            ("constant", [[0.3, 0.3], [0.3, 0.3]]), ("with-unbounded", [[1, .infinity], [-.infinity, 1]]),
        ]
        for (name, matrix) in matrices {
            for scale in [ColorScale.diverging, .sequential, .sequential(domain: 0...1)] {
                assertWellFormedSVG(Figures.heatMap(matrix: matrix, labels: ["a"], title: name, scale: scale), "heatMap \(name)")
            }
        }
    }

    func testImageGridOnAwkwardImages() {
        let cases: [(String, [ImageRow], Int)] = [
            ("no rows", [], 8), ("empty row", [ImageRow(label: "0", images: [])], 8),
            ("empty image", [ImageRow(label: "0", images: [[]])], 8),
            ("missing pixels", [ImageRow(label: "0", images: [[.nan, 1, .infinity, 0]])], 2),
            ("constant", [ImageRow(label: "0", images: [[5, 5, 5, 5]])], 2),
            ("zero width", [ImageRow(label: "0", images: [[1, 2, 3]])], 0),
            ("short image", [ImageRow(label: "0", images: [[1, 2, 3]])], 2),
        ]
        for (name, rows, width) in cases {
            assertWellFormedSVG(Figures.imageGrid(rows: rows, imageWidth: width, title: name), "imageGrid \(name)")
        }
    }

    func testHostileLabelsAreEscapedAndRoundTrip() {
        let hostile = "a<b & c>\"d\" 'e' </svg><script>"
        XCTAssertEqual(SVGBuilder.escape("<&>\"'"), "&lt;&amp;&gt;&quot;&apos;")
        XCTAssertEqual(SVGBuilder.escape("bell\u{07}tab\t"), "belltab\t", "XML-forbidden control characters are dropped")
        let charts = [
            Figures.heatMap(matrix: [[1, 0], [0, 1]], labels: [hostile, "b"], title: hostile),
            Figures.lineChart(series: [Series(name: hostile, y: [1, 2])], title: hostile, xLabel: hostile, yLabel: hostile),
            Figures.histogramOverlay(real: [1, 2], synthetic: [2, 3], title: hostile, xLabel: hostile),
            Figures.barComparison(real: [hostile], synthetic: ["x"], title: hostile),
            Figures.scatter(realX: [1], realY: [2], syntheticX: [2], syntheticY: [1], title: hostile, xLabel: hostile, yLabel: hostile),
            Figures.imageGrid(rows: [ImageRow(label: hostile, images: [[1, 0, 0, 1]])], imageWidth: 2, title: hostile),
        ]
        for (index, svg) in charts.enumerated() {
            guard let root = assertWellFormedSVG(svg, "chart \(index)") else { continue }
            XCTAssertFalse(svg.contains("<script>"), "chart \(index) holds an unescaped tag")
            // The accessible title and the drawn title both read back as the original string.
            XCTAssertEqual(elements(named: "title", in: root).first?.stringValue, hostile, "chart \(index)")
            let texts = elements(named: "text", in: root).map { element in
                (element.children ?? []).compactMap { $0.kind == .text ? $0.stringValue : nil }.joined()
            }
            XCTAssertTrue(texts.contains(hostile), "chart \(index) texts: \(texts.prefix(3))")
        }
    }

    func testLongTitleIsShortenedWithTheFullTitleInATooltip() throws {
        let title = String(repeating: "very long title ", count: 10)
        let root = try XCTUnwrap(assertWellFormedSVG(Figures.lineChart(series: [], title: title, width: 320)))
        let drawn = elements(named: "text", in: root).first { $0.attributes?.contains { $0.name == "font-weight" } ?? false }
        let shown = (drawn?.children ?? []).compactMap { $0.kind == .text ? $0.stringValue : nil }.joined()
        XCTAssertTrue(shown.hasSuffix("…") && shown.count == Int(300 / (15 * 0.65)), shown)
        XCTAssertEqual(elements(named: "title", in: drawn!).first?.stringValue, title)
    }

    func testWellFormednessCheckRejectsBrokenSVG() {
        // Negative control for `svgProblems`: each of these must be reported.
        let svgNamespace = "xmlns=\"http://www.w3.org/2000/svg\""
        let broken = [
            "<svg \(svgNamespace)><rect x=\"1\"></svg>",                      // unclosed element
            "<svg \(svgNamespace)><text>a < b</text></svg>",                   // unescaped <
            "<svg \(svgNamespace)><rect x=\"nan\" y=\"0\"/></svg>",            // NaN coordinate
            "<svg \(svgNamespace)><circle cx=\"1\" cy=\"inf\" r=\"2\"/></svg>", // infinite coordinate
            "<svg \(svgNamespace)><polyline points=\"1,2 3,\"/></svg>",         // malformed list
            "<svg><rect x=\"1\"/></svg>",                                      // no SVG namespace
        ]
        for svg in broken {
            XCTAssertFalse(svgProblems(svg).problems.isEmpty, svg)
        }
        XCTAssertTrue(svgProblems("<svg \(svgNamespace)><rect x=\"1\" y=\"-2.5\"/></svg>").problems.isEmpty)
    }

    func testSameInputGivesByteIdenticalOutput() {
        var samples = TestSamples(seed: 11)
        let x = (0..<300).map { _ in samples.normal() }
        let y = x.map { 0.6 * $0 + 0.8 * samples.normal() }
        let render = {
            [Figures.scatter(realX: x, realY: y, syntheticX: y, syntheticY: x, title: "s", xLabel: "x", yLabel: "y", maxPoints: 100),
             Figures.histogramOverlay(real: x, synthetic: y, title: "h"),
             Figures.lineChart(series: [Series(name: "x", y: x)], title: "l", logY: true),
             Figures.heatMap(matrix: [[1, 0.61], [0.61, 1]], labels: ["x", "y"], title: "c")]
        }
        XCTAssertEqual(render(), render())
        // Category order depends on counts and names only, never on input order or hashing.
        let levels = ["b", "a", "c", "a", "b", "d", "d"]
        let forward = Figures.barComparison(real: levels, synthetic: levels.reversed(), title: "t")
        let shuffled = Figures.barComparison(real: levels.reversed(), synthetic: levels, title: "t")
        XCTAssertEqual(forward, shuffled)
    }
}
