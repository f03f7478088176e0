// The fitted, reversible encoding of a table into a row-major Float matrix and back. Fitted on the
// train split only; `encode` maps any table with the same columns; `decode` inverts it and also
// accepts raw generator outputs (argmax over softmax spans, > 0.5 on missing indicators),
// rounding integer columns and clipping numeric values to the train range.

import Foundation

/// How one column of the fitted table is encoded.
public struct ColumnTransform: Codable, Sendable, Equatable {
    public var name: String
    public var type: ColumnType
    /// The numeric transform (nil for categorical and boolean columns).
    public var numeric: NumericEncoder?
    /// Categorical: the levels seen in train, in one-hot order.
    public var levels: [String]
    /// Categorical: a last one-hot slot stands for "missing".
    public var hasMissingSlot: Bool
    /// Numeric: a missing-indicator span follows the value (and mode) spans.
    public var hasMissingIndicator: Bool
    /// Numeric: the train mean, encoded in place of a missing value.
    public var fillValue: Double
    /// Numeric: the train range; decoded values are clipped to it.
    public var minimum: Double
    public var maximum: Double
    /// Categorical: index into `levels` of the most frequent train level.
    public var mostFrequentLevel: Int
}

/// Fitted encoder of a table: one span record per output block.
///
/// Layout per column, in table order: numeric → value (width 1) [, mode one-hot (modeSpecific)]
/// [, missing indicator]; categorical/boolean → one-hot over train levels [+ missing slot].
/// Under `.standard` and `.minMax` the value span of a non-missing cell is an affine map a·x + b
/// of the original value (a > 0), so Pearson correlations in encoded space equal those of the
/// original columns on complete rows; missing cells hold the encoded train mean.
///
/// ```swift
/// let pipeline = try TransformPipeline.fit(train, options: TransformOptions(numeric: .modeSpecific))
/// let x = try pipeline.encode(train)              // train.rowCount × pipeline.encodedWidth
/// let back = pipeline.decode(x, rows: train.rowCount)
/// ```
public struct TransformPipeline: Codable, Sendable, Equatable {
    public var options: TransformOptions
    public var columns: [ColumnTransform]
    public var spans: [EncodedSpan]
    public var encodedWidth: Int

    /// Fits every column's transform on `train` (the train split only: never the test split).
    /// Deterministic: no random draws (mixtures start from sorted-value slices).
    /// - Throws: `allMissing` for a column with no value in train, `invalidOption` for bad options.
    public static func fit(_ train: Table, options: TransformOptions = TransformOptions()) throws -> TransformPipeline {
        try options.validate()
        for name in options.numericOverrides.keys.sorted() where train.index(of: name) == nil {
            throw DataError.unknownColumn(name: name, known: train.columnNames)
        }
        var columns: [ColumnTransform] = []
        var spans: [EncodedSpan] = []
        var width = 0
        func addSpan(_ column: Int, _ name: String, _ w: Int, _ activation: SpanActivation, _ role: SpanRole) {
            spans.append(EncodedSpan(column: column, name: name, start: width, width: w, activation: activation, role: role))
            width += w
        }
        for (j, column) in train.columns.enumerated() {
            switch column.values {
            case .numeric(let values):
                let sorted = values.filter { !$0.isNaN }.sorted()
                guard !sorted.isEmpty else { throw DataError.allMissing(file: "train split", columnName: column.name) }
                let kind = options.numericOverrides[column.name] ?? options.numeric
                let encoder = NumericEncoder.fit(kind, sorted: sorted, integer: column.type == .integer, options: options)
                let hasIndicator = options.missingIndicators && sorted.count < values.count
                columns.append(ColumnTransform(name: column.name, type: column.type, numeric: encoder, levels: [], hasMissingSlot: false,
                                               hasMissingIndicator: hasIndicator, fillValue: sorted.reduce(0, +) / Double(sorted.count),
                                               minimum: sorted[0], maximum: sorted[sorted.count - 1], mostFrequentLevel: 0))
                addSpan(j, column.name, 1, kind == .minMax || kind == .modeSpecific ? .tanh : .identity, .value)
                if kind == .modeSpecific { addSpan(j, column.name + ".mode", encoder.modeCount, .softmax, .mode) }
                if hasIndicator { addSpan(j, column.name + ".missing", 1, .identity, .missingIndicator) }
            case .categorical(let codes, let levels):
                var counts = [Int](repeating: 0, count: levels.count)
                var missing = 0
                for c in codes { if c < 0 { missing += 1 } else { counts[Int(c)] += 1 } }
                let seen = levels.indices.filter { counts[$0] > 0 }
                guard !seen.isEmpty else { throw DataError.allMissing(file: "train split", columnName: column.name) }
                let mostFrequent = seen.indices.max { counts[seen[$0]] != counts[seen[$1]] ? counts[seen[$0]] < counts[seen[$1]] : $0 > $1 }!
                let hasSlot = options.missingIndicators && missing > 0
                columns.append(ColumnTransform(name: column.name, type: column.type, numeric: nil, levels: seen.map { levels[$0] },
                                               hasMissingSlot: hasSlot, hasMissingIndicator: false, fillValue: 0,
                                               minimum: 0, maximum: 0, mostFrequentLevel: mostFrequent))
                addSpan(j, column.name, seen.count + (hasSlot ? 1 : 0), .softmax, .category)
            }
        }
        return TransformPipeline(options: options, columns: columns, spans: spans, encodedWidth: width)
    }

