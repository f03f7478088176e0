// What each chart draws, read back from the parsed SVG: heat-map cell colours, values and truncated
// labels; line gaps at NaN; histogram densities (hand-computed); bar order and shares; scatter
// thinning; image-grid grey levels and run merging.

@testable import Figures
import FoundationXML
import TestSupport
import XCTest

final class ChartTests: XCTestCase {
    private func attribute(_ name: String, _ element: XMLElement) -> String? {
        // `attribute(forName:)` misses attributes of elements in a default namespace on Linux.
        element.attributes?.first { $0.name == name }?.stringValue
    }

    /// Rects that carry a hover `<title>`: heat-map cells and bars.
    private func tooltipRects(_ root: XMLElement) -> [(fill: String, tooltip: String)] {
        elements(named: "rect", in: root).compactMap { rect in
            guard let title = elements(named: "title", in: rect).first?.stringValue else { return nil }
            return (attribute("fill", rect) ?? "", title)
        }
    }

    private func texts(_ root: XMLElement) -> [String] {
        elements(named: "text", in: root).map { element in
            (element.children ?? []).compactMap { $0.kind == .text ? $0.stringValue : nil }.joined()
        }
    }

    func testHeatMapCellsColoursValuesAndLabels() throws {
        let long = "mean_concave_points_worst"  // 25 characters → 13 + "…"
        let svg = Figures.heatMap(matrix: [[1, -1, 0], [-1, 1, .nan], [0, .nan, 1]], labels: ["a", long, "c"],
                                  title: "Pearson", colorBarLabel: "r")
        let root = try XCTUnwrap(assertWellFormedSVG(svg))
        let cells = tooltipRects(root)
        XCTAssertEqual(cells.count, 9)
        XCTAssertEqual(cells[0].fill, "#b2182b")
        XCTAssertEqual(cells[1].fill, "#2166ac")
        XCTAssertEqual(cells[2].fill, "#ffffff")
        XCTAssertEqual(cells[5].fill, Palette.missing)
        XCTAssertEqual(cells[1].tooltip, "a × \(long): -1.000")
        XCTAssertEqual(cells[5].tooltip, "\(long) × c: n/a")
        let drawn = texts(root)
        XCTAssertEqual(drawn.filter { $0 == "1.00" }.count, 3)
        XCTAssertEqual(drawn.filter { $0 == "-1.00" }.count, 2)
        XCTAssertEqual(drawn.filter { $0 == "n/a" }.count, 2)
        XCTAssertEqual(drawn.filter { $0 == "mean_concave_…" }.count, 2, "row and column label, truncated")
        XCTAssertFalse(drawn.contains(long))
        XCTAssertTrue(elements(named: "title", in: root).contains { $0.stringValue == long }, "full name in a tooltip")
        XCTAssertTrue(drawn.contains("0.5") || drawn.contains("-0.5"), "colour bar ticks")
    }

    func testHeatMapLargeMatrixOmitsValuesAndTooltipsBeyondLimits() throws {
        let size = 13
        let matrix = (0..<size).map { i in (0..<size).map { j in i == j ? 1.0 : 0.25 } }
        let root = try XCTUnwrap(assertWellFormedSVG(Figures.heatMap(matrix: matrix, labels: [], title: "13")))
        XCTAssertEqual(tooltipRects(root).count, size * size)
        XCTAssertFalse(texts(root).contains("0.25"), "no cell values beyond 12 × 12")
        let big = (0..<41).map { i in (0..<41).map { j in i == j ? 1.0 : 0.0 } }
        let bigRoot = try XCTUnwrap(assertWellFormedSVG(Figures.heatMap(matrix: big, labels: [], title: "41")))
        XCTAssertEqual(tooltipRects(bigRoot).count, 0, "no per-cell tooltips beyond 40 × 40")
    }

    func testLineChartBreaksAtGapsAndDrawsIsolatedPointsAsDots() throws {
        // Runs: [1, 2] | NaN | [4] | inf | [3, 2, 1] → two polylines and one dot.
        let series = Series(name: "loss", y: [1, 2, .nan, 4, .infinity, 3, 2, 1])
        let root = try XCTUnwrap(assertWellFormedSVG(Figures.lineChart(series: [series], title: "t")))
        let lines = elements(named: "polyline", in: root)
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(lines.map { attribute("points", $0)?.split(separator: " ").count }, [2, 3])
        XCTAssertEqual(elements(named: "circle", in: root).count, 1)
        XCTAssertTrue(texts(root).contains("loss"), "legend")
        // On a log axis, zero and negative values are gaps too: [1, 0, 10, -1, 100] → three dots.
        let logRoot = try XCTUnwrap(assertWellFormedSVG(Figures.lineChart(
            series: [Series(name: "g", y: [1, 0, 10, -1, 100])], title: "t", logY: true)))
        XCTAssertEqual(elements(named: "circle", in: logRoot).count, 3)
        XCTAssertEqual(Set(texts(logRoot)).isSuperset(of: ["1", "10", "100"]), true, "decade ticks")
    }

