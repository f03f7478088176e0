// The HTML report: figures inlined verbatim, text escaped, the Markdown subset rendered, unsafe
// links refused, tables laid out, the whole page well-formed (XHTML-parseable) and self-contained.

@testable import Figures
import XCTest

final class HTMLReportTests: XCTestCase {
    func testFiguresAreInlinedAndThePageIsSelfContained() {
        let heat = Figure(title: "Pearson <test>", svg: Figures.heatMap(matrix: [[1, 0.5], [0.5, 1]], labels: ["a", "b"], title: "C"),
                          fileName: "c.svg")
        let line = Figure(title: "losses", svg: Figures.lineChart(series: [Series(name: "g", y: [3, 2, 1])], title: "L"), fileName: "l.svg")
        var report = HTMLReport(title: "run & <seed> 0")
        report.addSection("Correlation")
        report.addFigure(heat)
        report.addSection("Training")
        report.addFigure(line, caption: "Loss per step")
        let html = report.render()

        XCTAssertNil(xmlWellFormednessError(html))
        XCTAssertTrue(html.contains(heat.svg.trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertTrue(html.contains(line.svg.trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertTrue(html.contains("<figcaption>Pearson &lt;test&gt;</figcaption>"))
        XCTAssertTrue(html.contains("<figcaption>Loss per step</figcaption>"))
        XCTAssertTrue(html.contains("<title>run &amp; &lt;seed&gt; 0</title>"))
        XCTAssertTrue(html.contains("<a href=\"#section-2\">Training</a>"), "table of contents")
        XCTAssertTrue(html.contains("<section id=\"section-2\">"))
        let withoutNamespaces = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        for external in ["<script", "<link", "src=", "@import", "http://", "https://"] {
            XCTAssertFalse(withoutNamespaces.contains(external), "the page references something external: \(external)")
        }
        XCTAssertEqual(html, report.render(), "rendering is deterministic")
    }

    func testMarkdownSubset() {
        XCTAssertEqual(renderInline("**bold** and *it* and `a<b*c*`"),
                       "<strong>bold</strong> and <em>it</em> and <code>a&lt;b*c*</code>")
        XCTAssertEqual(renderInline("see [notes](docs/A.md) or [site](https://x.org/?a=1&b=2)"),
                       "see <a href=\"docs/A.md\">notes</a> or <a href=\"https://x.org/?a=1&amp;b=2\">site</a>")
        XCTAssertEqual(renderInline("[x](javascript:alert(1))"), "[x](javascript:alert(1))", "unsafe scheme stays text")
        XCTAssertEqual(renderInline("2 * 3 * 4 and **unclosed"), "2 * 3 * 4 and **unclosed")
        XCTAssertEqual(renderInline("<script>alert('x')</script>"), "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;")
        XCTAssertEqual(renderMarkdownish("first line\ncontinues\n\n- one\n- *two*\n\nlast"),
                       "<p>first line continues</p>\n<ul><li>one</li><li><em>two</em></li></ul>\n<p>last</p>")
    }

    func testTables() {
        var report = HTMLReport(title: "t")
        report.addKeyValueTable([(key: "λ", value: "10"), (key: "<k>", value: "a & b")], caption: "Config")
        report.addTable(header: ["metric", "value"], rows: [["KS", "0.125"], ["note"], ["AUC", " -0.5e-1 "]])
        let html = report.render()
        XCTAssertNil(xmlWellFormednessError(html))
        XCTAssertTrue(html.contains("<table class=\"kv\"><caption>Config</caption>"))
        XCTAssertTrue(html.contains("<tr><th>&lt;k&gt;</th><td>a &amp; b</td></tr>"))
        XCTAssertTrue(html.contains("<tr><td>KS</td><td class=\"num\">0.125</td></tr>"))
        XCTAssertTrue(html.contains("<tr><td>note</td><td></td></tr>"), "short rows are padded")
        XCTAssertTrue(html.contains("<td class=\"num\"> -0.5e-1 </td>"))
        XCTAssertFalse(html.contains("<nav>"), "no table of contents without sections")
    }

    func testFigureWritesItsFileAndRejectsPaths() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("figures-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let svg = Figures.scatter(realX: [1], realY: [1], syntheticX: [2], syntheticY: [2], title: "s", xLabel: "x", yLabel: "y")
        let url = try Figure(title: "s", svg: svg, fileName: "scatter.svg").write(to: directory)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), svg)
        for bad in ["", "../x.svg", "a/b.svg", ".."] {
            XCTAssertThrowsError(try Figure(title: "s", svg: svg, fileName: bad).write(to: directory)) { error in
                XCTAssertEqual(error as? FigureError, .invalidFileName(bad))
            }
        }
    }
}
