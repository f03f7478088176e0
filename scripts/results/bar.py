"""Checks a suite's table.csv against issue 7's bar for TabCorr's default and prints a Markdown table.

The bar, per dataset: `tabcorr` has the lowest Pearson mean difference of the trained generators,
is within 1.2x the floor (`identity`), matches or beats `gaussian_copula` on Pearson, and beats it
on mean KS and detection AUC. Usage: python3 scripts/results/bar.py Results/main/table.csv
"""
import csv
import sys

PEARSON = "pearson.synthetic.meanAbsoluteDifference"
KS = "marginals.meanKSStatistic"
DETECTION = "detection.rocAUC"
TRAINED = ["mlp_gan", "mlp_gan_corr", "attention_gan_nocorr", "tabcorr"]


def main(path):
    rows = list(csv.DictReader(open(path, newline="")))
    mean = {(r["dataset"], r["generator"], r["metric"]): float(r["mean"]) for r in rows if r["mean"]}
    datasets = list(dict.fromkeys(r["dataset"] for r in rows))
    mark = lambda ok: "✓" if ok else "✗"
    print("| dataset | tabcorr / floor (≤ 1.2) | lowest Pearson of the trained | Pearson tabcorr vs copula (≤) "
          "| mean KS tabcorr vs copula (<) | detection AUC tabcorr vs copula (<) |")
    print("|---|---|---|---|---|---|")
    for d in datasets:
        ours, floor = mean[(d, "tabcorr", PEARSON)], mean[(d, "identity", PEARSON)]
        best = min(TRAINED, key=lambda g: mean[(d, g, PEARSON)])
        lowest = "✓" if best == "tabcorr" else f"✗ {best} {mean[(d, best, PEARSON)]:.3f}"
        cells = [f"{ours / floor:.2f} {mark(ours <= 1.2 * floor)}", lowest]
        for metric, strict in [(PEARSON, False), (KS, True), (DETECTION, True)]:
            a, b = mean[(d, "tabcorr", metric)], mean[(d, "gaussian_copula", metric)]
            cells.append(f"{a:.3f} vs {b:.3f} {mark(a < b if strict else a <= b)}")
        print(f"| {d} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "Results/main/table.csv")
