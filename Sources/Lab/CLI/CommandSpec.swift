// Declarations of command-line commands: name, abstract, examples, options, flags, positionals and
// subcommands, in the shape of swift-argument-parser but as plain values (no property wrappers,
// no reflection). The parser (ArgumentParser.swift) and the help text (HelpFormatter.swift) read them.

/// One command (or a group of subcommands) of a command-line tool.
///
/// ```swift
/// let run = Command(name: "run", abstract: "Train and evaluate one config over its seeds.",
///                   examples: ["tabcorr run Configs/quickstart.json --seeds 0,1,2"],
///                   arguments: [.positional("config", "Config file."),
///                               .option("threads", valueName: "n", "Worker threads.", type: .integer(minimum: 1), default: "1"),
///                               .flag("force", short: "f", "Rerun finished seeds.")])
/// let tool = Command(name: "tabcorr", abstract: "Synthetic tables that keep correlations.", subcommands: [run])
/// ```
public struct Command: Sendable, Equatable {
    public var name: String
    /// One line, shown in the parent's subcommand list and as OVERVIEW.
    public var abstract: String
    /// Longer explanation shown under the overview (may be empty).
    public var discussion: String
    /// Complete example invocations, shown under EXAMPLES.
    public var examples: [String]
    public var arguments: [Argument]
    /// A command with subcommands takes no arguments of its own besides `--help`.
    public var subcommands: [Command]

    public init(name: String, abstract: String, discussion: String = "", examples: [String] = [],
                arguments: [Argument] = [], subcommands: [Command] = []) {
        precondition(subcommands.isEmpty || arguments.isEmpty, "\(name): a command with subcommands takes no arguments of its own")
        let names = arguments.filter { $0.kind != .positional }.map(\.name) + ["help"]
        precondition(Set(names).count == names.count, "\(name): option names must be distinct and not \"help\"")
        let variadic = arguments.filter { $0.kind == .positional && $0.isRepeatable }
        precondition(variadic.count <= 1 && (variadic.first.map { $0 == arguments.last { $0.kind == .positional } } ?? true),
                     "\(name): only the last positional may be variadic")
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.examples = examples
        self.arguments = arguments
        self.subcommands = subcommands
    }
}

/// What an option's or positional's text must look like; checked while parsing.
public enum ValueType: Sendable, Equatable {
    /// Any text.
    case string
    /// A decimal integer ≥ `minimum`.
    case integer(minimum: Int)
    /// Comma-separated integers ≥ `minimum`, e.g. `0,1,2`.
    case integerList(minimum: Int)
    /// One of the listed words.
    case choice([String])
    /// One ASCII character other than a double quote, CR or LF (a CSV field separator).
    case delimiter
}

/// One option (`--threads 2`, `--threads=2`), flag (`--force`) or positional (`CONFIG`).
public struct Argument: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case option, flag, positional
    }

    public var kind: Kind
    /// Long name without dashes (`threads`), or the positional's name (`config`).
    public var name: String
    /// Optional one-letter alias used as `-f`.
    public var shortName: Character?
    /// Placeholder in usage and help: `--threads <n>`.
    public var valueName: String
    public var help: String
    public var type: ValueType
    /// Options: may be given more than once (values are collected). Positionals: variadic.
    public var isRepeatable: Bool
    public var isRequired: Bool
    /// Value used when the option is absent (shown in help).
    public var defaultValue: String?

    /// An option that takes a value: `--name value` or `--name=value`.
    public static func option(_ name: String, short: Character? = nil, valueName: String? = nil, _ help: String,
                              type: ValueType = .string, default defaultValue: String? = nil,
                              required: Bool = false, repeatable: Bool = false) -> Argument {
        Argument(kind: .option, name: name, shortName: short, valueName: valueName ?? name, help: help, type: type,
                 isRepeatable: repeatable, isRequired: required, defaultValue: defaultValue)
    }

    /// A switch without a value: `--force`.
    public static func flag(_ name: String, short: Character? = nil, _ help: String) -> Argument {
        Argument(kind: .flag, name: name, shortName: short, valueName: "", help: help, type: .string,
                 isRepeatable: false, isRequired: false, defaultValue: nil)
    }

    /// A value identified by its position; `variadic` takes all remaining values (at least one
    /// unless `optional`).
    public static func positional(_ name: String, _ help: String, type: ValueType = .string,
                                  optional: Bool = false, variadic: Bool = false) -> Argument {
        Argument(kind: .positional, name: name, shortName: nil, valueName: name, help: help, type: type,
                 isRepeatable: variadic, isRequired: !optional, defaultValue: nil)
    }
}

/// The outcome of parsing a valid command line.
public enum ParseResult: Sendable, Equatable {
    /// Run `ParsedCommand.path.last` with these values.
    case run(ParsedCommand)
    /// `--help` or `-h` was given: print this text to stdout and exit 0.
    case help(String)
}

/// The values of one parsed command line, read back by argument name.
///
/// Values were checked against their `ValueType` while parsing, so the typed accessors do not
/// fail; asking for a name the command does not declare is a programming error (precondition).
public struct ParsedCommand: Sendable, Equatable {
    /// Command names from the tool to the selected subcommand, e.g. `["tabcorr", "run"]`.
    public var path: [String]
    public var command: Command
    /// Raw texts by argument name (options and positionals), in command-line order.
    var values: [String: [String]]
    var setFlags: Set<String>

    /// The last value given for `name`, else its default, else nil.
    public func string(_ name: String) -> String? {
        values[name]?.last ?? declared(name).defaultValue
    }

    /// Every value given for a repeatable option or variadic positional (the default if none).
    public func strings(_ name: String) -> [String] {
        values[name] ?? declared(name).defaultValue.map { [$0] } ?? []
    }

    /// The value of an `.integer` argument.
    public func integer(_ name: String) -> Int? {
        string(name).map { Int($0)! }
    }

    /// The values of an `.integerList` argument (all occurrences concatenated).
    public func integers(_ name: String) -> [Int]? {
        guard values[name] != nil || declared(name).defaultValue != nil else { return nil }
        return strings(name).flatMap { $0.split(separator: ",").map { Int($0)! } }
    }

    /// Whether a flag was given.
    public func flag(_ name: String) -> Bool {
        precondition(declared(name).kind == .flag, "\(name) is not a flag of \(path.joined(separator: " "))")
        return setFlags.contains(name)
    }

    private func declared(_ name: String) -> Argument {
        guard let argument = command.arguments.first(where: { $0.name == name }) else {
            preconditionFailure("\(path.joined(separator: " ")) declares no argument named \"\(name)\"")
        }
        return argument
    }
}
