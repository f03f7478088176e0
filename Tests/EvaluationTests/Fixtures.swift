// Test-only loaders for the fixtures written by scripts/eval/make_fixtures.py: simple CSVs
// (no quoting; columns named cat_* are text, others numbers, empty = missing) and golden.json.
// Deliberately tiny: TabularData owns real CSV parsing.

import Foundation
import TabularData
import XCTest

enum Fixtures {
    static var directory: URL { Bundle.module.resourceURL!.appendingPathComponent("Fixtures") }

    /// Loads `<name>.csv`; categorical levels are listed in order of first appearance, or in
    /// reverse sorted order when `reverseLevels` (to exercise alignment by level string).
    static func table(_ name: String, reverseLevels: Bool = false) throws -> Table {
        let text = try String(contentsOf: directory.appendingPathComponent("\(name).csv"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0], rows = lines.dropFirst()
        return Table(columns: header.enumerated().map { c, name in
            let cells = rows.map { $0[c] }
            if name.hasPrefix("cat_") {
                var levels: [String] = []
                for cell in cells where !cell.isEmpty && !levels.contains(cell) { levels.append(cell) }
                if reverseLevels { levels = levels.sorted(by: >) }
                let codes = cells.map { cell in cell.isEmpty ? Int32(-1) : Int32(levels.firstIndex(of: cell)!) }
                return Column(name: name, type: .categorical, values: .categorical(codes: codes, levels: levels))
            }
            return Column(name: name, type: .real, values: .numeric(cells.map { $0.isEmpty ? .nan : Double($0)! }))
        })
    }

    /// The parsed golden.json.
    static func golden() throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent("golden.json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }
}

/// Walks a JSON path such as "pearson.synthetic.mean" through nested dictionaries.
func value(_ json: [String: Any], _ path: String) -> Any? {
    var current: Any? = json
    for key in path.split(separator: ".") { current = (current as? [String: Any])?[String(key)] }
    return current
}

/// A golden number (NSNull → nil).
func number(_ json: [String: Any], _ path: String, file: StaticString = #filePath, line: UInt = #line) -> Double? {
    guard let raw = value(json, path) else { XCTFail("golden.json lacks \(path)", file: file, line: line); return nil }
    return (raw as? NSNumber)?.doubleValue
}

/// A golden array of numbers, NaN where the JSON holds null.
func numbers(_ json: [String: Any], _ path: String, file: StaticString = #filePath, line: UInt = #line) -> [Double] {
    guard let raw = value(json, path) as? [Any] else { XCTFail("golden.json lacks array \(path)", file: file, line: line); return [] }
    return raw.map { ($0 as? NSNumber)?.doubleValue ?? .nan }
}

/// Asserts an optional figure equals a golden one (both nil, or both present and close).
func assertClose(_ actual: Double?, _ expected: Double?, tolerance: Double = 1e-9, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    switch (actual, expected) {
    case (nil, nil): return
    case let (a?, e?): XCTAssertEqual(a, e, accuracy: tolerance, message, file: file, line: line)
    default: XCTFail("\(String(describing: actual)) vs expected \(String(describing: expected)) \(message)", file: file, line: line)
    }
}

/// The three fixture tables, aligned (synthetic loaded with reversed level order).
func fixtureTables() throws -> (train: Table, test: Table, synthetic: Table) {
    (try Fixtures.table("train"), try Fixtures.table("test"), try Fixtures.table("synthetic", reverseLevels: true))
}
