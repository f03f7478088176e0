// `tabcorr run`: for each seed, prepare data, synthesize, evaluate, and write the seed's folder.
// A seed is built in a hidden temporary folder and renamed into place only when complete, so an
// interrupted run never leaves a folder that looks finished; the next run clears leftovers and
// redoes that seed. Finished seeds are skipped unless `force`. A seed is locked while it runs, and a
// `seed-<k>` that is not a TabCorr run folder is never replaced (ExperimentLock.swift).

import Foundation
import TensorKit
import TabularData
import Evaluation
import Synthesis

/// How `tabcorr run` runs a config.
public struct RunOptions: Sendable {
    /// Seeds to run (nil: the config's `seeds`).
    public var seeds: [Int]?
    /// Results root; the experiment goes to `<outDirectory>/<name>/`.
    public var outDirectory: String
    /// Rerun seeds that already finished.
    public var force: Bool
    public var quiet: Bool

    public init(seeds: [Int]? = nil, outDirectory: String = "Results", force: Bool = false, quiet: Bool = false) {
        self.seeds = seeds
        self.outDirectory = outDirectory
        self.force = force
        self.quiet = quiet
    }
}

/// The state of one seed after `run`.
public struct SeedOutcome: Sendable {
    public enum Status: String, Sendable { case completed, failed, skipped }
    public let seed: Int
    public let status: Status
    public let directory: String
    public let message: String?
}

public enum Runner {
    /// Runs every seed of `config`, then writes `summary.json`; returns each seed's outcome.
    @discardableResult
    public static func run(_ config: ExperimentConfig, options: RunOptions) throws -> [SeedOutcome] {
        let experimentDirectory = (options.outDirectory as NSString).appendingPathComponent(config.name)
        let progress = Progress(quiet: options.quiet)
        var outcomes: [SeedOutcome] = []
        for seed in options.seeds ?? config.seeds {
            outcomes.append(try runSeed(config, seed: seed, experimentDirectory: experimentDirectory, force: options.force, progress: progress))
        }
        try withExperimentLock(experimentDirectory) { try writeSummary(experimentDirectory: experimentDirectory) }
        return outcomes
    }

    static func runSeed(_ config: ExperimentConfig, seed: Int, experimentDirectory: String, force: Bool,
                        progress: Progress) throws -> SeedOutcome {
        let fm = FileManager.default
        let final = (experimentDirectory as NSString).appendingPathComponent("seed-\(seed)")
        do {
            try fm.createDirectory(atPath: experimentDirectory, withIntermediateDirectories: true)
        } catch {
            throw LabError("\(experimentDirectory): cannot create the results folder (\(whyNotWritable(experimentDirectory) ?? plainReason(error))); choose a writable --out folder")
        }
        let lock = try lockSeed(seed, experimentDirectory: experimentDirectory)
        defer { lock.release() }
        try refuseUnlessRunFolder(final)
        if !force, let status = RunRecord.status(of: final) {
            let difference = RunRecord.configDifference(in: final, from: config)
            if difference == nil {
                progress.message("\(config.name) seed \(seed): already \(status) in \(final); skipped (use --force to rerun)")
                return SeedOutcome(seed: seed, status: .skipped, directory: final, message: nil)
            }
            if status == "completed", let difference {
                throw LabError("\(final): this seed was completed with a different config (\(difference)), so skipping it would mix two configs in one summary; "
                    + "rerun it with --force, or give the changed config another name or --out folder")
            }
            // A seed that failed under another config is simply run again with this one.
        }
        try clearLeftovers(experimentDirectory: experimentDirectory, seed: seed)
        let staging = (experimentDirectory as NSString).appendingPathComponent(".seed-\(seed).partial-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
        } catch {
            throw LabError("\(experimentDirectory): cannot create the results folder (\(whyNotWritable(experimentDirectory) ?? plainReason(error))); choose a writable --out folder")
        }
        progress.begin("\(config.name) seed \(seed)")
        let record = RunRecord(staging: staging, config: config, seed: seed)
        let outcome: SeedOutcome
        do {
            try record.build(progress: progress)
            outcome = SeedOutcome(seed: seed, status: .completed, directory: final, message: nil)
        } catch let failure as TrainingFailure {
            try record.writeFailure(failure)
            progress.message("\(config.name) seed \(seed): FAILED — \(failure.description)")
            outcome = SeedOutcome(seed: seed, status: .failed, directory: final, message: failure.description)
        } catch {
            // Bad data or an unwritable file: nothing of this seed is worth keeping.
            try? fm.removeItem(atPath: staging)
            throw config.inConfigTerms(error)
        }
        try withExperimentLock(experimentDirectory) {
            try refuseUnlessRunFolder(final)
            if fm.fileExists(atPath: final) { try fm.removeItem(atPath: final) }
            try fm.moveItem(atPath: staging, toPath: final)
        }
        if outcome.status == .completed { progress.message("\(config.name) seed \(seed): done → \(final)") }
        return outcome
    }

    /// Why a folder cannot be created at `path`: its nearest existing ancestor is a file or is not
    /// writable; nil when neither explains it.
    static func whyNotWritable(_ path: String) -> String? {
        let fm = FileManager.default
        var ancestor = (path as NSString).standardizingPath
        var isDirectory: ObjCBool = false
        while !fm.fileExists(atPath: ancestor, isDirectory: &isDirectory) {
            let parent = (ancestor as NSString).deletingLastPathComponent
            if parent == ancestor { return nil }
            ancestor = parent.isEmpty ? "." : parent
        }
        if !isDirectory.boolValue { return "\(ancestor) is a file, not a folder" }
        if !fm.isWritableFile(atPath: ancestor) { return "\(ancestor) is not writable" }
        return nil
    }

    /// Removes staging folders of this seed left by interrupted runs.
    static func clearLeftovers(experimentDirectory: String, seed: Int) throws {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: experimentDirectory) else { return }
        for name in names where name.hasPrefix(".seed-\(seed).partial-") {
            try fm.removeItem(atPath: (experimentDirectory as NSString).appendingPathComponent(name))
        }
    }
}
