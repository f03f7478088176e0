// Generated descriptions of the config format: the JSON Schema (Configs/schema.json) and the
// Markdown reference (docs/CONFIG.md). Both come from the same field declarations the decoder
// uses; tests compare them with the committed files (RECORD_SNAPSHOTS=1 rewrites them).

import Foundation

extension ExperimentConfig {
    /// JSON Schema (draft 2020-12) of a config file: closed objects (`additionalProperties:
    /// false`, keys starting with `_` allowed as comments), types, bounds, enums, defaults and
    /// descriptions. Ends with a newline.
    public static func jsonSchema() -> String {
        let extends = JSONValue.object([
            ("description", .string("Base config(s) merged under this file, relative to this file: objects merge key by key, arrays and scalars are replaced, later bases win, this file wins over all.")),
            ("oneOf", .array([
                .object([("type", .string("string"))]),
                .object([("type", .string("array")), ("items", .object([("type", .string("string"))]))]),
            ])),
        ])
        var keywords = objectSchema
        if let index = keywords.firstIndex(where: { $0.0 == "properties" }), case .object(let properties) = keywords[index].1.kind {
            let schemaKey = JSONValue.object([("description", .string("Location of this JSON Schema, for editors; ignored by the loader.")),
                                              ("type", .string("string"))])
            keywords[index].1 = JSONValue(.object([JSONMember(key: "$schema", value: schemaKey), JSONMember(key: "extends", value: extends)] + properties))
        }
        let header: [(String, JSONValue)] = [
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("title", .string("TabCorr experiment config")),
            ("description", .string(summary + " Generated from Sources/Lab/Config; do not edit by hand.")),
        ]
        return JSONValue.object(header + keywords).serialized(indent: 2) + "\n"
    }

    /// The Markdown config reference: how loading works, then one table per section
    /// (key, type, default, meaning). Ends with a newline.
    public static func markdownReference() -> String {
        var lines = [
            "<!-- Generated from Sources/Lab/Config by `RECORD_SNAPSHOTS=1 swift test --filter ConfigReferenceTests`; do not edit by hand. -->",
            "# Experiment config reference",
            "",
            "A run is described by one JSON file (RFC 8259: no comments, no trailing commas). Every key except",
            "`data.path` has a default, so `{\"data\": {\"path\": \"x.csv\"}}` is a complete config that runs the",
            "default TabCorr model. `Configs/schema.json` is the same information as a JSON Schema, for editors.",
            "",
            "## Rules",
            "",
            "- **Strict keys.** A key that is not listed below is an error naming its JSON path and the nearest",
            "  valid key (`training.batchsize: unknown key \"batchsize\"; did you mean \"batchSize\"?`). Keys",
            "  starting with `_` (e.g. `\"_comment\"`) are comments and are ignored, in every section.",
            "- **Types and values are checked**: wrong types, numbers out of range and unknown enum strings are",
            "  errors naming the file, line, column and path, with what was expected.",
            "- **Paths** (`data.path`) are relative to the config file that declares them, also through `extends`.",
            "- **`$schema`** (top level only, optional) may point editors at `Configs/schema.json`; the loader ignores it.",
            "- **`extends`** (top level only) names a base config, or a list of them, relative to this file:",
            "  ```json",
            "  { \"extends\": \"../models/attention-gan.json\",",
            "    \"_comment\": \"same model, stronger correlation constraint\",",
            "    \"correlation\": { \"weight\": 5 } }",
            "  ```",
            "  The bases are loaded first (each may extend others; a cycle is an error), merged in order,",
            "  then this file is merged over them: objects merge key by key, while arrays and scalars",
            "  (including `null`) replace the base value whole. `name` is never inherited: it is this file's",
            "  `name`, or this file's name without extension.",
            "- The runner writes the operative config, every default included and `extends` resolved, as",
            "  `config.resolved.json` next to each run's results, its paths relative to its own folder:",
            "  loading that file gives the same config, and `tabcorr run` runs it where it lies.",
        ]
        func render(_ sections: [SectionDocumentation], top: String, prefix: String) {
            for section in sections {
                lines += ["", "## " + (section.path.isEmpty ? top : "`\(prefix)\(section.path)`"), "", section.summary, ""]
                lines += ["| key | type | default | meaning |", "|---|---|---|---|"]
                for row in section.rows {
                    let cells = ["`\(row.key)`", row.type, row.defaultText, row.doc].map { $0.replacingOccurrences(of: "|", with: "\\|") }
                    lines.append("| " + cells.joined(separator: " | ") + " |")
                }
            }
        }
        render(documentation(path: ""), top: "Top level", prefix: "")
        lines += ["", "# Suite files", "",
                  "`tabcorr reproduce` and `tabcorr sweep` read a suite (`Experiments/*.json`) by the same strict rules.",
                  "Each job composes one dataset config with one generator config (the dataset's file name names the",
                  "row, the generator's the column) and runs one seed into `<out>/<suite>/<dataset>--<generator>/seed-<k>/`."]
        render(SuiteSpec.documentation(path: ""), top: "Suite: top level", prefix: "suite: ")
        return lines.joined(separator: "\n") + "\n"
    }
}
