"""Writes the Evaluation test fixtures and their reference values.

Tables (Tests/EvaluationTests/Fixtures/{train,test,synthetic}.csv) are drawn with a fixed numpy
seed; golden.json holds values computed independently with pandas, scipy and scikit-learn.
Columns named cat_* are categorical text; all others are numbers (empty cell = missing).

Run from the repository root:  .venv/bin/python scripts/eval/make_fixtures.py
(numpy 2.4.6, pandas 3.1.1, scipy 1.17.1, scikit-learn 1.9.1 when the fixtures were written)
"""
import json
import os

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial.distance import cdist
from scipy.stats.contingency import association
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, f1_score, r2_score, roc_auc_score

OUT = "Tests/EvaluationTests/Fixtures"
rng = np.random.default_rng(20261123)


def make_table(n, rho, constant_x5=False, missing=True):
    z1 = rng.normal(size=n)
    z2 = rho * z1 + np.sqrt(1 - rho**2) * rng.normal(size=n)
    x3 = np.round(2 * z1 + rng.normal(size=n))            # integer valued: many ties
    x4 = np.exp(0.5 * z2) + 0.3 * rng.normal(size=n)
    x5 = np.full(n, 3.0) if constant_x5 else rng.normal(size=n) - 0.4 * z1
    cat_a = np.where(z1 < -0.5, "low", np.where(z1 < 0.6, "mid", "high")).astype(object)
    cat_b = rng.choice(["red", "green", "blue", "amber"], size=n, p=[0.4, 0.3, 0.2, 0.1]).astype(object)
    flip = rng.random(n) < 0.15
    cat_a[flip] = rng.choice(["low", "mid", "high"], size=flip.sum())
    df = pd.DataFrame({"x1": z1, "x2": 3 * z2 + 1, "x3": x3, "x4": x4, "x5": x5, "cat_a": cat_a, "cat_b": cat_b})
    if missing:
        df.loc[rng.random(n) < 0.1, "x4"] = np.nan
        df.loc[rng.random(n) < 0.05, "x1"] = np.nan
        df.loc[rng.random(n) < 0.08, "cat_b"] = None
    return df.round(6)


train = make_table(120, 0.8)
test = make_table(150, 0.7)
synthetic = make_table(180, 0.3, constant_x5=True)
os.makedirs(OUT, exist_ok=True)
for name, df in [("train", train), ("test", test), ("synthetic", synthetic)]:
    df.to_csv(f"{OUT}/{name}.csv", index=False, na_rep="")
# Re-read what was written so every reference uses exactly the stored values.
train, test, synthetic = (pd.read_csv(f"{OUT}/{n}.csv", keep_default_na=False, na_values={c: [""] for c in train.columns})
                          for n in ["train", "test", "synthetic"])
NUM = ["x1", "x2", "x3", "x4", "x5"]
CAT = ["cat_a", "cat_b"]


def nan_to_none(x):
    x = np.asarray(x, dtype=float)
    return [None if np.isnan(v) else float(v) for v in x.ravel()]


def compare(ref, other, strong=0.5):
    f = ref.shape[0]
    iu = np.triu_indices(f, 1)
    r, o = ref[iu], other[iu]
    ok = ~np.isnan(r) & ~np.isnan(o)
    d = np.abs(r[ok] - o[ok])
    s = np.abs(r[ok]) > strong
    return {"mean": float(d.mean()), "max": float(d.max()), "frobenius": float(np.sqrt(2 * (d**2).sum())),
            "pairScore": float(np.mean(1 - d / 2)), "strongPairScore": float(np.mean(1 - d[s] / 2)) if s.any() else None,
            "compared": int(ok.sum()), "strong": int(s.sum()), "excluded": int((~ok).sum())}


golden = {}
for method in ["pearson", "spearman"]:
    m = {n: df[NUM].corr(method=method).to_numpy() for n, df in [("train", train), ("test", test), ("synthetic", synthetic)]}
    golden[method] = {"matrices": {k: nan_to_none(v) for k, v in m.items()},
                      "synthetic": compare(m["test"], m["synthetic"]), "floor": compare(m["test"], m["train"]),
                      "syntheticVsTrain": compare(m["train"], m["synthetic"])}

