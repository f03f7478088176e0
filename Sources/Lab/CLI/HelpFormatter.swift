// Help and usage text generated from `Command` declarations, laid out like swift-argument-parser:
// OVERVIEW, USAGE, ARGUMENTS, OPTIONS, SUBCOMMANDS, EXAMPLES; names in a 24-column gutter, help
// text wrapped at 80 columns. Pure functions of the declaration, so help can be snapshot-tested.

enum HelpFormatter {
    static let width = 80
    static let gutter = 24

    /// The usage line without the `USAGE: ` prefix, e.g. `tabcorr run <config> [--threads <n>] [--force]`.
    static func usage(for command: Command, path: [String]) -> String {
        var parts = [path.joined(separator: " ")]
        if !command.subcommands.isEmpty { return (parts + ["<subcommand>"]).joined(separator: " ") }
        for argument in command.arguments where argument.kind == .positional {
            var text = "<\(argument.name)>"
            if argument.isRepeatable { text += " ..." }
            parts.append(argument.isRequired ? text : "[\(text)]")
        }
        for argument in command.arguments where argument.kind != .positional {
            var text = "--\(argument.name)"
            if argument.kind == .option { text += " <\(argument.valueName)>" }
            if argument.isRepeatable { text += " ..." }
            parts.append(argument.isRequired ? text : "[\(text)]")
        }
        return parts.joined(separator: " ")
    }

    /// The full help page of `command`.
    static func help(for command: Command, path: [String]) -> String {
        var sections: [String] = []
        var overview = wrap("OVERVIEW: " + command.abstract, indent: 0)
        if !command.discussion.isEmpty { overview += "\n\n" + wrap(command.discussion, indent: 0) }
        sections.append(overview)
        sections.append("USAGE: " + usage(for: command, path: path))

        let positionals = command.arguments.filter { $0.kind == .positional }
        if !positionals.isEmpty {
            sections.append("ARGUMENTS:\n" + positionals.map { entry("<\($0.name)>", describe($0)) }.joined(separator: "\n"))
        }
        let options = command.arguments.filter { $0.kind != .positional }
        var optionLines = options.map { argument -> String in
            var name = argument.shortName.map { "-\($0), " } ?? ""
            name += "--\(argument.name)"
            if argument.kind == .option { name += " <\(argument.valueName)>" }
            return entry(name, describe(argument))
        }
        optionLines.append(entry("-h, --help", "Show help information."))
        sections.append("OPTIONS:\n" + optionLines.joined(separator: "\n"))

        if !command.subcommands.isEmpty {
            let lines = command.subcommands.map { entry($0.name, $0.abstract) }
            sections.append("SUBCOMMANDS:\n" + lines.joined(separator: "\n")
                            + "\n\n  See '\(path.joined(separator: " ")) <subcommand> --help' for detailed help.")
        }
        if !command.examples.isEmpty {
            sections.append("EXAMPLES:\n" + command.examples.map { "  " + $0 }.joined(separator: "\n"))
        }
        return sections.joined(separator: "\n\n") + "\n"
    }

    /// The help sentence plus what the value must look like and its default.
    private static func describe(_ argument: Argument) -> String {
        var text = argument.help
        switch argument.type {
        case .choice(let choices): text += " (values: \(choices.joined(separator: ", ")))"
        case .integerList: text += " (comma-separated)"
        case .delimiter: text += " (one ASCII character)"
        case .integer, .string: break
        }
        if argument.kind == .option, argument.isRepeatable { text += " (can be repeated)" }
        if let defaultValue = argument.defaultValue { text += " (default: \(defaultValue))" }
        return text
    }

    /// `  name` padded to the gutter, then the wrapped text; long names put the text on the next line.
    private static func entry(_ name: String, _ text: String) -> String {
        let label = "  " + name
        let body = wrap(text, indent: gutter)
        let bodyText = String(body.dropFirst(gutter))
        if label.count <= gutter - 2 {
            return label + String(repeating: " ", count: gutter - label.count) + bodyText
        }
        return label + "\n" + body
    }

    /// Greedy word wrap to `width` columns, every line indented by `indent` spaces; line breaks
    /// in `text` are kept.
    static func wrap(_ text: String, indent: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { wrapLine($0, indent: indent) }.joined(separator: "\n")
    }

    private static func wrapLine(_ text: Substring, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, indent + line.count + 1 + word.count > width {
                lines.append(pad + line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        lines.append(line.isEmpty ? "" : pad + line)
        return lines.joined(separator: "\n")
    }
}
