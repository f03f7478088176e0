// The command tree of the `tabcorr` tool: every subcommand with its abstract, arguments and
// examples, so `--help` works everywhere. Only declarations: `main.swift` parses with
// `TabCorrCommands.parser` and dispatches on `ParsedCommand.path` to the actions in Lab.

/// The `tabcorr` command line.
///
/// ```swift
/// switch try TabCorrCommands.parser.parse(Array(CommandLine.arguments.dropFirst())) {
/// case .help(let text): print(text, terminator: "")
/// case .run(let command) where command.path == ["tabcorr", "run"]: ... command.string("config")!
/// }
/// ```
public enum TabCorrCommands {
    public static let parser = ArgumentParser(root: root)

    public static var root: Command {
        Command(name: "tabcorr", abstract: "Synthetic tabular data that keeps correlation structure.",
                discussion: "Write a JSON config (see docs/CONFIG.md), run it, compare runs, and reproduce results tables.",
                examples: ["tabcorr run Configs/quickstart.json", "tabcorr run --help"],
                subcommands: [run, compare, reproduce, sweep, generate, evaluate, inspect, validate, split, bench])
    }

    static let quiet = Argument.flag("quiet", short: "q", "No progress output on stderr.")
    static let threads = Argument.option("threads", valueName: "n", "Worker threads for the numeric kernels.", type: .integer(minimum: 1))

    static var run: Command {
        Command(name: "run", abstract: "Train, sample and evaluate one config for each of its seeds.",
                discussion: "Writes <out>/<name>/seed-<k>/ (resolved config, split, synthetic.csv, metrics, logs, report) and <out>/<name>/summary.json. A finished seed is skipped unless --force; an interrupted run resumes.",
                examples: ["tabcorr run Configs/quickstart.json",
                           "tabcorr run Configs/examples/attention-correlation.json --seeds 0,1,2 --threads 2 --out /tmp/results",
                           "tabcorr run my-data.csv"],
                arguments: [
                    .positional("config", "Experiment config file (JSON), or a CSV/TSV file to run the default model on."),
                    .option("seeds", "Seeds to run instead of the config's `seeds`.", type: .integerList(minimum: 0)),
                    threads,
                    .option("out", valueName: "dir", "Directory results are written under.", default: "Results"),
                    .flag("force", short: "f", "Rerun seeds that already finished."),
                    quiet,
                ])
    }

    static var compare: Command {
        Command(name: "compare", abstract: "Compare experiments or seeds side by side, with a paired test over seeds.",
                discussion: "Marks the best value of each metric and shows the differences between results.",
                examples: ["tabcorr compare Results/main/wine--attention_gan_nocorr Results/main/wine--tabcorr",
                           "tabcorr compare Results/quickstart/seed-0 Results/attention-correlation --metric pearson.synthetic.meanAbsoluteDifference --format csv"],
                arguments: [
                    .positional("result", "Result folders (an experiment or one seed).", variadic: true),
                    .option("metric", "Compare only this metric."),
                    .option("format", "Output format.", type: .choice(["md", "csv", "json"]), default: "md"),
                ])
    }

    static var reproduce: Command {
        Command(name: "reproduce", abstract: "Run what a suite is missing and rebuild its results table.",
                examples: ["tabcorr reproduce Experiments/ablation.json --jobs 2",
                           "tabcorr reproduce Experiments/ablation.json --check --out /tmp/check",
                           "tabcorr reproduce Experiments/ablation.json --collect"],
                arguments: [
                    .positional("suite", "Suite file (configs × datasets × seeds and the table to build)."),
                    .option("jobs", valueName: "n", "Runs executed in parallel processes.", type: .integer(minimum: 1), default: "1"),
                    .option("out", valueName: "dir", "Directory results and tables are written under.", default: "Results"),
                    .flag("check", "Recompute and exit non-zero when a cell differs from the committed table beyond the suite's tolerance."),
                    .flag("collect", "Merge the results of sweep shards into the table without running anything."),
                    quiet,
                ])
    }

    static var sweep: Command {
        Command(name: "sweep", abstract: "Run a deterministic share of a suite's jobs, or emit a Slurm script.",
                examples: ["tabcorr sweep Experiments/ablation.json --shard 1/4",
                           "tabcorr sweep Experiments/ablation.json --emit slurm > sweep.sbatch"],
                arguments: [
                    .positional("suite", "Suite file."),
                    .option("shard", valueName: "i/n", "Run shard i of n (1-based); the n shards together run every job once."),
                    .option("emit", valueName: "engine", "Print a job-array script instead of running.", type: .choice(["slurm"])),
                    .option("out", valueName: "dir", "Directory results are written under.", default: "Results"),
                    threads,
                    quiet,
                ])
    }

