// One run's human-readable report: report.md (headline table, notes, figure links) and a single
// self-contained report.html embedding the SVG figures, which are also written to figures/.
// Figures: correlation heat maps (test, synthetic, difference), loss curves, marginals, scatter
// plots of the most correlated pairs, attention maps, and (when configured) image grids.

import Foundation
import TabularData
import Synthesis
import Evaluation
import Figures

struct ReportWriter {
    let config: ExperimentConfig
    let seed: Int
    let train: Table, test: Table, synthetic: Table
    let metrics: EvaluationReport
    let log: [TrainingLogRow]
    let attention: [[Float]]
    let notes: [String]
    let inferences: [ColumnInference]

    func write(into directory: String) throws {
        let figures = makeFigures()
        let figureDirectory = URL(fileURLWithPath: directory).appendingPathComponent("figures")
        try FileManager.default.createDirectory(at: figureDirectory, withIntermediateDirectories: true)
        // Through AtomicFile, so a full disk is said in words like every other write of the run.
        for figure in figures { try AtomicFile.write(figure.svg, to: figureDirectory.appendingPathComponent(figure.fileName).path) }
        // The metrics flattened once (metrics.json paths → values) for the summary and the headline table.
        let flat = (try? flattenMetrics(JSONEncoder().encode(metrics))) ?? [:]
        let summary = summaryLines(flat), rows = headline(flat)
        try AtomicFile.write(markdown(figures, summary: summary, headline: rows), to: (directory as NSString).appendingPathComponent("report.md"))
        try AtomicFile.write(html(figures, summary: summary, headline: rows), to: (directory as NSString).appendingPathComponent("report.html"))
    }

    var title: String { "\(config.name) — seed \(seed)" }

    /// (metric, value, which direction is better), from the flattened metrics.
    func headline(_ flat: [String: Double]) -> [(String, String, String)] {
        var rows = HeadlineMetric.standard.map { metric in
            (metric.label, metric.value(in: flat).map { String(format: "%.4f", $0) } ?? "—", metric.betterDirection)
        }
        // The generator's own marginals beside the shipped ones (marginal matching sets those from the train split).
        if let raw = flat["generatorMarginals.meanKSStatistic"], let index = rows.firstIndex(where: { $0.0 == "mean KS" }) {
            rows.insert(("mean KS of the generator's own output (before marginal matching)", String(format: "%.4f", raw), "lower"), at: index + 1)
        }
        return rows
    }

    /// One line placing the Pearson difference between the floor (the train split itself) and the
    /// independent bound (the train split with every column shuffled on its own).
    func verdict(_ flat: [String: Double]) -> String? {
        guard let s = flat["pearson.synthetic.meanAbsoluteDifference"], let f = flat["pearson.floor.meanAbsoluteDifference"],
              let i = flat["pearson.independent.meanAbsoluteDifference"], f > 0 else { return nil }
        let place = s <= f ? "at or below the floor" : s >= i ? "no better than independent columns" : String(format: "%.2f× the floor", s / f)
        let four = { (x: Double) in String(format: "%.4f", x) }
        return "**Verdict:** Pearson mean |Δr| \(four(s)) is \(place) (floor \(four(f)): the train split itself against the test split; "
            + "independent bound \(four(i)): every column shuffled on its own)."
    }

    func summaryLines(_ flat: [String: Double]) -> [String] {
        [
            "Generator `\(config.generator.type.rawValue)`; data `\(config.data.path.split(separator: "/").last ?? "")`: " +
                "\(train.rowCount) train rows (the fit rows and the validation slice that picks the checkpoint; the row indices of each "
                + "are in split.json), \(test.rowCount) test rows, \(synthetic.rowCount) synthetic rows, \(train.columnCount) columns.",
            "Correlation differences are measured against the held-out **test** split; the floor is the train split itself.",
        ] + (verdict(flat).map { [$0] } ?? []) + [
            "The bootstrap 95 % intervals in metrics.json resample the test and synthetic rows; duplicated rows add spurious "
                + "correlation differences, so an interval can lie above the estimate itself: read it as the spread, not as bounds around the value.",
        ] + inferences.filter { $0.type == .categorical && !$0.overridden && $0.reason.lowercased().contains("integer") }.map {
            "Column `\($0.name)` was typed categorical: \($0.reason)."
        } + notes + ((metrics.pearson?.columns.count ?? 0) > Self.maxHeatMapColumns ? [
            "The correlation heat maps are left out above \(Self.maxHeatMapColumns) numeric columns (this table has \(metrics.pearson!.columns.count)); "
                + "every pair's correlations are in metrics.json under `pearson.pairs`.",
        ] : []) + (undrawnMarginals.isEmpty ? [] : [
            "Marginals are drawn for the first \(Self.maxMarginalFigures) of \(test.columnCount) columns; not drawn: "
                + "\(undrawnMarginals.prefix(10).joined(separator: ", "))\(undrawnMarginals.count > 10 ? " and \(undrawnMarginals.count - 10) more" : "") "
                + "(every column's KS or total variation is in metrics.json under `marginals`).",
        ])
    }

