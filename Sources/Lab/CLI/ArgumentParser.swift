// A small command-line parser over `[String]` (no process, no global state): subcommands, options
// (`--threads 2`, `--threads=2`, `-t 2`), flags, repeated options, positionals, `--` and
// `--help`/`-h` on every command. Errors are typed, carry the usage line, and mean exit code 64.
// Not supported: bundled short flags (`-fq`), `-t2`, options before the subcommand.

/// A command-line mistake: what is wrong, and how the command is used.
public struct ArgumentError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case unknownOption, unknownSubcommand, missingSubcommand, missingValue, invalidValue
        case missingArgument, unexpectedArgument, repeatedOption, flagWithValue
    }

    public var kind: Kind
    public var message: String
    /// The command path, e.g. `tabcorr run`.
    public var command: String
    /// The `USAGE:` line of that command.
    public var usage: String

    /// `EX_USAGE` from sysexits.h: the command was used incorrectly.
    public var exitCode: Int32 { 64 }

    public init(_ kind: Kind, _ message: String, command: String, usage: String) {
        self.kind = kind
        self.message = message
        self.command = command
        self.usage = usage
    }

    /// What to print on stderr.
    public var description: String {
        "error: \(message)\n\(usage)\nSee '\(command) --help' for more information."
    }
}

/// Parses command lines for one tool described by a root `Command`.
///
/// ```swift
/// switch try ArgumentParser(root: tool).parse(Array(CommandLine.arguments.dropFirst())) {
/// case .help(let text): print(text)
/// case .run(let parsed): try run(parsed)    // parsed.path == ["tabcorr", "run"], parsed.integer("threads")
/// }
/// ```
public struct ArgumentParser: Sendable {
    public let root: Command

    public init(root: Command) {
        self.root = root
    }

    /// Parses the arguments after the program name.
    ///
    /// - Returns: `.help(text)` when `--help`/`-h` appears (before any `--`), else the parsed values.
    /// - Throws: `ArgumentError` for the first mistake found.
    public func parse(_ arguments: [String]) throws(ArgumentError) -> ParseResult {
        var command = root
        var path = [root.name]
        var index = 0
        while !command.subcommands.isEmpty {
            let names = command.subcommands.map(\.name)
            guard index < arguments.count else {
                throw error(.missingSubcommand, "missing subcommand; choose one of: \(names.joined(separator: ", "))", command, path)
            }
            let token = arguments[index]
            if isHelp(token) { return .help(HelpFormatter.help(for: command, path: path)) }
            guard let next = command.subcommands.first(where: { $0.name == token }) else {
                let what = token.hasPrefix("-") ? "unknown option '\(abbreviated(token))' (options go after the subcommand)" : "unknown subcommand '\(abbreviated(token))'"
                let hint = nearestName(to: token, among: names).map { "; did you mean '\($0)'?" } ?? "; choose one of: \(names.joined(separator: ", "))"
                throw error(token.hasPrefix("-") ? .unknownOption : .unknownSubcommand, what + hint, command, path)
            }
            command = next
            path.append(next.name)
            index += 1
        }
        let rest = Array(arguments[index...])
        if rest.prefix(while: { $0 != "--" }).contains(where: isHelp) {
            return .help(HelpFormatter.help(for: command, path: path))
        }
        return .run(try parseLeaf(rest, command: command, path: path))
    }

    private func parseLeaf(_ tokens: [String], command: Command, path: [String]) throws(ArgumentError) -> ParsedCommand {
        var parsed = ParsedCommand(path: path, command: command, values: [:], setFlags: [])
        var positionals: [String] = []
        var index = 0
        var onlyPositionals = false
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            if onlyPositionals || !looksLikeOption(token) {
                positionals.append(token)
                continue
            }
            if token == "--" { onlyPositionals = true; continue }
            let (spelling, inlineValue) = splitOption(token)
            guard let argument = findOption(spelling, in: command) else {
                let longNames = command.arguments.filter { $0.kind != .positional }.map { "--" + $0.name } + ["--help"]
                let hint = nearestName(to: spelling, among: longNames).map { "; did you mean '\($0)'?" } ?? ""
                throw error(.unknownOption, "unknown option '\(abbreviated(spelling))'\(hint)", command, path)
            }
            let display = "--" + argument.name
            if argument.kind == .flag {
                guard inlineValue == nil else { throw error(.flagWithValue, "the flag '\(display)' takes no value", command, path) }
                parsed.setFlags.insert(argument.name)
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else if index < tokens.count, !looksLikeOption(tokens[index]) {
                value = tokens[index]
                index += 1
            } else {
                throw error(.missingValue, "missing value for '\(display) <\(argument.valueName)>'", command, path)
            }
            if parsed.values[argument.name] != nil, !argument.isRepeatable {
                throw error(.repeatedOption, "'\(display)' given more than once; give it once", command, path)
            }
            try check(value, for: argument, as: "'\(display) <\(argument.valueName)>'", command, path)
            parsed.values[argument.name, default: []].append(value)
        }
        try assign(positionals, to: &parsed, command: command, path: path)
        for argument in command.arguments where argument.kind == .option && argument.isRequired && parsed.values[argument.name] == nil {
            throw error(.missingArgument, "missing '--\(argument.name) <\(argument.valueName)>'", command, path)
        }
        return parsed
    }

