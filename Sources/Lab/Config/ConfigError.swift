// The one error type of config loading: what went wrong, in which file, at which line and column,
// under which JSON path (`training.batchSize`, `model.discriminator.widths[2]`), and what to do.
// Also the nearest-name suggestion (edit distance) shared with the command-line parser.

/// A config that cannot be used, with enough context to fix it.
///
/// `description` reads like a compiler diagnostic:
/// `Configs/run.json:7:5: training.batchSize: expected an integer ≥ 1, found 0`.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The file is not valid JSON (RFC 8259).
        case malformedJSON
        /// A key that the section does not declare.
        case unknownKey
        /// A value of the wrong JSON type.
        case typeMismatch
        /// The right type but an unusable value: out of range, not one of the allowed strings, ...
        case invalidValue
        /// A required key is absent (only `data.path`).
        case missingKey
        /// `extends` leads back to a file already being loaded.
        case extendsCycle
        /// `extends` bases nest deeper than `ConfigLoader.maximumExtendsDepth`.
        case extendsTooDeep
        /// A config file (or a base it extends) cannot be read.
        case unreadableFile
    }

    public var kind: Kind
    /// The file, line and column the problem was found at (the line is 0 when no position is known).
    public var location: SourceLocation
    /// The JSON path of the offending value; empty for the document root or file-level problems.
    public var path: String
    /// What is wrong and, where possible, how to fix it.
    public var message: String

    public init(_ kind: Kind, at location: SourceLocation, path: String, _ message: String) {
        self.kind = kind
        self.location = location
        self.path = path
        self.message = message
    }

    public var description: String {
        let place = location.line > 0 ? "\(location)" : location.file
        return path.isEmpty ? "\(place): \(message)" : "\(place): \(path): \(message)"
    }
}

/// A JSON path such as `data.columns["zip code"].type` or `discriminator.widths[2]`, built step by step.
struct JSONPath: Sendable, CustomStringConvertible {
    private(set) var description: String = ""

    /// The path one object key deeper; keys that are not identifiers are quoted in brackets, and
    /// keys longer than 40 characters are shortened (paths are for messages only).
    func appending(key: String) -> JSONPath {
        let key = abbreviated(key)
        let isIdentifier = !key.isEmpty && key.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
        } && !("0"..."9").contains(key.unicodeScalars.first!)
        var path = self
        if isIdentifier {
            path.description += description.isEmpty ? key : "." + key
        } else {
            var quoted = ""
            JSONValue.writeString(key, to: &quoted)
            path.description += "[" + quoted + "]"
        }
        return path
    }

    /// The path of one array element.
    func appending(index: Int) -> JSONPath {
        var path = self
        path.description += "[\(index)]"
        return path
    }
}

/// `text` as echoed in a message: whole when at most `limit` characters, otherwise its first
/// characters, "..." and the total length, so a 100,000-digit number or a pasted file does not
/// flood the terminal.
func abbreviated(_ text: String, limit: Int = 40) -> String {
    guard text.count > limit else { return text }
    return text.prefix(limit - 3) + "... (\(text.count) characters)"
}

/// The candidate closest to `name`, if it is close enough to be a plausible typo.
///
/// Names equal after lower-casing and removing `_` and `-` match first (`batch_size` →
/// `batchSize`); otherwise the Levenshtein distance must be at most max(2, ⌊count/3⌋).
/// Ties go to the earlier candidate, so results do not depend on hashing.
func nearestName(to name: String, among candidates: [String]) -> String? {
    func folded(_ s: String) -> String { s.lowercased().filter { $0 != "_" && $0 != "-" } }
    if let match = candidates.first(where: { folded($0) == folded(name) }) { return match }
    var best: (name: String, distance: Int)?
    for candidate in candidates {
        let distance = editDistance(name.lowercased(), candidate.lowercased())
        if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
    }
    guard let best, best.distance <= max(2, name.count / 3) else { return nil }
    return best.name
}

/// Levenshtein distance (insertions, deletions, substitutions each cost 1) over characters.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
