// The experiment config: top-level keys and the `data` and `transform` sections. Each struct lists
// its JSON keys once in `fields` (key, property, type and checks, doc); defaults are the property
// initial values. Loading (extends, files) is in ConfigLoader.swift; the model, training and
// evaluation sections are in ExperimentConfig+Sections.swift. Column types and numeric transforms
// decode TabularData's own enums.

import TabularData

/// One experiment: data, transforms, model, training, the correlation constraint, evaluation.
///
/// ```swift
/// let config = try ConfigLoader.load(path: "Configs/quickstart.json")
/// print(config.training.batchSize)      // 500 unless the file says otherwise
/// try config.resolvedJSON().write(...)  // every field, defaults included
/// ```
public struct ExperimentConfig: Sendable, Equatable {
    /// Results go to `<out>/<name>/`. Defaults to the config file's name without extension.
    public var name = "experiment"
    public var description = ""
    /// One run per seed; each seeds every random draw of that run.
    public var seeds = [0]
    public var data = DataConfig()
    public var transform = TransformConfig()
    public var generator = GeneratorConfig()
    public var discriminator = DiscriminatorConfig()
    public var training = TrainingConfig()
    public var correlation = CorrelationConfig()
    public var generation = GenerationConfig()
    public var evaluation = EvaluationConfig()
    public var report = ReportConfig()
    /// The config file this was loaded from (not a JSON key); `resolvedJSON` writes paths relative to it.
    public var sourcePath = "experiment.json"

    /// A config with every default and the given data file (a path relative to the current directory).
    public init(dataPath: String) {
        data.path = dataPath
    }

    init() {}
}

extension ExperimentConfig: ConfigSection {
    static var summary: String { "A TabCorr experiment: data, transforms, model, training, evaluation." }
    static var reservedKeys: [String] { ["extends"] }

    static var fields: [ConfigField<ExperimentConfig>] {
        [
            ConfigField("name", \.name, ExperimentConfig.nameCodec,
                        "Experiment name; results are written under `<out>/<name>/`. Never inherited through `extends`.",
                        defaultNote: "the config file's name without extension"),
            ConfigField("description", \.description, .string, "Free text describing the experiment."),
            ConfigField("seeds", \.seeds, .array(of: .integer(minimum: 0), minCount: 1, unique: true),
                        "One run per seed; the seed determines the split, initialisation and sampling."),
            ConfigField("data", \.data, .section(DataConfig.self), DataConfig.summary, required: true),
            ConfigField("transform", \.transform, .section(TransformConfig.self), TransformConfig.summary),
            ConfigField("generator", \.generator, .section(GeneratorConfig.self), GeneratorConfig.summary),
            ConfigField("discriminator", \.discriminator, .section(DiscriminatorConfig.self), DiscriminatorConfig.summary),
            ConfigField("training", \.training, .section(TrainingConfig.self), TrainingConfig.summary),
            ConfigField("correlation", \.correlation, .section(CorrelationConfig.self), CorrelationConfig.summary),
            ConfigField("generation", \.generation, .section(GenerationConfig.self), GenerationConfig.summary),
            ConfigField("evaluation", \.evaluation, .section(EvaluationConfig.self), EvaluationConfig.summary),
            ConfigField("report", \.report, .section(ReportConfig.self), ReportConfig.summary),
        ]
    }

    /// Names become directory names: non-empty, no `/` or `\`, not `.` or `..`.
    static var nameCodec: ValueCodec<String> {
        ValueCodec<String>.string.checked(
            "non-empty string without '/' or '\\', other than \".\" and \"..\"",
            schema: [("minLength", .integer(1)), ("pattern", .string("^[^/\\\\]+$")),
                     ("not", .object([("enum", .array([.string("."), .string("..")]))]))]
        ) { !$0.isEmpty && !$0.contains("/") && !$0.contains("\\") && $0 != "." && $0 != ".." }
    }

    mutating func finish(_ context: SectionContext) throws(ConfigError) {
        if evaluation.target == nil { evaluation.target = data.target }
        if training.batchSize % discriminator.pac != 0 {
            throw context.invalid("discriminator.pac", "discriminator.pac (\(discriminator.pac)) must divide training.batchSize "
                                  + "(\(training.batchSize)): PacGAN packs pac rows into one critic input")
        }
        if training.earlyStoppingPatience != nil, data.validationFraction == 0 {
            throw context.invalid("training.earlyStoppingPatience", "early stopping needs a validation slice; set data.validationFraction > 0 or this to null")
        }
        if correlation.classConditional, generator.conditionColumn == nil {
            throw context.invalid("correlation.classConditional", "correlation.classConditional needs generator.conditionColumn; name the conditioning column there")
        }
        if let condition = generator.conditionColumn, data.dropColumns.contains(condition) {
            throw context.invalid("generator.conditionColumn", "generator.conditionColumn \"\(condition)\" is listed in data.dropColumns")
        }
    }
}

