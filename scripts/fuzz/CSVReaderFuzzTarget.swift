// libFuzzer entry point for the CSV reader, compiled into one module with Sources/TabularData by
// scripts/fuzz/run.sh. Every input must parse into a consistent table or throw DataError; anything
// else (a trap, a foreign error, an infinite value, a code past the levels) aborts as a finding.

import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVReader(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let data = Data(bytes: bytes, count: size)
    var options = CSVReadOptions()
    // The first byte picks the delimiter, so all three are explored.
    options.delimiter = size > 0 ? [",", ";", "\t"][Int(bytes[0]) % 3] : ","
    do {
        let result = try CSVReader.parse(data, source: "fuzz.csv", options: options)
        let rows = result.table.rowCount
        for column in result.table.columns {
            switch column.values {
            case .numeric(let values):
                if values.count != rows || values.contains(where: \.isInfinite) { fatalError("inconsistent numeric column \(column.name)") }
            case .categorical(let codes, let levels):
                if codes.count != rows || codes.contains(where: { Int($0) >= levels.count }) { fatalError("inconsistent categorical column \(column.name)") }
            }
        }
    } catch is DataError {
    } catch {
        fatalError("CSVReader threw \(type(of: error)), not DataError: \(error)")
    }
    return 0
}