    /// Encodes `table` (same column names, order and kinds as the fitted table) as a row-major
    /// matrix of `table.rowCount × encodedWidth` Floats. With `dequantize` (uniform draws in (0, 1)),
    /// each cell of a discrete quantile-mapped column gets a random point of its CDF step instead
    /// of the step's middle, so training rows are continuous normal scores.
    public func encode(_ table: Table, dequantize: (() -> Double)? = nil) throws -> [Float] {
        guard table.columnNames == columns.map(\.name) else {
            throw DataError.schemaMismatch(columnName: table.columnNames.joined(separator: ","),
                                           reason: "the columns differ from the fitted ones (\(columns.map(\.name).joined(separator: ",")))")
        }
        let rows = table.rowCount
        var out = [Float](repeating: 0, count: rows * encodedWidth)
        var spanIndex = 0
        for (j, transform) in columns.enumerated() {
            let valueSpan = spans[spanIndex]
            switch (table.columns[j].values, transform.numeric) {
            case (.numeric(let values), .some(let encoder)):
                var modeSpan: EncodedSpan?
                if case .modeSpecific = encoder { modeSpan = spans[spanIndex + 1] }
                let indicatorStart = transform.hasMissingIndicator ? valueSpan.start + 1 + (modeSpan?.width ?? 0) : -1
                let filled = encoder.encode(transform.fillValue)
                for r in 0..<rows {
                    let x = values[r]
                    var (value, mode) = x.isNaN ? filled : encoder.encode(x)
                    if let dequantize, !x.isNaN, case .discreteNormal = encoder { value = encoder.encode(x, dequantizing: dequantize()) }
                    let base = r * encodedWidth
                    out[base + valueSpan.start] = Float(value)
                    if let modeSpan { out[base + modeSpan.start + mode] = 1 }
                    if indicatorStart >= 0 && x.isNaN { out[base + indicatorStart] = 1 }
                }
                spanIndex += 1 + (modeSpan == nil ? 0 : 1) + (transform.hasMissingIndicator ? 1 : 0)
            case (.categorical(let codes, let levels), .none):
                var slot: [String: Int] = [:]
                for (i, level) in transform.levels.enumerated() { slot[level] = i }
                let missingSlot = transform.hasMissingSlot ? transform.levels.count : -1
                var slotOfCode = [Int](repeating: -1, count: levels.count)
                for (code, level) in levels.enumerated() {
                    if let s = slot[level] { slotOfCode[code] = s; continue }
                    guard codes.contains(Int32(code)) else { continue }
                    switch options.unseenLevels {
                    case .missing: slotOfCode[code] = missingSlot
                    case .mostFrequent: slotOfCode[code] = transform.mostFrequentLevel
                    case .error: throw DataError.unseenLevel(columnName: transform.name, level: level)
                    }
                }
                for r in 0..<rows {
                    let code = codes[r]
                    let s = code < 0 ? missingSlot : slotOfCode[Int(code)]
                    if s >= 0 { out[r * encodedWidth + valueSpan.start + s] = 1 }
                }
                spanIndex += 1
            default:
                throw DataError.schemaMismatch(columnName: transform.name, reason: "it was \(transform.type) when fitted but is \(table.columns[j].type) now")
            }
        }
        return out
    }

