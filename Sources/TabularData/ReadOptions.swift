// The knobs of reading and typing a CSV file, with documented defaults. All `Codable`, so a run
// config can carry them; decoding fills every missing key with its default. Also the record of
// how each column was typed and why (`ColumnInference`), which `inspect` reports.

/// A column type a config can force on a column (`"year": "categorical"`). A datetime override
/// infers the ISO 8601 layout from the values.
public enum ColumnKind: String, Codable, Sendable, CaseIterable {
    case real, integer, categorical, boolean, datetime
}

/// How columns are typed after parsing.
public struct SchemaOptions: Codable, Sendable, Equatable {
    /// An integer column with at most this many distinct values is typed categorical.
    /// Default 0: integer columns stay numeric (integer), because integer codes usually carry
    /// order (years, counts, ratings, 0/1 flags) that correlation metrics and the generator's
    /// numeric heads use, and decoding rounds and clips them so they stay valid integers.
    /// Set e.g. 5 to model small integer codes as categories, or override single columns.
    public var integerCategoricalMaxLevels: Int = 0
    /// Type columns whose values are all `true`/`false` or `yes`/`no` (any case) as boolean.
    public var detectBooleans: Bool = true
    /// Type columns whose values are all ISO 8601 dates/date-times (one layout) as datetime.
    public var detectDatetimes: Bool = true
    /// Categorical columns keep at most this many levels: the `maxLevels − 1` most frequent
    /// levels stay, the rest are grouped into `otherLevel` (reported by `inspect`). Default 200.
    public var maxLevels: Int = 200
    /// The level that grouped rare levels become. Default `(other)`.
    public var otherLevel: String = "(other)"
    /// While reading, at most this many distinct texts per column are held; later new texts go
    /// straight to `otherLevel`, so a column of unique strings cannot exhaust memory. Default 100,000.
    public var readingLevelLimit: Int = 100_000
    /// Forced types by column name; a name that is not in the file is an error.
    public var overrides: [String: ColumnKind] = [:]

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SchemaOptions()
        integerCategoricalMaxLevels = try c.decodeIfPresent(Int.self, forKey: .integerCategoricalMaxLevels) ?? d.integerCategoricalMaxLevels
        detectBooleans = try c.decodeIfPresent(Bool.self, forKey: .detectBooleans) ?? d.detectBooleans
        detectDatetimes = try c.decodeIfPresent(Bool.self, forKey: .detectDatetimes) ?? d.detectDatetimes
        maxLevels = try c.decodeIfPresent(Int.self, forKey: .maxLevels) ?? d.maxLevels
        otherLevel = try c.decodeIfPresent(String.self, forKey: .otherLevel) ?? d.otherLevel
        readingLevelLimit = try c.decodeIfPresent(Int.self, forKey: .readingLevelLimit) ?? d.readingLevelLimit
        overrides = try c.decodeIfPresent([String: ColumnKind].self, forKey: .overrides) ?? d.overrides
    }

    /// Throws `invalidOption` for values that cannot work.
    public func validate() throws {
        if integerCategoricalMaxLevels < 0 { throw DataError.invalidOption(name: "integerCategoricalMaxLevels", reason: "must be ≥ 0, got \(integerCategoricalMaxLevels)") }
        if maxLevels < 2 { throw DataError.invalidOption(name: "maxLevels", reason: "must be ≥ 2, got \(maxLevels)") }
        if readingLevelLimit < maxLevels { throw DataError.invalidOption(name: "readingLevelLimit", reason: "must be ≥ maxLevels (\(maxLevels)), got \(readingLevelLimit)") }
    }
}

/// How a CSV file is parsed, plus how its columns are typed.
public struct CSVReadOptions: Codable, Sendable, Equatable {
    /// Field separator: one ASCII character other than a quote, CR or LF. Default `,`.
    public var delimiter: String = ","
    /// Field texts read as missing (compared exactly, quoted or not). Default `"", "NA", "NaN", "null"`.
    public var missingTokens: [String] = ["", "NA", "NaN", "null"]
    /// Column typing.
    public var schema: SchemaOptions = SchemaOptions()

    public init() {}

    public init(delimiter: String = ",", missingTokens: [String] = ["", "NA", "NaN", "null"], schema: SchemaOptions = SchemaOptions()) {
        self.delimiter = delimiter
        self.missingTokens = missingTokens
        self.schema = schema
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = CSVReadOptions()
        delimiter = try c.decodeIfPresent(String.self, forKey: .delimiter) ?? d.delimiter
        missingTokens = try c.decodeIfPresent([String].self, forKey: .missingTokens) ?? d.missingTokens
        schema = try c.decodeIfPresent(SchemaOptions.self, forKey: .schema) ?? d.schema
    }

    /// The delimiter as one byte, or `invalidOption`.
    func delimiterByte() throws -> UInt8 {
        let utf8 = Array(delimiter.utf8)
        guard utf8.count == 1, utf8[0] < 0x80, utf8[0] != UInt8(ascii: "\""), utf8[0] != 10, utf8[0] != 13 else {
            throw DataError.invalidOption(name: "delimiter", reason: "must be one ASCII character other than a double quote, CR or LF, got \"\(delimiter.count > 40 ? delimiter.prefix(37) + "... (\(delimiter.count) characters)" : delimiter)\"")
        }
        return utf8[0]
    }
}

/// How one column was typed, and why: what `inspect` prints next to each column.
public struct ColumnInference: Codable, Sendable, Equatable {
    public var name: String
    public var type: ColumnType
    /// One sentence, e.g. "integers with 3 distinct values; kept numeric because …".
    public var reason: String
    /// True when the type came from `SchemaOptions.overrides`.
    public var overridden: Bool
    /// Distinct non-missing texts seen while reading (capped at `readingLevelLimit`).
    public var distinctValues: Int
    /// Levels merged into `otherLevel` because of `maxLevels` or `readingLevelLimit` (0 if none).
    public var groupedLevels: Int
    /// Cells that became `otherLevel` through grouping.
    public var groupedCells: Int

    public init(name: String, type: ColumnType, reason: String, overridden: Bool, distinctValues: Int, groupedLevels: Int = 0, groupedCells: Int = 0) {
        self.name = name
        self.type = type
        self.reason = reason
        self.overridden = overridden
        self.distinctValues = distinctValues
        self.groupedLevels = groupedLevels
        self.groupedCells = groupedCells
    }
}
