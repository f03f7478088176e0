// RFC 4180 record scanner over raw bytes: splits a buffer into records and fields without making
// Strings, handling quoted fields (embedded delimiters, doubled quotes, newlines), CRLF, LF and
// lone CR line ends. Also validates UTF-8 and rejects NUL bytes. Typing of fields lives elsewhere.

/// Where one field's bytes are: in the scanned buffer, or (for quoted fields with doubled quotes,
/// which must be unescaped) in the record's scratch buffer.
struct FieldSpan {
    var start: Int
    var end: Int
    var inScratch: Bool
}

/// Byte-level RFC 4180 scanner. `next` fills `fields` with the spans of one record.
struct CSVScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let delimiter: UInt8
    let file: String
    private(set) var position: Int
    /// 1-based physical line the scanner is on.
    private(set) var line = 1
    /// 1-based physical line the last returned record started on.
    private(set) var recordLine = 1

    static let quote = UInt8(ascii: "\""), lineFeed = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    init(bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, file: String) {
        self.bytes = bytes
        self.delimiter = delimiter
        self.file = file
        // Skip a UTF-8 byte-order mark.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 } else { position = 0 }
    }

    var atEnd: Bool { position >= bytes.count }

    /// Scans the next record. Returns false at the end of input. A line with no bytes at all is
    /// returned as one empty field (callers decide whether to skip it).
    mutating func next(fields: inout [FieldSpan], scratch: inout [UInt8]) throws -> Bool {
        fields.removeAll(keepingCapacity: true)
        scratch.removeAll(keepingCapacity: true)
        if position >= bytes.count { return false }
        recordLine = line
        let count = bytes.count
        while true {
            let fieldNumber = fields.count + 1
            if position < count, bytes[position] == Self.quote {
                try scanQuoted(fields: &fields, scratch: &scratch, fieldNumber: fieldNumber)
            } else {
                let start = position
                while position < count {
                    let b = bytes[position]
                    if b == delimiter || b == Self.lineFeed || b == Self.carriageReturn { break }
                    position += 1
                }
                fields.append(FieldSpan(start: start, end: position, inScratch: false))
            }
            // After a field: delimiter, line end, or end of input.
            if position >= count { return true }
            let b = bytes[position]
            if b == delimiter {
                position += 1
                if position >= count { fields.append(FieldSpan(start: position, end: position, inScratch: false)); return true }
                continue
            }
            consumeLineEnd()
            return true
        }
    }

    private mutating func consumeLineEnd() {
        if bytes[position] == Self.carriageReturn {
            position += 1
            if position < bytes.count, bytes[position] == Self.lineFeed { position += 1 }
        } else {
            position += 1
        }
        line += 1
    }

    private mutating func scanQuoted(fields: inout [FieldSpan], scratch: inout [UInt8], fieldNumber: Int) throws {
        let openLine = line
        let count = bytes.count
        position += 1
        let contentStart = position
        var escaped = false
        var scratchStart = 0
        while true {
            guard position < count else {
                throw DataError.unterminatedQuote(CSVLocation(file: file, line: openLine, column: fieldNumber))
            }
            let b = bytes[position]
            if b == Self.quote {
                if position + 1 < count, bytes[position + 1] == Self.quote {
                    if !escaped {
                        escaped = true
                        scratchStart = scratch.count
                        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[contentStart..<position]))
                    }
                    scratch.append(Self.quote)
                    position += 2
                    continue
                }
                break
            }
            if b == Self.lineFeed || (b == Self.carriageReturn && !(position + 1 < count && bytes[position + 1] == Self.lineFeed)) {
                line += 1
            }
            if escaped { scratch.append(b) }
            position += 1
        }
        let contentEnd = position
        position += 1  // closing quote
        if position < count {
            let b = bytes[position]
            if b != delimiter && b != Self.lineFeed && b != Self.carriageReturn {
                throw DataError.textAfterClosingQuote(CSVLocation(file: file, line: line, column: fieldNumber))
            }
        }
        if escaped {
            fields.append(FieldSpan(start: scratchStart, end: scratch.count, inScratch: true))
        } else {
            fields.append(FieldSpan(start: contentStart, end: contentEnd, inScratch: false))
        }
    }
}

/// Throws `invalidUTF8` or `nulByte` (with the 1-based line) for the first bad byte in `bytes`.
func validateUTF8Text(_ bytes: UnsafeBufferPointer<UInt8>, file: String, releaser: inout PageReleaser) throws {
    func lineOf(_ offset: Int) -> Int {
        var line = 1
        for i in 0..<offset where bytes[i] == UInt8(ascii: "\n") { line += 1 }
        return line
    }
    let count = bytes.count
    var i = 0
    while i < count {
        let b = bytes[i]
        releaser.reached(i)
        if b < 0x80 {
            if b == 0 { throw DataError.nulByte(CSVLocation(file: file, line: lineOf(i))) }
            i += 1
            continue
        }
        // Expected continuation count and the allowed range of the first continuation byte.
        var need = 0
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch b {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED: need = 2; high = 0x9F
        case 0xF0: need = 3; low = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; high = 0x8F
        default: throw DataError.invalidUTF8(CSVLocation(file: file, line: lineOf(i)))
        }
        guard i + need < count else { throw DataError.invalidUTF8(CSVLocation(file: file, line: lineOf(i))) }
        let first = bytes[i + 1]
        guard first >= low && first <= high else { throw DataError.invalidUTF8(CSVLocation(file: file, line: lineOf(i))) }
        var k = 2
        while k <= need {
            guard bytes[i + k] & 0xC0 == 0x80 else { throw DataError.invalidUTF8(CSVLocation(file: file, line: lineOf(i))) }
            k += 1
        }
        i += need + 1
    }
}
