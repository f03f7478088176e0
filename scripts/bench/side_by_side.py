"""Side-by-side training benchmark: TabCorr's `bench train` and the PyTorch reference model
(scripts/bench/torch_reference.py), interleaved round by round so both see the same machine, and
optionally a second tabcorr binary (--baseline, e.g. a build of an earlier commit) for a
before/after column. Prints the Markdown tables of docs/PERFORMANCE.md (## Training).

Usage (from the repository root, after `swift build -c release` and the venv of PERFORMANCE.md):
  python3 scripts/bench/side_by_side.py [--rounds 3] [--threads 1,2] [--baseline PATH]
"""
import argparse
import json
import os
import subprocess
import sys

MODELS = ["reference", "reference-no-attention"]


def run_json(command, env=None):
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    return {row["model"]: row for row in json.loads(out)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--steps", type=int, default=100, help="tabcorr steps per model (PyTorch runs 40)")
    parser.add_argument("--tabcorr", default=".build/release/tabcorr")
    parser.add_argument("--baseline", help="another tabcorr binary, run just before ours in each round")
    parser.add_argument("--python", default=".venv/bin/python")
    args = parser.parse_args()
    threads = [int(t) for t in args.threads.split(",")]
    torch_env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE")  # spinning OpenMP threads collapse on a shared host
    # results[(threads, model)] -> list of per-round dicts {ours, torch, baseline}
    results = {}
    for r in range(args.rounds):
        for t in threads:
            base = run_json([args.baseline, "bench", "train", "--threads", str(t), "--steps", str(args.steps), "--json"]) if args.baseline else None
            ours = run_json([args.tabcorr, "bench", "train", "--threads", str(t), "--steps", str(args.steps), "--json"])
            torch = run_json([args.python, "scripts/bench/torch_reference.py", "--threads", str(t), "--steps", "40", "--json"], env=torch_env)
            for m in MODELS:
                results.setdefault((t, m), []).append({"ours": ours[m], "torch": torch[m], "baseline": base[m] if base else None})
            print(f"round {r + 1}, {t} thread(s) done", file=sys.stderr)

    def cells(values, fmt="{:.1f}"):
        return " / ".join(fmt.format(v) for v in values)

    load = os.getloadavg()
    print(f"{args.rounds} interleaved rounds, each cell lists round 1 / 2 / …; load average at the end {load[0]:.2f}, {load[1]:.2f}.")
    print(f"PyTorch {results[(threads[0], MODELS[0])][0]['torch']['torch']}. Ratio = ours / PyTorch steps/s.\n")
    head = "| threads | model |" + (" before steps/s |" if args.baseline else "") + \
        " ours steps/s | PyTorch steps/s | ratio | ours CPU ms/step | PyTorch CPU ms/step | peak RSS ours / PyTorch |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for (t, m), rounds in results.items():
        ours = [x["ours"]["steps_per_s"] for x in rounds]
        torch = [x["torch"]["steps_per_s"] for x in rounds]
        row = f"| {t} | {m} |"
        if args.baseline:
            row += f" {cells([x['baseline']['steps_per_s'] for x in rounds])} |"
        row += f" {cells(ours)} | {cells(torch)} | {cells([o / p for o, p in zip(ours, torch)], '{:.1f}×')} |"
        row += f" {cells([x['ours']['cpu_ms_per_step'] for x in rounds])} | {cells([x['torch']['cpu_ms_per_step'] for x in rounds])} |"
        row += f" {max(x['ours']['peak_rss_mb'] for x in rounds):.0f} / {max(x['torch']['peak_rss_mb'] for x in rounds):.0f} MB |"
        print(row)


if __name__ == "__main__":
    main()
