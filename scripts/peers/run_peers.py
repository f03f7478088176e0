"""Fits the field's peers (SDV's Gaussian copula, CTGAN and TVAE; synthcity's TabDDPM and ARF) on
TabCorr's own splits of a suite's datasets and scores their samples with `tabcorr evaluate`, as a
run of that dataset and seed is scored. Writes Results/<suite>/peers/<dataset>--<peer>/seed-<s>.json.
Leaves out: the table (tabcorr builds it from these files) and any tuning (peers keep defaults).

    nice .venv/bin/python scripts/peers/run_peers.py Experiments/main.json --peers sdv_gaussian_copula,sdv_ctgan --datasets iris --seeds 0
"""

import argparse
import csv
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from fit_peer import PEERS

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent.parent
PACKAGES = ["sdv", "rdt", "ctgan", "copulas", "synthcity", "arfpy", "torch", "numpy", "pandas", "scipy", "scikit-learn"]


def write_atomically(path, value):
    """Writes JSON to a temporary file beside `path`, then renames it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(handle, "w") as f:
        json.dump(value, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(temporary, path)


def versions(tabcorr):
    """The versions that decide a peer's numbers: Python, the peers' packages, tabcorr, the CPU."""
    found = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = None
    found["tabcorr"] = subprocess.run([tabcorr, "--version"], capture_output=True, text=True, check=True).stdout.split()[-1]
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    found["cpu"] = f"{cpu} ({os.cpu_count()} logical cores)"
    return found


def failure_reason(log):
    """The last line of a child's stderr that names an exception, else its last line."""
    lines = [line.strip() for line in log.read_text(errors="replace").splitlines() if line.strip()]
    named = [line for line in lines if line.split(":", 1)[0].endswith(("Error", "Exception"))]
    return (named or lines or ["no output"])[-1][:500]


def fit_one(peer, split, rows, seed, scratch, budget, threads):
    """Runs fit_peer.py in its own process group with `threads` math threads: its stats, or
    {"failed": ...} / {"overBudget": ...}."""
    sample, stats, log = scratch / f"{peer}.csv", scratch / f"{peer}.stats.json", scratch / f"{peer}.log"
    command = [sys.executable, str(HERE / "fit_peer.py"), peer, str(split / "train.csv"), str(rows), str(seed), str(sample), str(stats)]
    # torch, NumPy's BLAS and scikit-learn read these when they start.
    environment = {**os.environ, "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": str(threads)}
    start = time.monotonic()
    with open(log, "w") as err:
        child = subprocess.Popen(command, stdout=err, stderr=err, start_new_session=True, env=environment)
        try:
            code = child.wait(timeout=budget)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            return {"overBudget": round(time.monotonic() - start), "budgetSeconds": budget}, None
    if code != 0:
        return {"failed": failure_reason(log), "exitCode": code}, None
    return json.loads(stats.read_text()), sample


def evaluate(tabcorr, config, seed, split, sample, out):
    """`tabcorr evaluate --config --seed`: the sample scored as a run of this dataset and seed."""
    command = [tabcorr, "evaluate", "--config", str(config), "--seed", str(seed), "--train", str(split / "train.csv"),
               "--test", str(split / "test.csv"), "--synthetic", str(sample), "--out", str(out), "--json"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        return None, done.stderr.strip().splitlines()[-1][:500]
    return json.loads(out.read_text()), None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("suite", type=Path, help="suite file, e.g. Experiments/main.json")
    parser.add_argument("--peers", default=",".join(PEERS), help=f"comma-separated, of {','.join(PEERS)} (default: all)")
    parser.add_argument("--seeds", help="comma-separated (default: the suite's seeds)")
    parser.add_argument("--datasets", help="comma-separated dataset names (default: the suite's datasets)")
    parser.add_argument("--threads", type=int, default=1,
                        help="math threads per fit (default 1: two runs of this script side by side use two cores without oversubscribing them)")
    parser.add_argument("--budget-seconds", type=int, default=900, help="stop a fit and sample after this long (default 900)")
    parser.add_argument("--out", type=Path, default=REPOSITORY / "Results", help="results folder (default: the repository's Results)")
    parser.add_argument("--scratch", type=Path, default=REPOSITORY / ".peers-scratch", help="splits, samples and logs (default: .peers-scratch)")
    args = parser.parse_args()

    tabcorr = os.environ.get("TABCORR", str(REPOSITORY / ".build/release/tabcorr"))
    suite = json.loads(args.suite.read_text())
    name = suite.get("name", args.suite.stem)
    configs = {Path(path).stem: (args.suite.parent / path).resolve() for path in suite["datasets"]}
    peers = args.peers.split(",")
    seeds = [int(s) for s in args.seeds.split(",")] if args.seeds else suite["seeds"]
    datasets = args.datasets.split(",") if args.datasets else list(configs)
    for unknown in [p for p in peers if p not in PEERS] + [d for d in datasets if d not in configs]:
        parser.error(f"{unknown}: not a peer ({', '.join(PEERS)}) nor a dataset of {args.suite} ({', '.join(configs)})")
    found = versions(tabcorr)

    for dataset in datasets:
        for seed in seeds:
            results = {peer: args.out / name / "peers" / f"{dataset}--{peer}" / f"seed-{seed}.json" for peer in peers}
            todo = [peer for peer in peers if not results[peer].exists()]
            if not todo:
                continue
            scratch = args.scratch / name / dataset / f"seed-{seed}"
            split = scratch / "split"
            subprocess.run([tabcorr, "split", str(configs[dataset]), "--seed", str(seed), "--out", str(split)], check=True, stdout=subprocess.DEVNULL)
            indices = json.loads((split / "split.json").read_text())
            rows = len(indices["train"]) + len(indices["validation"])
            with open(split / "train.csv", newline="") as f:
                missing = sum(cell == "" for row in list(csv.reader(f))[1:] for cell in row)
            for peer in todo:
                print(f"{dataset} seed {seed}: {peer} on {rows} train rows", file=sys.stderr, flush=True)
                record, sample = fit_one(peer, split, rows, seed, scratch, args.budget_seconds, args.threads)
                if sample is not None:
                    metrics, error = evaluate(tabcorr, configs[dataset], seed, split, sample, scratch / f"{peer}.metrics.json")
                    record = {"metrics": metrics, **record} if error is None else {"failed": f"tabcorr evaluate: {error}", **record}
                record.update(dataset=dataset, peer=peer, seed=seed, trainMissingCells=missing, versions=found)
                write_atomically(results[peer], record)
                outcome = next((f"{key}: {record[key]}" for key in ("failed", "overBudget") if key in record), f"fit {record.get('fitSeconds')} s")
                print(f"  {outcome} -> {results[peer]}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
