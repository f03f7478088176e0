// Loads an experiment config from disk: parses the JSON, follows `extends` (deep merge of objects,
// arrays and scalars replaced, chains and lists of bases allowed; cycles and chains of more than 64
// bases rejected), then decodes strictly into `ExperimentConfig`. Also writes the fully resolved
// config back as JSON.

import Foundation
import TabularData

/// Entry points for reading experiment configs.
///
/// ```swift
/// let config = try ConfigLoader.load(path: "Configs/examples/attention-correlation.json")
/// ```
public enum ConfigLoader {
    /// Reads, merges (`extends`) and validates the config file at `path`.
    ///
    /// - Throws: `ConfigError` naming the file, line, column and JSON path of the first problem.
    public static func load(path: String) throws(ConfigError) -> ExperimentConfig {
        let text = try readText(path, onFailure: { reason in
            ConfigError(.unreadableFile, at: SourceLocation(file: path, line: 0, column: 0), path: "", "cannot read the config file: \(reason)")
        })
        return try parse(json: text, sourcePath: path)
    }

    /// Validates config text as if it had been read from `sourcePath`: `extends` and `data.path`
    /// resolve against its directory, and `name` defaults to its file name without extension.
    public static func parse(json: String, sourcePath: String) throws(ConfigError) -> ExperimentConfig {
        let merged = try mergedJSON(text: json, file: sourcePath, chain: [sourcePath])
        var config = try ExperimentConfig.decode(merged, path: JSONPath())
        config.sourcePath = sourcePath
        if merged["name"] == nil {
            let stem = URL(fileURLWithPath: sourcePath).deletingPathExtension().lastPathComponent
            let node = JSONValue(.string(stem), location: SourceLocation(file: sourcePath, line: 1, column: 1))
            config.name = try ExperimentConfig.nameCodec.decode(node, JSONPath().appending(key: "name"))
        }
        return config
    }

    /// Longest `extends` chain accepted (the top file plus this many bases, one below the other).
    static let maximumExtendsDepth = 64

    /// The files being merged, from the top-level config down to the current one: their paths as
    /// written (for messages) and canonical forms (symbolic links resolved once per file, for
    /// cycle checks in constant time), plus the merged JSON of every file already done, so a base
    /// shared by several files is read and merged once.
    struct ExtendsChain {
        var paths: [String] = []
        var canonical: Set<String> = []
        var merged: [String: JSONValue] = [:]

        /// `a.json → b.json → … → z.json`, shortened to its first and last three files when long.
        func describe(_ last: String) -> String {
            let all = paths + [last]
            guard all.count > 8 else { return all.joined(separator: " → ") }
            return (all.prefix(3) + ["… (\(all.count - 6) more) …"] + all.suffix(3)).joined(separator: " → ")
        }
    }

    /// The JSON of `text` with its `extends` chain merged in (bases first, later ones winning,
    /// the file itself last) and the `extends` and `$schema` keys removed. A base's `name` is dropped.
    static func mergedJSON(text: String, file: String, chain: [String]) throws(ConfigError) -> JSONValue {
        var state = ExtendsChain()
        for path in chain {
            state.paths.append(path)
            state.canonical.insert(canonicalPath(path))
        }
        return try mergedJSON(text: text, file: file, chain: &state)
    }

