"""Reference values for TabularData transform tests, written to
Tests/TabularDataTests/Fixtures/transform_reference.json.

- normal: scipy.stats.norm.ppf / cdf at fixed points (checks Φ⁻¹ and Φ).
- quantile: TabCorr's quantile-to-normal map on faithful.csv `waiting`, recomputed with numpy:
  knots at evenly spaced order statistics (K = 50 here), level of each knot = mid-CDF
  (share below + half the share equal), linear interpolation (np.interp), then norm.ppf.
- mixture: scikit-learn GaussianMixture fits of faithful.csv columns for 1..6 components
  (10 k-means++ restarts, tight tolerance): parameters of the BIC-best model and of the
  2-component model.

Run from the repository root: .venv/bin/python scripts/data/transform_reference.py
"""
import json

import numpy as np
from scipy.stats import norm
from sklearn.mixture import GaussianMixture

faithful = np.genfromtxt("Experiments/datasets/faithful.csv", delimiter=",", names=True)
out = {}

ps = [1e-12, 1e-6, 0.001, 0.02, 0.02425, 0.1, 0.3125, 0.5, 0.7, 0.97575, 0.99, 0.999999]
out["normal"] = {"p": ps, "ppf": [float(norm.ppf(p)) for p in ps],
                 "z": [-6.0, -2.5, -1.0, 0.0, 0.3, 1.96, 4.0], "cdf": [float(norm.cdf(z)) for z in [-6.0, -2.5, -1.0, 0.0, 0.3, 1.96, 4.0]]}

x = np.sort(faithful["waiting"])
n, k = len(x), 50
knots = []
for i in range(k):
    v = x[int(round(i * (n - 1) / (k - 1)))]  # half to even, as the Swift code
    if not knots or knots[-1] != v:
        knots.append(v)
knots = np.array(knots)
levels = np.array([(np.searchsorted(x, v, "left") + 0.5 * (np.searchsorted(x, v, "right") - np.searchsorted(x, v, "left"))) / n for v in knots])
queries = [40.0, 43.0, 50.5, 54.0, 70.0, 77.25, 96.0, 100.0]
out["quantile"] = {"column": "waiting", "knotCount": k, "knots": knots.tolist(), "levels": levels.tolist(), "queries": queries,
                   "encoded": [float(norm.ppf(np.interp(q, knots, levels))) for q in queries]}

mixtures = {}
for column in ["eruptions", "waiting"]:
    values = faithful[column].reshape(-1, 1)
    fits = [GaussianMixture(c, n_init=10, tol=1e-12, max_iter=5000, random_state=0).fit(values) for c in range(1, 7)]
    bics = [f.bic(values) for f in fits]
    best = fits[int(np.argmin(bics))]
    order = np.argsort(best.means_[:, 0])
    two = fits[1]
    order2 = np.argsort(two.means_[:, 0])
    mixtures[column] = {"bic": bics, "weights": best.weights_[order].tolist(), "means": best.means_[order, 0].tolist(),
                        "stds": np.sqrt(best.covariances_[order, 0, 0]).tolist(),
                        "two": {"weights": two.weights_[order2].tolist(), "means": two.means_[order2, 0].tolist(),
                                "stds": np.sqrt(two.covariances_[order2, 0, 0]).tolist()}}
out["mixture"] = mixtures

with open("Tests/TabularDataTests/Fixtures/transform_reference.json", "w") as f:
    json.dump(out, f, indent=1)
print(json.dumps(mixtures, indent=1))