    static var generate: Command {
        Command(name: "generate", abstract: "Sample synthetic rows from a trained model.",
                examples: ["tabcorr generate Results/quickstart/seed-0 --rows 1000 --out synthetic.csv",
                           "tabcorr generate Results/conditional-digits/seed-0 --rows 500 --condition target=digit_3"],
                arguments: [
                    .positional("model", "A finished seed folder, its model.tcmodel, or an experiment folder with one trained seed."),
                    .option("rows", valueName: "n", "Rows to generate.", type: .integer(minimum: 1), required: true),
                    .option("condition", valueName: "column=value", "Fix a categorical column's value.", repeatable: true),
                    .option("seed", valueName: "k", "Seed of the sampling noise; the run's seed with its row count reproduces its synthetic.csv.", type: .integer(minimum: 0), default: "0"),
                    .option("out", valueName: "file", "CSV file to write (default: stdout)."),
                ])
    }

    static var evaluate: Command {
        Command(name: "evaluate", abstract: "Score any synthetic CSV (also other tools' output) against real splits.",
                discussion: "Without --config, test and synthetic are typed as train is inferred, with default evaluation options. With --config and --seed, the files are typed as a run of that config reads its data file and scored with the run's evaluation options (target, bootstrap, detection folds, metric families, seed), so the metrics compare cell for cell with the run's metrics.json; take the files from `tabcorr split CONFIG --seed S`.",
                examples: ["tabcorr evaluate --train train.csv --test test.csv --synthetic ctgan.csv --target species --json",
                           "tabcorr evaluate --config Configs/datasets/iris.json --seed 0 --train split/train.csv --test split/test.csv --synthetic ctgan.csv --out metrics.json"],
                arguments: [
                    .option("train", valueName: "csv", "Real rows the generator was trained on.", required: true),
                    .option("test", valueName: "csv", "Held-out real rows every metric is computed on.", required: true),
                    .option("synthetic", valueName: "csv", "Synthetic rows to score.", required: true),
                    .option("target", valueName: "column", "Target column of the efficacy metric (with --config: the config's)."),
                    .option("config", "Type the files and score them as a run of this config does."),
                    .option("seed", "With --config: the run seed whose evaluation options to use (default: the config's first seed).", type: .integer(minimum: 0)),
                    .option("out", valueName: "file", "metrics.json to write (default: stdout)."),
                    .flag("json", "Print the metrics as JSON instead of text (with --out: only to the file)."),
                ])
    }

    static var inspect: Command {
        Command(name: "inspect", abstract: "Show the inferred schema and summary statistics of a CSV file.",
                examples: ["tabcorr inspect Experiments/datasets/penguins.csv", "tabcorr inspect data.csv --json"],
                arguments: [.positional("data", "CSV file."),
                            .option("delimiter", valueName: "char", "Field separator.", type: .delimiter, default: ","),
                            .flag("json", "Print the inspection as JSON.")])
    }

    static var validate: Command {
        Command(name: "validate", abstract: "Check a config and its data as run does before training; print the config fully resolved.",
                examples: ["tabcorr validate Configs/quickstart.json"],
                arguments: [.positional("config", "Experiment config file (JSON).")])
    }

    static var split: Command {
        Command(name: "split", abstract: "Write a run's train, validation and test splits as CSV, for other tools to fit and be scored on.",
                discussion: "The rows and columns a run of the config with this seed uses (after data.dropColumns and left-out identifier columns): train.csv is the whole train split (fit rows then validation rows), fit.csv and validation.csv its two parts when the model carves a validation slice, test.csv the held-out rows, split.json their row indices in the data file. Score another tool's sample as the run is scored with `tabcorr evaluate --config CONFIG --seed S --train train.csv --test test.csv --synthetic theirs.csv`.",
                examples: ["tabcorr split Configs/quickstart.json --seed 0 --out /tmp/quickstart-split"],
                arguments: [
                    .positional("config", "Experiment config file (JSON), or a CSV/TSV file as `run` takes it."),
                    .option("seed", "The run seed whose split to write (default: the config's first seed).", type: .integer(minimum: 0)),
                    .option("out", valueName: "dir", "Folder to write the CSV files and split.json into.", required: true),
                ])
    }

    static var bench: Command {
        Command(name: "bench", abstract: "Time the numeric kernels or the reference training step on this machine.",
                examples: ["tabcorr bench kernels", "tabcorr bench train --threads 2 --json"],
                subcommands: [benchKernels, benchTrain])
    }

    static var benchKernels: Command {
        Command(name: "kernels", abstract: "GFLOP/s of the three GEMM forms and ns/element of elementwise kernels, 1 and 2 threads.",
                examples: ["tabcorr bench kernels --json"],
                arguments: [.flag("json", "Print a JSON list instead of a table.")])
    }

    static var benchTrain: Command {
        Command(name: "train", abstract: "Steps/s of the reference GAN (breast_cancer, batch 500), with and without attention.",
                examples: ["tabcorr bench train --threads 2", "tabcorr bench train --steps 50 --json"],
                arguments: [threads, .option("steps", valueName: "n", "Timed steps per model (after warm-up).", type: .integer(minimum: 1), default: "100"),
                            .flag("json", "Print a JSON list instead of a table.")])
    }
}
