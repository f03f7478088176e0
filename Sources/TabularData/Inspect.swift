// `inspect`: a summary of a table as read: totals (rows, columns, missing cells) and per column its
// type and why, missing count, range or levels, and warnings (constant, ID-like, very many
// categories, mostly missing). Renders as aligned text or as JSON (same content).

import Foundation

/// One level of a categorical column and how many cells hold it.
public struct LevelCount: Codable, Sendable, Equatable {
    public var level: String
    public var count: Int
}

/// The summary of one column.
public struct ColumnInspection: Codable, Sendable, Equatable {
    public var name: String
    /// `real`, `integer`, `categorical`, `boolean` or `datetime(<layout>)`.
    public var type: String
    /// How the type was chosen (inference rule or override).
    public var typeReason: String
    public var missing: Int
    public var distinct: Int
    /// Numeric columns: smallest and largest value and mean (datetimes: seconds since 1970).
    public var minimum: Double?
    public var maximum: Double?
    public var mean: Double?
    /// Datetime columns: the range as written in the file.
    public var rangeText: String?
    /// Categorical columns: levels with counts, most frequent first (at most 10 listed).
    public var levels: [LevelCount]?
    public var levelCount: Int?
    public var warnings: [String]
}

/// The summary `tabcorr inspect` prints.
public struct TableInspection: Codable, Sendable, Equatable {
    public var source: String
    public var rows: Int
    public var columnCount: Int
    public var missingCells: Int
    public var columns: [ColumnInspection]
}

/// Thresholds of the warnings.
public struct InspectionThresholds: Sendable {
    /// A categorical column with more levels than this gets a "very many categories" warning.
    public var manyLevels = 50
    /// A column with a larger share of missing cells gets a "mostly missing" warning.
    public var missingShare = 0.5
    /// ID-like warnings need at least this many non-missing values.
    public var idMinimumRows = 20
    public init() {}
}

/// Reads `path` and summarises it.
public func inspect(file path: String, options: CSVReadOptions = CSVReadOptions(), thresholds: InspectionThresholds = InspectionThresholds()) throws -> TableInspection {
    inspect(try CSVReader.readWithInference(file: path, options: options), source: path, thresholds: thresholds)
}

/// Summarises a parsed table with its typing record.
public func inspect(_ result: CSVReadResult, source: String, thresholds: InspectionThresholds = InspectionThresholds()) -> TableInspection {
    let table = result.table
    var columns: [ColumnInspection] = []
    for (j, column) in table.columns.enumerated() {
        let inference = result.inferences[j]
        let missing = column.missingCount
        let present = table.rowCount - missing
        var c = ColumnInspection(name: column.name, type: typeName(column.type), typeReason: inference.reason, missing: missing, distinct: 0,
                                 minimum: nil, maximum: nil, mean: nil, rangeText: nil, levels: nil, levelCount: nil, warnings: [])
        switch column.values {
        case .numeric(let values):
            let present = values.filter { !$0.isNaN }
            c.distinct = distinctCount(present)
            c.minimum = present.min()
            c.maximum = present.max()
            c.mean = present.reduce(0, +) / Double(max(1, present.count))
            if case .datetime(let format) = column.type, let layout = DateTimeLayout(pattern: format), let lo = c.minimum, let hi = c.maximum {
                c.rangeText = "\(layout.format(lo)) … \(layout.format(hi))"
            }
            if column.type == .integer && c.distinct == present.count && present.count >= thresholds.idMinimumRows {
                c.warnings.append("ID-like: every value is distinct; drop identifier columns before training")
            }
        case .categorical(let codes, let levels):
            var counts = [Int](repeating: 0, count: levels.count)
            for code in codes where code >= 0 { counts[Int(code)] += 1 }
            let order = levels.indices.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
            c.levels = order.prefix(10).map { LevelCount(level: levels[$0], count: counts[$0]) }
            c.levelCount = levels.count
            c.distinct = counts.filter { $0 > 0 }.count
            if c.distinct == present && present >= thresholds.idMinimumRows {
                c.warnings.append("ID-like: every value is distinct; drop identifier columns before training")
            }
            if inference.groupedLevels > 0 || inference.groupedCells > 0 {
                c.warnings.append("very many categories: \(inference.groupedLevels)\(inference.groupedCells > 0 && inference.groupedLevels == 0 ? "+" : "") rare levels grouped into one level (see maxLevels)")
            } else if levels.count > thresholds.manyLevels {
                c.warnings.append("very many categories (\(levels.count)): the one-hot encoding will be wide; consider lowering maxLevels")
            }
        }
        if c.distinct <= 1 { c.warnings.append("constant column: a single value, which carries no information") }
        if table.rowCount > 0 && Double(missing) / Double(table.rowCount) > thresholds.missingShare {
            c.warnings.append("mostly missing: \(missing) of \(table.rowCount) cells")
        }
        columns.append(c)
    }
    return TableInspection(source: source, rows: table.rowCount, columnCount: table.columnCount, missingCells: table.missingCount, columns: columns)
}

private func typeName(_ type: ColumnType) -> String {
    switch type {
    case .real: return "real"
    case .integer: return "integer"
    case .categorical: return "categorical"
    case .boolean: return "boolean"
    case .datetime(let format): return "datetime(\(format))"
    }
}

extension TableInspection {
    /// Pretty-printed JSON with sorted keys (stable for diffs and snapshots).
    public func renderJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// Human-readable report: a totals line, one line per column, then its typing reason and warnings.
    public func renderText() -> String {
        var lines = ["\(source): \(rows) rows, \(columnCount) columns, \(missingCells) missing cells", ""]
        let nameWidth = max(6, columns.map(\.name.count).max() ?? 0)
        let typeWidth = max(4, columns.map(\.type.count).max() ?? 0)
        func padded(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        lines.append(padded("column", nameWidth) + "  " + padded("type", typeWidth) + "  missing  range / levels")
        for c in columns {
            lines.append(padded(c.name, nameWidth) + "  " + padded(c.type, typeWidth) + "  " + padded(String(c.missing), 7) + "  " + summary(c))
            lines.append(String(repeating: " ", count: nameWidth + 2) + "typed: " + c.typeReason)
            for w in c.warnings { lines.append(String(repeating: " ", count: nameWidth + 2) + "warning: " + w) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func summary(_ c: ColumnInspection) -> String {
        if let levels = c.levels, let count = c.levelCount {
            let shown = levels.map { "\($0.level.count > 60 ? String($0.level.prefix(60)) + "…" : $0.level) (\($0.count))" }.joined(separator: ", ")
            return "\(count) levels: \(shown)\(count > levels.count ? ", …" : "")"
        }
        if let text = c.rangeText { return "\(text) (\(c.distinct) distinct)" }
        guard let lo = c.minimum, let hi = c.maximum else { return "no values" }
        let asInteger = c.type == "integer"
        let mean = c.mean.map { ", mean \(String(format: "%.4g", $0))" } ?? ""
        return "\(formatNumber(lo, asInteger: asInteger)) … \(formatNumber(hi, asInteger: asInteger)) (\(c.distinct) distinct\(mean))"
    }
}
