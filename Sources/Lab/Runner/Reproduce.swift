// `tabcorr reproduce` and `tabcorr sweep`: run a suite's missing jobs (in parallel processes, each
// a shard), then build `<out>/<suite>/table.md` and `table.csv` from the finished runs; `--check`
// recomputes into a scratch folder and compares with the committed table; `--collect` only
// builds the table; `sweep --shard i/n` runs one shard; `sweep --emit slurm` writes a job array.

import Foundation
import TabularData
import TensorKit

/// One cell of a suite table: a metric over the seeds of one dataset × generator (or peer).
struct TableCell: Equatable {
    var dataset: String, generator: String, metric: String
    var n: Int
    var mean: Double?
    var std: Double?
    var failedSeeds: Int
    /// Why seeds have no value (a peer's failure or budget), shown below the table.
    var note: String? = nil
    /// Every seed without a value was a peer's fit stopped at the budget ("over budget", not "failed").
    var overBudget = false
}

extension SuiteSpec {
    func experimentDirectory(_ job: SuiteJob, out: String) -> String {
        ((out as NSString).appendingPathComponent(name) as NSString).appendingPathComponent(job.experiment)
    }

    /// Runs `jobs` in this process, skipping finished seeds.
    func run(_ jobs: [SuiteJob], out: String, progress quiet: Bool) throws {
        let root = (out as NSString).appendingPathComponent(name)
        for (i, job) in jobs.enumerated() {
            if !quiet { FileHandle.standardError.write(Data("[\(i + 1)/\(jobs.count)] \(job.experiment) seed \(job.seed)\n".utf8)) }
            try Runner.run(try config(for: job), options: RunOptions(seeds: [job.seed], outDirectory: root, force: false, quiet: true))
        }
    }

    /// The table cells from finished runs under `out` (missing runs give n = 0), then the peers'
    /// cells from their committed results under `peersOut`.
    func cells(out: String, peersOut: String) throws -> [TableCell] {
        let wallTimes = table.metrics.contains { HeadlineMetric.named($0).isWallTime }
        var cells: [TableCell] = []
        func append(_ dataset: String, _ generator: String, _ metrics: [[String: Double]], failed: Int, note: String? = nil, overBudget: Bool = false) {
            for key in table.metrics {
                let values = metrics.compactMap { HeadlineMetric.named(key).value(in: $0) }
                let summary = values.isEmpty ? nil : MetricSummary(values)
                cells.append(TableCell(dataset: dataset, generator: generator, metric: key, n: values.count, mean: summary?.mean, std: summary?.std,
                                       failedSeeds: failed, note: note, overBudget: overBudget))
            }
        }
        for d in datasets.map(Self.stem) {
            for g in generators.map(Self.stem) {
                let directory = experimentDirectory(SuiteJob(dataset: d, generator: g, seed: 0, datasetConfig: "", generatorConfig: ""), out: out)
                let folders = seedFolders(directory).filter { seeds.contains($0.seed) }
                let metrics = try folders.filter { $0.status == "completed" }.map { folder in
                    var values = try loadMetrics((folder.path as NSString).appendingPathComponent("metrics.json"))
                    if wallTimes {
                        let metainfo = try loadMetrics((folder.path as NSString).appendingPathComponent("metainfo.json"))
                        values.merge(metainfo.filter { HeadlineMetric.named($0.key).isWallTime }) { a, _ in a }
                    }
                    return values
                }
                append(d, g, metrics, failed: folders.filter { $0.status == "failed" }.count)
            }
            for peer in peers {
                let results = try loadPeerResults(peerDirectory(out: peersOut, suite: name, dataset: d, peer: peer), seeds: seeds)
                let unfinished = results.filter { $0.metrics == nil }
                append(d, peer, results.compactMap(\.metrics), failed: unfinished.count, note: peerNote(results),
                       overBudget: !unfinished.isEmpty && unfinished.allSatisfy(\.overBudget))
            }
        }
        return cells
    }

    func command(out: String) -> String {
        "tabcorr reproduce \(FilePath.relative(sourcePath, from: FileManager.default.currentDirectoryPath))" + (out == "Results" ? "" : " --out \(out)")
    }

