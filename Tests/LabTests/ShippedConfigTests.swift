// Every shipped config and suite loads, resolves and runs: each run config (quickstart, examples)
// survives a fast dev run (two training steps on its real dataset, light evaluation), and every
// suite's jobs compose into valid configs (hydra template's test_configs / fast_dev_run).

import XCTest
@testable import Lab

final class ShippedConfigTests: XCTestCase {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    func files(_ folder: String) throws -> [String] {
        let directory = (repository as NSString).appendingPathComponent(folder)
        return try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") && $0 != "schema.json" }.sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
    }

    func testEveryRunConfigSurvivesAFastDevRun() throws {
        let runConfigs = try files("Configs") + files("Configs/examples")
        XCTAssertGreaterThanOrEqual(runConfigs.count, 6)
        let out = (NSTemporaryDirectory() as NSString).appendingPathComponent("tabcorr-devrun-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: out) }
        for path in runConfigs {
            var config = try ConfigLoader.load(path: path)
            config.training.steps = 2
            config.training.batchSize = 2 * config.discriminator.pac * 8
            config.generation.rows = 40
            config.evaluation.metrics = [.pearson, .marginals]
            config.evaluation.bootstrap = 0
            let outcome = try Runner.run(config, options: RunOptions(seeds: [0], outDirectory: out, quiet: true))
            XCTAssertEqual(outcome.map(\.status), [.completed], path)
        }
    }

    /// The memory estimate that refuses runaway sizes (issue 17) stays far below any budget for
    /// every job of every shipped suite.
    func testShippedSuitesAreFarBelowTheMemoryBudget() throws {
        for suitePath in try files("Experiments") {
            let suite = try SuiteSpec.load(path: suitePath)
            for job in suite.jobs where job.seed == suite.seeds[0] {
                let config = try suite.config(for: job)
                let estimate = MemoryEstimate(config: config, train: try config.prepareData(seed: 0).train)
                XCTAssertLessThan(estimate.total, 1_073_741_824, "\(job.experiment): \(estimate.parts)")
            }
        }
    }

    func testEveryDatasetAndModelConfigComposesAndEverySuiteLoads() throws {
        for suitePath in try files("Experiments") {
            let suite = try SuiteSpec.load(path: suitePath)
            XCTAssertFalse(suite.jobs.isEmpty, suitePath)
            for job in suite.jobs where job.seed == suite.seeds[0] {
                let config = try suite.config(for: job)
                XCTAssertTrue(FileManager.default.fileExists(atPath: config.data.path), "\(job.experiment): \(config.data.path)")
                XCTAssertEqual(config.name, job.experiment)
            }
        }
        // As a user runs them: relative paths from the repository root.
        let saved = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(repository))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(saved) }
        for name in try FileManager.default.contentsOfDirectory(atPath: "Experiments").filter({ $0.hasSuffix(".json") }) {
            let suite = try SuiteSpec.load(path: "Experiments/\(name)")
            let config = try suite.config(for: suite.jobs[0])
            XCTAssertTrue(FileManager.default.fileExists(atPath: config.data.path), "\(name): \(config.data.path)")
        }
        for path in try files("Configs/ablation") + files("Configs/models") {
            XCTAssertNoThrow(try ConfigLoader.parse(json: #"{"extends": "\#(path)", "data": {"path": "x.csv"}}"#, sourcePath: "check.json"), path)
        }
    }
}