levels = {c: sorted(set(train[c].dropna()) | set(test[c].dropna()) | set(synthetic[c].dropna())) for c in CAT}


def cramers_v(df, a, b):
    table = pd.crosstab(df[a], df[b]).to_numpy()          # drops missing; only observed levels
    if min(table.shape) < 2:
        return None
    return float(association(table, method="cramer", correction=False))


def eta(df, num, cat):
    groups = [g[num].dropna().to_numpy() for _, g in df.dropna(subset=[num, cat]).groupby(cat)]
    groups = [g for g in groups if len(g)]
    n, k = sum(len(g) for g in groups), len(groups)
    f_stat = stats.f_oneway(*groups).statistic                # eta² = F(k−1) / (F(k−1) + n − k)
    return float(np.sqrt(f_stat * (k - 1) / (f_stat * (k - 1) + n - k)))


golden["associations"] = {
    "cramersV": {n: cramers_v(df, "cat_a", "cat_b") for n, df in [("train", train), ("test", test), ("synthetic", synthetic)]},
    "eta": {n: {f"{x}|{c}": eta(df, x, c) for x in ["x1", "x2", "x3", "x4"] for c in CAT}
            for n, df in [("train", train), ("test", test), ("synthetic", synthetic)]},
}


def marginals(other):
    out = {}
    for c in NUM:
        a, b = test[c].dropna().to_numpy(), other[c].dropna().to_numpy()
        out[c] = {"ks": float(stats.ks_2samp(a, b).statistic),
                  "w1OverStd": float(stats.wasserstein_distance(a, b) / np.std(a))}
    for c in CAT:
        p = test[c].value_counts(normalize=True).reindex(levels[c], fill_value=0)
        q = other[c].value_counts(normalize=True).reindex(levels[c], fill_value=0)
        out[c] = {"tv": float(0.5 * np.abs(p - q).sum())}
    return out


golden["marginals"] = {"synthetic": marginals(synthetic), "floor": marginals(train)}


def encode(fit_df, df, columns, indicator_columns):
    """Standardise numerics with fit_df statistics (ddof 0, std 0 → 1), one-hot categoricals,
    missing → 0 plus an indicator column."""
    parts = []
    for c in columns:
        if c in CAT:
            parts.append(np.stack([(df[c] == lv).to_numpy(float) for lv in levels[c]], axis=1))
        else:
            mu, sd = np.nanmean(fit_df[c]), np.nanstd(fit_df[c])
            sd = sd if sd > 0 else 1.0
            parts.append(((df[c] - mu) / sd).fillna(0).to_numpy()[:, None])
        if c in indicator_columns:
            parts.append(df[c].isna().to_numpy(float)[:, None])
    return np.hstack(parts)


ALL = NUM + CAT
# Detection with fixed folds: the first 120 test rows (label 0) then the 120 train rows (label 1),
# fold = row index mod 5 (two real samples: AUCs near 0.5, a harder check than an obvious fake).
combined = pd.concat([test.iloc[:120], train], ignore_index=True)
labels = np.r_[np.zeros(120, int), np.ones(120, int)]
folds = np.arange(240) % 5
indicators = [c for c in ALL if combined[c].isna().any()]
fold_aucs = []
for k in range(5):
    tr, te = combined[folds != k], combined[folds == k]
    model = LogisticRegression(C=1.0, tol=1e-12, max_iter=100000).fit(encode(tr, tr, ALL, indicators), labels[folds != k])
    fold_aucs.append(float(roc_auc_score(labels[folds == k], model.predict_proba(encode(tr, te, ALL, indicators))[:, 1])))
golden["detectionFixedFolds"] = {"foldAUCs": fold_aucs}

