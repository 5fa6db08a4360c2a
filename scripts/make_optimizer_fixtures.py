"""Reference trajectories of torch.optim SGD (momentum), Adam and AdamW.

A parameter vector is updated for 5 steps with gradients g_t = A p_t + c (a fixed
quadratic), so the trajectory depends on every detail of the update rule.
Writes Tests/NetworksTests/Fixtures/optimizers.json. Run: python3 scripts/make_optimizer_fixtures.py
"""
import json
import os

import torch

torch.set_default_dtype(torch.float64)
gen = torch.Generator().manual_seed(0)
A = torch.randn(4, 4, generator=gen)
A = A @ A.T / 4 + torch.eye(4)
c = torch.randn(4, generator=gen)
p0 = torch.randn(4, generator=gen)

configs = {
    "sgd": lambda p: torch.optim.SGD([p], lr=0.1, momentum=0.9, weight_decay=0.01),
    "adam": lambda p: torch.optim.Adam([p], lr=0.05, betas=(0.9, 0.98), eps=1e-8, weight_decay=0.01),
    "adamw": lambda p: torch.optim.AdamW([p], lr=0.05, betas=(0.9, 0.98), eps=1e-8, weight_decay=1.0),
}
out = {"A": A.flatten().tolist(), "c": c.tolist(), "p0": p0.tolist(), "trajectories": {}}
for name, make in configs.items():
    p = p0.clone().requires_grad_(True)
    opt = make(p)
    traj = []
    for _ in range(5):
        opt.zero_grad()
        p.grad = (A @ p.detach() + c).clone()
        opt.step()
        traj.append(p.detach().tolist())
    out["trajectories"][name] = traj
path = os.path.join(os.path.dirname(__file__), "..", "Tests", "NetworksTests", "Fixtures", "optimizers.json")
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path, "w") as fh:
    json.dump(out, fh, indent=1)
print("wrote", path)
