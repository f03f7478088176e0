// What each `tabcorr` command does, given its parsed arguments. `TabCorrCLI.main` parses,
// dispatches, and turns every error into one clear line on stderr with exit code 1 (64 for
// command-line mistakes). Long work reports progress on stderr; results go to stdout or files.

import Foundation
import TensorKit
import TabularData
import Synthesis
import Evaluation

public enum TabCorrCLI {
    /// Runs the tool with `arguments` (without the program name); returns the exit code.
    public static func main(_ arguments: [String]) -> Int32 {
        if arguments == ["--version"] {
            print("tabcorr \(TabCorrVersion.current)")
            return 0
        }
        let parsed: ParseResult
        do {
            parsed = try TabCorrCommands.parser.parse(arguments)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            return error.exitCode
        }
        switch parsed {
        case .help(let text):
            print(text, terminator: "")
            return 0
        case .run(let command):
            do {
                if let threads = command.command.arguments.contains(where: { $0.name == "threads" }) ? command.integer("threads") : nil {
                    Parallel.threadCount = threads
                }
                try dispatch(command)
                return 0
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                return 1
            }
        }
    }

    static func dispatch(_ command: ParsedCommand) throws {
        switch command.path.dropFirst().joined(separator: " ") {
        case "run": try run(command)
        case "validate": try validate(command)
        case "split": try splitCommand(command)
        case "inspect": try inspectCommand(command)
        case "evaluate": try evaluateCommand(command)
        case "generate": try generate(command)
        case "compare": try compareCommand(command)
        case "reproduce": try reproduceCommand(command)
        case "sweep": try sweepCommand(command)
        case "bench kernels": benchKernels(command)
        case "bench train": try benchTrain(command)
        default: throw LabError("\(command.path.joined(separator: " ")): not a command; see `tabcorr --help`")
        }
    }

    static func run(_ command: ParsedCommand) throws {
        let config = try loadConfigOrCSV(command.string("config")!)
        let outcomes = try Runner.run(config, options: RunOptions(
            seeds: command.integers("seeds"), outDirectory: command.string("out") ?? "Results",
            force: command.flag("force"), quiet: command.flag("quiet")))
        for o in outcomes { print("seed \(o.seed): \(o.status.rawValue) — \(o.directory)\(o.message.map { " (\($0))" } ?? "")") }
        if outcomes.contains(where: { $0.status == .failed }) {
            throw LabError("some seeds failed; their metainfo.json says why, and they are excluded from summary.json")
        }
    }

    /// A config file, or a CSV/TSV file to run TabCorr's default model on (what a user of other
    /// tools types first). A file that is not a config gets the smallest config as a hint.
    static func loadConfigOrCSV(_ path: String) throws -> ExperimentConfig {
        let ext = (path as NSString).pathExtension.lowercased()
        if ext == "csv" || ext == "tsv" {
            let name = (path as NSString).lastPathComponent
            let data: JSONValue = .object([("path", .string(name))] + (ext == "tsv" ? [("delimiter", .string("\t"))] : []))
            let json = JSONValue.object([("data", data)]).serialized(indent: nil)
            FileHandle.standardError.write(Data("\(path): a data file, so TabCorr's default model is used on it; to change a setting, write a config: \(json)\n".utf8))
            // As if the config sat beside the data file: data.path resolves there, the name is the file's stem.
            return try ConfigLoader.parse(json: json, sourcePath: (path as NSString).deletingPathExtension + ".json")
        }
        let result = Result { () throws(ConfigError) in try ConfigLoader.load(path: path) }
        guard case .failure(var error) = result else { return try result.get() }
        // Top-level problems (not an object, unknown top-level keys): probably not a config at all.
        let topLevel = error.path.isEmpty ? error.kind != .unreadableFile : !error.path.contains(".") && error.kind == .unknownKey
        if topLevel {
            error.message += "; a TabCorr config is a JSON object, the smallest is {\"data\": {\"path\": \"your.csv\"}} (or run a CSV directly: tabcorr run your.csv)"
        }
        throw error
    }

    /// Checks the config and everything `run` checks before training: the data file, its columns,
    /// the split and the memory estimate.
    static func validate(_ command: ParsedCommand) throws {
        let config = try loadConfigOrCSV(command.string("config")!)
        let prepared = try preparedData(config, seed: config.firstSeed)
        do { try MemoryEstimate(config: config, train: prepared.train).check() } catch { throw config.inConfigTerms(error) }
        print(config.resolvedJSON())
    }

    /// The config's data, split for `seed` as a run splits it; errors in the config's terms.
    static func preparedData(_ config: ExperimentConfig, seed: Int) throws -> PreparedData {
        do { return try config.prepareData(seed: seed) } catch { throw config.inConfigTerms(error) }
    }

