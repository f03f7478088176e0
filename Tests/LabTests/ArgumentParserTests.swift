// Tests of the command-line parser without a process: option spellings, flags, repeats,
// positionals, `--`, typed values, every error with its message and exit code 64, and the
// generated help text (compared with a hand-written page).

@testable import Lab
import XCTest

final class ArgumentParserTests: XCTestCase {
    let parser = ArgumentParser(root: Command(
        name: "tool", abstract: "A test tool.",
        subcommands: [
            Command(name: "run", abstract: "Run one config over its seeds.",
                    discussion: "Writes one folder per seed.",
                    examples: ["tool run Configs/quickstart.json --seeds 0,1,2"],
                    arguments: [
                        .positional("config", "Config file to run."),
                        .option("seeds", "Seeds to run instead of the config's.", type: .integerList(minimum: 0)),
                        .option("threads", short: "t", valueName: "n", "Worker threads.", type: .integer(minimum: 1), default: "1"),
                        .option("format", "Output format.", type: .choice(["md", "csv", "json"]), default: "md"),
                        .option("condition", valueName: "column=value", "Fix a column's value.", repeatable: true),
                        .option("shift", "An offset.", type: .integer(minimum: -10)),
                        .flag("force", short: "f", "Rerun seeds that already finished."),
                    ]),
            Command(name: "compare", abstract: "Compare results.",
                    arguments: [.positional("result", "Result folders.", variadic: true),
                                .option("metric", "Metric to show.", required: true)]),
            Command(name: "inspect", abstract: "Describe a CSV file.",
                    arguments: [.positional("data", "CSV file."), .positional("out", "Output file.", optional: true)]),
        ]))

