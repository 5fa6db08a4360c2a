#!/usr/bin/env python3
"""Reference fixtures for the Local Interaction Basis, computed with PyTorch autograd in float64.

    pip install torch==2.13.0 safetensors numpy
    python3 scripts/make_lib_fixtures.py

writes Tests/InteractionBasisTests/Fixtures/{lib_mlp,lib_transformer}.safetensors (NetAtlas model
files, float32 weights) and lib_fixtures.json. The reference is computed the way rib does it:
one torch.autograd.grad call per output feature and output position over the whole batch, in
float64 from the float32 weights. Definitions (docs/lib.md): node layers l = 0..L, the last the
logits with the identity basis and zero mean; mu and G = E[(f - mu)(f - mu)^T] pooled over samples
and positions; G = U D U^T, kept D > 1e-15; W = U D^1/2; the folded section g(f, c) multiplies
every bias by c; S = (1/N) sum_x sum_(t,i) sum_s g g^T with g = d(C'_i . g(f, 1)_t)/df;
M = W^T S W = V Lambda V^T, kept Lambda > 1e-15; C = U D^-1/2 V Lambda^1/2, C+ = Lambda^-1/2 V^T
D^1/2 U^T; Lambda_0 = (1/N) sum_x sum_(t,i) (d/dc C'_i . (g(mu c + f - mu, c)_t - c mu'))^2 at
c = 1; PCA C = U. Edges [k', k + 1]: column 0 the constant (the derivative above, squared),
column j + 1: (1/N) sum_x sum_t (sum_s (g C+^T)[s, j] f^[s, j])^2.
"""
import json
import os

import numpy as np
import torch
from safetensors.torch import save_file

torch.set_default_dtype(torch.float64)
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIXTURES = os.path.join(ROOT, "Tests", "InteractionBasisTests", "Fixtures")
THRESHOLD = 1e-15


def write_model(path, architecture, params, task):
    tensors = {k: v.to(torch.float32).contiguous() for k, v in params.items()}
    metadata = {
        "netatlas.architecture": json.dumps(architecture, separators=(",", ":"), sort_keys=True),
        "netatlas.format": "1",
        "netatlas.metrics": "{}",
        "netatlas.task": task,
    }
    save_file(tensors, path, metadata=metadata)
    # The reference uses exactly the stored float32 values.
    return {k: v.to(torch.float32).to(torch.float64) for k, v in params.items()}


# ---- networks: section functions g(f, c) with biases scaled by c; activations [B, P, n] ----

def mlp_sections(p, widths):
    hidden = len(widths) - 2

    def layer(k):
        def f(x, c):
            y = x[:, 0] @ p[f"layers.{k}.weight"].T + c * p[f"layers.{k}.bias"]
            if k < hidden:
                y = torch.tanh(y)
            return y[:, None]
        return f

    def forward(x):
        h = x[:, None]
        acts = []
        for k in range(hidden + 1):
            h = layer(k)(h, 1.0)
            acts.append(h)
        return acts

    return [layer(k) for k in range(1, hidden + 1)], forward


def transformer_sections(p, d, heads):
    hw = d // heads

    def attention(x, c):  # x [B, 3, d] -> resid_mid [B, 1, d]
        B, T, _ = x.shape
        q = x[:, -1:] @ p["blocks.0.attn.q.weight"].T + c * p["blocks.0.attn.q.bias"]
        k = x @ p["blocks.0.attn.k.weight"].T + c * p["blocks.0.attn.k.bias"]
        v = x @ p["blocks.0.attn.v.weight"].T + c * p["blocks.0.attn.v.bias"]
        split = lambda t, n: t.reshape(B, n, heads, hw).permute(0, 2, 1, 3)
        q, k, v = split(q, 1), split(k, T), split(v, T)
        pattern = torch.softmax(q @ k.transpose(-1, -2) / hw**0.5, dim=-1)
        mixed = (pattern @ v).permute(0, 2, 1, 3).reshape(B, 1, d)
        out = mixed @ p["blocks.0.attn.o.weight"].T + c * p["blocks.0.attn.o.bias"]
        return x[:, -1:] + out

    def mlp(x, c):
        pre = x @ p["blocks.0.mlp.in.weight"].T + c * p["blocks.0.mlp.in.bias"]
        return x + torch.relu(pre) @ p["blocks.0.mlp.out.weight"].T + c * p["blocks.0.mlp.out.bias"]

    def unembed(x, c):
        return (x[:, 0] @ p["unembed.weight"].T + c * p["unembed.bias"])[:, None]

    def forward(ids):
        x = p["embed.weight"][ids] + p["pos_embed.weight"][None, : ids.shape[1]]
        mid = attention(x, 1.0)
        post = mlp(mid, 1.0)
        return [x, mid, post, unembed(post, 1.0)]

    return [attention, mlp, unembed], forward


