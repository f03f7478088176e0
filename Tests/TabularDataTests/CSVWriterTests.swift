// Writing CSV: writer → reader round trips are exact (values, types, names, order, missing),
// numbers keep full precision, integers have no ".0", fields are quoted only when needed, and
// file writes are atomic (no temporary file left behind, an existing file replaced whole).

import Foundation
import XCTest
import TensorKit
import TestSupport
@testable import TabularData

final class CSVWriterTests: XCTestCase {
    func testQuotingOnlyWhenNeededAndIntegersWithoutPointZero() throws {
        let table = Table(columns: [
            Column(name: "a,b", type: .categorical, values: .categorical(codes: [0, 1, 2, -1], levels: ["plain", "with \"quote\"", "two\nlines"])),
            Column(name: "n", type: .integer, values: .numeric([1, -20, .nan, 3e15])),
            Column(name: "r", type: .real, values: .numeric([0.1, 2, 1e-7, .nan])),
        ])
        let text = String(decoding: try CSVWriter.data(table), as: UTF8.self)
        XCTAssertEqual(text, "\"a,b\",n,r\nplain,1,0.1\n\"with \"\"quote\"\"\",-20,2.0\n\"two\nlines\",,1e-07\n,3000000000000000,\n")
        // Integers beyond Int64 keep their digits (were written as 9.223372036854776e+18).
        let big = Table(columns: [Column(name: "n", type: .integer, values: .numeric([9_223_372_036_854_775_808, -1e19]))])
        XCTAssertEqual(String(decoding: try CSVWriter.data(big), as: UTF8.self), "n\n9223372036854775808\n-10000000000000000000\n")
    }

    func testReaderWriterTextRoundTripForEveryType() throws {
        // Each type written back in its original form: integers, shortest reals, booleans as read,
        // three datetime layouts, quoted text, missing cells empty.
        let text = #"""
        id,x,ok,day,stamp,exact,label
        1,0.1,yes,2024-02-29,2024-02-29T23:59:59Z,1999-12-31 00:00:00.250,"a, b"
        -7,,no,,1970-01-01T00:00:00Z,2000-01-01 12:30:05.000,"say ""x"""
        12345678901,3.0e-12,yes,1969-07-20,,1900-03-01 00:00:00.125,

        """#
        let result = try parseCSV(text)
        XCTAssertEqual(result.table.columns.map(\.type), [.integer, .real, .boolean, .datetime(format: "yyyy-MM-dd"),
                                                          .datetime(format: "yyyy-MM-dd'T'HH:mm:ss'Z'"), .datetime(format: "yyyy-MM-dd HH:mm:ss.SSS"), .categorical])
        // Reals are written in Swift's shortest round-tripping form: 3.0e-12 becomes 3e-12.
        XCTAssertEqual(String(decoding: try CSVWriter.data(result.table), as: UTF8.self), text.replacingOccurrences(of: "3.0e-12", with: "3e-12"))
    }

    func testWriterReaderRoundTripIsExactOnSeededRandomTables() throws {
        let alphabet = Array("ab ,\"\n\r;xé日")
        try withEverySeed(0..<5) { seed in
            var rng = RandomStream(seed: seed).child("csv-roundtrip")
            let rows = 1 + rng.nextInt(below: 40)
            let reals = (0..<rows).map { _ in rng.nextUniform() < 0.1 ? Double.nan : rng.nextNormal() * pow(10, Double(rng.nextInt(below: 20)) - 10) }
            var integers = (0..<rows).map { _ in rng.nextUniform() < 0.1 ? Double.nan : Double(rng.nextInt(below: 2_000_001) - 1_000_000) }
            integers[0] = 7  // keep at least one value
            let levelTexts = (0..<5).map { i in "L\(i)" + String((0..<rng.nextInt(below: 6)).map { _ in alphabet[rng.nextInt(below: alphabet.count)] }) }
            let codes = (0..<rows).map { _ in rng.nextUniform() < 0.1 ? Int32(-1) : Int32(rng.nextInt(below: levelTexts.count)) }
            let used = Set(codes.filter { $0 >= 0 })
            var original = Table(columns: [
                Column(name: "real \"x\"", type: .real, values: .numeric(reals)),
                Column(name: "int", type: .integer, values: .numeric(integers)),
                Column(name: "text,with comma", type: .categorical, values: .categorical(codes: codes, levels: levelTexts)),
                Column(name: "when", type: .datetime(format: "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"),
                       values: .numeric((0..<rows).map { _ in Double(rng.nextInt(below: 4_000_000_000_000)) / 1000 - 1_000_000_000 })),
            ])
            if used.isEmpty || reals.allSatisfy(\.isNaN) { return }
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("tabcorr-writer-\(seed).csv").path
            try CSVWriter.write(original, to: path)
            var options = CSVReadOptions()
            options.schema.overrides = ["real \"x\"": .real, "text,with comma": .categorical]
            let back = try CSVReader.read(file: path, options: options)
            // The reader drops unused levels and sorts levels; compare level texts per row.
            XCTAssertEqual(back["text,with comma"]!.texts, original.columns[2].texts, "seed \(seed)")
            original.columns[2] = back.columns[2]
            XCTAssertEqual(back.columnNames, original.columnNames, "seed \(seed)")
            XCTAssertEqual(back.columns.map(\.type), original.columns.map(\.type), "seed \(seed)")
            for j in [0, 1] {
                XCTAssertEqual(back.columns[j].numbers!.map { $0.bitPattern }, original.columns[j].numbers!.map { $0.isNaN ? Double.nan.bitPattern : $0.bitPattern }, "seed \(seed) column \(j)")
            }
            assertClose(back.columns[3].numbers!, original.columns[3].numbers!, rtol: 0, atol: 1e-6, "seed \(seed) datetime")
            try FileManager.default.removeItem(atPath: path)
        }
    }

    func testShippedDatasetsRoundTripByteForByte() throws {
        // Files whose numbers are already in shortest form come back identical.
        for name in ["iris.csv", "faithful.csv", "penguins.csv"] {
            let original = try Data(contentsOf: datasetsDirectory.appendingPathComponent(name))
            let written = try CSVWriter.data(try CSVReader.read(file: datasetPath(name)))
            // Level order changes nothing in the text; row order and values are kept.
            XCTAssertEqual(String(decoding: written, as: UTF8.self), String(decoding: original, as: UTF8.self), name)
        }
    }

    func testAtomicWriteReplacesFileAndLeavesNoTemporary() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tabcorr-atomic-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("out.csv").path
        try Data("old contents that are longer than the new ones\n".utf8).write(to: URL(fileURLWithPath: path))
        let table = Table(columns: [Column(name: "x", type: .integer, values: .numeric([1, 2]))])
        try CSVWriter.write(table, to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "x\n1\n2\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["out.csv"])
        if case .cannotWrite(let file, _)? = expectDataError({ try CSVWriter.write(table, to: folder.path + "/missing-dir/out.csv") }) {
            XCTAssertTrue(file.hasSuffix("missing-dir/out.csv"))
        } else {
            XCTFail("expected cannotWrite")
        }
    }
}
