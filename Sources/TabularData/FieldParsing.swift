// Parsing one field's bytes as a number, a boolean token, or an ISO 8601 date/date-time, and
// formatting those values back. Works on raw UTF-8 bytes so reading never builds Strings for
// numeric columns. Dates use the proleptic Gregorian calendar in UTC (no time-zone offsets).

import Foundation

/// What the bytes of a non-missing field look like as a number.
enum NumberSyntax {
    /// Optional sign and digits only.
    case integer
    /// Decimal with a point and/or an exponent.
    case real
    case notNumber
}

/// Classifies `field` as integer, real or not a number (no Strings, no allocation).
/// Accepts `[+-]digits[.digits][(e|E)[+-]digits]` and `[+-].digits…`; rejects inf/nan/hex/spaces.
func numberSyntax(_ field: UnsafeBufferPointer<UInt8>) -> NumberSyntax {
    let n = field.count
    var i = 0
    if i < n, field[i] == UInt8(ascii: "+") || field[i] == UInt8(ascii: "-") { i += 1 }
    var digits = 0
    while i < n, field[i] &- 48 < 10 { i += 1; digits += 1 }
    var isInteger = true
    if i < n, field[i] == UInt8(ascii: ".") {
        isInteger = false
        i += 1
        while i < n, field[i] &- 48 < 10 { i += 1; digits += 1 }
    }
    if digits == 0 { return .notNumber }
    if i < n, field[i] == UInt8(ascii: "e") || field[i] == UInt8(ascii: "E") {
        isInteger = false
        i += 1
        if i < n, field[i] == UInt8(ascii: "+") || field[i] == UInt8(ascii: "-") { i += 1 }
        var expDigits = 0
        while i < n, field[i] &- 48 < 10 { i += 1; expDigits += 1 }
        if expDigits == 0 { return .notNumber }
    }
    if i != n { return .notNumber }
    return isInteger ? .integer : .real
}

/// Parses a field already classified as a number. Short integers are accumulated exactly; the rest
/// go through `strtod` (correctly rounded), using `scratch` as the NUL-terminated copy.
func parseNumber(_ field: UnsafeBufferPointer<UInt8>, syntax: NumberSyntax, scratch: inout [CChar]) -> Double {
    if syntax == .integer && field.count <= 16 {
        var i = 0
        var negative = false
        if field[0] == UInt8(ascii: "-") { negative = true; i = 1 } else if field[0] == UInt8(ascii: "+") { i = 1 }
        var value: Int64 = 0
        while i < field.count { value = value * 10 + Int64(field[i] &- 48); i += 1 }
        return Double(negative ? -value : value)
    }
    if scratch.count < field.count + 1 { scratch = [CChar](repeating: 0, count: field.count + 1) }
    return scratch.withUnsafeMutableBufferPointer { buffer -> Double in
        for i in 0..<field.count { buffer[i] = CChar(bitPattern: field[i]) }
        buffer[field.count] = 0
        return strtod(buffer.baseAddress!, nil)
    }
}

/// True for `true`/`false`/`yes`/`no` in any letter case.
func isBooleanToken(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
    let n = field.count
    guard n == 2 || n == 3 || n == 4 || n == 5 else { return false }
    var lower: (UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0)
    withUnsafeMutableBytes(of: &lower) { raw in
        for i in 0..<n { raw[i] = field[i] | 0x20 }
    }
    switch (n, lower.0, lower.1, lower.2, lower.3, lower.4) {
    case (4, 0x74, 0x72, 0x75, 0x65, _): return true   // true
    case (5, 0x66, 0x61, 0x6C, 0x73, 0x65): return true // false
    case (3, 0x79, 0x65, 0x73, _, _): return true       // yes
    case (2, 0x6E, 0x6F, _, _, _): return true          // no
    default: return false
    }
}

/// The ISO 8601 layouts TabCorr reads and writes: `yyyy-MM-dd`, optionally followed by `T` or a
/// space, `HH:mm:ss`, 1–9 fraction digits, and a literal `Z`. `pattern` is the format recorded
/// in `ColumnType.datetime(format:)`, e.g. `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`.
struct DateTimeLayout: Equatable {
    var hasTime: Bool
    var separator: UInt8
    var fractionDigits: Int
    var zulu: Bool

    var pattern: String {
        guard hasTime else { return "yyyy-MM-dd" }
        var p = separator == UInt8(ascii: "T") ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd HH:mm:ss"
        if fractionDigits > 0 { p += "." + String(repeating: "S", count: fractionDigits) }
        if zulu { p += "'Z'" }
        return p
    }

