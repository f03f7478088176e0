// Parity of the config with the library options a run is built with (issue 18): every
// `MetricFamily` is accepted by `evaluation.metrics` and computed by a default run; every library
// enum a config key reaches maps one to one; every key of the model, training, correlation,
// transform, generation and evaluation sections changes the options, and every `GANOptions` field
// changes with some key.

import XCTest
import Evaluation
import Synthesis
import TabularData
@testable import Lab

final class ConfigParityTests: XCTestCase {
    /// A non-default value (JSON) for every key of the sections that become options.
    let perturbations: [String: String] = [
        "generator.type": #""mlp""#, "generator.noiseSize": "7", "generator.trunkWidths": "[8]", "generator.tokenWidth": "8",
        "generator.heads": "4", "generator.blocks": "2", "generator.feedForwardWidth": "9", "generator.dropout": "0.1",
        "generator.normalization": #""layer""#, "generator.leakySlope": "0.3", "generator.outputActivation": #""tanh""#,
        "generator.conditionColumn": #""d""#, "generator.gumbelTemperature": "0.5",
        "discriminator.widths": "[8]", "discriminator.dropout": "0.25", "discriminator.normalization": #""layer""#,
        "discriminator.leakySlope": "0.3", "discriminator.pac": "2",
        "training.loss": #""bce""#, "training.steps": "10", "training.batchSize": "100", "training.criticSteps": "2",
        "training.generatorLearningRate": "0.001", "training.discriminatorLearningRate": "0.001", "training.beta1": "0.6",
        "training.beta2": "0.99", "training.weightDecay": "0.01", "training.gradientPenalty": "5", "training.labelSmoothing": "0.9",
        "training.gradientClipNorm": "1", "training.logEvery": "5", "training.validateEvery": "7", "training.earlyStoppingPatience": "3",
        "training.trainingBySampling": "true", "training.averageDecay": "0", "training.marginalWeight": "5",
        "correlation.weight": "1", "correlation.norm": #""absolute""#, "correlation.weighting": #""magnitude""#,
        "correlation.warmupSteps": "5", "correlation.includeCategorical": "true", "correlation.classConditional": "true",
        "transform.numeric": #""standard""#, "transform.maxModes": "3", "transform.missingIndicators": "false",
        "generation.matchMarginals": "false", "generation.draws": "3",
        "evaluation.target": #""t""#, "evaluation.bootstrap": "0", "evaluation.detectionFolds": "3", "evaluation.metrics": #"["pearson"]"#,
    ]
    /// Keys that set no option: the number of rows a run samples is an argument of `sample`.
    let notOptions: Set = ["generation.rows"]

