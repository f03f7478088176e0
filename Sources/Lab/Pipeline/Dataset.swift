// Loads a run's table as its config says (delimiter, missing tokens, typing, dropped columns) and
// splits it with the run's seed: shuffled or stratified train/test, then a validation slice
// carved from train. Nothing downstream ever fits on the test rows.

import Foundation
import TensorKit
import TabularData

/// A loaded table and its seeded split.
struct PreparedData {
    let table: Table
    let inferences: [ColumnInference]
    let split: DataSplit
    /// Identifier-like text columns left out of the run (see `identifierColumns`).
    var droppedIdentifiers: [String] = []

    /// The full train split (fit rows then validation rows), and the validation rows' indices in it.
    var train: Table { table.selecting(rows: split.train + split.validation) }
    var validationIndices: [Int] { Array(split.train.count..<(split.train.count + split.validation.count)) }
    var test: Table { table.selecting(rows: split.test) }

    /// The report's sentences about left-out identifier columns.
    var identifierNotes: [String] {
        droppedIdentifiers.map { "Column \"\($0)\" was left out: every value is distinct (an identifier or name), which a synthesizer could only copy or invent. Keep it by typing it in data.columns." }
    }
}

extension PreparedData {
    /// Writes the split as a run sees it, for other tools to fit on and to score with `tabcorr
    /// evaluate`: `train.csv` (the whole train split, fit rows then validation rows, in a run's
    /// order), `fit.csv` and `validation.csv` (only when a validation slice is carved), `test.csv`
    /// and `split.json` (the row indices into the data file, as in a run's folder).
    /// - Returns: the file names written.
    func writeCSVs(into directory: String) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw LabError("\(directory): cannot create the folder (\(plainReason(error))); choose a writable --out folder")
        }
        var files: [(String, Table)] = [("train.csv", train)]
        if !split.validation.isEmpty {
            files += [("fit.csv", table.selecting(rows: split.train)), ("validation.csv", table.selecting(rows: split.validation))]
        }
        files.append(("test.csv", test))
        for (name, part) in files {
            try AtomicFile.write(try CSVWriter.data(part), to: (directory as NSString).appendingPathComponent(name))
        }
        try AtomicFile.write(try encodeJSON(split), to: (directory as NSString).appendingPathComponent("split.json"))
        return files.map(\.0) + ["split.json"]
    }
}

extension ExperimentConfig {
    /// CSV reading and typing options from the `data` section.
    var readOptions: CSVReadOptions {
        var schema = SchemaOptions()
        schema.integerCategoricalMaxLevels = data.categoricalIntegerThreshold
        schema.maxLevels = data.maxCategories
        schema.readingLevelLimit = max(schema.readingLevelLimit, data.maxCategories)
        for (name, spec) in data.columns {
            schema.overrides[name] = spec.type
        }
        return CSVReadOptions(delimiter: data.delimiter, missingTokens: data.missingValues, schema: schema)
    }

    /// Reads `data.path` and drops `data.dropColumns` and identifier-like columns (their names in `identifiers`).
    func loadTable(identifiers: inout [String]) throws -> CSVReadResult {
        var result = try CSVReader.readWithInference(file: data.path, options: readOptions)
        for name in data.dropColumns {
            guard let index = result.table.index(of: name) else {
                throw LabError("data.dropColumns: no column named \"\(name)\" in \(data.path); columns are \(result.table.columnNames.joined(separator: ", "))")
            }
            result.table.columns.remove(at: index)
            result.inferences.removeAll { $0.name == name }
        }
        identifiers = identifierColumns(result)
        for name in identifiers {
            result.table.columns.removeAll { $0.name == name }
            result.inferences.removeAll { $0.name == name }
        }
        guard result.table.columnCount > 0 else { throw LabError("\(data.path): no columns left after data.dropColumns") }
        try checkNumericMagnitudes(result.table, source: data.path)
        return result
    }

    /// The table split for `seed`: permutation from the seed's "split" stream.
    func prepareData(seed: Int) throws -> PreparedData {
        var identifiers: [String] = []
        let loaded = try loadTable(identifiers: &identifiers)
        // Columns the config names, checked before any training (a wrong target used to fail after it).
        for (key, name) in [("data.target", data.target), ("evaluation.target", evaluation.target), ("generator.conditionColumn", generator.conditionColumn)] {
            guard let name, loaded.table[name] == nil else { continue }
            throw LabError("\(sourcePath): \(key): \"\(abbreviated(name))\" is not a column of the data; pick one of \(loaded.table.columnNames.joined(separator: ", "))")
        }
        let n = loaded.table.rowCount
        guard n >= 4 else { throw LabError("\(data.path): \(n) data rows is too few to split into train and test; TabCorr needs at least 4") }
        var splitStream = RandomStream(seed: UInt64(seed)).child("split")
        let permutation = splitStream.permutation(n)
        var split: DataSplit
        if let name = data.stratifyBy {
            guard let column = loaded.table[name] else {
                throw LabError("data.stratifyBy: no column named \"\(name)\"; columns are \(loaded.table.columnNames.joined(separator: ", "))")
            }
            split = try DataSplit.stratified(permutation: permutation, by: column, testFraction: data.testFraction)
        } else {
            split = try DataSplit.shuffled(permutation: permutation, testFraction: data.testFraction)
        }
        if data.validationFraction > 0 && isTrainedGenerator {
            split = try split.carvingValidation(fraction: data.validationFraction)
        }
        return PreparedData(table: loaded.table, inferences: loaded.inferences, split: split, droppedIdentifiers: identifiers)
    }

    /// Text columns whose every value is distinct (names, IDs) in a table of at least 10 rows, unless
    /// `data.columns` types them: a generator can only copy such values (a privacy leak) or invent
    /// meaningless ones, so a run leaves them out and its report says so.
    func identifierColumns(_ read: CSVReadResult) -> [String] {
        read.table.columns.compactMap { column -> String? in
            guard column.type == .categorical, let inference = read.inferences.first(where: { $0.name == column.name }),
                  !inference.overridden, data.columns[column.name] == nil,
                  !data.dropColumns.contains(column.name) else { return nil }
            let present = column.values.count - column.missingCount
            return present >= 10 && inference.distinctValues == present ? column.name : nil
        }
    }

    /// The seed `validate`, `split` and `evaluate --config` use when none is given: the config's first.
    var firstSeed: Int { seeds.first ?? 0 }

    /// True for the GANs (baselines need no validation slice).
    var isTrainedGenerator: Bool {
        switch generator.type {
        case .attention, .mlp: true
        case .identity, .independent, .gaussianCopula: false
        }
    }
}

/// Refuses numeric columns with values so large that sums of squares over the rows (means,
/// variances, correlations, losses, metrics) overflow a Double: |x| must stay below √(max/n)/4.
func checkNumericMagnitudes(_ table: Table, source: String) throws {
    let limit = (Double.greatestFiniteMagnitude / Double(max(table.rowCount, 1))).squareRoot() / 4
    for column in table.columns {
        guard case .numeric(let values) = column.values else { continue }
        let largest = values.reduce(0.0) { $1.isNaN ? $0 : max($0, abs($1)) }
        guard largest > limit else { continue }
        throw LabError("\(source): column \"\(column.name)\" holds values up to ±\(String(format: "%.3g", largest)), beyond ±\(String(format: "%.3g", limit)) where "
            + "sums of squares over \(table.rowCount) rows overflow double precision; rescale the column (divide it by a power of ten) or drop it (data.dropColumns in a config)")
    }
}
