// Turns table rows into a dense Double design matrix for the classifiers, regressors and
// distance computations: numeric columns standardised with statistics of the fitting rows,
// categorical columns one-hot over the shared level list, missing cells → 0 plus an indicator.

import TabularData

/// A dense row-major N×F matrix of Double features.
public struct FeatureMatrix: Sendable, Equatable {
    /// N, the number of rows.
    public var rows: Int
    /// F, the number of features per row.
    public var columns: Int
    /// N·F values, row after row.
    public var values: [Double]

    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "FeatureMatrix needs rows·columns values")
        self.rows = rows
        self.columns = columns
        self.values = values
    }
}

/// Encoding of table columns fitted on some rows and applied to any aligned table.
struct FeatureEncoder {
    private enum Part {
        case numeric(column: Int, mean: Double, scale: Double, indicator: Bool)
        case categorical(column: Int, levels: Int, indicator: Bool)
    }
    private let parts: [Part]
    /// F, the encoded width.
    let width: Int

    /// - Parameters:
    ///   - table: the fitting table; means and population standard deviations of numeric columns come
    ///     from its present values in `rows` (a constant or empty column gets scale 1).
    ///   - columns: the columns to encode, in order.
    ///   - levels: the shared level list of every column (empty for numeric columns).
    ///   - indicatorColumns: columns that get a trailing 0/1 "missing" feature.
    init(fitting table: Table, rows: [Int], columns: [Int], levels: [[String]], indicatorColumns: Set<Int>) {
        var parts: [Part] = [], width = 0
        for c in columns {
            let indicator = indicatorColumns.contains(c)
            if let values = table.columns[c].numbers {
                var sum = 0.0, count = 0.0
                for r in rows where !values[r].isNaN { sum += values[r]; count += 1 }
                let mean = count > 0 ? sum / count : 0
                var squares = 0.0
                for r in rows where !values[r].isNaN { squares += (values[r] - mean) * (values[r] - mean) }
                let std = count > 0 ? (squares / count).squareRoot() : 0
                parts.append(.numeric(column: c, mean: mean, scale: std > 0 ? std : 1, indicator: indicator))
                width += 1
            } else {
                parts.append(.categorical(column: c, levels: levels[c].count, indicator: indicator))
                width += levels[c].count
            }
            if indicator { width += 1 }
        }
        self.parts = parts
        self.width = width
    }

    /// The N×F encoding of `rows` of `table` (same column layout as the fitting table).
    func encode(_ table: Table, rows: [Int]) -> FeatureMatrix {
        var values = [Double](repeating: 0, count: rows.count * width)
        values.withUnsafeMutableBufferPointer { out in
            var offset = 0
            for part in parts {
                switch part {
                case let .numeric(column, mean, scale, indicator):
                    let source = table.numericValues(column)
                    for (i, r) in rows.enumerated() {
                        let x = source[r]
                        if x.isNaN {
                            if indicator { out[i * width + offset + 1] = 1 }
                        } else {
                            out[i * width + offset] = (x - mean) / scale
                        }
                    }
                    offset += indicator ? 2 : 1
                case let .categorical(column, levels, indicator):
                    let codes = table.categoricalCodes(column)
                    for (i, r) in rows.enumerated() {
                        let code = Int(codes[r])
                        if code >= 0 {
                            out[i * width + offset + code] = 1
                        } else if indicator {
                            out[i * width + offset + levels] = 1
                        }
                    }
                    offset += levels + (indicator ? 1 : 0)
                }
            }
        }
        return FeatureMatrix(rows: rows.count, columns: width, values: values)
    }
}

/// Columns (among `columns`) with a missing cell in any of `tables`.
func columnsWithMissing(_ tables: [Table], among columns: [Int]) -> Set<Int> {
    Set(columns.filter { c in tables.contains { $0.columns[c].missingCount > 0 } })
}