    func testDensityHistogramHandComputed() {
        // [0, 2] in 2 bins of width 1: {0, 0.5} and {1, 1.5, 2 (closed last bin)} → 2/5, 3/5.
        assertClose(Figures.densityHistogram([0, 0.5, 1, 1.5, 2], low: 0, high: 2, bins: 2), [0.4, 0.6])
        // Densities integrate to 1: 4 bins of width 0.25 over [0, 1].
        let densities = Figures.densityHistogram([0.1, 0.2, 0.3, 0.9], low: 0, high: 1, bins: 4)
        assertClose(densities, [2, 1, 0, 1])  // counts 2, 1, 0, 1 over n·w = 4 · 0.25 = 1
        XCTAssertEqual(densities.reduce(0, +) * 0.25, 1, accuracy: 1e-12)
        XCTAssertEqual(Figures.densityHistogram([], low: 0, high: 1, bins: 3), [0, 0, 0])
    }

    func testHistogramOverlayDrawsBothSamplesWithLegend() throws {
        let root = try XCTUnwrap(assertWellFormedSVG(Figures.histogramOverlay(
            real: [1, 2, 2, 3], synthetic: [2, 3, 3, 4, .nan], title: "age", xLabel: "years", binCount: 3)))
        let fills = elements(named: "polygon", in: root).compactMap { attribute("fill", $0) }
        XCTAssertEqual(fills, [Palette.real, Palette.synthetic])
        XCTAssertTrue(texts(root).contains("real (n=4)"))
        XCTAssertTrue(texts(root).contains("synthetic (n=4)"), "NaN is not counted")
    }

    func testBarComparisonOrdersLevelsAndMergesTheRarest() throws {
        let real = ["b", "a", "b", "c", "b", "a"], synthetic = ["a", "a", "d", "b"]
        let root = try XCTUnwrap(assertWellFormedSVG(Figures.barComparison(real: real, synthetic: synthetic, title: "t")))
        // Order by real count (b 3, a 2, c 1), then synthetic-only levels by synthetic count (d).
        XCTAssertEqual(tooltipRects(root).map(\.tooltip),
                       ["b: 0.500", "b: 0.250", "a: 0.333", "a: 0.500", "c: 0.167", "c: 0.000", "d: 0.000", "d: 0.250"])
        let merged = try XCTUnwrap(assertWellFormedSVG(Figures.barComparison(real: real, synthetic: synthetic, title: "t", maxLevels: 2)))
        XCTAssertEqual(tooltipRects(merged).map(\.tooltip),
                       ["b: 0.500", "b: 0.250", "other (3 levels): 0.500", "other (3 levels): 0.750"])
    }

    func testScatterThinsEvenlyAndDeterministically() throws {
        XCTAssertEqual(Figures.evenlyThinned(Array(0..<10), to: 4), [0, 2, 5, 7])  // ⌊k·10/4⌋
        XCTAssertEqual(Figures.evenlyThinned(Array(0..<3), to: 5), [0, 1, 2])
        let x = (0..<500).map(Double.init)
        let svg = Figures.scatter(realX: x, realY: x, syntheticX: [1, .nan, 3], syntheticY: [1, 2, 3],
                                  title: "t", xLabel: "x", yLabel: "y", maxPoints: 50)
        let root = try XCTUnwrap(assertWellFormedSVG(svg))
        // 50 real dots plus one legend dot; 2 synthetic crosses (NaN row dropped) of 2 lines, plus the legend's.
        XCTAssertEqual(elements(named: "circle", in: root).count, 51)
        let crossLines = elements(named: "line", in: root).filter { attribute("stroke", $0) == Palette.synthetic }
        XCTAssertEqual(crossLines.count, 6)
        XCTAssertTrue(texts(root).contains("real (50 of 500 shown)"))
        XCTAssertTrue(texts(root).contains("synthetic (n=2)"))
    }

    func testImageGridGreyLevelsAndRunMerging() throws {
        // 2 × 2 image on 0…16: row 0 = [0, 16] → one black pixel; row 1 = [16, 8] → black, then grey
        // 255 − round(0.5·255) = 127 = 0x7f. Row 0 of the second image [16, 16] merges into one rect.
        let rows = [ImageRow(label: "digit 0", images: [[0, 16, 16, 8], [16, 16, 0, 0]])]
        let root = try XCTUnwrap(assertWellFormedSVG(Figures.imageGrid(rows: rows, imageWidth: 2, title: "g",
                                                                       valueRange: 0...16, pixelSize: 5)))
        let pixels = elements(named: "rect", in: root).filter { attribute("fill", $0) != "#ffffff" }
        XCTAssertEqual(pixels.map { attribute("fill", $0) }, ["#000000", "#000000", "#7f7f7f", "#000000"])
        XCTAssertEqual(pixels.map { attribute("width", $0) }, ["5", "5", "5", "10"])
        XCTAssertTrue(texts(root).contains("digit 0"))
    }
}
