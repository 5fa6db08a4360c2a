#!/usr/bin/env python3
"""Writes the fixtures of the NeuronModules graph-input tests:

  * Tests/NeuronModulesTests/Fixtures/correlation_fixtures.json: sample matrices (with ties,
    a constant column, monotone transforms) and scipy.stats.spearmanr's correlation matrix of
    their columns (NaN written as null), plus scipy.stats.rankdata(method="average") ranks;
  * Tests/NeuronModulesTests/Fixtures/adjacency/*.npy|*.npz: small adjacency files written by
    numpy (and one by scipy.sparse.save_npz), valid and broken ones.

Run: python3 scripts/make_module_graph_fixtures.py  (numpy, scipy)
"""

import json
from pathlib import Path

import numpy as np
import scipy
import scipy.sparse
from scipy.stats import rankdata, spearmanr

FIXTURES = Path(__file__).resolve().parent.parent / "Tests" / "NeuronModulesTests" / "Fixtures"
ADJACENCY = FIXTURES / "adjacency"


def spearman_case(name, x, widths):
    rho = spearmanr(x).statistic
    rho = np.atleast_2d(rho)
    return {
        "name": name,
        "samples": x.shape[0],
        "units": x.shape[1],
        "widths": widths,
        "values": x.ravel().tolist(),
        "rho": [None if np.isnan(v) else float(v) for v in rho.ravel()],
    }


def correlation_fixtures(rng):
    n = 40
    base = rng.normal(size=n)
    ties = np.round(rng.normal(size=n) * 2)  # integers: many ties
    monotone = np.exp(base)  # rank-identical to base: rho = 1
    reversed_ = -base**3  # rank-reversed: rho = -1
    constant = np.full(n, 3.25)
    few = rng.integers(0, 3, size=n).astype(float)  # three distinct values
    mixed = base + 0.5 * rng.normal(size=n)
    small = np.column_stack([base, ties, monotone, constant, reversed_, few, mixed])

    # Three "layers" driven by shared latent factors, with ties in one column.
    m = 150
    latent = rng.normal(size=(m, 3))
    columns = []
    for k in range(15):
        column = latent[:, k % 3] * (1 + k / 10) + 0.7 * rng.normal(size=m)
        if k == 7:
            column = np.round(column)
        columns.append(column)
    layered = np.column_stack(columns)
    return {
        "scipyVersion": scipy.__version__,
        "cases": [
            spearman_case("small-ties-constant", small, [3, 4]),
            spearman_case("three-layers", layered, [5, 6, 4]),
        ],
        "ranks": [
            {"values": v, "ranks": rankdata(v, method="average").tolist()}
            for v in ([3.0, 1.0, 2.0], [1.0, 2.0, 2.0, 2.0, 5.0, 0.5, 5.0], [7.0, 7.0, 7.0], [-1.5])
        ],
    }


def two_blocks():
    """8 nodes: two 4-cliques with weights 1 and 2 and one weak link 0.1 between nodes 3 and 4."""
    a = np.zeros((8, 8))
    w = 1.0
    for block in (range(0, 4), range(4, 8)):
        for i in block:
            for j in block:
                if i < j:
                    a[i, j] = a[j, i] = w
                    w = 1.0 + (w % 2.0)
    a[3, 4] = a[4, 3] = 0.1
    return a


def save_coo(path, a, row_dtype=np.int32, data_dtype=np.float32, layer=None, drop=()):
    coo = scipy.sparse.coo_matrix(a)
    arrays = {"row": coo.row.astype(row_dtype), "col": coo.col.astype(row_dtype),
              "data": coo.data.astype(data_dtype), "shape": np.array(coo.shape, dtype=np.int64)}
    if layer is not None:
        arrays["layer"] = np.asarray(layer, dtype=np.int64)
    for name in drop:
        del arrays[name]
    np.savez(path, **arrays)


def adjacency_fixtures():
    ADJACENCY.mkdir(parents=True, exist_ok=True)
    a = two_blocks()
    np.save(ADJACENCY / "two_blocks.npy", a)
    save_coo(ADJACENCY / "two_blocks.npz", a, layer=[0, 0, 1, 1, 1, 2, 2, 2])
    asymmetric = a.copy()
    asymmetric[0, 1] = 5.0
    np.save(ADJACENCY / "asymmetric.npy", asymmetric)
    negative = a.copy()
    negative[2, 5] = negative[5, 2] = -0.5
    np.save(ADJACENCY / "negative.npy", negative)
    with_nan = a.copy()
    with_nan[1, 6] = with_nan[6, 1] = np.nan
    np.save(ADJACENCY / "nan.npy", with_nan)
    np.save(ADJACENCY / "rectangular.npy", np.ones((3, 4)))
    save_coo(ADJACENCY / "upper_only.npz", np.triu(a))
    save_coo(ADJACENCY / "missing_col.npz", a, drop=("col",))
    save_coo(ADJACENCY / "float_rows.npz", a, row_dtype=np.float64)
    disconnected = a.copy()
    disconnected[3, 4] = disconnected[4, 3] = 0.0
    save_coo(ADJACENCY / "disconnected.npz", disconnected)
    scipy.sparse.save_npz(ADJACENCY / "scipy_save_npz.npz", scipy.sparse.coo_matrix(a))


def main():
    rng = np.random.default_rng(20240605)
    data = correlation_fixtures(rng)
    (FIXTURES / "correlation_fixtures.json").write_text(json.dumps(data, indent=1) + "\n")
    adjacency_fixtures()


if __name__ == "__main__":
    main()