    /// Writes a run's train/validation/test splits as CSV (see `PreparedData.writeCSVs`).
    static func splitCommand(_ command: ParsedCommand) throws {
        let config = try loadConfigOrCSV(command.string("config")!)
        let seed = command.integer("seed") ?? config.firstSeed
        let prepared = try preparedData(config, seed: seed)
        let out = command.string("out")!
        let files = try prepared.writeCSVs(into: out)
        let split = prepared.split
        print("seed \(seed): \(split.train.count + split.validation.count) train rows (\(split.train.count) fit + \(split.validation.count) validation), "
              + "\(split.test.count) test rows — \(files.joined(separator: ", ")) in \(out)")
    }

    static func inspectCommand(_ command: ParsedCommand) throws {
        var options = CSVReadOptions()
        options.delimiter = command.string("delimiter") ?? ","
        let report = try inspect(file: command.string("data")!, options: options)
        print(command.flag("json") ? try report.renderJSON() : report.renderText())
    }

    static func evaluateCommand(_ command: ParsedCommand) throws {
        let (train, test, synthetic, options) = try evaluationInputs(command)
        for (table, option) in [(train, "train"), (test, "test"), (synthetic, "synthetic")] {
            try checkNumericMagnitudes(table, source: command.string(option)!)
            // A column with no values would silently leave pairs and marginals out of the averages.
            if let empty = table.columns.first(where: { $0.values.count > 0 && $0.missingCount == $0.values.count }) {
                throw LabError("\(command.string(option)!): column \"\(empty.name)\" has no values (every cell is missing), so it cannot be compared; "
                    + "fill it, or drop it from all three files")
            }
        }
        let report: EvaluationReport
        do {
            report = try evaluate(train: train, test: test, synthetic: synthetic, options: options)
        } catch EvaluationError.unknownTargetColumn(let name, let available) {
            throw LabError("--target \(abbreviated(name)): not a column of the tables; pick one of \(available.joined(separator: ", "))")
        } catch EvaluationError.invalidOption(let key, _) where key == "detectionFolds" {
            // The library's advice names an option of `run` configs (evaluation.detectionFolds), not of `evaluate`.
            let folds = options.detectionFolds
            throw LabError("\(command.string("test")!), \(command.string("synthetic")!): the detection metric uses \(folds)-fold cross-validation, "
                + "so --test and --synthetic need at least \(folds) rows each; they have \(test.rowCount) and \(synthetic.rowCount)")
        }
        for (name, correlation) in [("Pearson", report.pearson), ("Spearman", report.spearman)] {
            guard let correlation, correlation.synthetic.excludedPairs > 0 else { continue }
            let total = correlation.synthetic.comparedPairs + correlation.synthetic.excludedPairs
            FileHandle.standardError.write(Data(("warning: \(name) compares \(correlation.synthetic.comparedPairs) of \(total) column pairs for the synthetic table "
                + "(\(correlation.synthetic.excludedPairs) left out: a column is constant in it), while the floor and the independent bound use theirs; "
                + "their averages are over different pairs\n").utf8))
        }
        let json = try encodeJSON(report)
        if let out = command.string("out") {
            try AtomicFile.write(json, to: out)
            // The JSON went to the file; stdout gets the text summary only when it was asked for.
            if command.flag("json") { return }
        }
        print(command.flag("json") ? json : report.renderText(), terminator: command.flag("json") ? "" : "\n")
    }

