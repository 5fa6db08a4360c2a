"""PyTorch peer for `netatlas bench`: one forward+backward of a 784-256-256-10 MLP at batch 256.

Prints one JSON object: {"torch": version, "threads": n, "seconds": median}.
Exits 3 when PyTorch is not installed (install with `pip install torch==2.13.0`).
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
repetitions = int(sys.argv[2]) if len(sys.argv) > 2 else 50
torch.set_num_threads(threads)
torch.manual_seed(1)
model = torch.nn.Sequential(
    torch.nn.Linear(784, 256), torch.nn.ReLU(),
    torch.nn.Linear(256, 256), torch.nn.ReLU(),
    torch.nn.Linear(256, 10),
)
x = torch.rand(256, 784)
labels = torch.arange(256) % 10
loss_fn = torch.nn.CrossEntropyLoss()


def step():
    model.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), labels)
    loss.backward()


report_median(step, repetitions, warmup=5, torch_version=torch.__version__, threads=threads)
