"""scikit-learn peer for `netatlas bench --only spectral`: spectral clustering of the graph
NetAtlas wrote, with the settings of issue 5's speed target.

Usage: bench_sklearn_spectral.py GRAPH.npz CLUSTERS INITIALIZATIONS REPETITIONS
GRAPH.npz holds the symmetric adjacency as COO arrays `row`, `col`, `data` and `shape`.
Runs SpectralClustering(n_clusters=CLUSTERS, affinity="precomputed", assign_labels="kmeans",
n_init=INITIALIZATIONS, random_state=0) with eigen_solver "lobpcg", "arpack" and, when pyamg is
installed, "amg". Prints one JSON object:
{"sklearn": version, "scipy": version, "threads": BLAS threads or null,
 "solvers": {name: {"seconds": median of REPETITIONS fits (1 for arpack), "ncut": normalized cut of the labels}}}
where the normalized cut is sum over clusters c of cut(c, rest) / vol(c), vol(c) the sum of the
degrees of c's nodes (as NetAtlas's `SymmetricSparseMatrix.normalizedCut`).
Exits 3 when scikit-learn is not installed.
"""
import json
import sys
import time
import warnings

import numpy as np
import scipy
import scipy.sparse as sp

try:
    import sklearn
    from sklearn.cluster import SpectralClustering
except ImportError:
    print(json.dumps({"error": "scikit-learn not installed"}))
    sys.exit(3)


def normalized_cut(adjacency, labels):
    """sum_c cut(c) / vol(c) for a CSR adjacency and integer labels (all >= 0)."""
    degrees = np.asarray(adjacency.sum(axis=1)).ravel()
    coo = adjacency.tocoo()
    crossing = labels[coo.row] != labels[coo.col]
    cut = np.bincount(labels[coo.row[crossing]], weights=coo.data[crossing], minlength=labels.max() + 1)
    volume = np.bincount(labels, weights=degrees, minlength=labels.max() + 1)
    present = volume > 0
    return float(np.sum(cut[present] / volume[present]))


def blas_threads():
    try:
        from threadpoolctl import threadpool_info
        counts = [info["num_threads"] for info in threadpool_info() if info.get("user_api") == "blas"]
        return counts[0] if counts else None
    except ImportError:
        return None


def main():
    archive = np.load(sys.argv[1])
    clusters = int(sys.argv[2])
    initializations = int(sys.argv[3])
    repetitions = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    shape = tuple(int(s) for s in archive["shape"])
    adjacency = sp.csr_matrix((archive["data"], (archive["row"], archive["col"])), shape=shape)
    solvers = ["lobpcg", "arpack"]
    try:
        import pyamg  # noqa: F401
        solvers.append("amg")
    except ImportError:
        pass
    results = {}
    for solver in solvers:
        samples = []
        labels = None
        # ARPACK's shift-invert mode factorizes the Laplacian: far slower, so it runs once.
        for _ in range(1 if solver == "arpack" else repetitions):
            model = SpectralClustering(n_clusters=clusters, affinity="precomputed", eigen_solver=solver,
                                       assign_labels="kmeans", n_init=initializations, random_state=0)
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model.fit(adjacency)
            samples.append(time.perf_counter() - start)
            labels = model.labels_
        samples.sort()
        results[solver] = {"seconds": samples[len(samples) // 2], "ncut": normalized_cut(adjacency, labels)}
    print(json.dumps({"sklearn": sklearn.__version__, "scipy": scipy.__version__, "threads": blas_threads(),
                      "solvers": results}))


if __name__ == "__main__":
    main()
