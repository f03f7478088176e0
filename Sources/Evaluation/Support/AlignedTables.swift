// Checks that the train, test and synthetic tables share column names and kinds, and re-codes
// every categorical column onto one level list matched by level string (the tables may list
// levels in different orders or miss some), so every metric can compare codes directly.

import TabularData

/// A problem with the evaluation inputs or options; the message says what to change.
public enum EvaluationError: Error, CustomStringConvertible, Equatable {
    /// A table's column names differ from the first table's.
    case columnMismatch(table: String, missing: [String], unexpected: [String])
    /// A column is numeric in one table and categorical in another.
    case kindMismatch(column: String, table: String, expectedNumeric: Bool)
    /// A table has no rows.
    case emptyTable(String)
    /// `targetColumn` names no column.
    case unknownTargetColumn(String, available: [String])
    /// An option is out of range.
    case invalidOption(key: String, message: String)

    public var description: String {
        switch self {
        case let .columnMismatch(table, missing, unexpected):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("lacks \(missing.joined(separator: ", "))") }
            if !unexpected.isEmpty { parts.append("has extra \(unexpected.joined(separator: ", "))") }
            return "evaluation: the \(table) table \(parts.joined(separator: " and ")); all three tables need the same column names"
        case let .kindMismatch(column, table, expectedNumeric):
            return "evaluation: column '\(column)' is \(expectedNumeric ? "categorical" : "numeric") in the \(table) table but \(expectedNumeric ? "numeric" : "categorical") in the first table; give it one type in every table (e.g. a schema override)"
        case let .emptyTable(table):
            return "evaluation: the \(table) table has no rows; every metric needs at least one row in each table"
        case let .unknownTargetColumn(name, available):
            return "evaluation: targetColumn '\(name)' is not a column; pick one of \(available.joined(separator: ", "))"
        case let .invalidOption(key, message):
            return "evaluation option '\(key)': \(message)"
        }
    }
}

/// Tables with identical column order whose categorical codes index one shared level list.
struct AlignedTables {
    /// Column names, in the first table's order.
    let columnNames: [String]
    /// Indices of numeric columns (real, integer, datetime), in column order.
    let numericColumns: [Int]
    /// Indices of categorical (and boolean) columns, in column order.
    let categoricalColumns: [Int]
    /// Shared level list per column (empty for numeric columns).
    let levels: [[String]]
    /// The input tables, re-ordered and re-coded, in the order given.
    let tables: [Table]

    /// - Parameters:
    ///   - tables: the tables with their names for error messages; the first fixes column order,
    ///     and levels are listed in order of first appearance across the tables.
    init(_ named: [(name: String, table: Table)]) throws {
        precondition(!named.isEmpty, "AlignedTables needs at least one table")
        let first = named[0].table
        for (name, table) in named where table.rowCount == 0 { throw EvaluationError.emptyTable(name) }
        columnNames = first.columnNames
        let nameSet = Set(columnNames)
        var ordered: [Table] = []
        for (name, table) in named {
            let names = Set(table.columnNames)
            if names != nameSet || table.columnCount != first.columnCount {
                throw EvaluationError.columnMismatch(
                    table: name, missing: nameSet.subtracting(names).sorted(), unexpected: names.subtracting(nameSet).sorted())
            }
            ordered.append(Table(columns: columnNames.map { table[$0]! }))
        }
        var numeric: [Int] = [], categorical: [Int] = []
        var levels = [[String]](repeating: [], count: columnNames.count)
        for c in columnNames.indices {
            let isNumeric = ordered[0].columns[c].numbers != nil
            for (t, table) in ordered.enumerated() where (table.columns[c].numbers != nil) != isNumeric {
                throw EvaluationError.kindMismatch(column: columnNames[c], table: named[t].name, expectedNumeric: isNumeric)
            }
            if isNumeric { numeric.append(c); continue }
            categorical.append(c)
            var union: [String] = [], position: [String: Int32] = [:]
            for table in ordered {
                guard case .categorical(_, let own) = table.columns[c].values else { continue }
                for level in own where position[level] == nil {
                    position[level] = Int32(union.count)
                    union.append(level)
                }
            }
            levels[c] = union
            for t in ordered.indices {
                guard case .categorical(let codes, let own) = ordered[t].columns[c].values else { continue }
                let map = own.map { position[$0]! }
                let recoded = codes.map { $0 < 0 ? Int32(-1) : map[Int($0)] }
                ordered[t].columns[c].values = .categorical(codes: recoded, levels: union)
            }
        }
        numericColumns = numeric
        categoricalColumns = categorical
        self.levels = levels
        tables = ordered
    }
}

extension Table {
    /// Numeric values of column `index` (NaN = missing); the column must be numeric.
    func numericValues(_ index: Int) -> [Double] { columns[index].numbers! }

    /// Codes of categorical column `index` (-1 = missing); the column must be categorical.
    func categoricalCodes(_ index: Int) -> [Int32] {
        guard case .categorical(let codes, _) = columns[index].values else { preconditionFailure("column \(index) is numeric") }
        return codes
    }
}
