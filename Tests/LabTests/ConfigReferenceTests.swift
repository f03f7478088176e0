// Keeps the committed Configs/schema.json and docs/CONFIG.md equal to what the code generates,
// and checks the schema's structure against the decoder on a few keys. Regenerate both with
// `RECORD_SNAPSHOTS=1 swift test --filter ConfigReferenceTests`.

import Foundation
@testable import Lab
import XCTest

final class ConfigReferenceTests: XCTestCase {
    /// The repository root, found from this file's path (Tests/LabTests/<file>).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testCommittedSchemaMatchesCode() throws {
        try assertCommittedFile("Configs/schema.json", equals: ExperimentConfig.jsonSchema())
    }

    func testCommittedReferenceMatchesCode() throws {
        try assertCommittedFile("docs/CONFIG.md", equals: ExperimentConfig.markdownReference())
    }

    func testSchemaIsClosedAndCarriesDefaultsTypesAndEnums() throws {
        // Setup / Run
        let schema = try JSONParser.parse(ExperimentConfig.jsonSchema(), file: "schema.json")
        // Assert: the document root and a nested section are closed objects.
        XCTAssertEqual(schema["$schema"], .string("https://json-schema.org/draft/2020-12/schema"))
        XCTAssertEqual(schema["additionalProperties"], .bool(false))
        XCTAssertEqual(schema["required"], .array([.string("data")]))
        let training = try XCTUnwrap(schema["properties"]?["training"])
        XCTAssertEqual(training["additionalProperties"], .bool(false))
        let batchSize = try XCTUnwrap(training["properties"]?["batchSize"])
        XCTAssertEqual(batchSize["type"], .string("integer"))
        XCTAssertEqual(batchSize["minimum"], .integer(2))
        XCTAssertEqual(batchSize["default"], .integer(500))
        XCTAssertNotNil(batchSize["description"])
        let learningRate = try XCTUnwrap(training["properties"]?["generatorLearningRate"])
        XCTAssertEqual(learningRate["default"], .double(2e-4))
        XCTAssertEqual(learningRate["exclusiveMinimum"], .integer(0))
        let loss = try XCTUnwrap(training["properties"]?["loss"])
        XCTAssertEqual(loss["enum"], .array(["wganGP", "bce", "hinge"].map(JSONValue.string)))
        let clip = try XCTUnwrap(training["properties"]?["gradientClipNorm"])
        XCTAssertEqual(clip["type"], .array([.string("number"), .string("null")]))
        XCTAssertEqual(clip["default"], .null)
        let testFraction = try XCTUnwrap(schema["properties"]?["data"]?["properties"]?["testFraction"])
        XCTAssertEqual(testFraction["exclusiveMinimum"], .integer(0))
        XCTAssertEqual(testFraction["exclusiveMaximum"], .integer(1))
        let columnSpec = try XCTUnwrap(schema["properties"]?["data"]?["properties"]?["columns"]?["additionalProperties"])
        XCTAssertEqual(columnSpec["required"], .array([.string("type")]))
        XCTAssertEqual(columnSpec["additionalProperties"], .bool(false))
    }

    func testSchemaListsExactlyTheDecodedKeysOfEverySection() throws {
        // Every property named in the schema is accepted by the decoder (as its default value), and
        // an extra key is rejected: schema and decoder share one list of keys.
        let schema = try JSONParser.parse(ExperimentConfig.jsonSchema(), file: "schema.json")
        let sections = try XCTUnwrap(schema["properties"]?.members).filter { $0.value["properties"] != nil }
        XCTAssertEqual(sections.map(\.key), ["data", "transform", "generator", "discriminator", "training", "correlation", "generation", "evaluation", "report"])
        for section in sections {
            let keys = try XCTUnwrap(section.value["properties"]?.members).map(\.key)
            let defaults = ExperimentConfig(dataPath: "x.csv").encode(baseDirectory: ".")[section.key]
            XCTAssertEqual(defaults?.members?.map(\.key), keys, "section \(section.key)")
        }
    }

    func testReferenceHasATableRowForEveryKey() {
        let reference = ExperimentConfig.markdownReference()
        XCTAssertTrue(reference.contains("| `batchSize` | integer ≥ 2 | `500` |"), reference)
        XCTAssertTrue(reference.contains("| `path` | string (path) | required |"))
        XCTAssertTrue(reference.contains("| `numeric` | \"standard\" \\| \"minMax\" \\| \"quantileNormal\" \\| \"modeSpecific\" | `\"quantileNormal\"` |"))
        XCTAssertTrue(reference.contains("## `data.columns.<column>`"))
        XCTAssertTrue(reference.contains("| `target` | non-empty string or null | `data.target` |"))
    }

    /// Compares `generated` with the committed file; with RECORD_SNAPSHOTS=1 writes it instead.
    private func assertCommittedFile(_ relativePath: String, equals generated: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = Self.repositoryRoot.appendingPathComponent(relativePath)
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try generated.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let committed = try? String(contentsOf: url, encoding: .utf8)
        guard committed != generated else { return }
        let committedLines = committed?.split(separator: "\n", omittingEmptySubsequences: false) ?? []
        let generatedLines = generated.split(separator: "\n", omittingEmptySubsequences: false)
        let firstDifference = zip(committedLines, generatedLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(committedLines.count, generatedLines.count)
        XCTFail("""
            \(relativePath) is out of date with the config declarations (first difference at line \(firstDifference + 1)).
            Regenerate it with: RECORD_SNAPSHOTS=1 swift test --filter ConfigReferenceTests
            """, file: file, line: line)
    }
}
