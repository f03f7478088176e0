// Tests of the `tabcorr` command tree: the command lines named in the issue and the design notes
// parse to the expected values, and every command has help with examples that fits 80 columns.

@testable import Lab
import XCTest

final class ArgumentParserCommandsTests: XCTestCase {
    private func parse(_ line: String, file: StaticString = #filePath, line number: UInt = #line) throws -> ParsedCommand {
        let result = try TabCorrCommands.parser.parse(line.split(separator: " ").map(String.init))
        guard case .run(let parsed) = result else {
            XCTFail("\(line) gave help", file: file, line: number)
            throw ArgumentError(.missingArgument, "help", command: "", usage: "")
        }
        return parsed
    }

    func testIssueCommandLinesParse() throws {
        let run = try parse("run Configs/quickstart.json --seeds 0,1,2 --threads 2 --out /tmp/r --force")
        XCTAssertEqual(run.path, ["tabcorr", "run"])
        XCTAssertEqual(run.string("config"), "Configs/quickstart.json")
        XCTAssertEqual(run.integers("seeds"), [0, 1, 2])
        XCTAssertEqual(run.integer("threads"), 2)
        XCTAssertEqual(run.string("out"), "/tmp/r")
        XCTAssertTrue(run.flag("force"))
        XCTAssertFalse(run.flag("quiet"))
        XCTAssertEqual(try parse("run c.json").string("out"), "Results")

        let compare = try parse("compare Results/a Results/b --metric pearson --format csv")
        XCTAssertEqual(compare.strings("result"), ["Results/a", "Results/b"])
        XCTAssertEqual(compare.string("format"), "csv")

        let reproduce = try parse("reproduce Experiments/s.json --jobs 2 --out /tmp/x --check")
        XCTAssertEqual(reproduce.integer("jobs"), 2)
        XCTAssertTrue(reproduce.flag("check"))
        XCTAssertFalse(reproduce.flag("collect"))

        XCTAssertEqual(try parse("sweep Experiments/s.json --shard 2/4").string("shard"), "2/4")
        XCTAssertEqual(try parse("sweep Experiments/s.json --emit slurm").string("emit"), "slurm")

        let generate = try parse("generate Results/a/seed-0 --rows 10 --condition sex=F --condition age=30")
        XCTAssertEqual(generate.integer("rows"), 10)
        XCTAssertEqual(generate.strings("condition"), ["sex=F", "age=30"])

        let evaluate = try parse("evaluate --train tr.csv --test te.csv --synthetic s.csv")
        XCTAssertEqual([evaluate.string("train"), evaluate.string("test"), evaluate.string("synthetic")], ["tr.csv", "te.csv", "s.csv"])
        XCTAssertEqual(try parse("inspect d.csv").string("data"), "d.csv")
        XCTAssertEqual(try parse("validate c.json").string("config"), "c.json")
        XCTAssertEqual(try parse("bench kernels --json").path, ["tabcorr", "bench", "kernels"])
        let train = try parse("bench train --threads 2 --steps 20 --json")
        XCTAssertEqual(train.path, ["tabcorr", "bench", "train"])
        XCTAssertEqual([train.integer("threads"), train.integer("steps")], [2, 20])
        XCTAssertTrue(try parse("inspect d.csv --json").flag("json"))
    }

    func testVersionPrintsTheVersionAndExitsZero() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tabcorr-version-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try TabCorrBinary.run(["--version"], in: folder)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertEqual(outcome.stdout, "tabcorr \(TabCorrVersion.current)\n")
    }

    func testTypicalMistakes() {
        func message(_ line: String) -> String? {
            do { _ = try TabCorrCommands.parser.parse(line.split(separator: " ").map(String.init)); return nil } catch { return error.message }
        }
        XCTAssertEqual(message("run c.json --seed 1"), "unknown option '--seed'; did you mean '--seeds'?")
        XCTAssertEqual(message("generate m --condition a=b"), "missing '--rows <n>'")
        XCTAssertEqual(message("compare a --format html"), "invalid value 'html' for '--format <format>': expected one of md, csv, json")
        XCTAssertEqual(message("runn c.json"), "unknown subcommand 'runn'; did you mean 'run'?")
    }

    func testEveryCommandHasHelpWithExamplesWithinEightyColumns() throws {
        let root = TabCorrCommands.root
        for command in [root] + root.subcommands {
            let arguments = command.name == root.name ? ["--help"] : [command.name, "--help"]
            guard case .help(let text) = try TabCorrCommands.parser.parse(arguments) else { return XCTFail("\(command.name): no help") }
            XCTAssertTrue(text.contains("\nEXAMPLES:\n  tabcorr "), command.name)
            XCTAssertTrue(text.contains("  -h, --help            Show help information."), command.name)
            // Usage and example lines are single lines by design; everything else wraps at 80.
            let body = text.split(separator: "\n").filter { !$0.hasPrefix("USAGE: ") && !$0.hasPrefix("  tabcorr ") }
            for line in body { XCTAssertLessThanOrEqual(line.count, 80, "\(command.name): \(line)") }
        }
    }
}