    /// Markdown: one block per metric, datasets × generators and peers, mean ± std over seeds (with
    /// n when fewer seeds than the suite's); best value in bold; the peers' notes at the end.
    func markdownTable(_ cells: [TableCell], out: String, peersOut: String) -> String {
        let columns = generators.map(Self.stem) + peers
        // One numbered note per dataset × peer that has one, in table order.
        var notes: [(label: String, text: String)] = []
        for c in cells where c.note != nil && !notes.contains(where: { $0.label == "\(c.dataset) × \(c.generator)" }) {
            notes.append(("\(c.dataset) × \(c.generator)", c.note!))
        }
        func noteMark(_ c: TableCell) -> String {
            notes.firstIndex { $0.label == "\(c.dataset) × \(c.generator)" }.map { " [\($0 + 1)]" } ?? ""
        }
        var lines = ["<!-- Generated by `\(command(out: out))`; do not edit by hand. -->", "# \(name)", ""]
        if !description.isEmpty { lines += [description, ""] }
        lines.append("Mean ± std over seeds \(seeds.map(String.init).joined(separator: ", ")) (n = completed seeds, shown when fewer; failed seeds are excluded and marked †). Correlation metrics compare with the held-out test split.")
        if !peers.isEmpty {
            lines += ["", "Peers (\(peers.joined(separator: ", "))) are fitted by `scripts/peers/run_peers.py` on each run's whole train split and scored by `tabcorr evaluate` against its test split; their results are read from `\(((peersOut as NSString).appendingPathComponent(name) as NSString).appendingPathComponent("peers"))/`."]
        }
        for key in table.metrics {
            let metric = HeadlineMetric.named(key)
            let decimals = metric.isWallTime ? 1 : table.decimals
            lines += ["", "## \(metric.label) (`\(key)`, \(metric.lowerIsBetter ? "lower" : "higher") is better\(metric.isWallTime ? "; wall time, not compared by --check" : ""))", "",
                      "| dataset | " + columns.joined(separator: " | ") + " |", "|---|" + String(repeating: "---|", count: columns.count)]
            for d in datasets.map(Self.stem) {
                let row = columns.map { g in cells.first { $0.dataset == d && $0.generator == g && $0.metric == key }! }
                let means = row.compactMap(\.mean)
                let best = metric.lowerIsBetter ? means.min() : means.max()
                let texts = row.map { c -> String in
                    guard let mean = c.mean else { return (c.failedSeeds == 0 ? "—" : c.overBudget ? "over budget †" : "failed †") + noteMark(c) }
                    var text = c.n > 1 ? "\(format(mean, decimals)) ± \(format(c.std, decimals))" : format(mean, decimals)
                    if mean == best && means.count > 1 { text = "**\(text)**" }
                    if c.n < seeds.count { text += " (n = \(c.n))" }
                    if c.failedSeeds > 0 { text += " †\(c.failedSeeds)" }
                    return text + noteMark(c)
                }
                lines.append("| \(d) | " + texts.joined(separator: " | ") + " |")
            }
        }
        if !notes.isEmpty {
            lines += ["", "## Notes", ""] + notes.enumerated().map { "\($0.offset + 1). \($0.element.label): \($0.element.text)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Tidy CSV: one row per dataset × generator × metric, full precision.
    func csvTable(_ cells: [TableCell]) -> String {
        (["dataset,generator,metric,n,mean,std,failed_seeds,note"] + cells.map { c in
            "\(CSVWriter.field(c.dataset)),\(CSVWriter.field(c.generator)),\(CSVWriter.field(c.metric)),\(c.n),\(c.mean.map { "\($0)" } ?? ""),\(c.std.map { "\($0)" } ?? ""),\(c.failedSeeds),\(CSVWriter.field(c.note ?? ""))"
        }).joined(separator: "\n") + "\n"
    }

    /// Writes table.md and table.csv from the runs under `out` and the peers' results under
    /// `peersOut` (the committed ones when checking).
    func writeTables(out: String, peersOut: String? = nil) throws -> [TableCell] {
        let peersOut = peersOut ?? out
        let cells = try cells(out: out, peersOut: peersOut)
        let root = (out as NSString).appendingPathComponent(name)
        guard cells.contains(where: { $0.n > 0 }) else {
            throw LabError("\(root): no finished runs of suite \"\(name)\" here; run `tabcorr reproduce` on the suite first (or point --out at its results)")
        }
        // A metric that is not a headline metric (those may be absent, e.g. efficacy without a
        // target) and is found in no finished run is a misspelt metrics.json path, not a column of "—".
        for key in table.metrics where !HeadlineMetric.standard.contains(where: { $0.key == key }) && !cells.contains(where: { $0.metric == key && $0.n > 0 }) {
            throw LabError("\(name): table.metrics: \"\(abbreviated(key))\" is in none of the finished runs' metrics.json; metric names are "
                + "metrics.json paths such as \(HeadlineMetric.standard.prefix(3).map(\.key).joined(separator: ", "))")
        }
        try AtomicFile.write(markdownTable(cells, out: out, peersOut: peersOut), to: (root as NSString).appendingPathComponent("table.md"))
        try AtomicFile.write(csvTable(cells), to: (root as NSString).appendingPathComponent("table.csv"))
        return cells
    }
}

/// Cells of a committed table.csv.
func readTableCSV(_ path: String) throws -> [TableCell] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        throw LabError("\(path): no committed table to check against; run `tabcorr reproduce` without --check first")
    }
    // Lines may end in CRLF (a table.csv saved by a Windows editor or git's autocrlf): "\r\n" is one Character.
    // The note (last, possibly quoted with commas) is not compared, so the first seven fields suffice.
    return text.split(whereSeparator: \.isNewline).dropFirst().map { line in
        let f = line.split(separator: ",", maxSplits: 7, omittingEmptySubsequences: false).map(String.init)
        return TableCell(dataset: f[0], generator: f[1], metric: f[2], n: Int(f[3]) ?? 0, mean: Double(f[4]), std: Double(f[5]), failedSeeds: Int(f[6]) ?? 0)
    }
}

extension TabCorrCLI {
    static func reproduceCommand(_ command: ParsedCommand) throws {
        let suite = try SuiteSpec.load(path: command.string("suite")!)
        let out = command.string("out") ?? "Results"
        let quiet = command.flag("quiet")
        if command.flag("collect") {
            let cells = try suite.writeTables(out: out)
            let missing = cells.filter { $0.n == 0 }.count
            print("table written to \((out as NSString).appendingPathComponent(suite.name))/table.md\(missing > 0 ? " (\(missing) cells have no finished run)" : "")")
            return
        }
        let check = command.flag("check")
        let scratch = check && command.string("out") == "Results" ? try scratchDirectory(suite: suite, suitePath: command.string("suite")!) : nil
        let runOut = scratch ?? out
        if let scratch, !quiet {
            FileHandle.standardError.write(Data("recomputing in \(scratch) (interrupted, it resumes from there when the same command is run again)\n".utf8))
        }
        try runParallel(suite: suite, suitePath: command.string("suite")!, out: runOut, jobs: command.integer("jobs") ?? 1, quiet: quiet)
        let cells = try suite.writeTables(out: runOut, peersOut: check ? "Results" : out)
        guard check else {
            print("table written to \((runOut as NSString).appendingPathComponent(suite.name))/table.md")
            return
        }
        let committed = try readTableCSV((("Results" as NSString).appendingPathComponent(suite.name) as NSString).appendingPathComponent("table.csv"))
        var differences: [String] = []
        // Wall times depend on the machine and its load: shown in the table, never compared.
        let compared = cells.filter { !HeadlineMetric.named($0.metric).isWallTime }
        let wallTimeCells = cells.count - compared.count
        for cell in compared {
            let old = committed.first { $0.dataset == cell.dataset && $0.generator == cell.generator && $0.metric == cell.metric }
            let ok: Bool
            switch (old?.mean, cell.mean) {
            case (nil, nil): ok = true
            case (let a?, let b?): ok = abs(a - b) <= suite.table.tolerance
            default: ok = false
            }
            if !ok { differences.append("\(cell.dataset) × \(cell.generator) × \(cell.metric): committed \(format(old?.mean, 6)), now \(format(cell.mean, 6))") }
        }
        for old in committed where !cells.contains(where: { $0.dataset == old.dataset && $0.generator == old.generator && $0.metric == old.metric }) {
            differences.append("\(old.dataset) × \(old.generator) × \(old.metric): committed, but no longer in the suite")
        }
        if differences.isEmpty {
            if let scratch { try? FileManager.default.removeItem(atPath: scratch) }
            print("check passed: all \(compared.count) cells within \(suite.table.tolerance) of Results/\(suite.name)/table.csv"
                + (wallTimeCells > 0 ? " (\(wallTimeCells) wall-time cells not compared)" : "")
                + (scratch == nil ? " (recomputed in \(runOut))" : ""))
        } else {
            throw LabError("check failed: \(differences.count) of \(compared.count) cells differ beyond \(suite.table.tolerance) (the recomputed runs are in \(runOut)):\n  "
                + differences.joined(separator: "\n  "))
        }
    }

