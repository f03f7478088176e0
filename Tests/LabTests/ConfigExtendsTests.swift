// Tests of config files on disk: `extends` chains and lists (deep merge, arrays replaced, paths
// relative to the declaring file, `name` not inherited), cycles, missing or malformed bases,
// unreadable files, and the lexical path helpers they rely on.

import Foundation
@testable import Lab
import XCTest

final class ConfigExtendsTests: XCTestCase {
    private var root = ""

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tabcorr-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: root)
    }

    private func write(_ relativePath: String, _ text: String) throws {
        let path = root + "/" + relativePath
        try FileManager.default.createDirectory(atPath: FilePath.directory(of: path), withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    private func loadError(_ relativePath: String) -> ConfigError? {
        do {
            _ = try ConfigLoader.load(path: root + "/" + relativePath)
            return nil
        } catch {
            return error
        }
    }

    func testChainMergesObjectsReplacesArraysAndResolvesPathsAgainstTheDeclaringFile() throws {
        // Setup: runs/r.json → ../models/m.json → ../datasets/d.json (which declares data.path).
        try write("datasets/d.json", #"{"name": "dataset", "data": {"path": "../raw/adult.csv", "target": "income", "dropColumns": ["a", "b"]}}"#)
        try write("models/m.json", #"{"extends": "../datasets/d.json", "generator": {"heads": 4, "tokenWidth": 32, "trunkWidths": [64, 64, 64]}}"#)
        try write("runs/r.json", #"{"extends": "../models/m.json", "_comment": "narrower trunk", "data": {"dropColumns": ["c"]}, "generator": {"trunkWidths": [8]}}"#)
        // Run
        let config = try ConfigLoader.load(path: root + "/runs/r.json")
        // Assert
        XCTAssertEqual(config.data.path, root + "/raw/adult.csv")
        XCTAssertEqual(config.data.target, "income")
        XCTAssertEqual(config.data.dropColumns, ["c"], "arrays are replaced, not concatenated")
        XCTAssertEqual(config.generator.heads, 4, "objects merge key by key")
        XCTAssertEqual(config.generator.tokenWidth, 32)
        XCTAssertEqual(config.generator.trunkWidths, [8])
        XCTAssertEqual(config.name, "r", "name is never inherited from a base")
        // The resolved JSON writes the path relative to runs/ and reloads to the same config.
        let resolved = config.resolvedJSON()
        XCTAssertTrue(resolved.contains(#""path": "../raw/adult.csv""#), resolved)
        try write("runs/resolved.json", resolved)
        var reloaded = try ConfigLoader.load(path: root + "/runs/resolved.json")
        reloaded.sourcePath = config.sourcePath
        XCTAssertEqual(reloaded, config)
    }

    func testNullInTheOverrideReplacesTheBaseValue() throws {
        try write("base.json", #"{"data": {"path": "x.csv", "target": "y"}, "training": {"gradientClipNorm": 1}}"#)
        try write("run.json", #"{"extends": "base.json", "data": {"target": null}, "training": {"gradientClipNorm": null}}"#)
        let config = try ConfigLoader.load(path: root + "/run.json")
        XCTAssertNil(config.data.target)
        XCTAssertNil(config.training.gradientClipNorm)
    }

    func testListOfBasesMergesInOrderAndTheFileWins() throws {
        try write("a.json", #"{"data": {"path": "a.csv"}, "training": {"steps": 1, "batchSize": 10}}"#)
        try write("b.json", #"{"data": {"path": "b.csv"}, "training": {"steps": 2}}"#)
        try write("run.json", #"{"extends": ["a.json", "b.json"], "training": {"batchSize": 20}}"#)
        let config = try ConfigLoader.load(path: root + "/run.json")
        XCTAssertEqual(config.data.path, root + "/b.csv")
        XCTAssertEqual(config.training.steps, 2)
        XCTAssertEqual(config.training.batchSize, 20)
    }

    func testDiamondIsNotACycle() throws {
        try write("common.json", #"{"data": {"path": "x.csv"}}"#)
        try write("left.json", #"{"extends": "common.json", "training": {"steps": 1}}"#)
        try write("right.json", #"{"extends": "common.json", "correlation": {"weight": 3}}"#)
        try write("run.json", #"{"extends": ["left.json", "right.json"]}"#)
        let config = try ConfigLoader.load(path: root + "/run.json")
        XCTAssertEqual(config.training.steps, 1)
        XCTAssertEqual(config.correlation.weight, 3)
    }

    func testCycleIsDetectedAndNamesTheChain() throws {
        try write("a.json", "{\"extends\": \"sub/b.json\", \"data\": {\"path\": \"x.csv\"}}")
        try write("sub/b.json", "{\n  \"extends\": \"../a.json\"\n}")
        let error = loadError("a.json")
        XCTAssertEqual(error?.kind, .extendsCycle)
        XCTAssertEqual(error?.path, "extends")
        XCTAssertEqual(error?.location, SourceLocation(file: root + "/sub/b.json", line: 2, column: 14))
        XCTAssertEqual(error?.message, "extends cycle: \(root)/a.json → \(root)/sub/b.json → \(root)/a.json; remove one of these extends")
        try write("self.json", #"{"extends": "./self.json"}"#)
        XCTAssertEqual(loadError("self.json")?.kind, .extendsCycle)
    }

    func testMissingBaseNamesTheReferenceAndWhereItWasWritten() throws {
        try write("run.json", "{\"data\": {\"path\": \"x.csv\"},\n \"extends\": [\"ok.json\", \"nope.json\"]}")
        try write("ok.json", "{}")
        let error = loadError("run.json")
        XCTAssertEqual(error?.kind, .unreadableFile)
        XCTAssertEqual(error?.path, "extends[1]")
        XCTAssertEqual(error?.location, SourceLocation(file: root + "/run.json", line: 2, column: 25))
        XCTAssertEqual(error?.message, "cannot read base config \"nope.json\" (resolved to \(root)/nope.json): no such file")
    }

    func testErrorsInsideABaseNameTheBaseFile() throws {
        try write("base.json", "{\"data\": {\"path\": \"x.csv\"},\n \"training\": {\"stpes\": 3}}")
        try write("run.json", #"{"extends": "base.json"}"#)
        let unknown = loadError("run.json")
        XCTAssertEqual(unknown?.kind, .unknownKey)
        XCTAssertEqual(unknown?.location, SourceLocation(file: root + "/base.json", line: 2, column: 15))
        XCTAssertTrue(unknown?.message.contains(#"did you mean "steps"?"#) ?? false)

        try write("broken.json", "{\"data\": {\"path\": \"x.csv\"}\n\n  \"training\": {}}")
        try write("run2.json", #"{"extends": "broken.json"}"#)
        let malformed = loadError("run2.json")
        XCTAssertEqual(malformed?.kind, .malformedJSON)
        XCTAssertEqual(malformed?.location, SourceLocation(file: root + "/broken.json", line: 3, column: 3))
    }

    func testExtendsMustBeAStringOrListOfStrings() throws {
        try write("run.json", #"{"extends": {"file": "a.json"}, "data": {"path": "x.csv"}}"#)
        let error = loadError("run.json")
        XCTAssertEqual(error?.kind, .typeMismatch)
        XCTAssertEqual(error?.message, "expected string or array of strings (paths of base configs), found object")
    }

    func testUnreadableTopLevelFiles() throws {
        XCTAssertEqual(loadError("absent.json")?.kind, .unreadableFile)
        XCTAssertEqual(loadError("absent.json")?.description, "\(root)/absent.json: cannot read the config file: no such file")
        try FileManager.default.createDirectory(atPath: root + "/dir.json", withIntermediateDirectories: true)
        XCTAssertEqual(loadError("dir.json")?.message, "cannot read the config file: it is a directory")
        try Data([0x7B, 0xFF, 0x7D]).write(to: URL(fileURLWithPath: root + "/latin.json"))
        XCTAssertEqual(loadError("latin.json")?.message, "cannot read the config file: not valid UTF-8 text")
    }

    func testFilePathHelpers() {
        XCTAssertEqual(FilePath.directory(of: "a/b/c.json"), "a/b")
        XCTAssertEqual(FilePath.directory(of: "c.json"), ".")
        XCTAssertEqual(FilePath.directory(of: "/c.json"), "/")
        XCTAssertEqual(FilePath.normalized("a/./b/../c//d/"), "a/c/d")
        XCTAssertEqual(FilePath.normalized("../x/../../y"), "../../y")
        XCTAssertEqual(FilePath.normalized("/../a"), "/a")
        XCTAssertEqual(FilePath.normalized("a/.."), ".")
        XCTAssertEqual(FilePath.joined("Configs", "/abs.csv"), "/abs.csv")
        XCTAssertEqual(FilePath.relative("Data/x.csv", from: "Configs/runs"), "../../Data/x.csv")
        XCTAssertEqual(FilePath.relative("Configs/x.csv", from: "Configs"), "x.csv")
        XCTAssertEqual(FilePath.relative("/abs/x.csv", from: "Configs"), "/abs/x.csv")
        XCTAssertEqual(FilePath.relative("/home/me/data/x.csv", from: "/home/me/Configs"), "../data/x.csv")
        XCTAssertEqual(FilePath.relative("/data/x.csv", from: "/home/me/Configs"), "/data/x.csv")
        XCTAssertEqual(FilePath.relative("Configs", from: "Configs"), ".")
    }

    func testNearestNameAndEditDistance() {
        XCTAssertEqual(editDistance("kitten", "sitting"), 3)
        XCTAssertEqual(editDistance("", "abc"), 3)
        XCTAssertEqual(editDistance("flaw", "lawn"), 2)
        XCTAssertEqual(nearestName(to: "batch_size", among: ["steps", "batchSize"]), "batchSize")
        XCTAssertEqual(nearestName(to: "stpes", among: ["steps", "batchSize"]), "steps")
        XCTAssertEqual(nearestName(to: "optimizer", among: ["steps", "batchSize"]), nil)
        XCTAssertEqual(nearestName(to: "ab", among: ["ax", "xb"]), "ax", "ties go to the earlier candidate")
    }
}
