// Reading a large generated CSV (scripts/data/make_big_csv.py; 1,000,000 × 20 by default) gives
// the shape, types, missing counts and column sums the generator recorded. Runs only when
// TABCORR_BIG_CSV names the file (it is too big to commit); then fits, encodes and decodes it.
// Prints the times, asserts none.

import Foundation
import XCTest
@testable import TabularData

final class LargeFileTests: XCTestCase {
    struct Expected: Decodable {
        struct ColumnFacts: Decodable { var missing: Int; var sum: Double?; var counts: [String: Int]? }
        var rows: Int
        var columns: [String]
        var expected: [String: ColumnFacts]
    }

    func testLargeFileMatchesGeneratorFacts() throws {
        guard let path = ProcessInfo.processInfo.environment["TABCORR_BIG_CSV"] else {
            throw XCTSkip("set TABCORR_BIG_CSV to a file written by scripts/data/make_big_csv.py")
        }
        let facts = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: URL(fileURLWithPath: path + ".expected.json")))
        let start = Date()
        let table = try CSVReader.read(file: path)
        print("read \(table.rowCount) × \(table.columnCount) from \(path) in \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
        XCTAssertEqual(table.rowCount, facts.rows)
        XCTAssertEqual(table.columnNames, facts.columns)
        for column in table.columns {
            let want = facts.expected[column.name]!
            XCTAssertEqual(column.missingCount, want.missing, column.name)
            if let sum = want.sum {
                let got = column.numbers!.filter { !$0.isNaN }.reduce(0, +)
                XCTAssertEqual(got, sum, accuracy: 1e-9 * max(1, abs(sum)) + 1e-3, column.name)
            }
            if let counts = want.counts {
                guard case .categorical(let codes, let levels) = column.values else { XCTFail("\(column.name) not categorical"); continue }
                var got: [String: Int] = [:]
                for c in codes { got[levels[Int(c)], default: 0] += 1 }
                XCTAssertEqual(got, counts, column.name)
            }
        }
        XCTAssertEqual(table["date"]?.type, .datetime(format: "yyyy-MM-dd"))
        XCTAssertEqual(table["int0"]?.type, .integer)

        // Fit, encode and decode at this size: missing cells and categories come back exactly.
        for kind in [NumericTransformKind.standard, .modeSpecific] {
            var clock = Date()
            let pipeline = try TransformPipeline.fit(table, options: TransformOptions(numeric: kind))
            let fitTime = Date().timeIntervalSince(clock)
            clock = Date()
            let encoded = try pipeline.encode(table)
            let encodeTime = Date().timeIntervalSince(clock)
            clock = Date()
            let back = pipeline.decode(encoded, rows: table.rowCount)
            print("\(kind): width \(pipeline.encodedWidth), fit \(String(format: "%.2f", fitTime)) s, encode \(String(format: "%.2f", encodeTime)) s, decode \(String(format: "%.2f", Date().timeIntervalSince(clock))) s")
            XCTAssertEqual(back.columns.map(\.missingCount), table.columns.map(\.missingCount), "\(kind)")
            XCTAssertEqual(back["text0"]!.values, table["text0"]!.values, "\(kind)")
            XCTAssertEqual(back["int1"]!.values, table["int1"]!.values, "\(kind)")
        }
    }
}
