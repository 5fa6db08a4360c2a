#!/usr/bin/env python3
"""Writes Tests/NeuronModulesTests/Fixtures/spectral_fixtures.json: reference spectral
clusterings from scikit-learn for the NeuronModules tests.

Contents:
  * graphs: weighted stochastic block models and a random layered ("MLP-like") weight graph,
    as symmetric COO triplets, with scikit-learn's
    SpectralClustering(affinity="precomputed", assign_labels="kmeans", n_init=25,
    random_state=0) labels, their normalized cut, and spectral_embedding(norm_laplacian=True,
    drop_first=False) coordinates and normalized-adjacency eigenvalues for the small ones;
  * ari: label pairs with sklearn.metrics.adjusted_rand_score.

Run: python3 scripts/make_spectral_fixtures.py  (numpy, scipy, scikit-learn)
"""

import json
import warnings
from pathlib import Path

import numpy as np
import scipy
import sklearn
from sklearn.cluster import SpectralClustering
from sklearn.manifold import spectral_embedding
from sklearn.metrics import adjusted_rand_score

OUT = Path(__file__).resolve().parent.parent / "Tests" / "NeuronModulesTests" / "Fixtures" / "spectral_fixtures.json"


def sbm(rng, sizes, p_in, p_out, low=0.5, high=1.5):
    """A weighted stochastic block model: edge (i, j) present with p_in inside a block and
    p_out across, weight uniform in [low, high)."""
    labels = np.repeat(np.arange(len(sizes)), sizes)
    n = labels.size
    same = labels[:, None] == labels[None, :]
    p = np.where(same, p_in, p_out)
    upper = np.triu(rng.random((n, n)) < p, k=1)
    weights = np.triu(rng.uniform(low, high, (n, n)), k=1) * upper
    return weights + weights.T, labels


def layered(rng, widths, sparsity=0.0):
    """|W| of a random MLP with these widths (normal weights, a fraction zeroed)."""
    n = sum(widths)
    a = np.zeros((n, n))
    offsets = np.cumsum([0] + widths)
    for k in range(len(widths) - 1):
        w = np.abs(rng.normal(size=(widths[k + 1], widths[k])) / np.sqrt(widths[k]))
        w *= rng.random(w.shape) >= sparsity
        a[offsets[k + 1]:offsets[k + 2], offsets[k]:offsets[k + 1]] = w
    return a + a.T


def ncut(a, labels):
    total = 0.0
    for c in np.unique(labels[labels >= 0]):
        inside = labels == c
        vol = a[inside, :].sum()
        cut = a[inside][:, ~inside].sum()
        total += cut / vol
    return float(total)


def coo(a):
    rows, cols = np.nonzero(a)
    return {"order": int(a.shape[0]), "rows": rows.tolist(), "columns": cols.tolist(),
            "values": [float(v) for v in a[rows, cols]]}


def case(name, a, k, planted=None, with_embedding=False):
    live = a.sum(axis=1) > 0
    sub = a[live][:, live]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = SpectralClustering(n_clusters=k, affinity="precomputed", assign_labels="kmeans",
                                   n_init=25, random_state=0).fit(sub)
    labels = np.full(a.shape[0], -1)
    labels[live] = model.labels_
    entry = {"name": name, "clusters": k, "graph": coo(a), "sklearnLabels": labels.tolist(),
             "sklearnNormalizedCut": ncut(a, labels)}
    if planted is not None:
        entry["plantedLabels"] = planted.tolist()
        entry["plantedNormalizedCut"] = ncut(a, planted)
    if with_embedding:
        emb = spectral_embedding(sub, n_components=k, norm_laplacian=True, drop_first=False, random_state=0)
        d = sub.sum(axis=1)
        m = sub / np.sqrt(np.outer(d, d))
        entry["embedding"] = {"shape": list(emb.shape), "data": emb.ravel().tolist()}
        entry["eigenvalues"] = np.linalg.eigvalsh(m)[::-1][:k].tolist()
    return entry


def main():
    rng = np.random.default_rng(20240601)
    graphs = []
    a, planted = sbm(rng, [25, 25, 25, 25], 0.3, 0.02)
    graphs.append(case("sbm4x25", a, 4, planted, with_embedding=True))
    a, planted = sbm(rng, [25, 25, 25, 25], 0.4, 0.02)
    graphs.append(case("sbm4x25-clear", a, 4, planted))
    a, planted = sbm(rng, [40, 30, 30, 20, 20, 10], 0.35, 0.02)
    graphs.append(case("sbm6-unequal", a, 6, planted))
    # Two blocks plus three isolated nodes (labelled -1).
    a, planted = sbm(rng, [30, 30], 0.3, 0.03)
    a = np.pad(a, ((0, 3), (0, 3)))
    planted = np.concatenate([planted, [-1, -1, -1]])
    graphs.append(case("sbm2-isolated", a, 2, planted))
    # Two connected components (no edge between the blocks); k = 2 and k = 3.
    a, planted = sbm(rng, [20, 30], 0.3, 0.0)
    graphs.append(case("two-components", a, 2, planted))
    graphs.append(case("two-components-k3", a, 3, planted))
    a, planted = sbm(rng, [40] * 12, 0.3, 0.01)
    graphs.append(case("sbm12x40", a, 12, planted))
    a = layered(rng, [12, 32, 32, 32, 8])
    graphs.append(case("mlp-12-32-32-32-8", a, 6, with_embedding=True))
    a = layered(rng, [16, 48, 48, 10], sparsity=0.7)
    graphs.append(case("mlp-pruned-16-48-48-10", a, 8))

    ari = []
    pairs = [
        ([0, 0, 1, 1], [1, 1, 0, 0]),
        ([0, 0, 1, 1, 2, 2], [0, 0, 1, 2, 2, 2]),
        ([0, 0, 0, 0], [0, 1, 2, 3]),
        ([0, 1, 2, 3], [0, 1, 2, 3]),
        ([0, 0, 1, 1], [0, 1, 0, 1]),
    ]
    for n, k1, k2 in [(50, 3, 4), (200, 5, 5), (31, 2, 7)]:
        pairs.append((rng.integers(0, k1, n).tolist(), rng.integers(0, k2, n).tolist()))
    for first, second in pairs:
        ari.append({"a": first, "b": second, "value": float(adjusted_rand_score(first, second))})

    out = {"sklearnVersion": sklearn.__version__, "scipyVersion": scipy.__version__, "graphs": graphs, "ari": ari}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, separators=(",", ":")))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
    for g in graphs:
        extra = f", planted {g['plantedNormalizedCut']:.4f}" if "plantedNormalizedCut" in g else ""
        if "plantedLabels" in g:
            extra += f", ARI(planted, sklearn) {adjusted_rand_score(g['plantedLabels'], g['sklearnLabels']):.4f}"
        print(f"  {g['name']}: sklearn n-cut {g['sklearnNormalizedCut']:.4f}{extra}")


if __name__ == "__main__":
    main()