/// Where the table comes from, how its columns are typed, and how it is split.
public struct DataConfig: Sendable, Equatable {
    /// The CSV file, resolved against the directory of the config file that declared it.
    public var path = ""
    /// The field separator: one character.
    public var delimiter = ","
    /// Cell texts read as missing.
    public var missingValues = ["", "NA", "NaN", "null"]
    /// Type overrides by column name; other columns are inferred.
    public var columns: [String: ColumnSpec] = [:]
    /// Integer columns with at most this many distinct values are typed categorical (0: integers stay numeric).
    public var categoricalIntegerThreshold = 0
    /// Categorical columns keep at most this many levels; rarer levels are grouped into "(other)".
    public var maxCategories = 200
    /// The column predicted in the efficacy metric (and a natural stratification key).
    public var target: String? = nil
    /// Share of rows held out as the test split.
    public var testFraction = 0.2
    /// Column whose levels keep their shares in both splits.
    public var stratifyBy: String? = nil
    /// Share of the train split held out for validation (early stopping).
    public var validationFraction = 0.1
    /// Columns removed right after reading.
    public var dropColumns: [String] = []

    /// Defaults with the given CSV path (relative to the current directory).
    public init(path: String) { self.path = path }
    init() {}

    /// The type override of one column.
    public struct ColumnSpec: Sendable, Equatable {
        public var type = ColumnKind.real

        public init(type: ColumnKind) {
            self.type = type
        }
        init() {}
    }
}

extension DataConfig: ConfigSection {
    static var summary: String { "Input table: file, parsing, column types and the train/test split." }

    static var fields: [ConfigField<DataConfig>] {
        let columnName = DataConfig.columnName
        return [
            ConfigField("path", \.path, .path, "CSV file, relative to the config file that declares it.", required: true),
            ConfigField("delimiter", \.delimiter, ValueCodec<String>.string.checked(
                "single character other than '\"', CR and LF", schema: [("minLength", .integer(1)), ("maxLength", .integer(1))]
            ) { $0.unicodeScalars.count == 1 && !["\"", "\n", "\r"].contains($0) }, "Field separator of the CSV file."),
            ConfigField("missingValues", \.missingValues, .array(of: .string), "Cell texts read as missing values."),
            ConfigField("columns", \.columns, .dictionary(of: .section(ColumnSpec.self), keyName: "column"),
                        "Type overrides by column name; columns not listed are inferred."),
            ConfigField("categoricalIntegerThreshold", \.categoricalIntegerThreshold, .integer(minimum: 0),
                        "Integer columns with at most this many distinct values are typed categorical; 0 keeps integer columns numeric (they usually carry order: years, counts, 0/1 flags)."),
            ConfigField("maxCategories", \.maxCategories, .integer(minimum: 2),
                        "Categorical columns keep at most this many levels; the rarest are grouped into \"(other)\" (inspect reports it)."),
            ConfigField("target", \.target, .optional(columnName),
                        "Column predicted by the efficacy metric; null for none."),
            ConfigField("testFraction", \.testFraction, .number(.interval("(", 0, 1, ")")),
                        "Share of rows held out as the test split that every metric is computed on."),
            ConfigField("stratifyBy", \.stratifyBy, .optional(columnName),
                        "Categorical column whose level shares the split preserves; null for a plain random split."),
            ConfigField("validationFraction", \.validationFraction, .number(.interval("[", 0, 1, ")")),
                        "Share of the train split held out for validation and early stopping."),
            ConfigField("dropColumns", \.dropColumns, .array(of: columnName, unique: true), "Columns removed right after reading."),
        ]
    }

    /// A column name: any non-empty string.
    static var columnName: ValueCodec<String> {
        ValueCodec<String>.string.checked("non-empty string", schema: [("minLength", .integer(1))]) { !$0.isEmpty }
    }

    mutating func finish(_ context: SectionContext) throws(ConfigError) {
        for (key, column) in [("target", target), ("stratifyBy", stratifyBy)] {
            if let column, dropColumns.contains(column) {
                throw context.invalid(key, "\"\(column)\" is also listed in dropColumns; remove it from one of them")
            }
        }
    }
}

extension DataConfig.ColumnSpec: ConfigSection {
    static var summary: String {
        "Type override of one column. Datetime columns are read in ISO 8601 (`yyyy-MM-dd`, optionally `THH:mm:ss`, fractions and `Z`); convert other date layouts before."
    }

    static var fields: [ConfigField<DataConfig.ColumnSpec>] {
        [ConfigField("type", \.type, .enumeration(ColumnKind.self), "Type the column is read as.", required: true)]
    }
}

/// How columns are encoded for the networks.
public struct TransformConfig: Sendable, Equatable {
    /// Encoding of numeric columns.
    public var numeric = NumericTransformKind.quantileNormal
    /// Largest number of Gaussian modes per column with `modeSpecific`.
    public var maxModes = 10
    /// Add a 0/1 column flagging missing values for numeric columns that have any.
    public var missingIndicators = true

    public init() {}
}

extension TransformConfig: ConfigSection {
    static var summary: String { "How columns are encoded before training (and decoded after sampling)." }

    static var fields: [ConfigField<TransformConfig>] {
        [
            ConfigField("numeric", \.numeric, .enumeration(NumericTransformKind.self),
                        "Encoding of numeric columns: standardisation, min-max to [-1, 1], quantile to normal scores (columns with at most 32 distinct values by their CDF steps, dequantised in training), or mode-specific normalisation."),
            ConfigField("maxModes", \.maxModes, .integer(minimum: 1), "Largest number of Gaussian modes per column for `modeSpecific`."),
            ConfigField("missingIndicators", \.missingIndicators, .boolean,
                        "Add a 0/1 indicator column for each numeric column with missing values."),
        ]
    }
}
