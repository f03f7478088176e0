"""Prints TabCorr beside the field's peers from a suite's table.csv, as Markdown: one table per metric
(Pearson mean |dC|, detection AUC, efficacy ratio, fit + sample seconds), with the floor, TabCorr's
own copula, TabCorr's default and the same without attention, then the peers the suite lists.
Each cell is the mean over the seeds it has, with "(n = k)" when a peer has fewer than the
suite's five, "failed" or "over budget" when none finished (the reason is in the table's notes).
Usage: python3 scripts/results/peers.py Results/main/table.csv
"""
import csv
import sys

OURS = ["identity", "gaussian_copula", "tabcorr", "tabcorr_no_attention"]
PEERS = ["sdv_gaussian_copula", "sdv_ctgan", "sdv_tvae", "synthcity_ddpm", "synthcity_arf"]
BLOCKS = [
    ("pearson.synthetic.meanAbsoluteDifference", "Pearson mean |C_test − C_synthetic| (lower is better; `identity` is the floor)", 3),
    ("detection.rocAUC", "Detection ROC AUC (0.5 = indistinguishable from the test rows)", 3),
    ("efficacy.macroF1Ratio", "Efficacy: a model trained on synthetic rows over one trained on the train split, scored on the test split (macro F1 ratio; R² ratio for diabetes' numeric target; higher is better)", 3),
    ("durationsSeconds.synthesis", "Fit + sample seconds (wall time on 2 shared AMD EPYC vCPUs, one thread per run, two runs at a time)", 1),
]


def main(path):
    rows = {(r["dataset"], r["generator"], r["metric"]): r for r in csv.DictReader(open(path, newline=""))}
    datasets = list(dict.fromkeys(d for d, _, _ in rows))
    seeds = max(int(r["n"]) for r in rows.values())
    columns = OURS + [p for p in PEERS if any(g == p for _, g, _ in rows)]
    for metric, title, decimals in BLOCKS:
        print(f"{title}:\n")
        print("| dataset | " + " | ".join(columns) + " |")
        print("|---|" + "---|" * len(columns))
        for d in datasets:
            cells = []
            for g in columns:
                r = rows.get((d, g, metric))
                if r is None or not r["mean"]:
                    unfinished = r is not None and int(r["failed_seeds"]) > 0
                    budget_only = unfinished and "failed:" not in r.get("note", "")
                    cells.append(("over budget" if budget_only else "failed") if unfinished else "—")
                    continue
                text = f"{float(r['mean']):.{decimals}f}"
                n = int(r["n"])
                cells.append(text + (f" (n = {n})" if n < seeds else ""))
            print(f"| {d} | " + " | ".join(cells) + " |")
        print()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "Results/main/table.csv")
