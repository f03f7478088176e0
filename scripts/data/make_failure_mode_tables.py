"""Writes the generated tables of the failure-modes suite (issue 14) into Experiments/datasets/.

collinear.csv: 20,000 rows; a block of four near-collinear numeric columns (pairwise Pearson >= 0.95:
one latent factor plus small noise, through linear, exponential and rounded maps), two weakly related
columns and a binary flag that thresholds the factor. The structure that left TabCorr at 3x the floor
on a held-out large table while the Gaussian copula sat below it.

people.csv: 60 rows of a tiny mixed table with an identifier column (a distinct name per row), two
numeric columns, an integer age and a text category.

Deterministic (numpy's default_rng with a fixed seed). Usage: python3 scripts/data/make_failure_mode_tables.py
"""
import numpy as np
from pathlib import Path

out = Path(__file__).resolve().parents[2] / "Experiments" / "datasets"
rng = np.random.default_rng(20261206)

n = 20_000
f = rng.standard_normal(n)
income = 40_000 + 12_000 * (f + 0.08 * rng.standard_normal(n))
spend = np.exp(9 + 0.25 * (f + 0.05 * rng.standard_normal(n)))
savings = 0.8 * income - 0.3 * spend + 500 * rng.standard_normal(n)
rooms = np.round(8 + 2.5 * (f + 0.05 * rng.standard_normal(n)))
age = np.round(45 + 12 * rng.standard_normal(n) + 3 * f)
region_score = 0.3 * f + rng.standard_normal(n)
owner = (f + 0.5 * rng.standard_normal(n) > 0.3).astype(int)
with open(out / "collinear.csv", "w") as file:
    file.write("income,spend,savings,rooms,age,region_score,owner\n")
    for row in zip(income, spend, savings, rooms, age, region_score, owner):
        file.write(f"{row[0]:.2f},{row[1]:.2f},{row[2]:.2f},{int(row[3])},{int(row[4])},{row[5]:.4f},{row[6]}\n")

m = 60
g = rng.standard_normal(m)
with open(out / "people.csv", "w") as file:
    file.write("name,height,weight,age,team\n")
    for i in range(m):
        height = 170 + 9 * g[i]
        weight = 70 + 0.9 * (height - 170) + 6 * rng.standard_normal()
        file.write(f"person_{i:03d},{height:.1f},{weight:.1f},{int(30 + 8 * rng.standard_normal())},{['red', 'blue', 'green'][i % 3]}\n")

x = np.loadtxt(out / "collinear.csv", delimiter=",", skiprows=1)
print("collinear block pairwise Pearson (income, spend, savings, rooms):")
print(np.round(np.corrcoef(x[:, :4], rowvar=False), 3))
