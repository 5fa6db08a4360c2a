#!/usr/bin/env python3
"""Writes Tests/LayerSimilarityTests/Fixtures/gw_fixtures.json, the reference values for the
LayerSimilarity tests: Gromov-Wasserstein values from POT (ot.gromov.gromov_wasserstein2 from
its default product start p q^T, and ot.gromov.entropic_gromov_wasserstein2 at a fixed
epsilon), exact transport costs from ot.emd2, assignments from
scipy.optimize.linear_sum_assignment, and linear/RBF CKA and RSM differences from numpy.

Point clouds are stored rounded to 5 decimals and every reference is computed from the
rounded values, so the Swift side starts from exactly the same inputs. Distances follow the
Swift definition: euclidean from the Gram matrix, clamped at 0, zero diagonal, divided by the
mean of all n^2 entries. Run from the package root: python3 scripts/make_gw_fixtures.py
"""
import json
import os
import warnings

import numpy as np
import ot
import scipy.optimize

OUTPUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "LayerSimilarityTests", "Fixtures", "gw_fixtures.json")


def rounded(x, decimals=5):
    return np.round(np.asarray(x, dtype=np.float64), decimals)


def distances(x, metric="euclidean", normalization="mean"):
    gram = x @ x.T
    gram = np.triu(gram) + np.triu(gram, 1).T
    sq = np.diag(gram)
    if metric == "cosine":
        norms = np.sqrt(sq)
        c = np.clip(1 - gram / np.outer(norms, norms), 0, 2)
    else:
        c = np.maximum(sq[:, None] + sq[None, :] - 2 * gram, 0)
        if metric == "euclidean":
            c = np.sqrt(c)
    np.fill_diagonal(c, 0)
    if normalization == "mean":
        c = c / c.mean()
    elif normalization == "max":
        c = c / c.max()
    return c


def cloud(rng, kind, n, d):
    if kind == "random":
        return rng.normal(size=(n, d))
    if kind == "clustered":
        k = 4
        centers = rng.normal(scale=4.0, size=(k, d))
        labels = rng.integers(0, k, size=n)
        return centers[labels] + rng.normal(scale=0.7, size=(n, d))
    raise ValueError(kind)


def layer_pair(rng, kind, n, d1, d2, related):
    x = rounded(cloud(rng, kind, n, d1))
    if related:
        w = rng.normal(size=(d1, d2)) / np.sqrt(d1)
        y = np.tanh(x @ w) + 0.1 * rng.normal(size=(n, d2))
    else:
        y = cloud(rng, kind, n, d2)
    return x, rounded(y)


def entropic(c1, c2, p, q, epsilon):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            value, log = ot.gromov.entropic_gromov_wasserstein2(
                c1, c2, p, q, "square_loss", epsilon=epsilon, max_iter=1000, tol=1e-9, log=True)
        except (UserWarning, RuntimeWarning):
            return None
    converged = log["err"][-1] <= 1e-9 and bool(np.isfinite(value))
    plan = log["T"]
    marginal = np.abs(plan.sum(1) - p).sum() + np.abs(plan.sum(0) - q).sum()
    return {"value": float(value), "converged": bool(converged), "marginalError": float(marginal),
            "outerIterations": 10 * (len(log["err"]) - 1) + 1}


def gw_cases(rng):
    specs = [
        # name, kind, n, m, d1, d2, related, weights, epsilons
        ("random-related-50", "random", 50, 50, 6, 9, True, "uniform", [0.1, 0.05]),
        ("clustered-related-80", "clustered", 80, 80, 10, 4, True, "uniform", [0.2]),
        ("random-independent-100", "random", 100, 100, 5, 5, False, "uniform", [0.1]),
        ("clustered-independent-150", "clustered", 150, 150, 8, 12, False, "uniform", []),
        ("random-related-120", "random", 120, 120, 16, 3, True, "uniform", []),
        ("weighted-40x55", "random", 40, 55, 4, 7, False, "random", [0.1]),
    ]
    cases = []
    for name, kind, n, m, d1, d2, related, weights, epsilons in specs:
        if n == m:
            x, y = layer_pair(rng, kind, n, d1, d2, related)
        else:
            x = rounded(cloud(rng, kind, n, d1))
            y = rounded(cloud(rng, kind, m, d2))
        if weights == "uniform":
            p = np.full(n, 1.0 / n)
            q = np.full(m, 1.0 / m)
        else:
            p = rounded(rng.uniform(0.2, 1.0, size=n), 6)
            p = p / p.sum()
            q = rounded(rng.uniform(0.2, 1.0, size=m), 6)
            q = q / q.sum()
        c1 = distances(x)
        c2 = distances(y)
        value, log = ot.gromov.gromov_wasserstein2(c1, c2, p, q, "square_loss", log=True)
        entropics = []
        for eps in epsilons:
            result = entropic(c1, c2, p, q, eps)
            if result is not None:
                result["epsilon"] = eps
                entropics.append(result)
        case = {
            "name": name, "x": {"shape": list(x.shape), "data": x.ravel().tolist()},
            "y": {"shape": list(y.shape), "data": y.ravel().tolist()},
            "productStartValue": float(value), "productStartIterations": len(log["loss"]) - 1,
            "identityValue": float(np.mean((c1 - c2) ** 2)) if n == m else None,
            "entropic": entropics,
        }
        if weights != "uniform":
            case["p"] = p.tolist()
            case["q"] = q.tolist()
        cases.append(case)
        print(f"{name}: POT CG {value:.10g} in {case['productStartIterations']} iterations; "
              + ", ".join(f"eps {e['epsilon']}: {e['value']:.10g} converged={e['converged']}" for e in entropics))
    return cases


