#!/usr/bin/env python3
"""The LIB reference the way rib computes it, for `netatlas bench`: PyTorch autograd in float64,
one torch.autograd.grad call per output feature and output position over the whole batch.

    python3 scripts/bench_torch_lib.py MODEL.safetensors INPUTS.npy THREADS

MODEL is a NetAtlas 1-block last-position transformer (the modular-addition checkpoint), INPUTS
an [N, 3] array of token ids. Prints one JSON object with seconds per stage (gram, lib basis,
lib edges, pca edges) and the LIB sizes, so the bench can check both sides agree.
Exits 3 when torch is not installed.
"""
import json
import os
import sys
import time

try:
    import numpy as np
    import torch
    from safetensors import safe_open
except ImportError:
    sys.exit(3)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_lib_fixtures import THRESHOLD, constant_derivative, eig_desc, jacobian_rows, transformer_sections  # noqa: E402


def main():
    model, inputs, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    torch.set_num_threads(threads)
    torch.set_default_dtype(torch.float64)
    with safe_open(model, "pt") as f:
        arch = json.loads(f.metadata()["netatlas.architecture"])["transformer"]["_0"]
        p = {k: f.get_tensor(k).to(torch.float64) for k in f.keys()}
    ids = torch.from_numpy(np.load(inputs)).long()
    sections, forward = transformer_sections(p, arch["modelWidth"], arch["heads"])
    seconds = {}
    start = time.perf_counter()
    with torch.no_grad():
        acts = forward(ids)
    L = len(acts) - 1
    N = ids.shape[0]
    stats = []
    for l in range(L):
        a = acts[l].reshape(-1, acts[l].shape[-1])
        mu = a.mean(0)
        G = (a - mu).T @ (a - mu) / a.shape[0]
        D, U = eig_desc(G)
        k = int((D > THRESHOLD).sum())
        stats.append((mu, U[:, :k], D[:k]))
    seconds["gram"] = time.perf_counter() - start

    start = time.perf_counter()
    n_out = acts[L].shape[-1]
    identity = (torch.eye(n_out), torch.zeros(n_out))
    lib = [None] * L + [identity]
    inverses = [None] * L
    sizes = [0] * L
    for l in reversed(range(L)):
        mu, U, Dk = stats[l]
        C1, mu1 = lib[l + 1]
        n = acts[l].shape[-1]
        S = torch.zeros(n, n)
        for _, _, g in jacobian_rows(sections[l], acts[l], C1):
            flat = g.reshape(-1, n)
            S += flat.T @ flat
        W = U * Dk.sqrt()
        Lam, V = eig_desc(W.T @ (S / N) @ W)
        k = int((Lam > THRESHOLD).sum())
        constant_derivative(sections[l], acts[l], mu, C1, mu1)
        lib[l] = ((U / Dk.sqrt()) @ V[:, :k] * Lam[:k].sqrt(), mu)
        inverses[l] = ((W @ V[:, :k]) / Lam[:k].sqrt()).T
        sizes[l] = k
    seconds["lib basis"] = time.perf_counter() - start

    def edges(bases, inverses):
        for l in range(L):
            (C, mu), (C1, mu1) = bases[l], bases[l + 1]
            feats = (acts[l] - mu) @ C
            E = torch.zeros(C1.shape[1], C.shape[1] + 1)
            for _, i, g in jacobian_rows(sections[l], acts[l], C1):
                E[i, 1:] += (((g @ inverses[l].T) * feats).sum(1) ** 2).sum(0)
            E[:, 0] += (constant_derivative(sections[l], acts[l], mu, C1, mu1) ** 2).sum((0, 1))

    start = time.perf_counter()
    edges(lib, inverses)
    seconds["lib edges"] = time.perf_counter() - start
    pca = [(U, mu) for mu, U, _ in stats] + [identity]
    start = time.perf_counter()
    edges(pca, [U.T for _, U, _ in stats])
    seconds["pca edges"] = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "libSizes": sizes, "samples": N, "threads": threads}))


if __name__ == "__main__":
    main()
