// Writes one seed's folder: config.resolved.json, split.json, synthetic.csv, metrics.json,
// training_log.csv, attention.csv, model.tcmodel, report.md, report.html, figures/ and, last,
// metainfo.json. The folder is a staging folder; the runner renames it into place.

import Foundation
import TensorKit
import TabularData
import Synthesis
import Evaluation

/// TabCorr's version, written into every run's metainfo.
public enum TabCorrVersion {
    public static let current = "0.1.0"
}

struct RunRecord {
    let staging: String
    let config: ExperimentConfig
    let seed: Int

    func path(_ name: String) -> String { (staging as NSString).appendingPathComponent(name) }

    /// The `status` in a seed folder's metainfo.json ("completed" or "failed"), or nil if unfinished.
    static func status(of directory: String) -> String? {
        let url = URL(fileURLWithPath: directory).appendingPathComponent("metainfo.json")
        guard let data = try? Data(contentsOf: url),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object["status"] as? String
    }

    /// How the config a finished seed folder was run with differs from `config`, ignoring `seeds`
    /// and `description` (which do not change a seed's results): the first differing top-level
    /// key, or nil when they agree or the folder has no readable config.resolved.json.
    /// Paths count as equal when written relative to the seed folder (as `build` writes them) or,
    /// in folders written before that, relative to the original config.
    static func configDifference(in directory: String, from config: ExperimentConfig) -> String? {
        func settings(_ data: Data?) -> [String: Any]? {
            guard let data, var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
            object["seeds"] = nil
            object["description"] = nil
            return object
        }
        func difference(_ stored: [String: Any], _ current: [String: Any]) -> String? {
            for key in Set(stored.keys).union(current.keys).sorted() {
                let a = stored[key].map { [$0] as NSArray }, b = current[key].map { [$0] as NSArray }
                if a != b { return "\"\(key)\" differs" }
            }
            return nil
        }
        /// `object` with every key it lacks taken from `defaults`, recursively: a config written
        /// before a key existed lacks it, and that run did what the key's default does.
        func filled(_ object: [String: Any], from defaults: [String: Any]) -> [String: Any] {
            var result = object
            for (key, value) in defaults {
                if let present = result[key] {
                    if let a = present as? [String: Any], let b = value as? [String: Any] { result[key] = filled(a, from: b) }
                } else {
                    result[key] = value
                }
            }
            return result
        }
        guard let written = settings(FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent("config.resolved.json"))) else { return nil }
        let defaults = (try? ConfigLoader.parse(json: #"{"data": {"path": "data.csv"}}"#, sourcePath: "defaults.json")).flatMap { settings(Data($0.resolvedJSON().utf8)) }
        let stored = defaults.map { filled(written, from: $0) } ?? written
        // Paths are written relative to the seed folder (before issue 17: to the original config);
        // the form whose paths match names the real difference.
        let forms = [config.resolvedJSON(pathsRelativeTo: directory), config.resolvedJSON()].compactMap { settings(Data($0.utf8)) }
        let differences = forms.map { difference(stored, $0) }
        if differences.contains(where: { $0 == nil }) { return nil }
        let samePaths = forms.firstIndex { difference(["data": stored["data"] as Any], ["data": $0["data"] as Any]) == nil }
        return differences[samePaths ?? 0]
    }

    func build(progress: Progress) throws {
        let clock = ContinuousClock()
        let started = Date(), t0 = clock.now
        // Paths relative to the seed folder (the staging folder's sibling), so the file runs where it lies.
        let resolved = config.resolvedJSON(pathsRelativeTo: staging)
        try AtomicFile.write(resolved, to: path("config.resolved.json"))
        let prepared = try config.prepareData(seed: seed)
        try AtomicFile.write(try encodeJSON(prepared.split), to: path("split.json"))
        let t1 = clock.now
        let train = prepared.train, test = prepared.test
        let rows = config.generation.rows ?? train.rowCount
        let result = try synthesize(config: config, train: train, validation: prepared.validationIndices, rows: rows, seed: seed,
                                    resolvedConfig: resolved, progress: progress)
        let synthetic = result.synthetic.shipped, training = result.synthesizer.training
        try AtomicFile.write(try CSVWriter.data(synthetic), to: path("synthetic.csv"))
        try writeTrainingArtifacts(log: training.log, attention: training.attention, columns: train.columnNames, synthesizer: result.synthesizer)
        let t2 = clock.now
        progress.message("\(config.name) seed \(seed): evaluating \(synthetic.rowCount) synthetic rows against \(test.rowCount) test rows")
        let metrics = try evaluate(train: train, test: test, synthetic: synthetic, options: config.evaluationOptions(seed: seed),
                                   generatorOutput: result.synthetic.raw)
        try AtomicFile.write(try encodeJSON(metrics), to: path("metrics.json"))
        let t3 = clock.now
        try ReportWriter(config: config, seed: seed, train: train, test: test, synthetic: synthetic, metrics: metrics,
                         log: training.log, attention: training.attention, notes: prepared.identifierNotes + training.notes,
                         inferences: prepared.inferences)
            .write(into: staging)
        let durations: [String: Double] = [
            "data": seconds(t1 - t0), "synthesis": seconds(t2 - t1), "evaluation": seconds(t3 - t2), "total": seconds(clock.now - t0),
        ]
        try writeMetainfo(status: "completed", error: nil, started: started, durations: durations,
                          training: training.log.isEmpty ? [:] : [
                            "plannedSteps": training.plannedSteps, "stepsRun": training.stepsRun, "keptStep": training.keptStep,
                            "keptValidationScore": training.keptScore.map { $0.value as Any } ?? NSNull(),
                            "keptValidationCorrelationGap": training.keptScore.map { $0.correlationGap as Any } ?? NSNull(),
                            "keptValidationMarginalDistance": training.keptScore.map { $0.marginalDistance as Any } ?? NSNull()])
    }

    func writeFailure(_ failure: TrainingFailure) throws {
        try writeTrainingArtifacts(log: failure.log, attention: [], columns: [], synthesizer: failure.synthesizer)
        try writeMetainfo(status: "failed", error: failure.description, started: Date(), durations: [:], training: [:])
    }

    /// training_log.csv, attention.csv and, for a trained synthesizer, model.tcmodel.
    func writeTrainingArtifacts(log: [TrainingLogRow], attention: [[Float]], columns: [String], synthesizer: Synthesizer?) throws {
        if !log.isEmpty {
            try AtomicFile.write(TrainingLogRow.csv(log), to: path("training_log.csv"))
        }
        if !attention.isEmpty {
            try AtomicFile.write(attentionCSV(attention, columns: columns), to: path("attention.csv"))
        }
        if let synthesizer, synthesizer.pipeline != nil { try AtomicFile.write(try synthesizer.fileData(), to: path("model.tcmodel")) }
    }

    /// One row per (block, attending column): `block,column,<weight on each column>`.
    func attentionCSV(_ maps: [[Float]], columns: [String]) -> String {
        let f = columns.count
        var lines = ["block,column," + columns.map { CSVWriter.field($0) }.joined(separator: ",")]
        for (b, map) in maps.enumerated() where map.count == f * f {
            for i in 0..<f { lines.append("\(b),\(CSVWriter.field(columns[i]))," + (0..<f).map { "\(map[i * f + $0])" }.joined(separator: ",")) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func writeMetainfo(status: String, error: String?, started: Date, durations: [String: Double], training: [String: Any]) throws {
        let iso = ISO8601DateFormatter()
        let info: [String: Any] = [
            "tabcorrVersion": TabCorrVersion.current,
            "gitCommit": gitCommit() ?? NSNull(),
            "experiment": config.name,
            "seed": seed,
            "status": status,
            "error": error ?? NSNull(),
            "startedAt": iso.string(from: started),
            "finishedAt": iso.string(from: Date()),
            "durationsSeconds": durations,
            "training": training,
            "machine": [
                "activeProcessors": ProcessInfo.processInfo.activeProcessorCount,
                "physicalMemoryBytes": ProcessInfo.processInfo.physicalMemory,
                "operatingSystem": ProcessInfo.processInfo.operatingSystemVersionString,
            ] as [String: Any],
            "threads": Parallel.threadCount,
        ]
        let data = try JSONSerialization.data(withJSONObject: info, options: [.prettyPrinted, .sortedKeys])
        try AtomicFile.write(data, to: path("metainfo.json"))
    }
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// Pretty, key-sorted JSON: stable bytes for the same value.
func encodeJSON(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
}

/// The current git commit of the working directory, if it is a git checkout.
func gitCommit() -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "rev-parse", "HEAD"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return text.isEmpty ? nil : text
}

