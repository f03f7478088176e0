// The in-memory table every module exchanges: typed columns held once, as compact arrays.
// Numeric columns are Double with NaN for missing; categorical columns are integer codes into a
// level list with -1 for missing. Parsing, inference and transforms live in their own files.

/// What a column means, which decides how it is modelled and written back.
public enum ColumnType: Equatable, Sendable, Codable {
    /// A real number.
    case real
    /// An integer: modelled as a number, rounded when written back.
    case integer
    /// Text levels (or integers with few distinct values, when inference or the config says so).
    case categorical
    /// Two levels written back as they were read (e.g. `true`/`false`, `yes`/`no`).
    case boolean
    /// ISO 8601 date or date-time, modelled as seconds since 1970 and written back in `format`.
    case datetime(format: String)

    /// True for the types stored as `ColumnValues.numeric`.
    public var isNumeric: Bool {
        switch self {
        case .real, .integer, .datetime: return true
        case .categorical, .boolean: return false
        }
    }
}

/// The values of one column.
public enum ColumnValues: Equatable, Sendable {
    /// Numbers; `Double.nan` marks a missing value.
    case numeric([Double])
    /// Codes into `levels`; -1 marks a missing value.
    case categorical(codes: [Int32], levels: [String])

    public var count: Int {
        switch self {
        case .numeric(let v): return v.count
        case .categorical(let codes, _): return codes.count
        }
    }
}

/// A named, typed column.
public struct Column: Equatable, Sendable {
    public var name: String
    public var type: ColumnType
    public var values: ColumnValues

    public init(name: String, type: ColumnType, values: ColumnValues) {
        self.name = name
        self.type = type
        self.values = values
    }

    /// Numeric values (NaN = missing), or nil for a categorical column.
    public var numbers: [Double]? {
        if case .numeric(let v) = values { return v }
        return nil
    }

    /// Number of missing cells.
    public var missingCount: Int {
        switch values {
        case .numeric(let v): return v.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
        case .categorical(let codes, _): return codes.reduce(0) { $0 + ($1 < 0 ? 1 : 0) }
        }
    }

    /// The column restricted to `rows` (in that order; repeats allowed).
    public func selecting(rows: [Int]) -> Column {
        switch values {
        case .numeric(let v):
            return Column(name: name, type: type, values: .numeric(rows.map { v[$0] }))
        case .categorical(let codes, let levels):
            return Column(name: name, type: type, values: .categorical(codes: rows.map { codes[$0] }, levels: levels))
        }
    }
}

/// Columns of equal length, in their original order.
public struct Table: Equatable, Sendable {
    public var columns: [Column]

    /// - Precondition: all columns have the same length and distinct names.
    public init(columns: [Column]) {
        precondition(Set(columns.map(\.values.count)).count <= 1, "Table columns must have equal length")
        self.columns = columns
    }

    public var rowCount: Int { columns.first?.values.count ?? 0 }
    public var columnCount: Int { columns.count }
    public var columnNames: [String] { columns.map(\.name) }

    /// The column named `name`, if any.
    public subscript(name: String) -> Column? { columns.first { $0.name == name } }

    /// Index of the column named `name`, if any.
    public func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }

    /// The rows at `rows`, in that order (repeats allowed: bootstraps use them).
    public func selecting(rows: [Int]) -> Table {
        Table(columns: columns.map { $0.selecting(rows: rows) })
    }

    /// Total missing cells.
    public var missingCount: Int { columns.reduce(0) { $0 + $1.missingCount } }
}
