// Typed errors for reading, typing, transforming and splitting tables. Each message names where
// the problem is (file, 1-based line and column, or column name) and says what to do about it.

/// Where in a CSV file something went wrong: 1-based physical line, and 1-based field number.
public struct CSVLocation: Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int?

    public init(file: String, line: Int, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        if let column { return "\(file):\(line), field \(column)" }
        return "\(file):\(line)"
    }
}

/// Everything that can go wrong in `TabularData`, each case with a message that says what to do.
public enum DataError: Error, Equatable, CustomStringConvertible {
    case cannotRead(file: String, reason: String)
    case cannotWrite(file: String, reason: String)
    case emptyFile(file: String)
    case headerOnly(file: String)
    case raggedRow(CSVLocation, expected: Int, found: Int)
    case unterminatedQuote(CSVLocation)
    case textAfterClosingQuote(CSVLocation)
    case invalidUTF8(CSVLocation)
    case nulByte(CSVLocation)
    case duplicateColumnName(file: String, name: String, firstField: Int, secondField: Int)
    case likelyOtherDelimiter(file: String, header: String, delimiter: String, likely: String)
    case notNumeric(CSVLocation, columnName: String, value: String, requested: String)
    case allMissing(file: String, columnName: String)
    case numberOutOfRange(CSVLocation, columnName: String, value: String)
    case unknownColumn(name: String, known: [String])
    case invalidOption(name: String, reason: String)
    case schemaMismatch(columnName: String, reason: String)
    case unseenLevel(columnName: String, level: String)
    case encodedShape(expected: Int, found: Int, rows: Int)

    public var description: String {
        switch self {
        case .cannotRead(let file, let reason):
            return "\(file): cannot read the file (\(reason)). Check the path and its permissions."
        case .cannotWrite(let file, let reason):
            return "\(file): cannot write the file (\(reason)). Check that the folder exists and is writable."
        case .emptyFile(let file):
            return "\(file):1: the file is empty. A CSV file needs a header row and at least one data row."
        case .headerOnly(let file):
            return "\(file):2: the file has a header row but no data rows. Add data rows below the header."
        case .raggedRow(let loc, let expected, let found):
            return "\(loc): this row has \(found) fields but the header has \(expected). "
                + "Quote fields that contain the delimiter, or fix the row so every row has \(expected) fields."
        case .unterminatedQuote(let loc):
            return "\(loc): a quoted field opened here is never closed. "
                + "Add the closing double quote, and write quotes inside a quoted field as two double quotes (\"\")."
        case .textAfterClosingQuote(let loc):
            return "\(loc): text follows a closing double quote before the next delimiter. "
                + "Quote the whole field and double every quote inside it (\"\")."
        case .invalidUTF8(let loc):
            return "\(loc): the bytes here are not valid UTF-8. Re-save the file as UTF-8."
        case .nulByte(let loc):
            return "\(loc): the file contains a NUL byte, so it is probably binary or UTF-16. Re-save it as UTF-8 text."
        case .duplicateColumnName(let file, let name, let first, let second):
            return "\(file):1: column name \"\(name)\" appears in header fields \(first) and \(second). "
                + "Rename one of them so every column name is unique."
        case .likelyOtherDelimiter(let file, let header, let delimiter, let likely):
            let shown = header.count > 40 ? String(header.prefix(37)) + "..." : header
            return "\(file):1: with the delimiter \"\(delimiter)\" the header is one column, \"\(shown)\", which contains \"\(likely)\": "
                + "the file looks \"\(likely)\"-delimited. Set the delimiter to \"\(likely)\" (data.delimiter in a config, --delimiter for inspect), "
                + "or rename the column if it really is one column."
        case .notNumeric(let loc, let columnName, let value, let requested):
            return "\(loc): column \"\(columnName)\" is overridden as \(requested) but holds the text \"\(value)\". "
                + "Fix the value, add it to the missing tokens, or drop the override so the column is read as categorical."
        case .allMissing(let file, let columnName):
            return "\(file): column \"\(columnName)\" has no values (every cell is missing). "
                + "Drop the column, or check the missing tokens and the delimiter."
        case .numberOutOfRange(let loc, let columnName, let value):
            return "\(loc): column \"\(columnName)\" holds \"\(value)\", which is too large for a 64-bit floating-point number. "
                + "Fix the value (|x| must stay below 1.8e308), or add it to the missing tokens."
        case .unknownColumn(let name, let known):
            return "no column named \"\(name)\"; the columns are: \(known.joined(separator: ", ")). Check the spelling in the config."
        case .invalidOption(let name, let reason):
            return "option \(name): \(reason)"
        case .schemaMismatch(let columnName, let reason):
            return "column \"\(columnName)\": \(reason). Encode tables with the same columns and types as the table the pipeline was fitted on."
        case .unseenLevel(let columnName, let level):
            return "column \"\(columnName)\": level \"\(level)\" never occurs in the train split. "
                + "Set unseenLevels to .missing or .mostFrequent to map such levels instead of failing."
        case .encodedShape(let expected, let found, let rows):
            return "encoded matrix has \(found) values, but \(rows) rows of width \(expected) need \(rows * expected)."
        }
    }
}
