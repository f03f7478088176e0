// Reads an RFC 4180 CSV file into a typed `Table` in two passes over the (memory-mapped) bytes:
// pass 1 checks the structure and learns what each column's fields look like, pass 2 stores each
// column once in its final form (Double for numbers, Int32 codes for text). No per-row Strings
// are built for numeric columns, so memory stays near the size of the parsed columns.

import Foundation

/// A parsed table and how each of its columns was typed.
public struct CSVReadResult: Sendable {
    public var table: Table
    public var inferences: [ColumnInference]
}

/// What pass 1 learns about one column.
private struct ColumnScan {
    var missing = 0, present = 0
    var allNumeric = true, allInteger = true, allBoolean = true, allDatetime = true
    var layout: DateTimeLayout?
    var firstNonNumeric: (line: Int, text: String)?
    var firstNonDatetime: (line: Int, text: String)?
    /// Distinct integer values, kept only up to the categorical threshold + 1.
    var smallIntegers: Set<Double> = []
}

/// How pass 2 stores a column.
private enum ColumnPlan {
    case number(ColumnType)
    case datetime(DateTimeLayout)
    case text(ColumnType)
}

public enum CSVReader {
    /// Reads and types the CSV file at `path`.
    /// - Throws: `DataError` naming the file, line and field of the first problem.
    public static func read(file path: String, options: CSVReadOptions = CSVReadOptions()) throws -> Table {
        try readWithInference(file: path, options: options).table
    }

    /// Reads the CSV file at `path`, also returning how each column was typed and why.
    public static func readWithInference(file path: String, options: CSVReadOptions = CSVReadOptions()) throws -> CSVReadResult {
        let file = try MappedFile(path: path)
        return try parse(file.bytes, source: path, options: options) { file.release(upTo: $0) }
    }

    /// Parses CSV bytes; `source` names them in error messages.
    public static func parse(_ data: Data, source: String = "<data>", options: CSVReadOptions = CSVReadOptions()) throws -> CSVReadResult {
        try data.withUnsafeBytes { raw in
            try parse(raw.bindMemory(to: UInt8.self), source: source, options: options, release: nil)
        }
    }

