// `inspect`: totals, per-column type/missing/range/levels, warnings (constant, ID-like, many
// categories, mostly missing) and the text and JSON renderings of the same content.

import Foundation
import XCTest
@testable import TabularData

final class InspectTests: XCTestCase {
    func testPenguinsInspection() throws {
        let report = try inspect(file: datasetPath("penguins.csv"))
        XCTAssertEqual(report.rows, 344)
        XCTAssertEqual(report.columnCount, 8)
        XCTAssertEqual(report.missingCells, 19)
        XCTAssertEqual(report.columns.map(\.type), ["categorical", "categorical", "real", "real", "real", "real", "categorical", "integer"])
        let species = report.columns[0]
        // Level counts of penguins.csv (Adelie 152, Gentoo 124, Chinstrap 68), most frequent first.
        XCTAssertEqual(species.levels, [LevelCount(level: "Adelie", count: 152), LevelCount(level: "Gentoo", count: 124), LevelCount(level: "Chinstrap", count: 68)])
        let year = report.columns[7]
        XCTAssertEqual(year.minimum, 2007)
        XCTAssertEqual(year.maximum, 2009)
        XCTAssertEqual(year.distinct, 3)
        let text = report.renderText()
        XCTAssertTrue(text.hasPrefix("\(datasetPath("penguins.csv")): 344 rows, 8 columns, 19 missing cells\n"), text)
        XCTAssertTrue(text.contains("year"), text)
        XCTAssertTrue(text.contains("typed: integers with 3 distinct values (2007…2009)"), text)
        XCTAssertTrue(text.contains("3 levels: Adelie (152), Gentoo (124), Chinstrap (68)"), text)
        let decoded = try JSONDecoder().decode(TableInspection.self, from: Data(try report.renderJSON().utf8))
        XCTAssertEqual(decoded, report)
    }

    func testConstantColumnWarningOnDigits() throws {
        let report = try inspect(file: datasetPath("digits.csv"))
        let pixel = report.columns.first { $0.name == "pixel_0_0" }!
        XCTAssertEqual(pixel.minimum, 0)
        XCTAssertEqual(pixel.maximum, 0)
        XCTAssertTrue(pixel.warnings.contains { $0.hasPrefix("constant column") })
        XCTAssertTrue(report.columns.first { $0.name == "target" }!.warnings.isEmpty)
    }

    func testIDLikeManyCategoriesAndMostlyMissingWarnings() throws {
        let rows = (0..<60).map { i in "\(1000 + i),user\(i),\(i % 2 == 0 ? "" : "x"),\(i < 40 ? "" : "\(i)")" }
        let result = try parseCSV("id,name,half,late\n" + rows.joined(separator: "\n") + "\n")
        let report = inspect(result, source: "t.csv")
        XCTAssertTrue(report.columns[0].warnings.contains { $0.hasPrefix("ID-like") })
        XCTAssertTrue(report.columns[1].warnings.contains { $0.hasPrefix("ID-like") })
        XCTAssertTrue(report.columns[1].warnings.contains { $0.hasPrefix("very many categories (60)") })
        XCTAssertTrue(report.columns[2].warnings.contains { $0.hasPrefix("constant column") })
        XCTAssertFalse(report.columns[2].warnings.contains { $0.hasPrefix("mostly missing") })  // exactly half
        XCTAssertTrue(report.columns[3].warnings.contains { $0.hasPrefix("mostly missing: 40 of 60") })
        XCTAssertEqual(report.missingCells, 30 + 40)
    }

    func testDatetimeRangeIsShownInItsLayout() throws {
        let report = inspect(try parseCSV("d\n2024-03-01\n2023-12-31\n"), source: "d.csv")
        XCTAssertEqual(report.columns[0].type, "datetime(yyyy-MM-dd)")
        XCTAssertEqual(report.columns[0].rangeText, "2023-12-31 … 2024-03-01")
    }
}