    static func sweepCommand(_ command: ParsedCommand) throws {
        exitWithParent()
        let suitePath = command.string("suite")!
        let suite = try SuiteSpec.load(path: suitePath)
        let out = command.string("out") ?? "Results"
        if command.string("emit") == "slurm" {
            print(slurmScript(suite: suite, suitePath: suitePath, out: out, shards: suite.jobs.count))
            return
        }
        guard let shard = command.string("shard") else { throw LabError("sweep: give --shard i/n (e.g. --shard 1/4) or --emit slurm") }
        let parts = shard.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else {
            throw LabError("--shard \(shard): write it as i/n with 1 ≤ i ≤ n, e.g. 2/4")
        }
        try suite.run(suite.jobs(shard: parts[0], of: parts[1]), out: out, progress: command.flag("quiet"))
    }

    /// Runs the suite's jobs as `jobs` shard processes of this executable (in-process when 1).
    static func runParallel(suite: SuiteSpec, suitePath: String, out: String, jobs: Int, quiet: Bool) throws {
        if jobs <= 1 { return try suite.run(suite.jobs, out: out, progress: quiet) }
        let executable = runningExecutable()
        let threads = max(1, Parallel.threadCount / jobs)
        let processes = try (1...jobs).map { i -> Process in
            let p = Process()
            p.executableURL = executable
            // Shards are quiet: this process prints one combined progress line instead.
            p.arguments = ["sweep", suitePath, "--shard", "\(i)/\(jobs)", "--out", out, "--threads", "\(threads)", "--quiet"]
            var environment = ProcessInfo.processInfo.environment
            environment[parentEnvironmentKey] = "\(getpid())"
            p.environment = environment
            try p.run()
            return p
        }
        var watch = SuiteProgress(suite: suite, out: out)
        var running = true
        while running {
            running = processes.contains(where: \.isRunning)
            if running { usleep(500_000) }
            // One last look after the shards exit, so the final count is always printed.
            if !quiet, let line = watch.update() { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        }
        if let bad = processes.first(where: { $0.terminationStatus != 0 }) {
            throw LabError("a shard process failed (exit \(bad.terminationStatus)); rerun the same command to resume: finished runs are kept")
        }
    }

    /// Set by `reproduce --jobs N` in its shard processes: the pid they must not outlive.
    static let parentEnvironmentKey = "TABCORR_REPRODUCE_PID"

    /// A shard started by `reproduce` exits as soon as that process is gone (killed, even by
    /// SIGKILL), leaving only its staging folder, which the next run clears; it never keeps
    /// running as an orphan that a rerun could race with.
    static func exitWithParent() {
        guard let text = ProcessInfo.processInfo.environment[parentEnvironmentKey], let parent = Int32(text) else { return }
        if getppid() != parent { _exit(1) }
        Thread.detachNewThread {
            while true {
                usleep(100_000)
                if getppid() != parent { _exit(1) }
            }
        }
    }

    /// This process's executable file, also when it was started through PATH as plain `tabcorr`
    /// (then `CommandLine.arguments[0]` names no file).
    static func runningExecutable() -> URL {
        (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).standardizedFileURL
    }

    /// `<temporary folder>/tabcorr-check-<suite>-<FNV-1a hash of the suite file's absolute path>`.
    static func scratchPath(suiteName: String, suitePath: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in URL(fileURLWithPath: suitePath).standardizedFileURL.path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return (NSTemporaryDirectory() as NSString).appendingPathComponent("tabcorr-check-\(suiteName)-\(String(hash, radix: 16))")
    }

    /// The scratch folder of `reproduce --check` for one suite file: stable, so an interrupted check
    /// resumes, and emptied when the tabcorr binary has changed since (its runs would be stale).
    static func scratchDirectory(suite: SuiteSpec, suitePath: String) throws -> String {
        let path = scratchPath(suiteName: suite.name, suitePath: suitePath)
        let marker = (path as NSString).appendingPathComponent("binary.txt")
        let executable = runningExecutable().path
        let attributes = try? FileManager.default.attributesOfItem(atPath: executable)
        let identity = "\(executable) \((attributes?[.size] as? NSNumber)?.intValue ?? 0) \((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)\n"
        if (try? String(contentsOfFile: marker, encoding: .utf8)) != identity {
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try AtomicFile.write(identity, to: marker)
        }
        return path
    }

    /// A Slurm job-array script: one array task per shard, each running `tabcorr sweep --shard`.
    static func slurmScript(suite: SuiteSpec, suitePath: String, out: String, shards: Int) -> String {
        """
        #!/bin/bash
        # Slurm job array for suite "\(suite.name)": \(suite.jobs.count) runs, one per array task.
        # Build once, then submit from the repository root (tasks share the checkout and only run the binary):
        #   swift build -c release && sbatch this-file.sh
        # Afterwards build the table: tabcorr reproduce \(suitePath) --collect --out \(out)
        #SBATCH --job-name=tabcorr-\(suite.name)
        #SBATCH --array=1-\(shards)
        #SBATCH --cpus-per-task=2
        #SBATCH --output=tabcorr-\(suite.name)-%a.log
        set -euo pipefail
        if [ ! -x .build/release/tabcorr ]; then
            echo "error: .build/release/tabcorr is missing; run 'swift build -c release' in $(pwd) before sbatch" >&2
            exit 1
        fi
        .build/release/tabcorr sweep \(suitePath) --shard "${SLURM_ARRAY_TASK_ID}/\(shards)" --out \(out) --threads "${SLURM_CPUS_PER_TASK}" --quiet
        """
    }
}

/// The progress of a suite run by several shard processes, read from the results folder: finished
/// runs out of all, an ETA from the runs finished since the start, and the runs in progress
/// (their staging folders).
struct SuiteProgress {
    let suite: SuiteSpec
    let out: String
    let started = ContinuousClock.now
    var initial: Int? = nil
    var lastDone = -1
    var lastPrinted = ContinuousClock.now

