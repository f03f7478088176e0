// Tests of strict config loading: the minimal config and its defaults, every error kind (unknown key
// with suggestion, wrong type, bad enum, out of range, missing key, cross-field checks) with its
// path and position, `_` comments, and the resolved JSON round trip.

@testable import Lab
import XCTest

final class ConfigLoaderTests: XCTestCase {
    func testMinimalConfigIsValidAndTakesEveryDefault() throws {
        // Setup / Run
        let config = try ConfigLoader.parse(json: #"{"data": {"path": "x.csv"}}"#, sourcePath: "Configs/quick-start.json")
        // Assert: the path resolves against the config's directory; the name is the file name.
        var expected = ExperimentConfig(dataPath: "Configs/x.csv")
        expected.name = "quick-start"
        expected.sourcePath = "Configs/quick-start.json"
        XCTAssertEqual(config, expected)
        // Spot-check documented defaults against the issue's list (independent of the declarations).
        XCTAssertEqual(config.seeds, [0])
        XCTAssertEqual(config.data.missingValues, ["", "NA", "NaN", "null"])
        XCTAssertEqual(config.data.testFraction, 0.2)
        XCTAssertEqual(config.generator.type, .attention)
        XCTAssertEqual(config.generator.trunkWidths, [256, 256])
        XCTAssertEqual(config.discriminator.dropout, 0.5)
        XCTAssertEqual(config.training.loss, .wganGP)
        XCTAssertEqual(config.training.batchSize, 500)
        XCTAssertEqual(config.training.generatorLearningRate, 2e-4)
        XCTAssertNil(config.training.earlyStoppingPatience)
        XCTAssertEqual(config.correlation.weight, 100.0)
        XCTAssertNil(config.training.steps, "training length follows the data")
        XCTAssertEqual(config.transform.numeric, .quantileNormal)
        XCTAssertNil(config.generation.rows)
        XCTAssertEqual(config.evaluation.metrics.map(\.rawValue), ["pearson", "spearman", "associations", "marginals", "detection", "efficacy", "privacy"])
    }

    func testEveryFieldDecodesFromJSON() throws {
        let json = """
            {"name": "full", "description": "d", "seeds": [3, 1],
             "data": {"path": "/abs/t.tsv", "delimiter": "\\t", "missingValues": ["?"], "columns": {"when": {"type": "datetime"}, "n": {"type": "categorical"}},
                      "categoricalIntegerThreshold": 4, "maxCategories": 50, "target": "y", "testFraction": 0.25, "stratifyBy": "y",
                      "validationFraction": 0, "dropColumns": ["id"]},
             "transform": {"numeric": "modeSpecific", "maxModes": 5, "missingIndicators": false},
             "generator": {"type": "mlp", "noiseSize": 8, "trunkWidths": [], "tokenWidth": 12, "heads": 3, "blocks": 0, "feedForwardWidth": 7,
                           "dropout": 0.1, "normalization": "layer", "leakySlope": 0, "outputActivation": "tanh", "conditionColumn": "n", "gumbelTemperature": 1},
             "discriminator": {"widths": [64], "dropout": 0, "normalization": "layer", "leakySlope": 0.1, "pac": 4},
             "training": {"loss": "bce", "steps": 7, "batchSize": 64, "criticSteps": 5, "generatorLearningRate": 1e-3, "discriminatorLearningRate": 3e-3,
                          "beta1": 0, "beta2": 0.999, "weightDecay": 1e-6, "gradientPenalty": 0, "labelSmoothing": 0.9, "gradientClipNorm": 5,
                          "logEvery": 1, "validateEvery": 3, "earlyStoppingPatience": null, "trainingBySampling": true},
             "correlation": {"weight": 0, "norm": "absolute", "weighting": "magnitude", "warmupSteps": 100, "includeCategorical": true, "classConditional": true},
             "generation": {"rows": 1000},
             "evaluation": {"target": "n", "bootstrap": 0, "detectionFolds": 2, "metrics": ["privacy", "pearson"]}}
            """
        let config = try ConfigLoader.parse(json: json, sourcePath: "c.json")
        XCTAssertEqual(config.name, "full")
        XCTAssertEqual(config.seeds, [3, 1])
        XCTAssertEqual(config.data.path, "/abs/t.tsv")
        XCTAssertEqual(config.data.delimiter, "\t")
        XCTAssertEqual(config.data.columns, ["when": .init(type: .datetime), "n": .init(type: .categorical)])
        XCTAssertEqual(config.data.validationFraction, 0)
        XCTAssertEqual(config.transform.numeric, .modeSpecific)
        XCTAssertEqual(config.generator.type, .mlp)
        XCTAssertEqual(config.generator.trunkWidths, [])
        XCTAssertEqual(config.generator.normalization, .layer)
        XCTAssertEqual(config.generator.conditionColumn, "n")
        XCTAssertEqual(config.discriminator.pac, 4)
        XCTAssertEqual(config.training.loss, .bce)
        XCTAssertEqual(config.training.generatorLearningRate, 1e-3)
        XCTAssertEqual(config.training.gradientClipNorm, 5)
        XCTAssertEqual(config.training.beta2, 0.999)
        XCTAssertEqual(config.correlation.weighting, .magnitude)
        XCTAssertEqual(config.generation.rows, 1000)
        XCTAssertEqual(config.evaluation.target, "n")
        XCTAssertEqual(config.evaluation.metrics, [.privacy, .pearson])
        // And it survives the resolved-JSON round trip.
        XCTAssertEqual(try ConfigLoader.parse(json: config.resolvedJSON(), sourcePath: "c.json"), config)
    }

    func testUnknownKeyAtDepthNamesPathPositionAndNearestKey() {
        let json = "{\"data\": {\"path\": \"x.csv\"},\n \"training\": {\"steps\": 3,\n   \"batchsize\": 10}}"
        let error = loadError(json)
        XCTAssertEqual(error?.kind, .unknownKey)
        XCTAssertEqual(error?.path, "training.batchsize")
        XCTAssertEqual(error?.location, SourceLocation(file: "run.json", line: 3, column: 4))
        XCTAssertTrue(error?.message.hasPrefix("unknown key \"batchsize\"; did you mean \"batchSize\"? valid keys here: loss, steps, batchSize") ?? false,
                      error?.message ?? "no error")
        XCTAssertEqual(error?.description.hasPrefix("run.json:3:4: training.batchsize: unknown key"), true)
    }

    func testUnknownKeyInsideAColumnOverrideAndAQuotedColumnName() {
        let error = loadError(#"{"data": {"path": "x.csv", "columns": {"zip code": {"typ": "categorical"}}}}"#)
        XCTAssertEqual(error?.kind, .unknownKey)
        XCTAssertEqual(error?.path, #"data.columns["zip code"].typ"#)
        XCTAssertTrue(error?.message.contains(#"did you mean "type"?"#) ?? false)
    }

    func testUnknownKeyFarFromAnyValidKeyHasNoSuggestion() {
        let error = loadError(#"{"data": {"path": "x.csv"}, "optimizer": {}}"#)
        XCTAssertEqual(error?.path, "optimizer")
        XCTAssertEqual(error?.message.contains("did you mean"), false)
        XCTAssertEqual(error?.message.contains("valid keys here: name, description, seeds, data"), true)
    }

    func testMisspeltExtendsIsSuggested() {
        XCTAssertTrue(loadError(#"{"extend": "base.json", "data": {"path": "x.csv"}}"#)?.message.contains(#"did you mean "extends"?"#) ?? false)
    }

    func testSchemaKeyForEditorsIsAcceptedAtTheTopLevelOnly() throws {
        let config = try ConfigLoader.parse(json: #"{"$schema": "../schema.json", "data": {"path": "x.csv"}}"#, sourcePath: "c.json")
        XCTAssertEqual(config.data.path, "x.csv")
        XCTAssertEqual(loadError(#"{"$schema": 1, "data": {"path": "x.csv"}}"#)?.kind, .typeMismatch)
        XCTAssertEqual(loadError(#"{"data": {"path": "x.csv", "$schema": "s.json"}}"#)?.kind, .unknownKey)
    }

    func testCommentKeysAreIgnoredInEverySection() throws {
        let config = try ConfigLoader.parse(json: #"{"_comment": "why", "data": {"path": "x.csv", "_note": 1}, "training": {"_comment": ["any"], "steps": 5}}"#,
                                            sourcePath: "c.json")
        XCTAssertEqual(config.training.steps, 5)
    }

    func testWrongTypesNamePathExpectedAndFound() {
        let cases: [(String, String, String)] = [
            (#""training": {"batchSize": "500"}"#, "training.batchSize", #"expected integer ≥ 2, found string "500""#),
            (#""training": {"batchSize": 2.5}"#, "training.batchSize", "expected integer ≥ 2, found number 2.5"),
            (#""discriminator": {"widths": [256, 128, "64"]}"#, "discriminator.widths[2]", #"expected integer ≥ 1, found string "64""#),
            (#""discriminator": {"widths": 256}"#, "discriminator.widths", "expected array of integer ≥ 1, found integer 256"),
            (#""transform": {"missingIndicators": "yes"}"#, "transform.missingIndicators", #"expected boolean, found string "yes""#),
            (#""correlation": {"weight": null}"#, "correlation.weight", "expected number ≥ 0, found null"),
            (#""generation": []"#, "generation", "expected object, found array"),
            (#""seeds": 3"#, "seeds", "expected array of integer ≥ 0 (distinct, at least 1), found integer 3"),
            (#""data": {"path": "x.csv", "target": 3}"#, "data.target", "expected non-empty string or null, found integer 3"),
        ]
        for (fragment, path, message) in cases {
            let json = fragment.hasPrefix(#""data""#) ? "{\(fragment)}" : #"{"data": {"path": "x.csv"}, "# + fragment + "}"
            let error = loadError(json)
            XCTAssertEqual(error?.kind, .typeMismatch, fragment)
            XCTAssertEqual(error?.path, path, fragment)
            XCTAssertEqual(error?.message, message, fragment)
        }
    }

    func testBadEnumListsValidValuesAndSuggests() {
        let error = loadError(#"{"data": {"path": "x.csv"}, "training": {"loss": "wgan-gp"}}"#)
        XCTAssertEqual(error?.kind, .invalidValue)
        XCTAssertEqual(error?.path, "training.loss")
        XCTAssertEqual(error?.message, #""wgan-gp" is not valid (did you mean "wganGP"?); expected one of "wganGP" | "bce" | "hinge""#)
        let metric = loadError(#"{"data": {"path": "x.csv"}, "evaluation": {"metrics": ["pearson", "kendall"]}}"#)
        XCTAssertEqual(metric?.path, "evaluation.metrics[1]")
        XCTAssertTrue(metric?.message.contains(#"expected one of "pearson" | "spearman" | "associations" | "marginals" | "detection" | "efficacy" | "privacy""#) ?? false)
    }

    func testOutOfRangeValuesAreRejected() {
        let cases: [(String, String, String)] = [
            (#""training": {"batchSize": 0}"#, "training.batchSize", "expected integer ≥ 2, found 0"),
            (#""correlation": {"weight": -0.5}"#, "correlation.weight", "expected number ≥ 0, found -0.5"),
            (#""data": {"path": "x.csv", "testFraction": 1}"#, "data.testFraction", "expected number in (0, 1), found 1"),
            (#""data": {"path": "x.csv", "testFraction": 0}"#, "data.testFraction", "expected number in (0, 1), found 0"),
            (#""data": {"path": "x.csv", "validationFraction": 1.0}"#, "data.validationFraction", "expected number in [0, 1), found 1"),
            (#""training": {"labelSmoothing": 0}"#, "training.labelSmoothing", "expected number in (0, 1], found 0"),
            (#""training": {"generatorLearningRate": 0}"#, "training.generatorLearningRate", "expected number > 0, found 0"),
            (#""seeds": [0, -1]"#, "seeds[1]", "expected integer ≥ 0, found -1"),
            (#""seeds": []"#, "seeds", "expected at least 1 element(s), found 0"),
            (#""seeds": [4, 4]"#, "seeds[1]", "repeats element [0]; list each value once"),
            (#""evaluation": {"detectionFolds": 1}"#, "evaluation.detectionFolds", "expected integer ≥ 2, found 1"),
            (#""generation": {"rows": 0}"#, "generation.rows", "expected integer ≥ 1, found 0"),
            (#""data": {"path": "x.csv", "delimiter": ";;"}"#, "data.delimiter", #"expected single character other than '"', CR and LF, found string ";;""#),
            (#""data": {"path": ""}"#, "data.path", "expected a non-empty path, found an empty string"),
            (#""name": "a/b""#, "name", #"expected non-empty string without '/' or '\', other than "." and "..", found string "a/b""#),
        ]
        for (fragment, path, message) in cases {
            let json = fragment.hasPrefix(#""data""#) ? "{\(fragment)}" : #"{"data": {"path": "x.csv"}, "# + fragment + "}"
            let error = loadError(json)
            XCTAssertEqual(error?.kind, .invalidValue, fragment)
            XCTAssertEqual(error?.path, path, fragment)
            XCTAssertEqual(error?.message, message, fragment)
        }
    }

    func testCrossFieldChecksPointAtTheOffendingKey() {
        let cases: [(String, String, String)] = [
            (#""generator": {"tokenWidth": 10, "heads": 4}"#, "generator.tokenWidth", "must be a multiple of heads"),
            (#""discriminator": {"pac": 3}"#, "discriminator.pac", "must divide training.batchSize (500)"),
            (#""data": {"path": "x.csv", "target": "y", "dropColumns": ["y"]}"#, "data.target", "also listed in dropColumns"),
            (#""data": {"path": "x.csv", "validationFraction": 0}, "training": {"earlyStoppingPatience": 3}"#, "training.earlyStoppingPatience", "needs a validation slice"),
            (#""correlation": {"classConditional": true}"#, "correlation.classConditional", "needs generator.conditionColumn"),
        ]
        for (fragment, path, message) in cases {
            let json = fragment.hasPrefix(#""data""#) ? "{\(fragment)}" : #"{"data": {"path": "x.csv"}, "# + fragment + "}"
            let error = loadError(json)
            XCTAssertEqual(error?.kind, .invalidValue, fragment)
            XCTAssertEqual(error?.path, path, fragment)
            XCTAssertTrue(error?.message.contains(message) ?? false, "\(fragment): \(error?.message ?? "no error")")
        }
    }

    /// `format` was documented and accepted but never read; datetime columns are ISO 8601 only.
    func testAColumnFormatIsAnUnknownKey() {
        let error = loadError(#"{"data": {"path": "x.csv", "columns": {"a": {"type": "datetime", "format": "dd/MM/yyyy"}}}}"#)
        XCTAssertEqual(error?.kind, .unknownKey)
        XCTAssertEqual(error?.path, "data.columns.a.format")
    }

    func testMissingDataPathAndMissingDataSection() {
        let noPath = loadError("{\"data\": {\"delimiter\": \";\"}}")
        XCTAssertEqual(noPath?.kind, .missingKey)
        XCTAssertEqual(noPath?.path, "data.path")
        XCTAssertEqual(noPath?.location, SourceLocation(file: "run.json", line: 1, column: 10))
        let noData = loadError("{}")
        XCTAssertEqual(noData?.kind, .missingKey)
        XCTAssertEqual(noData?.path, "data")
    }

    func testMalformedConfigReportsLineAndColumn() {
        let error = loadError("{\n  \"data\": {\"path\": \"x.csv\",}\n}")
        XCTAssertEqual(error?.kind, .malformedJSON)
        XCTAssertEqual(error?.location, SourceLocation(file: "run.json", line: 2, column: 28))
        XCTAssertEqual(error?.description, "run.json:2:28: malformed JSON: expected a string key after ',', found '}'")
        XCTAssertEqual(loadError("[1]")?.message, "expected object at the top level of the config, found array")
    }

    func testEvaluationTargetDefaultsToDataTarget() throws {
        let inherited = try ConfigLoader.parse(json: #"{"data": {"path": "x.csv", "target": "income"}}"#, sourcePath: "c.json")
        XCTAssertEqual(inherited.evaluation.target, "income")
        let own = try ConfigLoader.parse(json: #"{"data": {"path": "x.csv", "target": "income"}, "evaluation": {"target": "age"}}"#, sourcePath: "c.json")
        XCTAssertEqual(own.evaluation.target, "age")
    }

    func testResolvedJSONListsEveryKeyAndParsesBackEqual() throws {
        // Setup
        let config = try ConfigLoader.parse(json: #"{"data": {"path": "../data/x.csv", "target": "t"}, "correlation": {"weight": 2.5}}"#,
                                            sourcePath: "Configs/runs/r.json")
        // Run
        let text = config.resolvedJSON()
        let reparsed = try ConfigLoader.parse(json: text, sourcePath: "Configs/runs/r.json")
        // Assert: equal, the path as given, every section complete.
        XCTAssertEqual(reparsed, config)
        XCTAssertEqual(config.data.path, "Configs/data/x.csv")
        let json = try JSONParser.parse(text, file: "resolved.json")
        XCTAssertEqual(json["data"]?["path"], .string("../data/x.csv"))
        XCTAssertEqual(json["name"], .string("r"))
        XCTAssertEqual(json["evaluation"]?["target"], .string("t"))
        XCTAssertEqual(json["training"]?["gradientClipNorm"], .null)
        XCTAssertEqual(json.members?.map(\.key), ["name", "description", "seeds", "data", "transform", "generator", "discriminator",
                                                   "training", "correlation", "generation", "evaluation", "report"])
        XCTAssertEqual(json["training"]?.members?.count, 18)
        XCTAssertTrue(text.contains("\"generatorLearningRate\": 0.0002,"), text)
        XCTAssertTrue(text.contains("\"gradientPenalty\": 10,"), text)
        // Written relative to another directory, it loads from there to the same data file.
        let moved = try ConfigLoader.parse(json: config.resolvedJSON(pathsRelativeTo: "Results/r/seed-0"), sourcePath: "Results/r/seed-0/config.resolved.json")
        XCTAssertEqual(moved.data.path, "Configs/data/x.csv")
    }

    func testResolvedJSONIsByteStable() throws {
        let config = try ConfigLoader.parse(json: #"{"data": {"path": "x.csv", "columns": {"b": {"type": "integer"}, "a": {"type": "boolean"}, "C": {"type": "real"}}}}"#,
                                            sourcePath: "c.json")
        let first = config.resolvedJSON()
        XCTAssertEqual(try ConfigLoader.parse(json: first, sourcePath: "c.json").resolvedJSON(), first)
        // Column overrides are written in byte order of their names.
        let columns = try JSONParser.parse(first, file: "r.json")["data"]?["columns"]?.members?.map(\.key)
        XCTAssertEqual(columns, ["C", "a", "b"])
    }

    private func loadError(_ json: String) -> ConfigError? {
        do {
            _ = try ConfigLoader.parse(json: json, sourcePath: "run.json")
            return nil
        } catch {
            return error
        }
    }
}