    /// The tables `evaluate` scores and its options. Without `--config`: test and synthetic typed as
    /// train is inferred, default options and `--target`. With `--config` (and `--seed`): every file
    /// typed as a run of the config types its data file, categorical levels in the data file's order
    /// (so the metrics' level order is the run's), and the run's evaluation options. The files are
    /// read as `split` and `run` write them: comma-separated, an empty cell is missing.
    static func evaluationInputs(_ command: ParsedCommand) throws -> (train: Table, test: Table, synthetic: Table, options: EvaluationOptions) {
        var readOptions = CSVReadOptions()
        var reference: Table?
        var evaluation = EvaluationOptions(targetColumn: command.string("target"))
        if let path = command.string("config") {
            if let target = command.string("target") {
                throw LabError("--target \(abbreviated(target)): with --config the efficacy target is the config's evaluation.target; drop --target")
            }
            let config = try loadConfigOrCSV(path)
            let seed = command.integer("seed") ?? config.firstSeed
            let data = try preparedData(config, seed: seed).table
            readOptions = config.readOptions
            readOptions.delimiter = ","
            if !readOptions.missingTokens.contains("") { readOptions.missingTokens.append("") }
            readOptions.schema.overrides = Dictionary(uniqueKeysWithValues: data.columns.map { ($0.name, ColumnKind($0.type)) })
            reference = data
            evaluation = config.evaluationOptions(seed: seed)
        } else if command.integer("seed") != nil {
            throw LabError("--seed chooses the run whose evaluation options to use, so it needs --config")
        }
        var inferredTrain: Table?
        if reference == nil {
            // Type test and synthetic exactly as train, so other tools' output is read consistently.
            let inferred = try CSVReader.readWithInference(file: command.string("train")!)
            for inference in inferred.inferences { readOptions.schema.overrides[inference.name] = ColumnKind(inference.type) }
            inferredTrain = inferred.table
        }
        let expected = reference == nil ? "--train has" : "the data of --config has"
        /// Reads a file typed by `readOptions`; a missing column names the file.
        func read(_ option: String) throws -> Table {
            let file = command.string(option)!
            let table: Table
            do {
                table = try CSVReader.read(file: file, options: readOptions)
            } catch DataError.unknownColumn(let name, let known) {
                throw LabError("\(file): no column \"\(name)\", which \(expected) (this file has \(known.joined(separator: ", "))); "
                    + "--\(option) needs the same columns as \(reference == nil ? "--train" : "the config's data")")
            }
            return reference.map { table.levelled(like: $0) } ?? table
        }
        return (try inferredTrain ?? read("train"), try read("test"), try read("synthetic"), evaluation)
    }

    static func generate(_ command: ParsedCommand) throws {
        var condition: (column: String, value: String)? = nil
        for text in command.strings("condition") {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw LabError("--condition \(text): write it as column=value") }
            if let earlier = condition {
                throw LabError("--condition given twice (\(earlier.column)=\(earlier.value), \(text)); a model is conditioned on one column: give one value")
            }
            condition = (parts[0], parts[1])
        }
        let file = try modelFile(command.string("model")!)
        let synthesizer: Synthesizer
        do { synthesizer = try Synthesizer.load(from: file) } catch let error as SynthesisError { throw LabError(error.description) }
        let rows = command.integer("rows")!
        try checkSampleFits(rows: rows, encodedWidth: synthesizer.pipeline?.encodedWidth ?? 0, columns: synthesizer.pipeline?.columns.count ?? 0, setting: "--rows")
        let table: Table
        do {
            table = try synthesizer.sample(rows: rows, seed: UInt64(command.integer("seed") ?? 0), condition: condition).shipped
        } catch let error as SynthesisError {
            throw LabError(error.description)
        } catch is TrainingFailure {
            throw LabError("\(file): this model outputs non-finite values, so its rows would be meaningless; it is likely the last state of a run that failed (see metainfo.json next to it). Retrain with a lower learning rate")
        }
        let csv = try CSVWriter.data(table)
        if let out = command.string("out") {
            try AtomicFile.write(csv, to: out)
            FileHandle.standardError.write(Data("wrote \(rows) rows to \(out)\n".utf8))
        } else {
            FileHandle.standardOutput.write(csv)
        }
    }

    /// The model file a `generate` argument names: a `.tcmodel` file, a seed folder, or an
    /// experiment folder with exactly one finished seed (several: the error lists them).
    static func modelFile(_ argument: String) throws -> String {
        if argument.hasSuffix(".tcmodel") { return argument }
        let direct = (argument as NSString).appendingPathComponent("model.tcmodel")
        if FileManager.default.fileExists(atPath: direct) { return direct }
        let seeds = ((try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? [])
            .filter { $0.hasPrefix("seed-") && FileManager.default.fileExists(atPath: (argument as NSString).appendingPathComponent("\($0)/model.tcmodel")) }
            .sorted()
        if seeds.count == 1 { return (argument as NSString).appendingPathComponent("\(seeds[0])/model.tcmodel") }
        if seeds.count > 1 {
            throw LabError("\(argument): an experiment folder with \(seeds.count) trained seeds (\(seeds.joined(separator: ", "))); name one, e.g. `tabcorr generate \((argument as NSString).appendingPathComponent(seeds[0])) --rows N`")
        }
        return direct
    }

    static func benchKernels(_ command: ParsedCommand) {
        let rows = KernelBenchmark.run(threadCounts: [1, 2])
        print(command.flag("json") ? KernelBenchmark.renderJSON(rows) : KernelBenchmark.renderTable(rows))
    }
}

extension Table {
    /// The table with each categorical column coded against `reference`'s column of that name:
    /// its levels first, in its order, then levels only this table has, in this table's order.
    func levelled(like reference: Table) -> Table {
        var result = self
        for (j, column) in columns.enumerated() {
            guard case .categorical(let codes, let own) = column.values,
                  case .categorical(_, let known)? = reference[column.name]?.values else { continue }
            let knownSet = Set(known)
            let levels = known + own.filter { !knownSet.contains($0) }
            let position = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, Int32($0)) })
            let map = own.map { position[$0]! }
            result.columns[j].values = .categorical(codes: codes.map { $0 < 0 ? -1 : map[Int($0)] }, levels: levels)
        }
        return result
    }
}

extension ColumnKind {
    /// The override that reproduces an inferred column type.
    init(_ type: ColumnType) {
        switch type {
        case .real: self = .real
        case .integer: self = .integer
        case .categorical: self = .categorical
        case .boolean: self = .boolean
        case .datetime: self = .datetime
        }
    }
}