# ---- the LIB quantities, the reference way ----

def eig_desc(m):
    values, vectors = torch.linalg.eigh((m + m.T) / 2)
    order = torch.argsort(values, descending=True)
    return values[order], vectors[:, order]


def jacobian_rows(section, f, next_basis):
    """g for every output row (t, i): list of [(t, i, grad [B, P, n])], one autograd call each."""
    x = f.clone().requires_grad_(True)
    y = section(x, 1.0)  # [B, P', n']
    out = y @ next_basis  # [B, P', k']
    rows = []
    for t in range(out.shape[1]):
        for i in range(out.shape[2]):
            (g,) = torch.autograd.grad(out[:, t, i].sum(), x, retain_graph=True)
            rows.append((t, i, g))
    return rows


def constant_derivative(section, f, mu, next_basis, next_mean):
    """d/dc [C'^T (g(mu c + f - mu, c) - c mu')] at c = 1 for every sample, [B, P', k'] (forward mode, exact)."""
    def g(c):
        return (section(mu * c + (f - mu), c) - c * next_mean) @ next_basis
    _, jvp = torch.func.jvp(g, (torch.tensor(1.0),), (torch.tensor(1.0),))
    return jvp


def analyse(sections, acts):
    """acts: activations [B, P, n] of every node layer (last = logits)."""
    L = len(acts) - 1
    N = acts[0].shape[0]
    stats = []
    for l in range(L):
        a = acts[l].reshape(-1, acts[l].shape[-1])
        mu = a.mean(0)
        centred = a - mu
        G = centred.T @ centred / a.shape[0]
        D, U = eig_desc(G)
        kept = int((D > THRESHOLD).sum())
        stats.append(dict(mu=mu, D=D, U=U[:, :kept], Dk=D[:kept]))
    n_out = acts[L].shape[-1]
    identity = dict(C=torch.eye(n_out), Cp=torch.eye(n_out), mu=torch.zeros(n_out))
    lib = [None] * L + [identity]
    pca = [dict(C=s["U"], Cp=s["U"].T, mu=s["mu"]) for s in stats] + [identity]
    layers = [None] * L
    for l in reversed(range(L)):
        s = stats[l]
        nxt = lib[l + 1]
        rows = jacobian_rows(sections[l], acts[l], nxt["C"])
        n = acts[l].shape[-1]
        S = torch.zeros(n, n)
        for _, _, g in rows:
            flat = g.reshape(-1, n)
            S += flat.T @ flat
        S /= N
        W = s["U"] * s["Dk"].sqrt()
        M = W.T @ S @ W
        Lam, V = eig_desc(M)
        k = int((Lam > THRESHOLD).sum())
        Vk, Lk = V[:, :k], Lam[:k]
        C = (s["U"] / s["Dk"].sqrt()) @ Vk * Lk.sqrt()
        Cp = ((W @ Vk) / Lk.sqrt()).T
        lam0 = float((constant_derivative(sections[l], acts[l], s["mu"], nxt["C"], nxt["mu"]) ** 2).sum() / N)
        lib[l] = dict(C=C, Cp=Cp, mu=s["mu"])
        layers[l] = dict(mu=s["mu"].tolist(), D=s["D"].tolist(), sizeAfterGram=s["U"].shape[1], Lambda=Lam.tolist(),
                         libSize=k, constantLambda=lam0, libProjector=(C @ C.T).reshape(-1).tolist(),
                         pcaProjector=(s["U"] @ s["U"].T).reshape(-1).tolist())
    edges = {}
    for name, bases in (("lib", lib), ("pca", pca)):
        edges[name] = []
        for l in range(L):
            start, nxt = bases[l], bases[l + 1]
            f = acts[l]
            feats = (f - start["mu"]) @ start["C"]  # [B, P, k]
            k = feats.shape[-1]
            E = torch.zeros(nxt["C"].shape[1], k + 1)
            for t, i, g in jacobian_rows(sections[l], f, nxt["C"]):
                inner = ((g @ start["Cp"].T) * feats).sum(1)  # [B, k]
                E[i, 1:] += (inner**2).sum(0)
            dc = constant_derivative(sections[l], f, start["mu"], nxt["C"], nxt["mu"])  # [B, P', k']
            E[:, 0] += (dc**2).sum((0, 1))
            edges[name].append((E / N).reshape(-1).tolist())
    # Self-checks of the identities.
    for l in range(L):
        feats = ((acts[l] - lib[l]["mu"]) @ lib[l]["C"]).reshape(-1, lib[l]["C"].shape[1])
        second = feats.T @ feats / feats.shape[0]
        lam = torch.tensor(layers[l]["Lambda"][: layers[l]["libSize"]])
        assert torch.allclose(second, torch.diag(lam), atol=1e-10 * lam.max()), "E[f f^T] != Lambda"
    return layers, edges


