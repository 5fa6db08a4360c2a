"""PyTorch peer for `netatlas bench`: one full-batch AdamW step of the modular-addition
transformer (p = 113, tokens [a, b, =], 3,830 training pairs; d_model 128, 4 heads, d_mlp 512,
1 block, no LayerNorm, ReLU), computed exactly as NetAtlas does: keys and values at all three
positions, queries, attention output, MLP and unembedding at the last position only.

Prints {"torch": version, "threads": n, "seconds": median}. Exits 3 without PyTorch.
"""
import json
import sys

from peer_timing import report_median

try:
    import torch
except ImportError:
    print(json.dumps({"error": "torch not installed"}))
    sys.exit(3)

threads = int(sys.argv[1]) if len(sys.argv) > 1 else torch.get_num_threads()
repetitions = int(sys.argv[2]) if len(sys.argv) > 2 else 10
torch.set_num_threads(threads)
torch.manual_seed(0)
p, d, heads, d_mlp, n = 113, 128, 4, 512, 3830
hd = d // heads


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(p + 1, d)
        self.pos = torch.nn.Parameter(torch.randn(3, d) / d**0.5)
        self.q, self.k, self.v, self.o = (torch.nn.Linear(d, d) for _ in range(4))
        self.mlp_in, self.mlp_out = torch.nn.Linear(d, d_mlp), torch.nn.Linear(d_mlp, d)
        self.unembed = torch.nn.Linear(d, p)

    def forward(self, tokens):
        x = self.embed(tokens) + self.pos                      # [N, 3, d]
        last = x[:, -1:, :]                                    # [N, 1, d]
        q = self.q(last).view(-1, 1, heads, hd).transpose(1, 2)
        k = self.k(x).view(-1, 3, heads, hd).transpose(1, 2)
        v = self.v(x).view(-1, 3, heads, hd).transpose(1, 2)
        pattern = torch.softmax(q @ k.transpose(-1, -2) / hd**0.5, dim=-1)
        z = (pattern @ v).transpose(1, 2).reshape(-1, 1, d)
        resid = last + self.o(z)
        resid = resid + self.mlp_out(torch.relu(self.mlp_in(resid)))
        return self.unembed(resid[:, 0, :])


model = Model()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1.0, betas=(0.9, 0.98))
g = torch.Generator().manual_seed(0)
a = torch.randint(0, p, (n,), generator=g)
b = torch.randint(0, p, (n,), generator=g)
tokens = torch.stack([a, b, torch.full((n,), p)], dim=1)
labels = (a + b) % p


def step():
    opt.zero_grad(set_to_none=True)
    loss = torch.nn.functional.cross_entropy(model(tokens), labels)
    loss.backward()
    opt.step()


report_median(step, repetitions, warmup=3, torch_version=torch.__version__, threads=threads)
