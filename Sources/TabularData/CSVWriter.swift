// Writes a `Table` as RFC 4180 CSV: original column order and names, numbers in the shortest text
// that reads back as the same Double (integers without ".0"), datetimes in their original layout,
// missing cells empty, fields quoted only when needed. File writes are atomic (temp file + rename).

import Foundation

public enum CSVWriter {
    /// The CSV text of `table` as UTF-8 bytes, lines ending in LF.
    /// - Parameters:
    ///   - delimiter: one ASCII character (default `,`).
    ///   - missing: text written for missing cells (default empty).
    public static func data(_ table: Table, delimiter: String = ",", missing: String = "") throws -> Data {
        var out = Data()
        try write(table, delimiter: delimiter, missing: missing) { out.append(contentsOf: $0) }
        return out
    }

    /// Writes `table` to `path` atomically: the text goes to a temporary file in the same folder,
    /// which is then renamed over `path`, so readers never see a half-written file.
    public static func write(_ table: Table, to path: String, delimiter: String = ",", missing: String = "") throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let temp = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        guard FileManager.default.createFile(atPath: temp.path, contents: nil) else {
            throw DataError.cannotWrite(file: path, reason: "cannot create \(temp.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temp)
            var failure: (any Error)?
            try write(table, delimiter: delimiter, missing: missing) { chunk in
                if failure != nil { return }
                do { try handle.write(contentsOf: chunk) } catch { failure = error }
            }
            try handle.close()
            if let failure { throw failure }
            if rename(temp.path, path) != 0 {
                throw DataError.cannotWrite(file: path, reason: String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            if let error = error as? DataError { throw error }
            throw DataError.cannotWrite(file: path, reason: error.localizedDescription)
        }
    }

    /// Streams the CSV text in chunks of about 1 MiB to `sink`.
    static func write(_ table: Table, delimiter: String, missing: String, sink: ([UInt8]) -> Void) throws {
        let delimiterByte = try CSVReadOptions(delimiter: delimiter).delimiterByte()
        let missingBytes = quoted(Array(missing.utf8), delimiter: delimiterByte)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        for (j, name) in table.columnNames.enumerated() {
            if j > 0 { buffer.append(delimiterByte) }
            buffer.append(contentsOf: quoted(Array(name.utf8), delimiter: delimiterByte))
        }
        buffer.append(UInt8(ascii: "\n"))
        // Level texts are quoted once per column, not once per cell.
        let levelTexts: [[[UInt8]]] = table.columns.map { column in
            if case .categorical(_, let levels) = column.values { return levels.map { quoted(Array($0.utf8), delimiter: delimiterByte) } }
            return []
        }
        let layouts: [DateTimeLayout?] = table.columns.map { column in
            if case .datetime(let format) = column.type { return DateTimeLayout(pattern: format) }
            return nil
        }
        for (j, column) in table.columns.enumerated() {
            if case .datetime(let format) = column.type, layouts[j] == nil {
                throw DataError.invalidOption(name: "column \(column.name) datetime format", reason: "\"\(format)\" is not a layout TabCorr writes (e.g. yyyy-MM-dd or yyyy-MM-dd'T'HH:mm:ss)")
            }
        }
        for row in 0..<table.rowCount {
            for (j, column) in table.columns.enumerated() {
                if j > 0 { buffer.append(delimiterByte) }
                switch column.values {
                case .numeric(let values):
                    let v = values[row]
                    if v.isNaN { buffer.append(contentsOf: missingBytes); continue }
                    if let layout = layouts[j] {
                        buffer.append(contentsOf: layout.format(v).utf8)
                    } else {
                        buffer.append(contentsOf: formatNumber(v, asInteger: column.type == .integer).utf8)
                    }
                case .categorical(let codes, _):
                    let code = codes[row]
                    buffer.append(contentsOf: code < 0 ? missingBytes : levelTexts[j][Int(code)])
                }
            }
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= 1 << 20 {
                sink(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !buffer.isEmpty { sink(buffer) }
    }

    /// `text` as one CSV field: quoted (inner quotes doubled) when it holds the delimiter, a quote,
    /// CR or LF. For other writers of CSV lines (logs, tables) so they quote as this writer does.
    public static func field(_ text: String, delimiter: UInt8 = UInt8(ascii: ",")) -> String {
        String(decoding: quoted(Array(text.utf8), delimiter: delimiter), as: UTF8.self)
    }

    /// The field as written: wrapped in quotes (inner quotes doubled) when it holds the
    /// delimiter, a quote, CR or LF.
    static func quoted(_ text: [UInt8], delimiter: UInt8) -> [UInt8] {
        let needsQuotes = text.contains { $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        guard needsQuotes else { return text }
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for b in text {
            out.append(b)
            if b == UInt8(ascii: "\"") { out.append(b) }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }
}