def main():
    os.makedirs(FIXTURES, exist_ok=True)
    fixtures = {}

    # Tiny MLP 6-8-7-5, tanh.
    torch.manual_seed(0)
    widths = [6, 8, 7, 5]
    params = {}
    for k in range(3):
        bound = 1 / widths[k] ** 0.5
        params[f"layers.{k}.weight"] = (torch.rand(widths[k + 1], widths[k]) * 2 - 1) * bound
        params[f"layers.{k}.bias"] = (torch.rand(widths[k + 1]) * 2 - 1) * bound
    arch = {"mlp": {"_0": {"activation": "tanh", "residual": False, "widths": widths}}}
    p = write_model(os.path.join(FIXTURES, "lib_mlp.safetensors"), arch, params, "hand-built")
    x = torch.randn(64, 6).to(torch.float32).to(torch.float64)
    sections, forward = mlp_sections(p, widths)
    acts = forward(x)
    layers, edges = analyse(sections, acts)
    fixtures["mlp"] = dict(inputs=x.reshape(-1).tolist(), inputShape=[64, 6],
                           nodeLayers=["layers.0.post", "layers.1.post", "logits"],
                           logits=acts[-1][:, 0].reshape(-1).tolist(), layers=layers, edges=edges)

    # Tiny transformer: tokens [a, b, =] mod 5, d 8, 2 heads, d_mlp 16, relu, last-position head.
    torch.manual_seed(1)
    d, heads, mlp_width, vocab, classes = 8, 2, 16, 6, 5
    params = {"embed.weight": torch.randn(vocab, d) / d**0.5, "pos_embed.weight": torch.randn(3, d) / d**0.5}

    def linear(name, i, o):
        bound = 1 / i**0.5
        params[f"{name}.weight"] = (torch.rand(o, i) * 2 - 1) * bound
        params[f"{name}.bias"] = (torch.rand(o) * 2 - 1) * bound

    for proj in "qkvo":
        linear(f"blocks.0.attn.{proj}", d, d)
    linear("blocks.0.mlp.in", d, mlp_width)
    linear("blocks.0.mlp.out", mlp_width, d)
    linear("unembed", d, classes)
    params["embed.weight"] *= 3  # spread the residual stream so attention is not uniform
    arch = {"transformer": {"_0": {"activation": "relu", "blocks": 1, "causal": True, "classes": classes,
                                   "contextLength": 3, "head": "lastPosition", "heads": heads, "layerNorm": False,
                                   "mlpWidth": mlp_width, "modelWidth": d, "vocabularySize": vocab}}}
    p = write_model(os.path.join(FIXTURES, "lib_transformer.safetensors"), arch, params, "hand-built")
    ids = torch.tensor([[a, b, 5] for a in range(5) for b in range(5)])
    sections, forward = transformer_sections(p, d, heads)
    acts = forward(ids)
    layers, edges = analyse(sections, acts)
    fixtures["transformer"] = dict(inputs=ids.to(torch.float64).reshape(-1).tolist(), inputShape=[25, 3],
                                   nodeLayers=["embed", "blocks.0.resid_mid", "blocks.0.resid_post", "logits"],
                                   logits=acts[-1][:, 0].reshape(-1).tolist(), layers=layers, edges=edges)
    with open(os.path.join(FIXTURES, "lib_fixtures.json"), "w") as out:
        json.dump(fixtures, out)
    print("wrote", FIXTURES)


if __name__ == "__main__":
    main()