def assignment_cases(rng):
    cases = []
    for rows, columns in [(50, 50), (50, 50), (40, 60), (60, 45)]:
        costs = rounded(rng.uniform(-1, 3, size=(rows, columns)), 6)
        row_ind, col_ind = scipy.optimize.linear_sum_assignment(costs)
        cases.append({"costs": {"shape": [rows, columns], "data": costs.ravel().tolist()},
                      "rows": row_ind.tolist(), "columns": col_ind.tolist(),
                      "cost": float(costs[row_ind, col_ind].sum())})
    return cases


def transport_cases(rng):
    cases = []
    for n, m in [(30, 30), (25, 40), (60, 35)]:
        costs = rounded(rng.uniform(0, 5, size=(n, m)), 6)
        p = rng.uniform(0.1, 1.0, size=n)
        p /= p.sum()
        q = rng.uniform(0.1, 1.0, size=m)
        q /= q.sum()
        cases.append({"costs": {"shape": [n, m], "data": costs.ravel().tolist()}, "p": p.tolist(), "q": q.tolist(),
                      "cost": float(ot.emd2(p, q, costs, numItermax=10_000_000))})
    return cases


def center_gram(gram):
    means = gram.mean(axis=0)
    means = means - means.mean() / 2
    return gram - means[:, None] - means[None, :]


def cka(gram_x, gram_y):
    gx = center_gram(gram_x)
    gy = center_gram(gram_y)
    return float(gx.ravel() @ gy.ravel() / (np.linalg.norm(gx) * np.linalg.norm(gy)))


def gram_rbf(x, threshold):
    dot = x @ x.T
    sq_norms = np.diag(dot)
    sq_distances = -2 * dot + sq_norms[:, None] + sq_norms[None, :]
    return np.exp(-sq_distances / (2 * threshold**2 * np.median(sq_distances)))


def feature_space_linear_cka(x, y):
    x = x - x.mean(0)
    y = y - y.mean(0)
    return float(np.linalg.norm(x.T @ y) ** 2 / (np.linalg.norm(x.T @ x) * np.linalg.norm(y.T @ y)))


def procrustes(x, y):
    """Ding et al. (2021): 2 - 2 ||X^T Y||_* for centered, unit-Frobenius X and Y."""
    x = x - x.mean(0)
    y = y - y.mean(0)
    x = x / np.linalg.norm(x)
    y = y / np.linalg.norm(y)
    return float(2 - 2 * np.linalg.norm(x.T @ y, ord="nuc"))


def baseline_cases(rng):
    cases = []
    for kind, n, d1, d2 in [("random", 60, 8, 12), ("clustered", 45, 20, 3)]:
        x, y = layer_pair(rng, kind, n, d1, d2, True)
        linear = cka(x @ x.T, y @ y.T)
        assert abs(linear - feature_space_linear_cka(x, y)) < 1e-12
        cases.append({
            "x": {"shape": list(x.shape), "data": x.ravel().tolist()},
            "y": {"shape": list(y.shape), "data": y.ravel().tolist()},
            "linearCKA": linear, "rbfCKA": cka(gram_rbf(x, 1.0), gram_rbf(y, 1.0)),
            "rbfCKAThreshold05": cka(gram_rbf(x, 0.5), gram_rbf(y, 0.5)),
            "procrustes": procrustes(x, y),
            "rsmDifference": float(np.mean((distances(x) - distances(y)) ** 2)),
            "rsmDifferenceCosineMax": float(np.mean((distances(x, "cosine", "max") - distances(y, "cosine", "max")) ** 2)),
        })
    return cases


def distance_case(rng):
    x = rounded(rng.normal(size=(12, 5)))
    out = {"x": {"shape": list(x.shape), "data": x.ravel().tolist()}}
    from scipy.spatial.distance import cdist
    for metric, name in [("euclidean", "euclidean"), ("sqeuclidean", "squaredEuclidean"), ("cosine", "cosine")]:
        c = cdist(x, x, metric)
        np.fill_diagonal(c, 0)
        out[name] = c.ravel().tolist()
    return out


def main():
    rng = np.random.default_rng(20250214)
    fixtures = {
        "potVersion": ot.__version__,
        "gw": gw_cases(rng),
        "assignment": assignment_cases(rng),
        "transport": transport_cases(rng),
        "baselines": baseline_cases(rng),
        "distances": distance_case(rng),
    }
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w") as f:
        json.dump(fixtures, f, separators=(",", ":"))
    print(f"wrote {OUTPUT} ({os.path.getsize(OUTPUT)} bytes)")


if __name__ == "__main__":
    main()