    /// Hands positionals out in declaration order; a variadic one takes the rest.
    private func assign(_ positionals: [String], to parsed: inout ParsedCommand, command: Command, path: [String]) throws(ArgumentError) {
        var remaining = positionals[...]
        for argument in command.arguments where argument.kind == .positional {
            let taken = argument.isRepeatable ? remaining : remaining.prefix(1)
            remaining = remaining.dropFirst(taken.count)
            if taken.isEmpty {
                guard !argument.isRequired else { throw error(.missingArgument, "missing '<\(argument.name)>'", command, path) }
                continue
            }
            for value in taken { try check(value, for: argument, as: "'<\(argument.name)>'", command, path) }
            parsed.values[argument.name] = Array(taken)
        }
        if let extra = remaining.first {
            throw error(.unexpectedArgument, "unexpected argument '\(abbreviated(extra))'", command, path)
        }
    }

    private func check(_ value: String, for argument: Argument, as display: String, _ command: Command, _ path: [String]) throws(ArgumentError) {
        let problem: String?
        switch argument.type {
        case .string:
            problem = value.isEmpty ? "expected a non-empty value" : value.contains("\u{0}") ? "the value contains a NUL character" : nil
        case .integer(let minimum):
            problem = Int(value).map { $0 < minimum ? "expected an integer ≥ \(minimum)" : nil } ?? "expected an integer"
        case .integerList(let minimum):
            let parts = value.split(separator: ",", omittingEmptySubsequences: false)
            problem = parts.allSatisfy({ Int($0).map { $0 >= minimum } ?? false }) ? nil
                : "expected comma-separated integers ≥ \(minimum), such as \(minimum),\(minimum + 1),\(minimum + 2)"
        case .choice(let choices):
            let hint = nearestName(to: value, among: choices).map { " (did you mean '\($0)'?)" } ?? ""
            problem = choices.contains(value) ? nil : "expected one of \(choices.joined(separator: ", "))\(hint)"
        case .delimiter:
            let utf8 = Array(value.utf8)
            problem = utf8.count == 1 && utf8[0] < 0x80 && !["\"", "\n", "\r"].contains(value) ? nil
                : "expected one ASCII character other than a double quote, CR or LF, such as ';' or a tab"
        }
        if let problem {
            throw error(.invalidValue, "invalid value '\(abbreviated(value))' for \(display): \(problem)", command, path)
        }
    }

    private func findOption(_ spelling: String, in command: Command) -> Argument? {
        command.arguments.first { argument in
            guard argument.kind != .positional else { return false }
            if spelling.hasPrefix("--") { return spelling.dropFirst(2) == argument.name }
            return argument.shortName.map { spelling == "-\($0)" } ?? false
        }
    }

    /// `--name=value` → ("--name", "value"); anything else → (token, nil).
    private func splitOption(_ token: String) -> (String, String?) {
        guard token.hasPrefix("--"), let equals = token.firstIndex(of: "=") else { return (token, nil) }
        return (String(token[..<equals]), String(token[token.index(after: equals)...]))
    }

    /// Options start with `-`, except `-` itself and negative numbers such as `-3` or `-0.5`.
    private func looksLikeOption(_ token: String) -> Bool {
        token.hasPrefix("-") && token != "-" && Double(token) == nil
    }

    private func isHelp(_ token: String) -> Bool { token == "--help" || token == "-h" }

    private func error(_ kind: ArgumentError.Kind, _ message: String, _ command: Command, _ path: [String]) -> ArgumentError {
        ArgumentError(kind, message, command: path.joined(separator: " "), usage: "USAGE: " + HelpFormatter.usage(for: command, path: path))
    }
}