    /// `chain` holds `file` itself as its last entry on entry and is left as it was on return.
    private static func mergedJSON(text: String, file: String, chain: inout ExtendsChain) throws(ConfigError) -> JSONValue {
        let root: JSONValue
        do { root = try JSONParser.parse(text, file: file) } catch {
            throw ConfigError(.malformedJSON, at: error.location, path: "", "malformed JSON: expected \(error.expected), found \(error.found)")
        }
        guard var members = root.members else {
            throw typeMismatch("object at the top level of the config", root, JSONPath())
        }
        if let schema = members.first(where: { $0.key == "$schema" })?.value, schema.typeName != "string" {
            throw typeMismatch("string (the location of Configs/schema.json, for editors)", schema, JSONPath().appending(key: "$schema"))
        }
        members.removeAll { $0.key == "$schema" }
        guard let extendsIndex = members.firstIndex(where: { $0.key == "extends" }) else {
            return JSONValue(.object(members), location: root.location)
        }
        let extends = members.remove(at: extendsIndex).value
        let own = JSONValue(.object(members), location: root.location)

        var merged: JSONValue?
        for (reference, path) in try baseReferences(extends) {
            let basePath = FilePath.normalized(FilePath.joined(FilePath.directory(of: file), reference))
            let canonical = canonicalPath(basePath)
            if chain.canonical.contains(canonical) {
                let start = chain.paths.firstIndex { canonicalPath($0) == canonical } ?? 0
                let cycle = (chain.paths[start...] + [basePath]).joined(separator: " → ")
                throw configError(.extendsCycle, path.node, path.path, "extends cycle: \(cycle); remove one of these extends")
            }
            guard chain.paths.count <= maximumExtendsDepth else {
                throw configError(.extendsTooDeep, path.node, path.path,
                                  "extends chain deeper than \(maximumExtendsDepth) levels: \(chain.describe(basePath)); "
                                  + "merge some of these files so the chain has at most \(maximumExtendsDepth) bases")
            }
            var base: JSONValue
            if let done = chain.merged[canonical] {
                base = done
            } else {
                let baseText = try readText(basePath) { reason in
                    configError(.unreadableFile, path.node, path.path, "cannot read base config \"\(reference)\" (resolved to \(basePath)): \(reason)")
                }
                chain.paths.append(basePath)
                chain.canonical.insert(canonical)
                defer {
                    chain.paths.removeLast()
                    chain.canonical.remove(canonical)
                }
                base = try mergedJSON(text: baseText, file: basePath, chain: &chain)
                chain.merged[canonical] = base
            }
            if case .object(let baseMembers) = base.kind { base.kind = .object(baseMembers.filter { $0.key != "name" }) }
            merged = merged.map { deepMerge(base: $0, override: base) } ?? base
        }
        return merged.map { deepMerge(base: $0, override: own) } ?? own
    }

    /// `extends` as a list of (reference, where it was written): a string or an array of strings.
    private static func baseReferences(_ extends: JSONValue) throws(ConfigError) -> [(String, (node: JSONValue, path: JSONPath))] {
        let path = JSONPath().appending(key: "extends")
        switch extends.kind {
        case .string(let reference): return [(reference, (extends, path))]
        case .array(let elements):
            var references: [(String, (node: JSONValue, path: JSONPath))] = []
            for (index, element) in elements.enumerated() {
                guard case .string(let reference) = element.kind else {
                    throw typeMismatch("string (path of a base config)", element, path.appending(index: index))
                }
                references.append((reference, (element, path.appending(index: index))))
            }
            return references
        default: throw typeMismatch("string or array of strings (paths of base configs)", extends, path)
        }
    }

    /// Objects merge key by key (recursively); anything else in `override` replaces `base`.
    static func deepMerge(base: JSONValue, override: JSONValue) -> JSONValue {
        guard case .object(var members) = base.kind, case .object(let overrides) = override.kind else { return override }
        var indexOfKey: [String: Int] = [:]  // so merging stays linear in the number of keys
        for (index, member) in members.enumerated() where indexOfKey[member.key] == nil { indexOfKey[member.key] = index }
        for member in overrides {
            if let index = indexOfKey[member.key] {
                members[index].value = deepMerge(base: members[index].value, override: member.value)
                members[index].keyLocation = member.keyLocation
            } else {
                indexOfKey[member.key] = members.count
                members.append(member)
            }
        }
        return JSONValue(.object(members), location: override.location)
    }

    /// `path` with symbolic links resolved (where the files exist), for telling whether two paths name the same file.
    private static func canonicalPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    private static func readText(_ path: String, onFailure: (String) -> ConfigError) throws(ConfigError) -> String {
        // The type is checked before opening: reading a FIFO would block, and a device such as
        // /dev/null would read as an empty (or endless) file.
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw onFailure(errno == ENOENT || errno == ENOTDIR ? "no such file" : String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) != S_IFDIR else { throw onFailure("it is a directory") }
        if let kind = nonRegularFileKind(mode: info.st_mode) { throw onFailure("not a regular file (it is \(kind))") }
        guard let data = FileManager.default.contents(atPath: path) else { throw onFailure("permission denied or unreadable") }
        guard let text = String(data: data, encoding: .utf8) else { throw onFailure("not valid UTF-8 text") }
        return text
    }
}

extension ExperimentConfig {
    /// The operative config as JSON: every key with its value, defaults included, in declared
    /// order, no `extends`; paths are written relative to `directory` (by default the directory
    /// of `sourcePath`, i.e. as in the original config). Ends with a newline.
    ///
    /// Parsing the result with the same `sourcePath` gives back an equal config.
    public func resolvedJSON(pathsRelativeTo directory: String? = nil) -> String {
        encode(baseDirectory: directory ?? FilePath.directory(of: sourcePath)).serialized(indent: 2) + "\n"
    }
}
