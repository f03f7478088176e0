// The README stays the front door: it keeps the sections a researcher starts from, documents every
// command of the tool, every results row it shows is a row of a generated, committed table, and
// each "Extending TabCorr" recipe names tests that exist.

import XCTest
@testable import Lab

final class DocumentationTests: XCTestCase {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func readme() throws -> String {
        try String(contentsOf: repository.appendingPathComponent("README.md"), encoding: .utf8)
    }

    func testReadmeKeepsItsSections() throws {
        let headings = Set(try readme().split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) })
        for section in ["Set-up (two commands)", "A five-minute tour", "Command reference", "Configs", "The seed examples",
                        "Metrics", "Results", "Performance", "Extending TabCorr", "Known limits"] {
            XCTAssertTrue(headings.contains(section), "README.md lost its section \"## \(section)\"")
        }
    }

    func testReadmeDocumentsEveryCommand() throws {
        let text = try readme()
        func visit(_ command: Command, path: [String]) {
            let invocation = (path + [command.name]).joined(separator: " ")
            if command.subcommands.isEmpty {
                XCTAssertTrue(text.contains("`\(invocation)"), "README.md's command reference does not mention `\(invocation)`")
            }
            for sub in command.subcommands { visit(sub, path: path + [command.name]) }
        }
        visit(TabCorrCommands.root, path: [])
    }

    /// Every results row in the README (a table row with a "0.123 ± 0.004" cell) appears verbatim in a
    /// committed `Results/<suite>/table.md`, whole or cut after a cell (the README's main-table
    /// blocks show TabCorr's own columns, the peers have a section of their own), so no number
    /// there is typed by hand.
    func testReadmeResultRowsComeFromCommittedTables() throws {
        let results = repository.appendingPathComponent("Results")
        var generatedRows = Set<Substring>()
        for suite in try FileManager.default.contentsOfDirectory(atPath: results.path) {
            let table = results.appendingPathComponent(suite).appendingPathComponent("table.md")
            guard let text = try? String(contentsOf: table, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") {
                generatedRows.insert(line)
                guard line.hasPrefix("| ") else { continue }
                for bar in line.indices.dropFirst() where line[bar] == "|" { generatedRows.insert(line[...bar]) }
            }
        }
        XCTAssertFalse(generatedRows.isEmpty, "no committed Results/<suite>/table.md found")
        let meanAndStd = /^\**-?[0-9]+\.[0-9]+ ± [0-9]+\.[0-9]+\**$/
        let shown = try readme().split(separator: "\n").filter { line in
            line.hasPrefix("| ") && line.split(separator: "|").contains { $0.trimmingCharacters(in: .whitespaces).wholeMatch(of: meanAndStd) != nil }
        }
        XCTAssertFalse(shown.isEmpty, "README.md shows no results table")
        for row in shown {
            XCTAssertTrue(generatedRows.contains(row), "README.md row is not in any Results/*/table.md: \(row)")
        }
    }

    /// Each "Extending TabCorr" recipe names at least one test (`SomeTests` or
    /// `SomeTests.testSomething`), and each named test exists under Tests/.
    func testEveryExtendingRecipeNamesTestsThatExist() throws {
        let text = try readme()
        let start = try XCTUnwrap(text.range(of: "## Extending TabCorr\n"))
        let section = text[start.upperBound...].split(separator: "\n## ", maxSplits: 1)[0]
        let recipes = section.split(separator: "\n- **")
        XCTAssertEqual(recipes.count, 4, "a layer, a generator, a generator loss term, a metric")
        let tests = try FileManager.default.subpathsOfDirectory(atPath: repository.appendingPathComponent("Tests").path)
            .filter { $0.hasSuffix(".swift") }
            .map { try String(contentsOf: repository.appendingPathComponent("Tests").appendingPathComponent($0), encoding: .utf8) }
        for recipe in recipes {
            let named = recipe.matches(of: /`([A-Z][A-Za-z]*Tests)(?:\.(test[A-Za-z0-9]*))?`/)
            XCTAssertFalse(named.isEmpty, "recipe names no test: \(recipe.prefix(40))")
            for match in named {
                let (type, method) = (match.output.1, match.output.2)
                let declared = tests.contains { file in
                    file.contains("class \(type)") && method.map { file.contains("func \($0)(") } ?? true
                }
                XCTAssertTrue(declared, "README names \(match.output.0), which no test file declares")
            }
        }
    }
}
