// Schema inference on every shipped dataset agrees with the provenance README's table (rows,
// columns, numeric / categorical counts, missing cells), read from the README itself; penguins
// is checked column by column, including how `year` is typed and why.

import Foundation
import XCTest
@testable import TabularData

final class DatasetInferenceTests: XCTestCase {
    struct Expected { var file: String; var rows: Int; var columns: Int; var numeric: Int; var categorical: Int; var missing: Int }

    /// The README's dataset table: `| file | rows | columns | numeric / categorical | missing cells | …`.
    func readmeTable() throws -> [Expected] {
        let text = try String(contentsOf: datasetsDirectory.appendingPathComponent("README.md"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line -> Expected? in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > 5, cells[0].hasSuffix(".csv") else { return nil }
            func int(_ s: String) -> Int { Int(s.replacingOccurrences(of: ",", with: ""))! }
            let split = cells[3].split(separator: "/").map { int($0.trimmingCharacters(in: .whitespaces)) }
            return Expected(file: cells[0], rows: int(cells[1]), columns: int(cells[2]), numeric: split[0], categorical: split[1], missing: int(cells[4]))
        }
    }

    func testEveryShippedDatasetMatchesTheProvenanceReadme() throws {
        let expected = try readmeTable()
        let files = try FileManager.default.contentsOfDirectory(atPath: datasetsDirectory.path).filter { $0.hasSuffix(".csv") }.sorted()
        XCTAssertEqual(expected.map(\.file).sorted(), files, "README table and shipped files differ")
        for e in expected {
            let table = try CSVReader.read(file: datasetPath(e.file))
            XCTAssertEqual(table.rowCount, e.rows, e.file)
            XCTAssertEqual(table.columnCount, e.columns, e.file)
            XCTAssertEqual(table.columns.filter { $0.type.isNumeric }.count, e.numeric, e.file)
            XCTAssertEqual(table.columns.filter { !$0.type.isNumeric }.count, e.categorical, e.file)
            XCTAssertEqual(table.missingCount, e.missing, e.file)
        }
    }

    func testPenguinsColumnByColumn() throws {
        let result = try CSVReader.readWithInference(file: datasetPath("penguins.csv"))
        let table = result.table
        XCTAssertEqual(table.columnNames, ["species", "island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex", "year"])
        for name in ["species", "island", "sex"] { XCTAssertEqual(table[name]!.type, .categorical, name) }
        for name in ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"] { XCTAssertEqual(table[name]!.type, .real, name) }
        guard case .categorical(_, let species) = table["species"]!.values, case .categorical(_, let sex) = table["sex"]!.values else {
            return XCTFail("species/sex not categorical")
        }
        XCTAssertEqual(species, ["Adelie", "Chinstrap", "Gentoo"])
        XCTAssertEqual(sex, ["female", "male"])
        // README: 2 rows miss all four measurements, 11 rows miss sex → 2·4 + 11 = 19.
        XCTAssertEqual(table["sex"]!.missingCount, 11)
        XCTAssertEqual(table["body_mass_g"]!.missingCount, 2)
        XCTAssertEqual(table.missingCount, 19)
        // year: integer codes with 3 distinct values stay numeric by default, and the reason says so.
        XCTAssertEqual(table["year"]!.type, .integer)
        let year = result.inferences[7]
        XCTAssertEqual(year.distinctValues, 3)
        XCTAssertTrue(year.reason.contains("3 distinct values (2007…2009)"), year.reason)
        XCTAssertTrue(year.reason.contains("data.categoricalIntegerThreshold"), year.reason)
    }

    func testPenguinsYearBecomesCategoricalWithThresholdOrOverride() throws {
        var options = CSVReadOptions()
        options.schema.integerCategoricalMaxLevels = 3
        let byThreshold = try CSVReader.read(file: datasetPath("penguins.csv"), options: options)
        guard case .categorical(_, let levels) = byThreshold["year"]!.values else { return XCTFail("year not categorical") }
        XCTAssertEqual(levels, ["2007", "2008", "2009"])
        options.schema.integerCategoricalMaxLevels = 2
        XCTAssertEqual(try CSVReader.read(file: datasetPath("penguins.csv"), options: options)["year"]!.type, .integer)
        options.schema.overrides = ["year": .categorical]
        XCTAssertEqual(try CSVReader.read(file: datasetPath("penguins.csv"), options: options)["year"]!.type, .categorical)
    }
}
