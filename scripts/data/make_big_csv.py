"""Writes a large mixed CSV for measuring the TabularData reader, plus a JSON sidecar with what the
reader must find (shape, per-column missing counts and sums). Default 1,000,000 rows x 20 columns:
12 real (normal, 5% missing, quoted header names), 4 integer, 3 text (8 levels, one with commas
and quotes), 1 ISO date. Seeded (numpy default_rng(0)).

Usage: python3 scripts/data/make_big_csv.py OUT.csv [ROWS]
Then:  TABCORR_BIG_CSV=OUT.csv swift test -c release --filter TabularDataTests.LargeFileTests
"""
import json
import sys

import numpy as np

out = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
rng = np.random.default_rng(0)
columns, expected = {}, {}
for j in range(12):
    v = rng.normal(loc=j, scale=1 + j, size=rows).round(6)
    mask = rng.random(rows) < 0.05
    columns[f"real {j}"] = [("" if m else repr(float(x))) for x, m in zip(v, mask)]
    expected[f"real {j}"] = {"missing": int(mask.sum()), "sum": float(v[~mask].sum())}
for j in range(4):
    v = rng.integers(-1000, 100000, size=rows)
    columns[f"int{j}"] = [str(int(x)) for x in v]
    expected[f"int{j}"] = {"missing": 0, "sum": float(v.sum())}
levels = ["alpha", "beta", "gamma, with comma", 'delta "quoted"', "epsilon", "zeta", "eta", "theta"]
for j in range(3):
    codes = rng.integers(0, len(levels), size=rows)
    quoted = ['"' + l.replace('"', '""') + '"' if ("," in l or '"' in l) else l for l in levels]
    columns[f"text{j}"] = [quoted[c] for c in codes]
    expected[f"text{j}"] = {"missing": 0, "counts": {levels[i]: int((codes == i).sum()) for i in range(len(levels))}}
days = rng.integers(0, 20000, size=rows)
dates = np.datetime64("1970-01-01") + days.astype("timedelta64[D]")
columns["date"] = [str(d) for d in dates]
expected["date"] = {"missing": 0, "sum": float(days.sum()) * 86400}

names = list(columns)
with open(out, "w") as f:
    f.write(",".join(f'"{n}"' if " " in n else n for n in names) + "\n")
    cols = [columns[n] for n in names]
    for i in range(rows):
        f.write(",".join(c[i] for c in cols) + "\n")
with open(out + ".expected.json", "w") as f:
    json.dump({"rows": rows, "columns": names, "expected": expected}, f)
