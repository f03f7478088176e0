// Builds a categorical column from field bytes: interns texts to Int32 codes with a hard limit on
// distinct texts held, then orders levels (numerically when every level is a number, else by
// text) and groups rare levels into an "other" level when there are more than `maxLevels`.

import Foundation

struct TextColumnBuilder {
    private var codes: [Int32] = []
    private var index: [String: Int32] = [:]
    private var levels: [String] = []
    private let limit: Int
    private let otherLevel: String
    /// Cells whose text arrived after `limit` distinct texts were held.
    private(set) var overflowCells = 0
    /// Distinct texts that came from the data (not the other level added for overflow).
    private var textsSeen = 0

    init(capacity: Int, limit: Int, otherLevel: String) {
        codes.reserveCapacity(capacity)
        self.limit = limit
        self.otherLevel = otherLevel
    }

    mutating func appendMissing() { codes.append(-1) }

    mutating func append(_ field: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: field, as: UTF8.self)
        if let code = index[text] { codes.append(code); return }
        if textsSeen >= limit {
            overflowCells += 1
            codes.append(code(of: otherLevel))
            return
        }
        textsSeen += 1
        codes.append(code(of: text))
    }

    private mutating func code(of text: String) -> Int32 {
        if let code = index[text] { return code }
        let code = Int32(levels.count)
        index[text] = code
        levels.append(text)
        return code
    }

    struct Result {
        var codes: [Int32]
        var levels: [String]
        /// Distinct texts held while reading (at most `limit`).
        var distinctSeen: Int
        var groupedLevels: Int
        var groupedCells: Int
        var overflowCells: Int
    }

    /// Sorted levels, with all but the `maxLevels − 1` most frequent grouped into `otherLevel`
    /// when there are more than `maxLevels`.
    func finish(maxLevels: Int) -> Result {
        var counts = [Int](repeating: 0, count: levels.count)
        for c in codes where c >= 0 { counts[Int(c)] += 1 }
        let order = sortedLevelOrder(levels)
        var keep = [Bool](repeating: true, count: levels.count)
        var groupedLevels = 0, groupedCells = 0
        let otherCode = index[otherLevel]
        if levels.count > maxLevels || overflowCells > 0 {
            // Most frequent first; ties keep the sorted order.
            var rank = [Int](repeating: 0, count: levels.count)
            for (r, code) in order.enumerated() { rank[code] = r }
            let byFrequency = (0..<levels.count).filter { $0 != otherCode.map(Int.init) }
                .sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : rank[$0] < rank[$1] }
            for code in byFrequency.dropFirst(maxLevels - 1) {
                keep[code] = false
                groupedLevels += 1
                groupedCells += counts[code]
            }
        }
        // New codes: kept levels in sorted order, then the other level if anything was grouped.
        let needsOther = groupedLevels > 0 || overflowCells > 0
        let groupedInto = needsOther ? otherCode.map(Int.init) : nil
        var remap = [Int32](repeating: -1, count: levels.count)
        var newLevels: [String] = []
        for code in order where keep[code] && code != groupedInto {
            remap[code] = Int32(newLevels.count)
            newLevels.append(levels[code])
        }
        if needsOther {
            let other = Int32(newLevels.count)
            newLevels.append(otherLevel)
            for code in 0..<levels.count where remap[code] < 0 { remap[code] = other }
        }
        let newCodes = codes.map { $0 < 0 ? -1 : remap[Int($0)] }
        return Result(codes: newCodes, levels: newLevels, distinctSeen: textsSeen, groupedLevels: groupedLevels,
                      groupedCells: groupedCells + overflowCells, overflowCells: overflowCells)
    }
}

/// Level indices in display order: numeric order when every level reads as a number, else
/// ordinary string order (deterministic across runs, unlike Set/Dictionary order).
func sortedLevelOrder(_ levels: [String]) -> [Int] {
    let numbers = levels.map { Double($0) }
    if numbers.allSatisfy({ $0 != nil }) {
        return levels.indices.sorted { numbers[$0]! != numbers[$1]! ? numbers[$0]! < numbers[$1]! : levels[$0] < levels[$1] }
    }
    return levels.indices.sorted { levels[$0] < levels[$1] }
}
