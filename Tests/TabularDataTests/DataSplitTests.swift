// Splits: the peer protocol (first round(0.8 n) of the seeded permutation are train), determinism
// per seed, disjoint parts covering every row, stratified proportions, validation carving, and
// the JSON form that runs save.

import Foundation
import XCTest
import TensorKit
@testable import TabularData

final class DataSplitTests: XCTestCase {
    func permutation(seed: UInt64, _ n: Int) -> [Int] {
        var stream = RandomStream(seed: seed).child("split")
        return stream.permutation(n)
    }

    func testPeerProtocolDeterminismAndDisjointness() throws {
        for n in [5, 10, 150, 272, 344] {
            for seed: UInt64 in [0, 1, 2] {
                let p = permutation(seed: seed, n)
                let split = try DataSplit.shuffled(permutation: p)
                XCTAssertEqual(split, try DataSplit.shuffled(permutation: permutation(seed: seed, n)), "n \(n) seed \(seed)")
                // round(0.8 n) train rows, taken from the front of the permutation, the rest test.
                let trainCount = Int((0.8 * Double(n)).rounded(.toNearestOrEven))
                XCTAssertEqual(split.train, Array(p[..<trainCount]))
                XCTAssertEqual(split.test, Array(p[trainCount...]))
                XCTAssertTrue(Set(split.train).isDisjoint(with: split.test))
                XCTAssertEqual((split.train + split.test).sorted(), Array(0..<n))
            }
        }
        XCTAssertNotEqual(try DataSplit.shuffled(permutation: permutation(seed: 0, 100)), try DataSplit.shuffled(permutation: permutation(seed: 1, 100)))
        // 0.75 · 6 = 4.5 rounds half to even (to 4), as Python's round does.
        XCTAssertEqual(try DataSplit.shuffled(permutation: Array(0..<6), testFraction: 0.25).train.count, 4)
    }

    func testStratifiedKeepsEveryLevelsShare() throws {
        let table = try CSVReader.read(file: datasetPath("penguins.csv"))
        let sex = table["sex"]!  // female 165, male 168, missing 11
        let split = try DataSplit.stratified(permutation: permutation(seed: 4, table.rowCount), by: sex)
        let texts = sex.texts
        func count(_ rows: [Int], _ level: String?) -> Int { rows.filter { texts[$0] == level }.count }
        // Per level: round(0.8 · n_level) train rows (half to even).
        XCTAssertEqual(count(split.train, "female"), 132)  // 0.8 · 165 = 132
        XCTAssertEqual(count(split.train, "male"), 134)    // 0.8 · 168 = 134.4
        XCTAssertEqual(count(split.train, nil), 9)         // 0.8 · 11 = 8.8
        XCTAssertEqual(count(split.test, "female"), 33)
        XCTAssertEqual((split.train + split.test).sorted(), Array(0..<table.rowCount))
        XCTAssertEqual(split, try DataSplit.stratified(permutation: permutation(seed: 4, table.rowCount), by: sex))
        if case .invalidOption(let name, _)? = expectDataError({ try DataSplit.stratified(permutation: Array(0..<table.rowCount), by: table["year"]!) }) {
            XCTAssertEqual(name, "stratifyBy")
        } else {
            XCTFail("numeric strata must be rejected")
        }
    }

    func testValidationCarvedFromTrainOnly() throws {
        let split = try DataSplit.shuffled(permutation: permutation(seed: 7, 100))
        let carved = try split.carvingValidation(fraction: 0.1)
        XCTAssertEqual(carved.test, split.test)
        XCTAssertEqual(carved.validation.count, 8)  // round(0.1 · 80)
        XCTAssertEqual(carved.train + carved.validation, split.train)
        XCTAssertEqual(try carved.carvingValidation(fraction: 0.1), carved)  // re-carving is stable
        let json = try JSONEncoder().encode(carved)
        XCTAssertEqual(try JSONDecoder().decode(DataSplit.self, from: json), carved)
        let legacy = try JSONDecoder().decode(DataSplit.self, from: Data(#"{"train":[1,0],"test":[2]}"#.utf8))
        XCTAssertEqual(legacy, DataSplit(train: [1, 0], test: [2]))
    }

    func testBadFractionsAndPermutations() {
        for fraction in [0.0, 1.0, -0.1, 0.999] {
            if case .invalidOption? = expectDataError({ try DataSplit.shuffled(permutation: Array(0..<10), testFraction: fraction) }) {} else {
                XCTFail("fraction \(fraction) should be rejected")
            }
        }
        if case .invalidOption(let name, _)? = expectDataError({ try DataSplit.shuffled(permutation: [0, 0, 1]) }) {
            XCTAssertEqual(name, "permutation")
        } else {
            XCTFail("duplicate entries must be rejected")
        }
    }
}
