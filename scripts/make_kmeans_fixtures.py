#!/usr/bin/env python3
"""Writes Tests/NeuronModulesTests/Fixtures/kmeans_fixtures.json: reference k-means runs from
scikit-learn for the NeuronModules k-means tests (KMeansParityTests).

Each case holds the points (row-major), k, and scikit-learn's
KMeans(n_clusters=k, init="k-means++", n_init=10, algorithm="lloyd", random_state=0) inertia
(and the planted labels of separated blobs). The cases cover separated and overlapping blobs,
points far from the origin (which the single-precision kernels must center), an embedding-like
12-dimensional cloud, k not a multiple of 4, and k = 30 (five k-means++ candidates per step).

Run: python3 scripts/make_kmeans_fixtures.py  (numpy, scikit-learn)
"""

import json
from pathlib import Path

import numpy as np
import sklearn
from sklearn.cluster import KMeans

OUT = Path(__file__).resolve().parent.parent / "Tests" / "NeuronModulesTests" / "Fixtures" / "kmeans_fixtures.json"


def blobs(rng, n, d, k, spread, separation, offset=0.0):
    centers = rng.normal(scale=separation, size=(k, d)) + offset
    labels = np.arange(n) % k
    return centers[labels] + rng.normal(scale=spread, size=(n, d)), labels


def case(name, points, k, planted=None):
    # Six significant digits keep the file small; scikit-learn runs on the rounded values.
    points = np.array([float(f"{v:.6g}") for v in points.ravel()]).reshape(points.shape)
    model = KMeans(n_clusters=k, init="k-means++", n_init=10, algorithm="lloyd", random_state=0).fit(points)
    entry = {"name": name, "clusters": k, "shape": list(points.shape), "points": points.ravel().tolist(),
             "sklearnInertia": float(model.inertia_)}
    if planted is not None:
        entry["plantedLabels"] = planted.tolist()
    return entry


def main():
    rng = np.random.default_rng(7)
    cases = []
    points, labels = blobs(rng, 603, 5, 6, spread=0.3, separation=5.0)
    cases.append(case("separated-blobs", points, 6, labels))
    points, _ = blobs(rng, 401, 2, 4, spread=1.0, separation=1.5)
    cases.append(case("overlapping-k5", points, 5))
    points, labels = blobs(rng, 300, 3, 3, spread=1.0, separation=10.0, offset=1e4)
    cases.append(case("far-from-origin", points, 3, labels))
    points, _ = blobs(rng, 601, 12, 13, spread=0.002, separation=0.01)
    cases.append(case("embedding-like-k13", points, 13))
    points, _ = blobs(rng, 900, 4, 30, spread=0.5, separation=4.0)
    cases.append(case("many-clusters-k30", points, 30))
    OUT.write_text(json.dumps({"sklearnVersion": sklearn.__version__, "cases": cases}))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
