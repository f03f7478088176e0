// A seeded mutation fuzzer for the parser fuzz tests (CSV reader, config loader): each input is a
// corpus entry with 1–4 mutations (bit flips, random or "interesting" bytes, dictionary tokens,
// deleted, duplicated or spliced ranges, truncation). TABCORR_FUZZ_ITERATIONS sets the run length
// (default 2,000 per parser); the long runs use libFuzzer instead (scripts/fuzz/run.sh).

import Foundation
import TensorKit
import XCTest

struct MutationFuzzer {
    var rng: RandomStream
    let corpus: [[UInt8]]
    let dictionary: [[UInt8]]
    static let interestingBytes: [UInt8] = [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x20, 0x22, 0x2C, 0x2D, 0x2E, 0x30, 0x39, 0x3B, 0x5C,
                                           0x65, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xEF, 0xF0, 0xF4, 0xF8, 0xFF]

    init(seed: UInt64, corpus: [String], dictionary: [String]) {
        rng = RandomStream(seed: seed).child("fuzz")
        self.corpus = corpus.map { Array($0.utf8) }
        self.dictionary = dictionary.map { Array($0.utf8) }
    }

    /// Number of inputs per parser: TABCORR_FUZZ_ITERATIONS, else `default`.
    static func iterations(default count: Int) -> Int {
        ProcessInfo.processInfo.environment["TABCORR_FUZZ_ITERATIONS"].flatMap(Int.init) ?? count
    }

    mutating func next() -> [UInt8] {
        var input = corpus[rng.nextInt(below: corpus.count)]
        for _ in 0...rng.nextInt(below: 4) { mutate(&input) }
        return input
    }

    private mutating func position(in input: [UInt8]) -> Int { rng.nextInt(below: input.count + 1) }

    private mutating func mutate(_ input: inout [UInt8]) {
        switch rng.nextInt(below: 8) {
        case 0 where !input.isEmpty:
            input[rng.nextInt(below: input.count)] ^= UInt8(1) << UInt8(rng.nextInt(below: 8))
        case 1 where !input.isEmpty:
            input[rng.nextInt(below: input.count)] = UInt8(truncatingIfNeeded: rng.next())
        case 2:
            input.insert(contentsOf: dictionary[rng.nextInt(below: dictionary.count)], at: position(in: input))
        case 3 where !input.isEmpty:
            let start = rng.nextInt(below: input.count)
            input.removeSubrange(start..<min(input.count, start + 1 + rng.nextInt(below: 16)))
        case 4 where !input.isEmpty:
            let start = rng.nextInt(below: input.count)
            let range = start..<min(input.count, start + 1 + rng.nextInt(below: 64))
            let copy = Array(input[range])
            input.insert(contentsOf: copy, at: position(in: input))
        case 5:
            input.removeSubrange(position(in: input)...)
        case 6:
            let other = corpus[rng.nextInt(below: corpus.count)]
            input = Array(input[..<position(in: input)]) + other[rng.nextInt(below: other.count + 1)...]
        default:
            let byte = Self.interestingBytes[rng.nextInt(below: Self.interestingBytes.count)]
            if input.isEmpty { input.append(byte) } else { input[rng.nextInt(below: input.count)] = byte }
        }
    }
}

final class FuzzMutatorTests: XCTestCase {
    /// The same seed gives the same inputs (a failure can be replayed), and mutations reach every
    /// kind of change: longer, shorter and same-length inputs, and bytes outside the corpus.
    func testMutationsAreSeededAndVaried() {
        var a = MutationFuzzer(seed: 7, corpus: ["a,b\n1,2\n"], dictionary: ["\"\""])
        var b = MutationFuzzer(seed: 7, corpus: ["a,b\n1,2\n"], dictionary: ["\"\""])
        let first = (0..<200).map { _ in a.next() }
        XCTAssertEqual(first, (0..<200).map { _ in b.next() })
        let original = Array("a,b\n1,2\n".utf8)
        XCTAssertTrue(first.contains { $0.count > original.count })
        XCTAssertTrue(first.contains { $0.count < original.count })
        XCTAssertTrue(first.contains { $0.count == original.count && $0 != original })
        XCTAssertTrue(first.contains { $0.contains { !original.contains($0) } })
    }
}