    /// Reads back a `pattern` produced above; nil for anything else.
    init?(pattern: String) {
        let candidates: [DateTimeLayout] = [DateTimeLayout(hasTime: false, separator: 0, fractionDigits: 0, zulu: false)]
            + [UInt8(ascii: "T"), UInt8(ascii: " ")].flatMap { sep in
                (0...9).flatMap { digits in [false, true].map { DateTimeLayout(hasTime: true, separator: sep, fractionDigits: digits, zulu: $0) } }
            }
        guard let match = candidates.first(where: { $0.pattern == pattern }) else { return nil }
        self = match
    }

    init(hasTime: Bool, separator: UInt8, fractionDigits: Int, zulu: Bool) {
        self.hasTime = hasTime
        self.separator = separator
        self.fractionDigits = fractionDigits
        self.zulu = zulu
    }

    /// Parses `field`; returns its layout and seconds since 1970-01-01T00:00:00Z, or nil.
    static func parse(_ field: UnsafeBufferPointer<UInt8>) -> (layout: DateTimeLayout, seconds: Double)? {
        let n = field.count
        guard n >= 10 else { return nil }
        func digits(_ from: Int, _ count: Int) -> Int? {
            var v = 0
            for i in from..<(from + count) {
                let d = field[i] &- 48
                if d >= 10 { return nil }
                v = v * 10 + Int(d)
            }
            return v
        }
        guard let year = digits(0, 4), field[4] == UInt8(ascii: "-"), let month = digits(5, 2), field[7] == UInt8(ascii: "-"),
              let day = digits(8, 2), (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month)
        else { return nil }
        let dayNumber = Double(daysFromCivil(year: year, month: month, day: day))
        if n == 10 { return (DateTimeLayout(hasTime: false, separator: 0, fractionDigits: 0, zulu: false), dayNumber * 86_400) }
        let sep = field[10]
        guard n >= 19, sep == UInt8(ascii: "T") || sep == UInt8(ascii: " "),
              let hour = digits(11, 2), field[13] == UInt8(ascii: ":"), let minute = digits(14, 2), field[16] == UInt8(ascii: ":"),
              let second = digits(17, 2), hour < 24, minute < 60, second < 60
        else { return nil }
        var i = 19
        var fraction = 0.0, fractionDigits = 0
        if i < n, field[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            while i < n, field[i] &- 48 < 10, fractionDigits < 9 {
                fraction += Double(field[i] &- 48) * scale
                scale /= 10
                fractionDigits += 1
                i += 1
            }
            if fractionDigits == 0 { return nil }
        }
        var zulu = false
        if i < n, field[i] == UInt8(ascii: "Z") { zulu = true; i += 1 }
        guard i == n else { return nil }
        let seconds = dayNumber * 86_400 + Double(hour * 3600 + minute * 60 + second) + fraction
        return (DateTimeLayout(hasTime: true, separator: sep, fractionDigits: fractionDigits, zulu: zulu), seconds)
    }

    /// Smallest step this layout can show, in seconds (86,400 for dates).
    var resolution: Double {
        hasTime ? pow(10, -Double(fractionDigits)) : 86_400
    }

    /// Formats seconds since 1970 in this layout, rounding to `resolution`.
    func format(_ seconds: Double) -> String {
        let ticksPerSecond = Int64(pow(10, Double(fractionDigits)).rounded())
        let ticks = hasTime ? Int64((seconds * Double(ticksPerSecond)).rounded()) : Int64((seconds / 86_400).rounded()) * 86_400 * ticksPerSecond
        let totalSeconds = floorDiv(ticks, ticksPerSecond)
        let fractionTicks = ticks - totalSeconds * ticksPerSecond
        let days = floorDiv(totalSeconds, 86_400)
        let secondOfDay = Int(totalSeconds - days * 86_400)
        let (y, m, d) = civilFromDays(Int(days))
        var text = pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
        guard hasTime else { return text }
        text += String(UnicodeScalar(separator))
        text += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if fractionDigits > 0 { text += "." + pad(Int(fractionTicks), fractionDigits) }
        if zulu { text += "Z" }
        return text
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let s = String(value)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

private func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}

/// Inverse of `daysFromCivil`.
func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp + (mp < 10 ? 3 : -9)
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
}

/// Shortest text that reads back as the same Double; integral values of integer columns
/// without a trailing ".0".
func formatNumber(_ value: Double, asInteger: Bool) -> String {
    if asInteger, value.rounded() == value {
        // Beyond Int64 the exact digits of the double, never exponent notation in an integer column.
        return abs(value) < 9.0e18 ? String(Int64(value)) : String(format: "%.0f", value)
    }
    return value.description
}
