"""Where a suite's time goes, from its committed run folders (no run is repeated), and what early
stopping would have saved. Prints the figures of docs/PERFORMANCE.md ("End to end"):

1. the share of the runs' wall time (metainfo.json `durationsSeconds.total`) by generator and by dataset;
2. milliseconds per training step of one generator per dataset (`synthesis` seconds / `stepsRun`,
   mean over seeds);
3. `training.earlyStoppingPatience` replayed on the trained generators' validation curves
   (training_log.csv, validation slices of the train split only): training stops at the first
   validation after more than p validations without a new best score, as GANModel.train does.
   Reported: the share of steps saved and the runs whose best-scoring checkpoint would differ
   (the kept checkpoint also applies the one-standard-error rule, which the log cannot replay).

Usage: python3 scripts/results/training_cost.py Results/main [--generator tabcorr]
                                                [--replay tabcorr,attention_gan_nocorr,tabcorr_no_attention]
"""
import argparse
import csv
import glob
import json
import os
from collections import defaultdict


def runs(root):
    """(dataset, generator, seed folder) of every finished run under `root`."""
    for folder in sorted(glob.glob(os.path.join(root, "*--*", "seed-*"))):
        if os.path.exists(os.path.join(folder, "metainfo.json")):
            dataset, generator = os.path.basename(os.path.dirname(folder)).split("--", 1)
            yield dataset, generator, folder


def shares(root):
    by_generator, by_dataset = defaultdict(float), defaultdict(float)
    for dataset, generator, folder in runs(root):
        seconds = json.load(open(os.path.join(folder, "metainfo.json")))["durationsSeconds"]["total"]
        by_generator[generator] += seconds
        by_dataset[dataset] += seconds
    total = sum(by_generator.values())
    print(f"Runs' wall time: {total / 60:.0f} min in all")
    for name, table in (("generator", by_generator), ("dataset", by_dataset)):
        print(f"  by {name}: " + ", ".join(f"{k} {v / total:.0%}" for k, v in sorted(table.items(), key=lambda kv: -kv[1])))


def step_cost(root, generator):
    per_dataset = defaultdict(list)
    for dataset, g, folder in runs(root):
        meta = json.load(open(os.path.join(folder, "metainfo.json")))
        if g == generator and meta.get("training", {}).get("stepsRun"):
            per_dataset[dataset].append(1000 * meta["durationsSeconds"]["synthesis"] / meta["training"]["stepsRun"])
    print(f"Milliseconds per step, {generator}: " + ", ".join(f"{d} {sum(v) / len(v):.1f}" for d, v in per_dataset.items()))


def replay(root, generators, patiences=(1, 2, 3, 5)):
    curves = []
    for dataset, generator, folder in runs(root):
        log = os.path.join(folder, "training_log.csv")
        if generator not in generators or not os.path.exists(log):
            continue
        rows = list(csv.DictReader(open(log)))
        validated = [(int(r["step"]), float(r["validation_score"])) for r in rows if r["validation_score"]]
        if validated:
            curves.append((dataset, int(rows[-1]["step"]), validated))
    for p in patiences:
        total = saved = changed = 0
        per_dataset = defaultdict(lambda: [0, 0])
        for dataset, last, validated in curves:
            best, best_index, without, stop = float("inf"), -1, 0, None
            for i, (step, score) in enumerate(validated):
                if score < best:
                    best, best_index, without = score, i, 0
                else:
                    without += 1
                if without > p:
                    stop = step
                    break
            overall_best = min(range(len(validated)), key=lambda i: validated[i][1])
            total += last
            per_dataset[dataset][0] += last
            if stop is not None:
                saved += last - stop
                per_dataset[dataset][1] += last - stop
                changed += best_index != overall_best
        print(f"Patience {p}: {saved / total:.0%} of {len(curves)} runs' steps saved; best-scoring checkpoint differs in {changed}; "
              + ", ".join(f"{d} {s / t:.0%}" for d, (t, s) in per_dataset.items()))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("root", help="a suite's results folder, e.g. Results/main")
    parser.add_argument("--generator", default="tabcorr", help="generator whose time per step is printed")
    parser.add_argument("--replay", default="tabcorr,attention_gan_nocorr,tabcorr_no_attention",
                        help="comma-separated generators whose validation curves are replayed")
    args = parser.parse_args()
    shares(args.root)
    step_cost(args.root, args.generator)
    replay(args.root, set(args.replay.split(",")))


if __name__ == "__main__":
    main()
