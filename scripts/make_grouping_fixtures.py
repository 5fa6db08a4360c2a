#!/usr/bin/env python3
"""Reference average-linkage trees for LayerGrouping tests.

Writes Tests/LayerSimilarityTests/Fixtures/grouping_fixtures.json: small symmetric distance
matrices (random, without ties) and scipy.cluster.hierarchy.linkage(squareform(D),
method="average") rows [a, b, height, size], plus fcluster(maxclust=k) partitions.
"""
import json
import pathlib

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist, squareform

rng = np.random.default_rng(20261121)
cases = []
for name, n, dim in [("points6", 6, 3), ("points8", 8, 2), ("points11", 11, 5)]:
    x = rng.normal(size=(n, dim))
    x[: n // 2] += 3.0  # two loose clusters
    d = squareform(pdist(x))
    z = linkage(squareform(d, checks=False), method="average")
    partitions = {}
    for k in range(2, n):
        labels = fcluster(z, k, criterion="maxclust")
        # Relabel by first member, as LayerGrouping does.
        order = {}
        relabeled = []
        for lab in labels:
            if lab not in order:
                order[lab] = len(order)
            relabeled.append(order[lab])
        partitions[str(k)] = relabeled
    cases.append({"name": name, "distances": d.tolist(), "linkage": z.tolist(), "partitions": partitions})

out = pathlib.Path(__file__).resolve().parent.parent / "Tests/LayerSimilarityTests/Fixtures/grouping_fixtures.json"
out.write_text(json.dumps({"generator": "scipy " + __import__("scipy").__version__, "cases": cases}, indent=1) + "\n")
print("wrote", out)
