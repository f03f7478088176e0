// Options of the encoding pipeline and the span record that tells the generator which output head
// (activation) each part of an encoded row needs. All Codable with documented defaults, so they
// can sit in a run config and in a checkpoint.

/// The activation the generator must end a span with.
public enum SpanActivation: String, Codable, Sendable { case identity, tanh, softmax }

/// What a span encodes.
public enum SpanRole: String, Codable, Sendable {
    /// A numeric column's scalar (width 1).
    case value
    /// The mode one-hot of a mode-specific numeric column (width = modes).
    case mode
    /// A categorical column's one-hot (width = train levels, plus 1 if it has a missing slot).
    case category
    /// 1 when the numeric cell is missing, else 0 (width 1; decode reads > 0.5 as missing).
    case missingIndicator
}

/// One contiguous block of the encoded row: columns start..<start+width belong to table column
/// `column` (index in the fitted table) and need `activation`.
public struct EncodedSpan: Codable, Sendable, Equatable {
    public var column: Int
    public var name: String
    public var start: Int
    public var width: Int
    public var activation: SpanActivation
    public var role: SpanRole

    public init(column: Int, name: String, start: Int, width: Int, activation: SpanActivation, role: SpanRole) {
        self.column = column
        self.name = name
        self.start = start
        self.width = width
        self.activation = activation
        self.role = role
    }
}

/// What encoding does with a categorical level that never occurs in the train split.
public enum UnseenLevelPolicy: String, Codable, Sendable {
    /// Encode the cell as missing: the missing slot if the column has one, else an all-zero one-hot.
    case missing
    /// Encode it as the train split's most frequent level.
    case mostFrequent
    /// Throw `DataError.unseenLevel`.
    case error
}

/// How `TransformPipeline.fit` encodes columns. Decoding any key that is absent gives its default.
public struct TransformOptions: Codable, Sendable, Equatable {
    /// Transform of every numeric (real, integer, datetime) column. Default `.standard`.
    public var numeric: NumericTransformKind = .standard
    /// Per-column transform overriding `numeric`, by column name.
    public var numericOverrides: [String: NumericTransformKind] = [:]
    /// Most modes a mode-specific column may get (BIC picks up to this many). Default 10.
    public var maxModes: Int = 10
    /// Modes with a fitted weight below this are pruned. Default 0.005.
    public var modeWeightThreshold: Double = 0.005
    /// EM iterations per candidate mode count. Default 100.
    public var mixtureIterations: Int = 100
    /// EM runs on at most this many evenly spaced order statistics of the train column. Default 5,000.
    public var mixtureSampleLimit: Int = 5_000
    /// Knots of the quantile-to-normal map. Default 1,000.
    public var quantileCount: Int = 1_000
    /// Under `quantileNormal`, a column with at most this many distinct train values (integer-typed,
    /// or with at most one distinct value per two rows) gets the discrete (step) quantile map. Default 32.
    public var discreteLevels: Int = 32
    /// Add a missing indicator span to numeric columns, and a missing slot to categorical
    /// columns, that have missing cells in train. When false, missing numeric cells encode as the
    /// train mean and missing categorical cells as an all-zero one-hot. Default true.
    public var missingIndicators: Bool = true
    /// Levels unseen in train. Default `.missing`.
    public var unseenLevels: UnseenLevelPolicy = .missing

    public init() {}

    public init(numeric: NumericTransformKind, maxModes: Int = 10, missingIndicators: Bool = true) {
        self.numeric = numeric
        self.maxModes = maxModes
        self.missingIndicators = missingIndicators
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TransformOptions()
        numeric = try c.decodeIfPresent(NumericTransformKind.self, forKey: .numeric) ?? d.numeric
        numericOverrides = try c.decodeIfPresent([String: NumericTransformKind].self, forKey: .numericOverrides) ?? d.numericOverrides
        maxModes = try c.decodeIfPresent(Int.self, forKey: .maxModes) ?? d.maxModes
        modeWeightThreshold = try c.decodeIfPresent(Double.self, forKey: .modeWeightThreshold) ?? d.modeWeightThreshold
        mixtureIterations = try c.decodeIfPresent(Int.self, forKey: .mixtureIterations) ?? d.mixtureIterations
        mixtureSampleLimit = try c.decodeIfPresent(Int.self, forKey: .mixtureSampleLimit) ?? d.mixtureSampleLimit
        quantileCount = try c.decodeIfPresent(Int.self, forKey: .quantileCount) ?? d.quantileCount
        discreteLevels = try c.decodeIfPresent(Int.self, forKey: .discreteLevels) ?? d.discreteLevels
        missingIndicators = try c.decodeIfPresent(Bool.self, forKey: .missingIndicators) ?? d.missingIndicators
        unseenLevels = try c.decodeIfPresent(UnseenLevelPolicy.self, forKey: .unseenLevels) ?? d.unseenLevels
    }

    /// Throws `invalidOption` for values that cannot work.
    public func validate() throws {
        if maxModes < 1 { throw DataError.invalidOption(name: "maxModes", reason: "must be ≥ 1, got \(maxModes)") }
        if !(0..<1).contains(modeWeightThreshold) { throw DataError.invalidOption(name: "modeWeightThreshold", reason: "must be in [0, 1), got \(modeWeightThreshold)") }
        if mixtureIterations < 1 { throw DataError.invalidOption(name: "mixtureIterations", reason: "must be ≥ 1, got \(mixtureIterations)") }
        if mixtureSampleLimit < 2 { throw DataError.invalidOption(name: "mixtureSampleLimit", reason: "must be ≥ 2, got \(mixtureSampleLimit)") }
        if quantileCount < 2 { throw DataError.invalidOption(name: "quantileCount", reason: "must be ≥ 2, got \(quantileCount)") }
    }
}