    func markdown(_ figures: [Figure], summary: [String], headline: [(String, String, String)]) -> String {
        var lines = ["# \(title)", ""] + summary + ["", "| metric | value | better |", "|---|---|---|"]
        lines += headline.map { "| \($0.0) | \($0.1) | \($0.2) |" }
        lines += ["", "Every metric, with its definition in docs/METRICS.md: `metrics.json`.", ""]
        for figure in figures { lines += ["## \(figure.title)", "", "![\(figure.title)](figures/\(figure.fileName))", ""] }
        return lines.joined(separator: "\n")
    }

    func html(_ figures: [Figure], summary: [String], headline: [(String, String, String)]) -> String {
        var report = HTMLReport(title: title)
        report.addSection("Summary")
        for line in summary { report.addParagraph(line) }
        report.addKeyValueTable(headline.map { (key: $0.0, value: "\($0.1) (\($0.2) is better)") }, caption: "Headline metrics (see metrics.json for all)")
        report.addSection("Figures")
        for figure in figures { report.addFigure(figure, caption: figure.title) }
        return report.render()
    }

    // MARK: Figures

    func makeFigures() -> [Figure] {
        var figures = correlationFigures()
        if !log.isEmpty { figures += lossFigures() }
        figures += scatterFigures()
        figures += marginalFigures()
        for (b, map) in attention.enumerated() where map.count == train.columnCount * train.columnCount {
            let f = train.columnCount
            figures.append(Figure(title: "Generator attention, block \(b + 1) (row: attending column)",
                                  svg: Figures.heatMap(matrix: (0..<f).map { i in (0..<f).map { Double(map[i * f + $0]) } },
                                                       labels: train.columnNames, title: "Mean attention, block \(b + 1)",
                                                       scale: .sequential(), colorBarLabel: "weight"),
                                  fileName: "attention-block\(b + 1).svg"))
        }
        if let width = config.report.imageWidth { figures += imageFigures(width: width) }
        return figures
    }

    /// Heat maps are drawn up to this many columns (a 1,000-column one is a 64 MB SVG); the
    /// report says when they are left out.
    static let maxHeatMapColumns = 100

    func correlationFigures() -> [Figure] {
        guard let pearson = metrics.pearson, pearson.columns.count >= 2, pearson.columns.count <= Self.maxHeatMapColumns else { return [] }
        let names = pearson.columns
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        func matrix(_ pick: (PairCorrelation) -> Double?) -> [[Double]] {
            var m = (0..<names.count).map { i in (0..<names.count).map { $0 == i ? 1.0 : Double.nan } }
            for p in pearson.pairs {
                guard let i = index[p.first], let j = index[p.second], let v = pick(p) else { continue }
                m[i][j] = v
                m[j][i] = v
            }
            return m
        }
        let testMatrix = matrix(\.test), syntheticMatrix = matrix(\.synthetic)
        let difference = matrix { p in p.test.flatMap { t in p.synthetic.map { abs($0 - t) } } }.enumerated().map { i, row in
            row.enumerated().map { $0.offset == i ? 0 : $0.element }
        }
        return [
            Figure(title: "Pearson correlation, test split", svg: Figures.heatMap(matrix: testMatrix, labels: names, title: "Test split", colorBarLabel: "Pearson r"), fileName: "correlation-test.svg"),
            Figure(title: "Pearson correlation, synthetic", svg: Figures.heatMap(matrix: syntheticMatrix, labels: names, title: "Synthetic", colorBarLabel: "Pearson r"), fileName: "correlation-synthetic.svg"),
            Figure(title: "|test − synthetic| Pearson difference", svg: Figures.heatMap(matrix: difference, labels: names, title: "Absolute difference", scale: .sequential(domain: 0...1), colorBarLabel: "|Δr|"), fileName: "correlation-difference.svg"),
        ]
    }