    /// Parses `bytes`; `release(offset)` is told, every few MiB, that bytes below `offset` will not
    /// be needed again in the current pass.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, source: String, options: CSVReadOptions,
                      release: ((Int) -> Void)?) throws -> CSVReadResult {
        try options.schema.validate()
        let delimiter = try options.delimiterByte()
        var releaser = PageReleaser(release: release)
        try validateUTF8Text(bytes, file: source, releaser: &releaser)
        let tokens = options.missingTokens.map { Array($0.utf8) }

        // Header.
        var scanner = CSVScanner(bytes: bytes, delimiter: delimiter, file: source)
        var fields: [FieldSpan] = []
        var scratch: [UInt8] = []
        guard try scanner.next(fields: &fields, scratch: &scratch), !(fields.count == 1 && fields[0].start == fields[0].end) else {
            throw DataError.emptyFile(file: source)
        }
        let names: [String] = scratch.withUnsafeBufferPointer { s in
            fields.map { String(decoding: fieldBytes($0, bytes, s), as: UTF8.self) }
        }
        // A one-column header holding another common delimiter: a ";"- or tab-separated file read
        // with "," would otherwise train on one text column of whole rows.
        if names.count == 1, let likely = [";", "\t", "|", ","].first(where: { $0 != options.delimiter && names[0].contains($0) }) {
            throw DataError.likelyOtherDelimiter(file: source, header: names[0], delimiter: options.delimiter == "\t" ? "\\t" : options.delimiter,
                                                 likely: likely == "\t" ? "\\t" : likely)
        }
        var firstField: [String: Int] = [:]
        for (j, name) in names.enumerated() {
            if let i = firstField[name] { throw DataError.duplicateColumnName(file: source, name: name, firstField: i + 1, secondField: j + 1) }
            firstField[name] = j
        }
        for name in options.schema.overrides.keys.sorted() where firstField[name] == nil {
            throw DataError.unknownColumn(name: name, known: names)
        }
        let width = names.count
        let dataStart = (scanner.position, scanner.line)

        // Pass 1: structure and field shapes.
        let integerCap = options.schema.integerCategoricalMaxLevels
        var scans = [ColumnScan](repeating: ColumnScan(), count: width)
        var rowCount = 0
        releaser = PageReleaser(release: release)
        while try scanner.next(fields: &fields, scratch: &scratch) {
            releaser.reached(scanner.position)
            if width > 1 && fields.count == 1 && fields[0].start == fields[0].end { continue }  // blank line
            if fields.count != width {
                // The field where the row departs from the header: the first extra or first absent one.
                let field = min(fields.count, width) + 1
                throw DataError.raggedRow(CSVLocation(file: source, line: scanner.recordLine, column: field), expected: width, found: fields.count)
            }
            let line = scanner.recordLine
            scratch.withUnsafeBufferPointer { s in
                for j in 0..<width {
                    let field = fieldBytes(fields[j], bytes, s)
                    if isMissing(field, tokens) { scans[j].missing += 1; continue }
                    scans[j].present += 1
                    if scans[j].allNumeric {
                        switch numberSyntax(field) {
                        case .integer:
                            if scans[j].allInteger && scans[j].smallIntegers.count <= integerCap {
                                var unused: [CChar] = []
                                scans[j].smallIntegers.insert(parseNumber(field, syntax: .integer, scratch: &unused))
                            }
                        case .real: scans[j].allInteger = false
                        case .notNumber:
                            scans[j].allNumeric = false
                            scans[j].firstNonNumeric = (line, fieldExcerpt(field))
                        }
                    }
                    if scans[j].allBoolean && !isBooleanToken(field) { scans[j].allBoolean = false }
                    if scans[j].allDatetime {
                        if let parsed = DateTimeLayout.parse(field), scans[j].layout == nil || scans[j].layout == parsed.layout {
                            scans[j].layout = parsed.layout
                        } else {
                            scans[j].allDatetime = false
                            scans[j].firstNonDatetime = (line, fieldExcerpt(field))
                        }
                    }
                }
            }
            rowCount += 1
        }
        if rowCount == 0 { throw DataError.headerOnly(file: source) }

        var plans: [ColumnPlan] = []
        var reasons: [String] = []
        for j in 0..<width {
            let (plan, reason) = try decidePlan(name: names[j], field: j + 1, scan: scans[j], schema: options.schema, source: source)
            plans.append(plan)
            reasons.append(reason)
        }

        // Pass 2: store each column in its final form.
        scanner = CSVScanner(bytes: bytes, delimiter: delimiter, file: source)
        _ = try scanner.next(fields: &fields, scratch: &scratch)
        precondition(scanner.position == dataStart.0 && scanner.line == dataStart.1)
        var numbers = plans.map { plan -> [Double] in
            if case .text = plan { return [] }
            var v: [Double] = []
            v.reserveCapacity(rowCount)
            return v
        }
        var texts = plans.map { plan -> TextColumnBuilder? in
            if case .text = plan { return TextColumnBuilder(capacity: rowCount, limit: options.schema.readingLevelLimit, otherLevel: options.schema.otherLevel) }
            return nil
        }
        var numberScratch = [CChar](repeating: 0, count: 64)
        var overflow: (field: Int, text: String)? = nil
        releaser = PageReleaser(release: release)
        while try scanner.next(fields: &fields, scratch: &scratch) {
            releaser.reached(scanner.position)
            if width > 1 && fields.count == 1 && fields[0].start == fields[0].end { continue }
            scratch.withUnsafeBufferPointer { s in
                for j in 0..<width {
                    let field = fieldBytes(fields[j], bytes, s)
                    let missing = isMissing(field, tokens)
                    switch plans[j] {
                    case .number:
                        let value = missing ? .nan : parseNumber(field, syntax: numberSyntax(field), scratch: &numberScratch)
                        // Number syntax never spells inf or NaN, so a non-finite value is an overflow (e.g. 1e400).
                        if !missing && !value.isFinite && overflow == nil { overflow = (j, fieldExcerpt(field)) }
                        numbers[j].append(value)
                    case .datetime:
                        numbers[j].append(missing ? .nan : DateTimeLayout.parse(field)!.seconds)
                    case .text:
                        if missing { texts[j]!.appendMissing() } else { texts[j]!.append(field) }
                    }
                }
            }
            if let bad = overflow {
                throw DataError.numberOutOfRange(CSVLocation(file: source, line: scanner.recordLine, column: bad.field + 1),
                                                 columnName: names[bad.field], value: bad.text)
            }
        }

        var columns: [Column] = []
        var inferences: [ColumnInference] = []
        for j in 0..<width {
            let overridden = options.schema.overrides[names[j]] != nil
            switch plans[j] {
            case .number(let type):
                let distinct = type == .integer ? distinctCount(numbers[j]) : scans[j].present
                columns.append(Column(name: names[j], type: type, values: .numeric(numbers[j])))
                let reason = type == .integer && !overridden ? integerReason(distinct: distinct, values: numbers[j], cap: integerCap) : reasons[j]
                inferences.append(ColumnInference(name: names[j], type: type, reason: reason, overridden: overridden, distinctValues: distinct))
            case .datetime(let layout):
                let type = ColumnType.datetime(format: layout.pattern)
                columns.append(Column(name: names[j], type: type, values: .numeric(numbers[j])))
                inferences.append(ColumnInference(name: names[j], type: type, reason: reasons[j], overridden: overridden, distinctValues: distinctCount(numbers[j])))
            case .text(var type):
                let built = texts[j]!.finish(maxLevels: options.schema.maxLevels)
                var reason = reasons[j]
                if type == .boolean && built.levels.count > 2 {
                    if overridden {
                        throw DataError.invalidOption(name: "overrides.\(names[j])", reason: "boolean needs at most 2 distinct values, but \(source) has \(built.levels.count) in this column; override it as categorical instead")
                    }
                    type = .categorical
                    reason = "true/false-like values in \(built.levels.count) different spellings, so categorical"
                }
                columns.append(Column(name: names[j], type: type, values: .categorical(codes: built.codes, levels: built.levels)))
                if built.groupedLevels > 0 || built.overflowCells > 0 {
                    reason += "; \(built.distinctSeen)\(built.overflowCells > 0 ? "+" : "") distinct values exceed maxLevels (\(options.schema.maxLevels)), so \(built.groupedLevels)\(built.overflowCells > 0 ? "+" : "") rare levels (\(built.groupedCells) cells) were grouped into \"\(options.schema.otherLevel)\""
                }
                inferences.append(ColumnInference(name: names[j], type: type, reason: reason, overridden: overridden, distinctValues: built.distinctSeen,
                                                  groupedLevels: built.groupedLevels, groupedCells: built.groupedCells))
            }
        }
        return CSVReadResult(table: Table(columns: columns), inferences: inferences)
    }

    private static func decidePlan(name: String, field: Int, scan: ColumnScan, schema: SchemaOptions, source: String) throws -> (ColumnPlan, String) {
        if let kind = schema.overrides[name] {
            let reason = "overridden as \(kind.rawValue) in schema.overrides"
            switch kind {
            case .real, .integer:
                if let bad = scan.firstNonNumeric {
                    throw DataError.notNumeric(CSVLocation(file: source, line: bad.line, column: field), columnName: name, value: bad.text, requested: kind.rawValue)
                }
                return (.number(kind == .real ? .real : .integer), reason)
            case .categorical: return (.text(.categorical), reason)
            case .boolean: return (.text(.boolean), reason)
            case .datetime:
                if let bad = scan.firstNonDatetime {
                    throw DataError.notNumeric(CSVLocation(file: source, line: bad.line, column: field), columnName: name, value: bad.text,
                                               requested: "datetime (ISO 8601, one layout per column)")
                }
                guard let layout = scan.layout else { throw DataError.allMissing(file: source, columnName: name) }
                return (.datetime(layout), reason)
            }
        }
        if scan.present == 0 { throw DataError.allMissing(file: source, columnName: name) }
        if scan.allNumeric {
            if scan.allInteger {
                if scan.smallIntegers.count <= schema.integerCategoricalMaxLevels {
                    return (.text(.categorical), "integers with \(scan.smallIntegers.count) distinct values, at most integerCategoricalMaxLevels (\(schema.integerCategoricalMaxLevels)), so categorical")
                }
                return (.number(.integer), "integers")
            }
            return (.number(.real), "numbers with a decimal point or exponent, so real")
        }
        if schema.detectBooleans && scan.allBoolean {
            return (.text(.boolean), "only true/false or yes/no values, so boolean")
        }
        if schema.detectDatetimes && scan.allDatetime, let layout = scan.layout {
            return (.datetime(layout), "every value is ISO 8601 in layout \(layout.pattern), so datetime (seconds since 1970, written back in that layout)")
        }
        let example = scan.firstNonNumeric.map { " (e.g. \"\($0.text)\" on line \($0.line))" } ?? ""
        return (.text(.categorical), "text\(example), so categorical")
    }

    /// Why an integer column stayed numeric. Few distinct values get the full explanation.
    private static func integerReason(distinct: Int, values: [Double], cap: Int) -> String {
        let present = values.filter { !$0.isNaN }
        let range = "\(formatNumber(present.min() ?? 0, asInteger: true))…\(formatNumber(present.max() ?? 0, asInteger: true))"
        let head = "integers with \(distinct) distinct values (\(range))"
        guard distinct <= 20 else { return head + ", so integer (numeric, rounded on decode)" }
        let rule = cap == 0 ? "the integer-category threshold is 0 (off)" : "\(distinct) > the integer-category threshold (\(cap))"
        return head + ": kept numeric (integer, rounded on decode) because \(rule), as integer codes usually carry order; "
            + "to model them as categories set the threshold ≥ \(distinct) (config key data.categoricalIntegerThreshold, "
            + "SchemaOptions.integerCategoricalMaxLevels) or override the column as categorical (data.columns)"
    }
}

