// Realistic example figures (a 30-column correlation matrix with long names, loss curves, a bimodal
// marginal, a two-cluster scatter, a digits grid) assembled into one HTML report. Each must be
// well-formed; set FIGURES_GALLERY_DIR=/some/dir to also write the SVGs and report.html there for
// viewing (e.g. `rsvg-convert` or a browser).

@testable import Figures
import FoundationXML
import XCTest

final class GalleryTests: XCTestCase {
    /// A correlation-like matrix: a block structure plus deterministic noise, symmetric, unit diagonal.
    static func blockCorrelation(size: Int, seed: UInt64) -> [[Double]] {
        var samples = TestSamples(seed: seed)
        var matrix = [[Double]](repeating: [Double](repeating: 0, count: size), count: size)
        for i in 0..<size {
            for j in 0..<i {
                let sameBlock = i / 10 == j / 10
                let value = max(-1, min(1, (sameBlock ? 0.7 : -0.15) + 0.25 * samples.normal()))
                (matrix[i][j], matrix[j][i]) = (value, value)
            }
            matrix[i][i] = 1
        }
        return matrix
    }

    /// An 8 × 8 "digit": a ring (class 0), a bar (1) or a diagonal (2), on 0…16 with noise.
    static func digit(_ label: Int, _ samples: inout TestSamples) -> [Double] {
        (0..<64).map { index in
            let (row, column) = (Double(index / 8) - 3.5, Double(index % 8) - 3.5)
            let ink: Bool
            switch label {
            case 0: ink = abs((row * row + column * column).squareRoot() - 2.6) < 0.9
            case 1: ink = abs(column) < 1.2
            default: ink = abs(row + column) < 1.2
            }
            return min(16, max(0, (ink ? 14 : 0) + 3 * samples.normal()))
        }
    }

