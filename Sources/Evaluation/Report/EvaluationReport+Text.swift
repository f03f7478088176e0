// Plain-text rendering of an `EvaluationReport` for terminals and logs: one section per metric
// family, headline figures first, the floor (train vs test) beside each. Per-pair and per-column
// details stay in the JSON; this view is a summary.

import Foundation

extension EvaluationReport {
    /// A fixed-layout text summary (4 decimals; "n/a" for undefined figures).
    public func renderText() -> String {
        var lines = ["Evaluation against the test split (rows: train \(rows.train), test \(rows.test), synthetic \(rows.synthetic); seed \(options.seed))"]
        for report in [pearson, spearman].compactMap({ $0 }) {
            let s = report.synthetic
            lines.append("")
            lines.append("\(report.method == .pearson ? "Pearson" : "Spearman") correlation difference over \(report.columns.count) numeric columns (\(s.comparedPairs) pairs, \(s.excludedPairs) excluded)")
            lines.append("  mean |ΔC|        synthetic \(f(s.meanAbsoluteDifference))  floor \(f(report.floor.meanAbsoluteDifference))  independent \(f(report.independent.meanAbsoluteDifference))")
            if let ci = report.bootstrapInterval {
                lines.append("  95% bootstrap    [\(f(ci.lower)), \(f(ci.upper))] over \(ci.replicates) replicates")
            }
            lines.append("  max |ΔC|         synthetic \(f(s.maxAbsoluteDifference))  floor \(f(report.floor.maxAbsoluteDifference))")
            lines.append("  Frobenius        synthetic \(f(s.frobeniusNorm))  floor \(f(report.floor.frobeniusNorm))")
            lines.append("  gap closed       \(f(report.gapClosed))")
            lines.append("  vs train         mean |ΔC| \(f(report.syntheticVsTrain.meanAbsoluteDifference))  pair score \(f(report.syntheticVsTrain.pairScore))  strong-pair score \(f(report.syntheticVsTrain.strongPairScore)) (\(report.syntheticVsTrain.strongPairs) pairs)")
        }
        if let a = associations {
            lines.append("")
            lines.append("Categorical associations")
            lines.append("  Cramér's V (uncorrected)  mean |Δ| \(f(a.cramersV.meanAbsoluteDifference))  max \(f(a.cramersV.maxAbsoluteDifference))  floor \(f(a.cramersV.floorMeanAbsoluteDifference))  (\(a.cramersV.comparedPairs) pairs)")
            lines.append("  correlation ratio η       mean |Δ| \(f(a.correlationRatio.meanAbsoluteDifference))  max \(f(a.correlationRatio.maxAbsoluteDifference))  floor \(f(a.correlationRatio.floorMeanAbsoluteDifference))  (\(a.correlationRatio.comparedPairs) pairs)")
        }
        if let m = marginals {
            lines.append("")
            lines.append("Marginals (mean over columns)")
            lines.append("  KS statistic     synthetic \(f(m.meanKSStatistic))  floor \(f(m.floorMeanKSStatistic))")
            lines.append("  W1 / std         synthetic \(f(m.meanWassersteinOverStd))  floor \(f(m.floorMeanWassersteinOverStd))")
            lines.append("  total variation  synthetic \(f(m.meanTotalVariation))  floor \(f(m.floorMeanTotalVariation))")
        }
        if let d = detection {
            lines.append("")
            lines.append("Detection (\(d.classifier), \(d.folds)-fold, \(d.rowsPerClass) rows per class)")
            lines.append("  ROC AUC \(f(d.rocAUC)) (0.5 = indistinguishable)  detection score \(f(d.detectionScore))")
        }
        if let e = efficacy {
            lines.append("")
            lines.append("ML efficacy: predict '\(e.target)' (\(e.task.rawValue), \(e.model), \(e.testRows) test rows)")
            if e.task == .classification {
                lines.append("  accuracy  synthetic \(f(e.synthetic.accuracy))  real \(f(e.real.accuracy))  ratio \(f(e.accuracyRatio))")
                lines.append("  macro F1  synthetic \(f(e.synthetic.macroF1))  real \(f(e.real.macroF1))  ratio \(f(e.macroF1Ratio))")
            } else {
                lines.append("  R²        synthetic \(f(e.synthetic.r2))  real \(f(e.real.r2))  ratio \(f(e.r2Ratio))")
            }
        }
        if let p = privacy {
            lines.append("")
            lines.append("Privacy: distance to closest record (\(p.trainRowsUsed) train rows, \(p.testRows) test rows)")
            lines.append("  median DCR       to train \(f(p.medianDistanceToTrain))  to test \(f(p.medianDistanceToTest))")
            lines.append("  closer to train  \(f(p.shareCloserToTrain)) (0.5 = no memorisation)  exact copies of train \(f(p.exactMatchShareTrain))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

private func f(_ value: Double?) -> String {
    guard let value else { return "n/a" }
    return String(format: "%.4f", value)
}