    private func run(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> ParsedCommand {
        guard case .run(let parsed) = try parser.parse(arguments) else {
            XCTFail("expected a command, got help", file: file, line: line)
            throw ArgumentError(.missingArgument, "help", command: "", usage: "")
        }
        return parsed
    }

    private func failure(_ arguments: [String]) -> ArgumentError? {
        do {
            _ = try parser.parse(arguments)
            return nil
        } catch {
            return error
        }
    }

    func testOptionsInBothSpellingsFlagsAndDefaults() throws {
        let parsed = try run(["run", "c.json", "--threads=3", "--seeds", "0,1,2", "-f", "--format", "json"])
        XCTAssertEqual(parsed.path, ["tool", "run"])
        XCTAssertEqual(parsed.string("config"), "c.json")
        XCTAssertEqual(parsed.integer("threads"), 3)
        XCTAssertEqual(parsed.integers("seeds"), [0, 1, 2])
        XCTAssertEqual(parsed.string("format"), "json")
        XCTAssertTrue(parsed.flag("force"))

        let defaults = try run(["run", "c.json"])
        XCTAssertEqual(defaults.integer("threads"), 1)
        XCTAssertEqual(defaults.string("format"), "md")
        XCTAssertNil(defaults.integers("seeds"))
        XCTAssertNil(defaults.integer("shift"))
        XCTAssertFalse(defaults.flag("force"))
        XCTAssertEqual(defaults.strings("condition"), [])
    }

    func testShortOptionRepeatedOptionNegativeNumberAndDoubleDash() throws {
        let parsed = try run(["run", "-t", "2", "--condition", "a=1", "--shift", "-3", "--condition=b=x y", "--", "-odd.json"])
        XCTAssertEqual(parsed.integer("threads"), 2)
        XCTAssertEqual(parsed.strings("condition"), ["a=1", "b=x y"])
        XCTAssertEqual(parsed.integer("shift"), -3)
        XCTAssertEqual(parsed.string("config"), "-odd.json")
    }

    func testVariadicAndOptionalPositionals() throws {
        let compare = try run(["compare", "A", "--metric", "pearson", "B", "C"])
        XCTAssertEqual(compare.strings("result"), ["A", "B", "C"])
        XCTAssertEqual(try run(["inspect", "d.csv"]).string("out"), nil)
        XCTAssertEqual(try run(["inspect", "d.csv", "o.md"]).string("out"), "o.md")
    }

    func testUnknownOptionSuggestsTheNearestOne() {
        let error = failure(["run", "c.json", "--thread", "2"])
        XCTAssertEqual(error?.kind, .unknownOption)
        XCTAssertEqual(error?.message, "unknown option '--thread'; did you mean '--threads'?")
        XCTAssertEqual(error?.exitCode, 64)
        XCTAssertEqual(error?.description, """
            error: unknown option '--thread'; did you mean '--threads'?
            USAGE: tool run <config> [--seeds <seeds>] [--threads <n>] [--format <format>] [--condition <column=value> ...] [--shift <shift>] [--force]
            See 'tool run --help' for more information.
            """)
        XCTAssertEqual(failure(["run", "c.json", "--zzzzzz"])?.message, "unknown option '--zzzzzz'")
        XCTAssertEqual(failure(["run", "c.json", "-x"])?.kind, .unknownOption)
    }

    func testValueErrors() {
        let cases: [([String], ArgumentError.Kind, String)] = [
            (["run", "c.json", "--threads"], .missingValue, "missing value for '--threads <n>'"),
            (["run", "c.json", "--threads", "--force"], .missingValue, "missing value for '--threads <n>'"),
            (["run", "c.json", "--threads", "two"], .invalidValue, "invalid value 'two' for '--threads <n>': expected an integer"),
            (["run", "c.json", "--threads", "0"], .invalidValue, "invalid value '0' for '--threads <n>': expected an integer ≥ 1"),
            (["run", "c.json", "--seeds", "0,,2"], .invalidValue, "invalid value '0,,2' for '--seeds <seeds>': expected comma-separated integers ≥ 0, such as 0,1,2"),
            (["run", "c.json", "--format", "csb"], .invalidValue, "invalid value 'csb' for '--format <format>': expected one of md, csv, json (did you mean 'csv'?)"),
            (["run", "c.json", "--threads", "2", "-t", "3"], .repeatedOption, "'--threads' given more than once; give it once"),
            (["run", "c.json", "--force=yes"], .flagWithValue, "the flag '--force' takes no value"),
            (["run"], .missingArgument, "missing '<config>'"),
            (["run", "a.json", "b.json"], .unexpectedArgument, "unexpected argument 'b.json'"),
            (["compare", "A"], .missingArgument, "missing '--metric <metric>'"),
            (["compare", "--metric", "m"], .missingArgument, "missing '<result>'"),
        ]
        for (arguments, kind, message) in cases {
            let error = failure(arguments)
            XCTAssertEqual(error?.kind, kind, "\(arguments)")
            XCTAssertEqual(error?.message, message, "\(arguments)")
        }
    }

    func testSubcommandErrors() {
        XCTAssertEqual(failure([])?.kind, .missingSubcommand)
        XCTAssertEqual(failure([])?.message, "missing subcommand; choose one of: run, compare, inspect")
        XCTAssertEqual(failure(["rn"])?.message, "unknown subcommand 'rn'; did you mean 'run'?")
        XCTAssertEqual(failure(["train"])?.message, "unknown subcommand 'train'; choose one of: run, compare, inspect")
        XCTAssertEqual(failure(["--threads", "2", "run"])?.kind, .unknownOption)
        XCTAssertEqual(failure(["rn"])?.usage, "USAGE: tool <subcommand>")
    }

    func testHelpWinsOverOtherMistakesOnEveryCommand() throws {
        guard case .help(let root) = try parser.parse(["--help"]) else { return XCTFail("no help") }
        XCTAssertTrue(root.contains("SUBCOMMANDS:\n  run                   Run one config over its seeds.\n"), root)
        guard case .help(let runHelp) = try parser.parse(["run", "--bogus", "-h"]) else { return XCTFail("no help") }
        XCTAssertTrue(runHelp.hasPrefix("OVERVIEW: Run one config over its seeds."))
        guard case .help(let compare) = try parser.parse(["compare", "--help"]) else { return XCTFail("no help") }
        XCTAssertTrue(compare.contains("USAGE: tool compare <result> ... --metric <metric>"), compare)
        // After `--`, "--help" is a positional value.
        XCTAssertEqual(try run(["run", "--", "--help"]).string("config"), "--help")
    }

    func testHelpPageLayout() throws {
        guard case .help(let text) = try parser.parse(["run", "--help"]) else { return XCTFail("no help") }
        XCTAssertEqual(text, """
            OVERVIEW: Run one config over its seeds.

            Writes one folder per seed.

            USAGE: tool run <config> [--seeds <seeds>] [--threads <n>] [--format <format>] [--condition <column=value> ...] [--shift <shift>] [--force]

            ARGUMENTS:
              <config>              Config file to run.

            OPTIONS:
              --seeds <seeds>       Seeds to run instead of the config's. (comma-separated)
              -t, --threads <n>     Worker threads. (default: 1)
              --format <format>     Output format. (values: md, csv, json) (default: md)
              --condition <column=value>
                                    Fix a column's value. (can be repeated)
              --shift <shift>       An offset.
              -f, --force           Rerun seeds that already finished.
              -h, --help            Show help information.

            EXAMPLES:
              tool run Configs/quickstart.json --seeds 0,1,2

            """)
    }

    func testWrapKeepsLinesWithinTheWidth() {
        let long = Array(repeating: "word", count: 40).joined(separator: " ")
        let wrapped = HelpFormatter.wrap(long, indent: 24)
        XCTAssertTrue(wrapped.split(separator: "\n").allSatisfy { $0.count <= 80 && $0.hasPrefix(String(repeating: " ", count: 24)) })
        XCTAssertEqual(wrapped.split(separator: "\n").flatMap { $0.split(separator: " ") }.count, 40)
    }
}