/// A field for a message: its first 60 characters, with "…" when it is longer (a field can be
/// megabytes long; messages stay one readable line).
func fieldExcerpt(_ field: UnsafeBufferPointer<UInt8>) -> String {
    let text = String(decoding: field.prefix(240), as: UTF8.self)
    return text.count > 60 || field.count > 240 ? String(text.prefix(60)) + "…" : text
}

/// Number of distinct non-NaN values.
func distinctCount(_ values: [Double]) -> Int {
    let sorted = values.filter { !$0.isNaN }.sorted()
    guard var last = sorted.first else { return 0 }
    var count = 1
    for v in sorted.dropFirst() where v != last { count += 1; last = v }
    return count
}

@inline(__always)
func fieldBytes(_ span: FieldSpan, _ bytes: UnsafeBufferPointer<UInt8>, _ scratch: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(rebasing: (span.inScratch ? scratch : bytes)[span.start..<span.end])
}

@inline(__always)
func isMissing(_ field: UnsafeBufferPointer<UInt8>, _ tokens: [[UInt8]]) -> Bool {
    for token in tokens where token.count == field.count {
        if token.isEmpty { return true }
        if token.withUnsafeBufferPointer({ memcmp($0.baseAddress!, field.baseAddress!, field.count) == 0 }) { return true }
    }
    return false
}
