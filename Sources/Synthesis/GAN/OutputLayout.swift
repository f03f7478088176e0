// What the generator must emit, span by span: built from the fitted transform's span record, so
// the output heads follow the data's encoding (identity or tanh values, softmax groups).

import TabularData

/// How one span of the encoded row is activated.
public enum SpanOutput: String, Codable, Sendable, Equatable {
    case identity, tanh, softmax
}

/// One span of the encoded row.
public struct OutputSpan: Codable, Sendable, Equatable {
    /// Index of the table column the span belongs to.
    public var column: Int
    public var start: Int
    public var width: Int
    public var output: SpanOutput
    /// True for a numeric column's scalar value span (the columns the correlation loss sees).
    public var isNumericValue: Bool

    public init(column: Int, start: Int, width: Int, output: SpanOutput, isNumericValue: Bool) {
        self.column = column
        self.start = start
        self.width = width
        self.output = output
        self.isNumericValue = isNumericValue
    }

    public var range: Range<Int> { start..<(start + width) }
}

/// The generator's output contract: spans in order, contiguous, grouped by column.
public struct OutputLayout: Codable, Sendable, Equatable {
    public let spans: [OutputSpan]
    /// Total encoded width W.
    public let width: Int
    /// Number of table columns F (one attention token per column).
    public let columnCount: Int

    /// - Precondition: spans tile 0..<W in order and their columns are non-decreasing from 0.
    public init(spans: [OutputSpan]) {
        var next = 0, column = 0
        for s in spans {
            precondition(s.start == next && s.width > 0, "OutputLayout: spans must tile the row in order (span at \(s.start), expected \(next))")
            precondition(s.column == column || s.column == column + 1, "OutputLayout: spans must be grouped by column in order")
            column = s.column
            next += s.width
        }
        self.spans = spans
        self.width = next
        self.columnCount = spans.isEmpty ? 0 : column + 1
    }

    /// Encoded width of each table column (the size of its output head).
    public var columnWidths: [Int] {
        var widths = [Int](repeating: 0, count: columnCount)
        for s in spans { widths[s.column] += s.width }
        return widths
    }

    /// Encoded indices of numeric value spans (one per numeric column), in order.
    public var numericValueIndices: [Int] { spans.filter(\.isNumericValue).map(\.start) }

    /// Encoded indices of every width-1 numeric value and every softmax category.
    public var valueAndCategoryIndices: [Int] {
        spans.flatMap { s -> [Int] in
            if s.isNumericValue { return [s.start] }
            return s.output == .softmax ? Array(s.range) : []
        }
    }
}

extension OutputLayout {
    /// The generator's output contract for a fitted transform: one span per encoded span,
    /// numeric value spans marked for the correlation loss.
    public init(pipeline: TransformPipeline) {
        self.init(spans: pipeline.spans.map { s in
            OutputSpan(column: s.column, start: s.start, width: s.width,
                       output: SpanOutput(rawValue: s.activation.rawValue) ?? .identity,
                       isNumericValue: s.role == .value)
        })
    }
}