    func lossFigures() -> [Figure] {
        let steps = log.map { Double($0.step) }
        func column(_ name: String) -> [Double] { log.map { Double($0[name] ?? .nan) } }
        var figures = [Figure(title: "Adversarial losses", svg: Figures.lineChart(series: [
            Series(name: "critic / discriminator", x: steps, y: column("discriminator_loss")),
            Series(name: "generator (adversarial)", x: steps, y: column("generator_loss")),
        ], title: "Adversarial losses", xLabel: "step", yLabel: "loss"), fileName: "losses.svg")]
        let validated = log.filter { !($0.validation?.value.isNaN ?? true) }
        let validation = validated.compactMap(\.validation)
        if log.contains(where: { ($0["correlation_loss"] ?? 0) > 0 }) || !validation.isEmpty {
            let validationSteps = validated.map { Double($0.step) }
            figures.append(Figure(title: "Correlation loss and the validation criterion (shipped sample)", svg: Figures.lineChart(series: [
                Series(name: "correlation loss (train batch)", x: steps, y: column("correlation_loss")),
                Series(name: "validation mean |Δr|", x: validationSteps, y: validation.map(\.correlationGap)),
                Series(name: "validation marginal distance (raw)", x: validationSteps, y: validation.map(\.marginalDistance)),
            ], title: "Correlation fit", xLabel: "step", yLabel: "value", logY: true), fileName: "correlation-loss.svg"))
        }
        return figures
    }

    func numbers(_ table: Table, _ name: String) -> [Double] { table[name]?.numbers ?? [] }

    func scatterFigures() -> [Figure] {
        guard let pearson = metrics.pearson else { return [] }
        let strongest = pearson.pairs.filter { $0.test != nil }.sorted { abs($0.test!) > abs($1.test!) }.prefix(3)
        return strongest.enumerated().map { k, pair in
            Figure(title: "\(pair.first) vs \(pair.second): test r = \(String(format: "%.2f", pair.test!)), synthetic r = \(pair.synthetic.map { String(format: "%.2f", $0) } ?? "—")",
                   svg: Figures.scatter(realX: numbers(test, pair.first), realY: numbers(test, pair.second),
                                        syntheticX: numbers(synthetic, pair.first), syntheticY: numbers(synthetic, pair.second),
                                        title: "\(pair.first) vs \(pair.second) (real = test split)", xLabel: pair.first, yLabel: pair.second),
                   fileName: "scatter-\(k + 1).svg")
        }
    }

    /// At most this many marginals are drawn (a report of a wide table stays a few MB); the report says which are left out.
    static let maxMarginalFigures = 24

    /// Columns whose marginals are not drawn, for the report's note.
    var undrawnMarginals: [String] { Array(test.columnNames.dropFirst(Self.maxMarginalFigures)) }

    func marginalFigures() -> [Figure] {
        var figures: [Figure] = []
        for (j, column) in test.columns.enumerated().prefix(Self.maxMarginalFigures) {
            guard let other = synthetic[column.name] else { continue }
            switch (column.values, other.values) {
            case (.numeric(let real), .numeric(let fake)):
                figures.append(Figure(title: "Marginal of \(column.name)", svg: Figures.histogramOverlay(real: real, synthetic: fake, title: "\(column.name): test vs synthetic", xLabel: column.name), fileName: "marginal-\(j + 1).svg"))
            case (.categorical(let rc, let rl), .categorical(let fc, let fl)):
                func labels(_ codes: [Int32], _ levels: [String]) -> [String] { codes.map { $0 < 0 ? "(missing)" : levels[Int($0)] } }
                figures.append(Figure(title: "Levels of \(column.name)", svg: Figures.barComparison(real: labels(rc, rl), synthetic: labels(fc, fl), title: "\(column.name): test vs synthetic", xLabel: column.name), fileName: "marginal-\(j + 1).svg"))
            default: continue
            }
        }
        return figures
    }

    /// Real (test) and synthetic rows drawn as images, one row of images per class.
    func imageFigures(width: Int) -> [Figure] {
        let numeric = test.columns.filter { $0.type.isNumeric }.map(\.name)
        guard numeric.count >= width else { return [] }
        let classColumn = config.generator.conditionColumn ?? config.data.target
        func grid(_ table: Table, label: String) -> Figure {
            var groups: [(String, [Int])] = [("all rows", Array(0..<table.rowCount))]
            if let name = classColumn, case .categorical(let codes, let levels)? = table[name]?.values {
                groups = levels.indices.map { k in (levels[k], codes.indices.filter { codes[$0] == Int32(k) }) }
            }
            let columns = numeric.compactMap { table[$0]?.numbers }
            let rows = groups.map { name, members in
                ImageRow(label: name, images: members.prefix(10).map { r in columns.map { $0[r] } })
            }
            return Figure(title: "\(label) rows as \(width)-wide images", svg: Figures.imageGrid(rows: rows, imageWidth: width, title: "\(label) rows"),
                          fileName: "images-\(label.lowercased()).svg")
        }
        return [grid(test, label: "Test"), grid(synthetic, label: "Synthetic")]
    }
}