# Logistic (binary and 3-class) and ridge fits on the encoded train split.
x_train = encode(train, train, ["x1", "x2", "x3", "x4", "cat_b"], ["x1", "x4", "cat_b"])
binary_y = (train["cat_a"] == "high").to_numpy(int)
lr2 = LogisticRegression(C=0.5, tol=1e-12, max_iter=100000).fit(x_train, binary_y)
multi_y = train["cat_a"].map({"low": 0, "mid": 1, "high": 2}).to_numpy()
lr3 = LogisticRegression(C=2.0, tol=1e-12, max_iter=100000).fit(x_train, multi_y)
ridge = Ridge(alpha=1.0).fit(x_train, train["x5"].to_numpy())
golden["models"] = {
    "features": x_train.ravel().tolist(), "featureCount": int(x_train.shape[1]),
    "binaryLabels": binary_y.tolist(), "binaryCoefficients": lr2.coef_.ravel().tolist(), "binaryIntercept": float(lr2.intercept_[0]),
    "binaryProbabilities": lr2.predict_proba(x_train)[:, 1].tolist(),
    "multiLabels": multi_y.tolist(), "multiCoefficients": lr3.coef_.ravel().tolist(), "multiIntercepts": lr3.intercept_.tolist(),
    "multiProbabilities": lr3.predict_proba(x_train).ravel().tolist(),
    "ridgeTargets": train["x5"].tolist(), "ridgeCoefficients": ridge.coef_.tolist(), "ridgeIntercept": float(ridge.intercept_),
}

# ROC AUC with tied scores.
tie_scores = [0.1, 0.4, 0.4, 0.4, 0.8, 0.8, 0.2, 0.9, 0.1, 0.5]
tie_labels = [0, 0, 1, 1, 1, 0, 0, 1, 1, 0]
golden["rocTies"] = {"scores": tie_scores, "labels": tie_labels, "auc": float(roc_auc_score(tie_labels, tie_scores))}


def efficacy(target, classification):
    feats = [c for c in ALL if c != target]
    inds = [c for c in feats if any(df[c].isna().any() for df in (train, test, synthetic))]
    te = test.dropna(subset=[target])
    out = {}
    for name, df in [("synthetic", synthetic), ("real", train)]:
        tr = df.dropna(subset=[target])
        x, xt = encode(tr, tr, feats, inds), encode(tr, te, feats, inds)
        if classification:
            pred = LogisticRegression(C=1.0, tol=1e-12, max_iter=100000).fit(x, tr[target]).predict(xt)
            out[name] = {"accuracy": float(accuracy_score(te[target], pred)), "macroF1": float(f1_score(te[target], pred, average="macro"))}
        else:
            pred = Ridge(alpha=1.0).fit(x, tr[target]).predict(xt)
            out[name] = {"r2": float(r2_score(te[target], pred))}
    return out


golden["efficacy"] = {"cat_a": efficacy("cat_a", True), "x2": efficacy("x2", False)}

# DCR: train has fewer rows than test, so all train rows are used (no subsample).
inds = [c for c in ALL if any(df[c].isna().any() for df in (train, test, synthetic))]
enc = {n: encode(train, df, ALL, inds) for n, df in [("train", train), ("test", test), ("synthetic", synthetic)]}
d_train = cdist(enc["synthetic"], enc["train"]).min(axis=1)
d_test = cdist(enc["synthetic"], enc["test"]).min(axis=1)
golden["privacy"] = {"medianDistanceToTrain": float(np.median(d_train)), "medianDistanceToTest": float(np.median(d_test)),
                     "shareCloserToTrain": float(np.mean((d_train < d_test) + 0.5 * (d_train == d_test))),
                     "distancesToTest": d_test.tolist()}

# Percentiles with numpy's default interpolation, for the bootstrap interval.
q = rng.normal(size=37)
golden["quantiles"] = {"values": q.tolist(), "q025": float(np.quantile(q, 0.025)), "q975": float(np.quantile(q, 0.975)),
                       "median": float(np.median(q[:36]))}
golden["ranks"] = {"values": [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5], "ranks": stats.rankdata([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]).tolist()}

with open(f"{OUT}/golden.json", "w") as fh:
    json.dump(golden, fh, indent=1)
print("wrote", OUT)