    init(suite: SuiteSpec, out: String) {
        self.suite = suite
        self.out = out
    }

    /// The line to print when a run finished or a minute passed; nil otherwise.
    mutating func update() -> String? {
        let jobs = suite.jobs
        let done = jobs.filter { RunRecord.status(of: (suite.experimentDirectory($0, out: out) as NSString).appendingPathComponent("seed-\($0.seed)")) != nil }.count
        let first = initial ?? done
        initial = first
        let now = ContinuousClock.now
        guard done != lastDone || now - lastPrinted >= .seconds(60) else { return nil }
        lastDone = done
        lastPrinted = now
        let elapsed = Double((now - started).components.seconds)
        let eta = done > first ? " ETA \(clockText(elapsed / Double(done - first) * Double(jobs.count - done)))" : ""
        // A run in progress holds a lock file and a staging folder: name it once.
        let running = Set(jobs.map { suite.experimentDirectory($0, out: out) }).sorted().flatMap { directory in
            Set(((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).compactMap { name -> String? in
                guard name.hasPrefix(".seed-"), let dot = name.dropFirst(6).firstIndex(of: ".") else { return nil }
                return "\((directory as NSString).lastPathComponent) seed \(name.dropFirst(6)[..<dot])"
            }).sorted()
        }
        return "[\(done)/\(jobs.count)]\(eta)\(running.isEmpty ? "" : " — running: " + running.joined(separator: ", "))"
    }
}

/// Seconds as "1 h 05 min", "12 min 30 s" or "45 s".
func clockText(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    if s >= 3600 { return "\(s / 3600) h \(String(format: "%02d", s % 3600 / 60)) min" }
    if s >= 60 { return "\(s / 60) min \(String(format: "%02d", s % 60)) s" }
    return "\(s) s"
}
