// Suites: `Experiments/<suite>.json` lists dataset configs × generator configs × seeds and the
// table to build. Each job composes one dataset config with one generator config through
// `extends` and runs one seed into `<out>/<suite>/<dataset>--<generator>/seed-<k>/`.

import Foundation
import TabularData

/// A suite file, decoded strictly like run configs.
struct SuiteSpec: ConfigSection {
    var name = "suite"
    var description = ""
    var seeds = [0]
    /// Dataset configs (each holds a `data` section); their file names name the table rows.
    var datasets: [String] = []
    /// Generator configs (model, training and correlation sections); their file names name the columns.
    var generators: [String] = []
    /// Peer generators read from `<out>/<name>/peers/` (written by scripts/peers, never run by tabcorr); their names are columns after the generators'.
    var peers: [String] = []
    var table = TableSpec()
    var sourcePath = "suite.json"

    static var summary: String { "A suite: dataset configs × generator configs × seeds, and the results table to build." }
    static var fields: [ConfigField<SuiteSpec>] {
        [
            ConfigField("name", \.name, ExperimentConfig.nameCodec, "Suite name; results go to `<out>/<name>/`.", defaultNote: "the suite file's name without extension"),
            ConfigField("description", \.description, .string, "What the suite measures."),
            ConfigField("seeds", \.seeds, .array(of: .integer(minimum: 0), minCount: 1, unique: true), "Seeds run for every dataset × generator."),
            ConfigField("datasets", \.datasets, .array(of: .path, minCount: 1, unique: true), "Dataset config files (relative to the suite file).", required: true),
            ConfigField("generators", \.generators, .array(of: .path, minCount: 1, unique: true), "Generator config files (relative to the suite file).", required: true),
            ConfigField("peers", \.peers, .array(of: ExperimentConfig.nameCodec, unique: true),
                        "Peer generators (e.g. `sdv_ctgan`) shown as columns after the generators: their per-seed results are read from "
                        + "`<out>/<name>/peers/<dataset>--<peer>/seed-<k>.json`, which `scripts/peers/run_peers.py` writes; tabcorr never runs them."),
            ConfigField("table", \.table, .section(TableSpec.self), TableSpec.summary),
        ]
    }

    mutating func finish(_ context: SectionContext) throws(ConfigError) {
        if let clash = peers.first(where: { peer in generators.contains { Self.stem($0) == peer } }) {
            throw context.invalid("peers", "peer \"\(clash)\" has the name of a generator config; peers and generators are columns of one table, so name the peer after its package (e.g. sdv_\(clash))")
        }
    }
}

/// Which metrics the suite's table shows, how, and how exactly `--check` compares.
struct TableSpec: ConfigSection {
    var metrics = HeadlineMetric.standard.map(\.key)
    var decimals = 3
    var tolerance = 0.0

    static var summary: String { "The results table: one block per metric, datasets as rows, generators as columns." }
    static var fields: [ConfigField<TableSpec>] {
        [
            ConfigField("metrics", \.metrics, .array(of: .string, minCount: 1, unique: true), "Metric paths in metrics.json (see docs/METRICS.md), or `durationsSeconds.synthesis`: a run's fit + sample wall time from metainfo.json (a peer's fitSeconds + sampleSeconds), shown but never compared by `reproduce --check`."),
            ConfigField("decimals", \.decimals, .integer(minimum: 0), "Decimals shown in table.md."),
            ConfigField("tolerance", \.tolerance, .number(.atLeast(0)), "Largest absolute difference of a cell mean that `reproduce --check` accepts (0 = exact)."),
        ]
    }
}

/// One dataset × generator × seed run of a suite.
struct SuiteJob: Equatable {
    let dataset: String, generator: String, seed: Int
    let datasetConfig: String, generatorConfig: String
    var experiment: String { "\(dataset)--\(generator)" }
}

extension SuiteSpec {
    /// Reads and validates a suite file.
    static func load(path: String) throws -> SuiteSpec {
        var info = stat()  // a FIFO would block the read below
        if stat(path, &info) == 0, let kind = nonRegularFileKind(mode: info.st_mode) {
            throw LabError("\(path): cannot read the suite file: not a regular file (it is \(kind))")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LabError("\(path): cannot read the suite file; check the path")
        }
        let root: JSONValue
        do { root = try JSONParser.parse(String(decoding: data, as: UTF8.self), file: path) } catch {
            throw LabError("\(error.location): malformed JSON: expected \(error.expected), found \(error.found)")
        }
        var suite = try SuiteSpec.decode(root, path: JSONPath())
        suite.sourcePath = path
        if root["name"] == nil { suite.name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent }
        return suite
    }

    static func stem(_ path: String) -> String { URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent }

    /// Every job, in a fixed order: dataset, then generator, then seed.
    var jobs: [SuiteJob] {
        datasets.flatMap { d in generators.flatMap { g in seeds.map { s in
            SuiteJob(dataset: Self.stem(d), generator: Self.stem(g), seed: s, datasetConfig: d, generatorConfig: g)
        } } }
    }

    /// The run config of a job: the dataset and generator configs merged through `extends`.
    /// Their paths were resolved against the suite file; made absolute here so that the composed
    /// config (parsed as if it sat beside the suite file) does not resolve them a second time.
    func config(for job: SuiteJob) throws -> ExperimentConfig {
        func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
        let json = """
        {"extends": [\(jsonString(absolute(job.datasetConfig))), \(jsonString(absolute(job.generatorConfig)))], "name": \(jsonString(job.experiment)), "seeds": [\(job.seed)]}
        """
        return try ConfigLoader.parse(json: json, sourcePath: sourcePath)
    }

    /// The jobs of shard `index` of `count` (1-based): every count-th job, so shards are balanced
    /// and their union is the whole suite.
    func jobs(shard index: Int, of count: Int) -> [SuiteJob] {
        jobs.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }
}

func jsonString(_ s: String) -> String {
    JSONValue(.string(s), location: nil).serialized(indent: nil)
}