    static func gallery() -> [Figure] {
        var samples = TestSamples(seed: 3)
        let stems = ["mean", "se", "worst"], measures = ["radius", "texture", "perimeter", "area", "smoothness",
                                                          "compactness", "concavity", "concave_points", "symmetry", "fractal_dimension"]
        let names = stems.flatMap { stem in measures.map { "\(stem)_\($0)" } }
        let correlation = blockCorrelation(size: 30, seed: 5)
        let iris = [[1, -0.12, 0.87, 0.82], [-0.12, 1, -0.43, -0.37], [0.87, -0.43, 1, 0.96], [0.82, -0.37, 0.96, 1]]
        let attention = (0..<8).map { i in
            let row = (0..<8).map { j in exp(-abs(Double(i - j)) + 0.3 * samples.uniform()) }
            return row.map { $0 / row.reduce(0, +) }
        }
        let steps = 400
        let generator = (0..<steps).map { 1.4 * exp(-Double($0) / 120) + 0.6 + 0.08 * samples.normal() }
        var discriminator = (0..<steps).map { 0.5 + 0.8 * exp(-Double($0) / 60) + 0.05 * samples.normal() }
        discriminator[200] = .nan
        let correlationLoss = (0..<steps).map { 0.3 * exp(-Double($0) / 80) + 0.002 }
        let eruptions = (0..<272).map { _ in samples.uniform() < 0.35 ? 2.0 + 0.3 * samples.normal() : 4.4 + 0.4 * samples.normal() }
        let synthetic = (0..<272).map { _ in samples.uniform() < 0.45 ? 2.2 + 0.5 * samples.normal() : 4.2 + 0.5 * samples.normal() }
        let waiting = eruptions.map { 33 + 10.7 * $0 + 6 * samples.normal() }
        let syntheticWaiting = synthetic.map { 35 + 10 * $0 + 8 * samples.normal() }
        let islands = ["Biscoe", "Dream", "Torgersen"]
        let realIslands = (0..<344).map { islands[$0 % 7 < 3 ? 0 : $0 % 7 < 6 ? 1 : 2] }
        let syntheticIslands = (0..<344).map { islands[$0 % 5 < 2 ? 0 : $0 % 5 < 4 ? 1 : 2] } + ["Biscoe (unseen level)"]
        let digitRows = (0..<3).map { label in
            ImageRow(label: "class \(label)", images: (0..<10).map { _ in digit(label, &samples) })
        }
        let pixels = blockCorrelation(size: 64, seed: 9)
        let twelve = Array(names.prefix(12))
        let difference = blockCorrelation(size: 12, seed: 13).map { $0.map { 0.3 * $0 } }
        let manyLevels = (0..<400).map { _ in "level_\(Int(pow(samples.uniform(), 2) * 30))" }
        let manyLevelsSynthetic = (0..<400).map { _ in "level_\(Int(samples.uniform() * 30))" }
        return [
            Figure(title: "64 pixel columns", svg: Figures.heatMap(matrix: pixels, labels: (0..<64).map { "pixel_\($0 / 8)_\($0 % 8)" },
                                                                   title: "Pearson correlation, 64 columns"),
                   fileName: "correlation-64.svg"),
            Figure(title: "Difference", svg: Figures.heatMap(matrix: difference, labels: twelve, title: "Synthetic − test (Pearson)",
                                                             scale: .diverging(limit: 0.5), colorBarLabel: "difference"),
                   fileName: "correlation-difference.svg"),
            Figure(title: "Many levels", svg: Figures.barComparison(real: manyLevels, synthetic: manyLevelsSynthetic,
                                                                    title: "level: real vs synthetic", xLabel: "level"),
                   fileName: "marginal-levels.svg"),
            Figure(title: "Pearson correlation, test split (breast_cancer-like)",
                   svg: Figures.heatMap(matrix: correlation, labels: names, title: "Pearson correlation, test split", colorBarLabel: "Pearson r"),
                   fileName: "correlation-test.svg"),
            Figure(title: "Pearson correlation (iris)",
                   svg: Figures.heatMap(matrix: iris, labels: ["sepal_length", "sepal_width", "petal_length", "petal_width"],
                                        title: "Pearson correlation (iris)"),
                   fileName: "correlation-iris.svg"),
            Figure(title: "Mean attention",
                   svg: Figures.heatMap(matrix: attention, labels: (0..<8).map { "column \($0)" }, title: "Mean attention (8 columns)",
                                        scale: .sequential, colorBarLabel: "weight"),
                   fileName: "attention.svg"),
            Figure(title: "Losses",
                   svg: Figures.lineChart(series: [Series(name: "generator", y: generator), Series(name: "discriminator", y: discriminator),
                                                   Series(name: "correlation loss (λ·L)", y: correlationLoss)],
                                          title: "Training losses", xLabel: "step", yLabel: "loss"),
                   fileName: "losses.svg"),
            Figure(title: "Correlation loss, log scale",
                   svg: Figures.lineChart(series: [Series(name: "correlation loss", y: correlationLoss)],
                                          title: "Correlation loss", xLabel: "step", yLabel: "loss", logY: true),
                   fileName: "losses-log.svg"),
            Figure(title: "Marginal: eruptions",
                   svg: Figures.histogramOverlay(real: eruptions, synthetic: synthetic, title: "eruptions: real vs synthetic", xLabel: "eruption (min)"),
                   fileName: "marginal-eruptions.svg"),
            Figure(title: "Marginal: island",
                   svg: Figures.barComparison(real: realIslands, synthetic: syntheticIslands, title: "island: real vs synthetic"),
                   fileName: "marginal-island.svg"),
            Figure(title: "faithful scatter",
                   svg: Figures.scatter(realX: eruptions, realY: waiting, syntheticX: synthetic, syntheticY: syntheticWaiting,
                                        title: "faithful: real vs synthetic", xLabel: "eruptions (min)", yLabel: "waiting (min)"),
                   fileName: "scatter-faithful.svg"),
            Figure(title: "Generated digits",
                   svg: Figures.imageGrid(rows: digitRows, imageWidth: 8, title: "Generated 8×8 digits per class", valueRange: 0...16),
                   fileName: "digits.svg"),
        ]
    }

    static func report(_ figures: [Figure]) -> HTMLReport {
        var report = HTMLReport(title: "breast_cancer · attention_gan · seed 0")
        report.addSection("Summary")
        report.addParagraph("""
            Synthetic rows judged on the **held-out test split**. Mean |ΔC| = `0.031` (floor `0.018`).

            - correlation heat maps below; *hover* a cell for its value
            - see [the design notes](docs/ARCHITECTURE.md)
            """)
        report.addKeyValueTable([("generator", "attention_gan"), ("λ", "10"), ("seed", "0")], caption: "Configuration")
        report.addTable(header: ["metric", "value", "floor"], rows: [["Pearson mean |Δ|", "0.031", "0.018"], ["detection AUC", "0.61"]],
                        caption: "Headline metrics")
        for (index, figure) in figures.enumerated() {
            if index % 3 == 0 { report.addSection("Figures \(index / 3 + 1)") }
            report.addFigure(figure)
        }
        return report
    }

    func testGalleryFiguresAreWellFormedAndOptionallyWritten() throws {
        let figures = Self.gallery()
        for figure in figures { assertWellFormedSVG(figure.svg, figure.fileName) }
        let html = Self.report(figures).render()
        XCTAssertNil(xmlWellFormednessError(html), "the report is also well-formed XHTML")
        guard let directory = ProcessInfo.processInfo.environment["FIGURES_GALLERY_DIR"] else { return }
        let url = URL(fileURLWithPath: directory)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for figure in figures { try figure.write(to: url) }
        try Data(html.utf8).write(to: url.appendingPathComponent("report.html"))
    }
}
