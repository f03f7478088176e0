"""Checks the main table against issue 14's bar for TabCorr's default and prints a Markdown table.

The bar: on the main table (5 seeds), `tabcorr` has Pearson mean |dC| <= the Gaussian copula's and
<= 1.2x the floor (`identity`) on at least 7 of 8 datasets, <= 1.5x the floor on all, and its
detection AUC is not above the copula's by more than one standard deviation (the larger of the two
generators' seed standard deviations) anywhere. Mean KS of the shipped table is not counted: marginal
matching sets it by construction; the generator's own mean KS (before matching) is shown instead,
with attention's own contribution (`tabcorr` vs `tabcorr_no_attention`) and the choice among draws'
(`tabcorr` vs `tabcorr_one_draw`, which ships its single draw).
Usage: python3 scripts/results/bar.py Results/main/table.csv
"""
import csv
import sys

PEARSON = "pearson.synthetic.meanAbsoluteDifference"
RAW_KS = "generatorMarginals.meanKSStatistic"
DETECTION = "detection.rocAUC"


def main(path):
    rows = list(csv.DictReader(open(path, newline="")))
    mean = {(r["dataset"], r["generator"], r["metric"]): float(r["mean"]) for r in rows if r["mean"]}
    std = {(r["dataset"], r["generator"], r["metric"]): float(r["std"] or 0) for r in rows if r["mean"]}
    datasets = list(dict.fromkeys(r["dataset"] for r in rows))
    mark = lambda ok: "✓" if ok else "✗"
    print("| dataset | tabcorr / floor (≤ 1.2; all ≤ 1.5) | Pearson tabcorr vs copula (≤) "
          "| detection AUC tabcorr vs copula (≤ + 1 std) | generator's own mean KS (before matching) "
          "| Pearson without attention | Pearson with one draw |")
    print("|---|---|---|---|---|---|---|")
    within, all_within_15 = 0, True
    for d in datasets:
        ours, floor, copula = mean[(d, "tabcorr", PEARSON)], mean[(d, "identity", PEARSON)], mean[(d, "gaussian_copula", PEARSON)]
        ratio = ours / floor
        within += ratio <= 1.2 and ours <= copula
        all_within_15 &= ratio <= 1.5
        det, det_copula = mean[(d, "tabcorr", DETECTION)], mean[(d, "gaussian_copula", DETECTION)]
        spread = max(std[(d, "tabcorr", DETECTION)], std[(d, "gaussian_copula", DETECTION)])
        raw_ks = mean.get((d, "tabcorr", RAW_KS))
        no_attention = mean.get((d, "tabcorr_no_attention", PEARSON))
        one_draw = mean.get((d, "tabcorr_one_draw", PEARSON))
        cells = [f"{ratio:.2f} {mark(ratio <= 1.2)}", f"{ours:.3f} vs {copula:.3f} {mark(ours <= copula)}",
                 f"{det:.3f} vs {det_copula:.3f} (± {spread:.3f}) {mark(det <= det_copula + spread)}",
                 "—" if raw_ks is None else f"{raw_ks:.3f}",
                 "—" if no_attention is None else f"{no_attention:.3f}",
                 "—" if one_draw is None else f"{one_draw:.3f}"]
        print(f"| {d} | " + " | ".join(cells) + " |")
    print(f"\n≤ copula and ≤ 1.2× the floor on {within} of {len(datasets)} datasets (bar: 7); "
          f"≤ 1.5× the floor on all: {'yes' if all_within_15 else 'no'}.")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "Results/main/table.csv")