    /// Decodes a row-major `rows × encodedWidth` matrix (encoded data or raw generator output)
    /// into a table with the fitted table's column names, types and order. Softmax spans decode by
    /// argmax (first maximum on ties); missing indicators > 0.5 mean missing; numeric values are
    /// clipped to the train range, integers rounded, datetimes rounded to their layout's resolution.
    /// - Precondition: `encoded.count == rows * encodedWidth`.
    public func decode(_ encoded: [Float], rows: Int) -> Table {
        precondition(encoded.count == rows * encodedWidth, DataError.encodedShape(expected: encodedWidth, found: encoded.count, rows: rows).description)
        var result: [Column] = []
        var spanIndex = 0
        for transform in columns {
            let valueSpan = spans[spanIndex]
            spanIndex += 1
            if let encoder = transform.numeric {
                var modeSpan: EncodedSpan?
                if spanIndex < spans.count, spans[spanIndex].role == .mode { modeSpan = spans[spanIndex]; spanIndex += 1 }
                var indicator: EncodedSpan?
                if transform.hasMissingIndicator { indicator = spans[spanIndex]; spanIndex += 1 }
                let step = roundingStep(transform.type)
                var values = [Double](repeating: .nan, count: rows)
                for r in 0..<rows {
                    let base = r * encodedWidth
                    if let indicator, encoded[base + indicator.start] > 0.5 { continue }
                    let mode = modeSpan.map { argmax(encoded, from: base + $0.start, count: $0.width) } ?? 0
                    var x = encoder.decode(value: Double(encoded[base + valueSpan.start]), mode: mode)
                    if step > 0 { x = (x / step).rounded() * step }
                    values[r] = min(transform.maximum, max(transform.minimum, x.isNaN ? transform.fillValue : x))
                }
                result.append(Column(name: transform.name, type: transform.type, values: .numeric(values)))
            } else {
                var codes = [Int32](repeating: -1, count: rows)
                for r in 0..<rows {
                    let slot = argmax(encoded, from: r * encodedWidth + valueSpan.start, count: valueSpan.width)
                    if slot < transform.levels.count { codes[r] = Int32(slot) }
                }
                result.append(Column(name: transform.name, type: transform.type, values: .categorical(codes: codes, levels: transform.levels)))
            }
        }
        return Table(columns: result)
    }

    /// Per column of the fitted table: keys that rank generated rows as their decoded values do,
    /// but before rounding, clipping and a discrete map's steps make ties (the value-span scalar
    /// for the monotone decodings; the unclipped decoded value for modeSpecific); [] for
    /// categorical columns. Marginal matching ranks by these.
    public func orderingKeys(_ encoded: [Float], rows: Int) -> [[Double]] {
        precondition(encoded.count == rows * encodedWidth, DataError.encodedShape(expected: encodedWidth, found: encoded.count, rows: rows).description)
        var keys: [[Double]] = []
        var spanIndex = 0
        for transform in columns {
            let valueSpan = spans[spanIndex]
            spanIndex += 1
            guard let encoder = transform.numeric else { keys.append([]); continue }
            var modeSpan: EncodedSpan?
            if spanIndex < spans.count, spans[spanIndex].role == .mode { modeSpan = spans[spanIndex]; spanIndex += 1 }
            if transform.hasMissingIndicator { spanIndex += 1 }
            keys.append((0..<rows).map { r in
                let value = Double(encoded[r * encodedWidth + valueSpan.start])
                guard let modeSpan else { return value }
                return encoder.decode(value: value, mode: argmax(encoded, from: r * encodedWidth + modeSpan.start, count: modeSpan.width))
            })
        }
        return keys
    }

    /// Values a decoded column is rounded to a multiple of (0 = no rounding).
    private func roundingStep(_ type: ColumnType) -> Double {
        switch type {
        case .integer: return 1
        case .datetime(let format): return DateTimeLayout(pattern: format)?.resolution ?? 0
        default: return 0
        }
    }
}

/// Index (relative to `from`) of the largest of `count` values; the first one on ties.
private func argmax(_ values: [Float], from start: Int, count: Int) -> Int {
    var best = 0
    var top = values[start]
    for i in 1..<max(1, count) where values[start + i] > top { top = values[start + i]; best = i }
    return best
}
