// Seeded mutation fuzzing of the two parsers that read user files: `CSVReader.parse` and
// `ConfigLoader.parse`. Every input must either parse into a consistent result or throw the
// parser's typed error (DataError / ConfigError); a trap would end the test process. 2,000 inputs
// each by default; the 1,000,000-input runs are in docs/RELIABILITY.md.

import Foundation
import TabularData
@testable import Lab
import XCTest

final class FuzzParserTests: XCTestCase {
    static let csvCorpus = [
        "a,b,c\n1,2.5,x\n2,3.5,y\n3,,z\n",
        "id;when;flag\n1;2024-01-02;true\n2;2024-02-03T04:05:06;false\n",
        "name,text\n\"Smith, J\",\"say \"\"hi\"\"\"\n\"multi\nline\",ok\r\n",
        "x\n1e10\n-0.5\nNA\n+3\n.5\n",
        "é,ü\nà,€\n😀,\"𝔘\"\n",
        "a,b\n1,2\n\n3,4\n",
    ]
    static let csvDictionary = ["\"", "\"\"", ",", ";", "\t", "\n", "\r\n", "\r", "NA", "NaN", "null", "1e400", "-", "true", "2024-13-45",
                                "\u{FEFF}", "\u{0}", "9999999999999999999999", "0x1p3", "inf"]

    func testCSVReaderNeverTrapsOnMutatedInput() {
        var fuzzer = MutationFuzzer(seed: 1, corpus: Self.csvCorpus, dictionary: Self.csvDictionary)
        var parsed = 0, rejected = 0
        for i in 0..<MutationFuzzer.iterations(default: 2_000) {
            let input = fuzzer.next()
            var options = CSVReadOptions()
            options.delimiter = [",", ";", "\t"][i % 3]
            do {
                let result = try CSVReader.parse(Data(input), source: "fuzz.csv", options: options)
                parsed += 1
                let rows = result.table.rowCount
                for column in result.table.columns {
                    switch column.values {
                    case .numeric(let values):
                        XCTAssertEqual(values.count, rows)
                        XCTAssertFalse(values.contains { $0.isInfinite }, "an infinite value was read from \(Array(input))")
                    case .categorical(let codes, let levels):
                        XCTAssertEqual(codes.count, rows)
                        XCTAssertTrue(codes.allSatisfy { Int($0) < levels.count }, "a code past the levels from \(Array(input))")
                    }
                }
                XCTAssertEqual(result.inferences.count, result.table.columnCount)
            } catch is DataError {
                rejected += 1
            } catch {
                XCTFail("input #\(i) threw \(type(of: error)), not DataError: \(error) — bytes \(Array(input))")
            }
        }
        print("CSV reader fuzz: \(parsed) inputs parsed, \(rejected) rejected with DataError")
        // Both outcomes must occur, or the mutations are too weak (or too strong) to test anything.
        XCTAssertGreaterThan(parsed, 0)
        XCTAssertGreaterThan(rejected, 0)
    }

    static let configCorpus = [
        #"{"data": {"path": "x.csv"}}"#,
        #"{"name": "n", "seeds": [0, 1], "data": {"path": "d.csv", "testFraction": 0.3, "columns": {"a": {"type": "real"}}}, "training": {"steps": 5, "batchSize": 16}}"#,
        #"{"data": {"path": "d.csv", "delimiter": ";", "missingValues": ["?", ""]}, "generator": {"type": "mlp", "trunkWidths": [8]}, "discriminator": {"pac": 2}}"#,
        #"{"_comment": "x", "data": {"path": "d.csv", "target": "y", "stratifyBy": "y"}, "correlation": {"weight": 0.5, "norm": "absolute"}, "generation": {"rows": 10}}"#,
        #"{"data": {"path": "d.csv"}, "evaluation": {"bootstrap": 10, "detectionFolds": 2}, "transform": {"numeric": "modeSpecific", "maxModes": 3}}"#,
        "{\n  \"data\": {\"path\": \"d.csv\"},\n  \"training\": {\"gradientClipNorm\": null, \"earlyStoppingPatience\": 3}\n}\n",
    ]
    static let configDictionary = ["{", "}", "[", "]", ":", ",", "\"", "\\u0000", "\\ud800", "null", "true", "-1", "0", "1e400", "1e-400",
                                   "2.5", "\"extends\": \"base.json\", ", "\"$schema\": 1, ", "\"seeds\": [0, 0], ", "99999999999999999999"]

    func testConfigLoaderNeverTrapsOnMutatedInput() {
        var fuzzer = MutationFuzzer(seed: 2, corpus: Self.configCorpus, dictionary: Self.configDictionary)
        var parsed = 0, rejected = 0
        for i in 0..<MutationFuzzer.iterations(default: 2_000) {
            let text = String(decoding: fuzzer.next(), as: UTF8.self)
            do {
                let config = try ConfigLoader.parse(json: text, sourcePath: "/nonexistent/fuzz.json")
                parsed += 1
                // What loads must survive its own resolved form unchanged.
                do {
                    let again = try ConfigLoader.parse(json: config.resolvedJSON(), sourcePath: "/nonexistent/fuzz.json")
                    XCTAssertEqual(again, config, "input #\(i) does not round-trip: \(text)")
                } catch {
                    XCTFail("input #\(i) loads but its resolved JSON does not: \(error) — \(text)")
                }
            } catch {
                rejected += 1  // ConfigError by the signature's typed throws.
            }
        }
        print("config loader fuzz: \(parsed) inputs loaded, \(rejected) rejected with ConfigError")
        XCTAssertGreaterThan(parsed, 0)
        XCTAssertGreaterThan(rejected, 0)
    }
}