    /// The default config (conditioned on a column `c`, so `correlation.classConditional` may be
    /// set) with `overrides`, keyed by dotted path, as JSON values.
    func config(_ overrides: [String: String] = [:]) throws -> ExperimentConfig {
        var sections: [String: [String: String]] = ["data": ["path": #""x.csv""#], "generator": ["conditionColumn": #""c""#]]
        for (path, value) in overrides {
            let parts = path.split(separator: ".", maxSplits: 1).map(String.init)
            sections[parts[0], default: [:]][parts[1]] = value
        }
        let members = sections.sorted { $0.key < $1.key }.map { section, keys in
            "\"\(section)\": {" + keys.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
        }
        return try ConfigLoader.parse(json: "{" + members.joined(separator: ", ") + "}", sourcePath: "parity.json")
    }

    func ganOptions(_ config: ExperimentConfig) throws -> GANOptions {
        var options: GANOptions?
        if case .gan(let gan) = config.synthesizerOptions.kind { options = gan }
        return try XCTUnwrap(options, "generator.type \(config.generator.type) is no GAN")
    }

    func testEveryConfigKeyChangesTheOptionsARunIsBuiltWith() throws {
        let sections = [("generator", GeneratorConfig.fields.map(\.name)), ("discriminator", DiscriminatorConfig.fields.map(\.name)),
                        ("training", TrainingConfig.fields.map(\.name)), ("correlation", CorrelationConfig.fields.map(\.name)),
                        ("transform", TransformConfig.fields.map(\.name)), ("generation", GenerationConfig.fields.map(\.name)),
                        ("evaluation", EvaluationConfig.fields.map(\.name))]
        let keys = Set(sections.flatMap { section, names in names.map { "\(section).\($0)" } })
        XCTAssertEqual(Set(perturbations.keys), keys.subtracting(notOptions), "give every new config key a perturbation here")
        let base = try config()
        for (key, value) in perturbations.sorted(by: { $0.key < $1.key }) {
            let changed = try config([key: value])
            let changesOptions = changed.synthesizerOptions != base.synthesizerOptions
                || changed.evaluationOptions(seed: 0) != base.evaluationOptions(seed: 0)
            XCTAssertTrue(changesOptions, "\(key) = \(value) changes no option (discriminator.leakySlope did, until issue 18)")
        }
        XCTAssertEqual(base.evaluationOptions(seed: 5).seed, 5)
    }

    func testEveryOptionFieldTheLabSetsComesFromAConfigKey() throws {
        let base = try config()
        let baseGAN = try leaves(ganOptions(base))
        var ganFields = Set(baseGAN.keys), ganChanged = Set<String>()
        var evaluationChanged = Set<String>(), transformChanged = Set<String>()
        for (key, value) in perturbations {
            let changed = try config([key: value])
            let gan = try leaves(ganOptions(changed))
            ganFields.formUnion(gan.keys)
            ganChanged.formUnion(changedPaths(baseGAN, gan))
            evaluationChanged.formUnion(changedPaths(try leaves(base.evaluationOptions(seed: 0)), try leaves(changed.evaluationOptions(seed: 0))))
            transformChanged.formUnion(changedPaths(try leaves(base.transformOptions), try leaves(changed.transformOptions)))
        }
        XCTAssertEqual(ganFields.subtracting(ganChanged), [], "GANOptions fields that no config key sets")
        // The other evaluation and transform options keep their library defaults.
        XCTAssertEqual(evaluationChanged, ["targetColumn", "bootstrapReplicates", "detectionFolds", "metrics"])
        XCTAssertEqual(transformChanged, ["numeric", "maxModes", "missingIndicators"])
    }

    func testEveryMetricFamilyIsAcceptedAndComputedByADefaultRun() throws {
        XCTAssertEqual(try config().evaluationOptions(seed: 0).metrics, MetricFamily.allCases)
        for family in MetricFamily.allCases {
            XCTAssertEqual(try config(["evaluation.metrics": "[\"\(family.rawValue)\"]"]).evaluationOptions(seed: 0).metrics, [family])
        }
        XCTAssertThrowsError(try config(["evaluation.metrics": #"["pearson", "kendall"]"#])) { error in
            let error = error as? ConfigError
            XCTAssertEqual(error?.path, "evaluation.metrics[1]")
            for family in MetricFamily.allCases {
                XCTAssertTrue(error?.message.contains("\"\(family.rawValue)\"") == true, "\(String(describing: error))")
            }
        }
        // A run with the default metrics writes each family under its name in metrics.json.
        let box = try Sandbox()
        let run = try box.config("identity", generator: #""type": "identity""#)
        try Runner.run(run, options: RunOptions(outDirectory: box.path("out"), quiet: true))
        let metrics = try XCTUnwrap(JSONSerialization.jsonObject(with: XCTUnwrap(box.read("out/identity/seed-0/metrics.json"))) as? [String: Any])
        for family in MetricFamily.allCases { XCTAssertNotNil(metrics[family.rawValue], family.rawValue) }
    }

    func testEveryLibraryEnumAConfigKeyNamesMapsOneToOne() throws {
        for normalization in Normalization.allCases {
            let name = "\"\(normalization.rawValue)\""
            let options = try ganOptions(config(["generator.normalization": name, "discriminator.normalization": name]))
            XCTAssertEqual([options.generatorNormalization, options.discriminatorNormalization], [normalization, normalization])
        }
        for loss in AdversarialLoss.allCases {
            XCTAssertEqual(try ganOptions(config(["training.loss": "\"\(loss.rawValue)\""])).loss, loss)
        }
        for numeric in NumericTransformKind.allCases {
            XCTAssertEqual(try config(["transform.numeric": "\"\(numeric.rawValue)\""]).synthesizerOptions.transform.numeric, numeric)
        }
        for kind in ColumnKind.allCases {
            let read = try config(["data.columns": "{\"a\": {\"type\": \"\(kind.rawValue)\"}}"]).readOptions
            XCTAssertEqual(read.schema.overrides, ["a": kind])
        }
        for norm in CorrelationLossOptions.Norm.allCases {
            XCTAssertEqual(try ganOptions(config(["correlation.norm": "\"\(norm.rawValue)\""])).correlation.norm, norm)
        }
        for weighting in CorrelationLossOptions.Weighting.allCases {
            XCTAssertEqual(try ganOptions(config(["correlation.weighting": "\"\(weighting.rawValue)\""])).correlation.weighting, weighting)
        }
        // `auto` leaves each span's activation to the transform; softmax is never a value activation.
        for activation in GeneratorConfig.OutputActivation.allCases {
            let mapped = try ganOptions(config(["generator.outputActivation": "\"\(activation.rawValue)\""])).valueActivation
            XCTAssertEqual(mapped?.rawValue ?? "auto", activation.rawValue)
        }
        for type in GeneratorConfig.GeneratorType.allCases {
            XCTAssertEqual(try config(["generator.type": "\"\(type.rawValue)\""]).synthesizerOptions.kind.name, type.rawValue)
        }
    }
}

/// `value` encoded as JSON and flattened to the dotted paths of its leaves (arrays are leaves),
/// each with its JSON text.
private func leaves(_ value: some Encodable) throws -> [String: String] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    var result: [String: String] = [:]
    func visit(_ node: Any, _ path: String) throws {
        if let members = node as? [String: Any] {
            for (key, child) in members { try visit(child, path.isEmpty ? key : path + "." + key) }
        } else {
            result[path] = String(decoding: try JSONSerialization.data(withJSONObject: node, options: [.fragmentsAllowed, .sortedKeys]), as: UTF8.self)
        }
    }
    try visit(try JSONSerialization.jsonObject(with: encoder.encode(value)), "")
    return result
}

/// The paths whose leaf differs between `a` and `b`, or that only one of them has.
private func changedPaths(_ a: [String: String], _ b: [String: String]) -> Set<String> {
    Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }
}
