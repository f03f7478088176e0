// Helpers shared by the TabularData tests: parsing CSV text held in a string, locating the
// repository's Experiments/datasets folder from this file's path, and catching typed errors.

import Foundation
import XCTest
@testable import TabularData

/// `Experiments/datasets` of the repository this test file lives in.
let datasetsDirectory: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Experiments/datasets")

func datasetPath(_ file: String) -> String { datasetsDirectory.appendingPathComponent(file).path }

/// Parses `text` as CSV named "test.csv" in error messages.
func parseCSV(_ text: String, options: CSVReadOptions = CSVReadOptions()) throws -> CSVReadResult {
    try CSVReader.parse(Data(text.utf8), source: "test.csv", options: options)
}

/// The `DataError` that `body` throws, or a failure if it throws nothing or something else.
func expectDataError(_ body: () throws -> Any, file: StaticString = #filePath, line: UInt = #line) -> DataError? {
    do {
        _ = try body()
        XCTFail("expected a DataError, got success", file: file, line: line)
    } catch let error as DataError {
        return error
    } catch {
        XCTFail("expected a DataError, got \(error)", file: file, line: line)
    }
    return nil
}

extension Column {
    /// Level text of each row (nil = missing) of a categorical column.
    var texts: [String?] {
        guard case .categorical(let codes, let levels) = values else { return [] }
        return codes.map { $0 < 0 ? nil : levels[Int($0)] }
    }
}
