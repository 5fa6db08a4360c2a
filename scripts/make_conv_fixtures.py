"""Reference values for conv2d, max_pool2d and avg_pool2d, computed with PyTorch.

Writes Tests/TensorsTests/Fixtures/conv_reference.json. Run from the repository root:
    python3 scripts/make_conv_fixtures.py
Inputs are generated here with a fixed seed and stored with the outputs (in float64), so the
Swift tests read both and need no Python. Inputs are rounded to 3 decimals and outputs to 12
significant digits to keep the file small. Pooling inputs are distinct values (a shuffled
ramp), so max pooling has no ties and the argmax indices are well defined.
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(20260301)
cases = []


def tensor_json(t):
    return {"shape": list(t.shape), "data": [float(f"{v:.12g}") for v in t.reshape(-1).tolist()]}


def rounded(*shape):
    return torch.round(torch.randn(*shape, dtype=torch.float64) * 1000) / 1000


def distinct(*shape):
    n = 1
    for s in shape:
        n *= s
    return (torch.randperm(n, dtype=torch.float64) / n - 0.5).reshape(shape)


def add_conv(name, n, c, h, w, o, kh, kw, stride, padding):
    x = rounded(n, c, h, w)
    k = rounded(o, c, kh, kw)
    y = F.conv2d(x, k, stride=stride, padding=padding)
    cases.append({"name": name, "op": "conv2d", "stride": list(stride), "padding": list(padding),
                  "input": tensor_json(x), "kernel": tensor_json(k), "output": tensor_json(y)})


def add_pool(name, n, c, h, w, size, stride, padding):
    x = distinct(n, c, h, w)
    y, idx = F.max_pool2d(x, size, stride=stride, padding=padding, return_indices=True)
    cases.append({"name": name, "op": "maxPool2d", "size": list(size), "stride": list(stride),
                  "padding": list(padding), "input": tensor_json(x), "output": tensor_json(y),
                  "indices": idx.reshape(-1).tolist()})
    y = F.avg_pool2d(x, size, stride=stride, padding=padding, count_include_pad=True)
    cases.append({"name": name, "op": "avgPool2d", "size": list(size), "stride": list(stride),
                  "padding": list(padding), "input": tensor_json(x), "output": tensor_json(y)})


add_conv("1x1 channels, 3x3, stride 1, no padding", 1, 1, 5, 5, 1, 3, 3, (1, 1), (0, 0))
add_conv("C=3 O=4 N=2, 3x3, stride 1, padding 1", 2, 3, 6, 5, 4, 3, 3, (1, 1), (1, 1))
add_conv("C=2 O=3 N=2, 3x3, stride 2, padding 1", 2, 2, 7, 6, 3, 3, 3, (2, 2), (1, 1))
add_conv("non-square 2x3 kernel, stride (2, 1), padding (1, 0)", 3, 2, 6, 7, 2, 2, 3, (2, 1), (1, 0))
add_conv("non-square 3x1 kernel, stride (1, 2), padding (0, 1)", 2, 3, 5, 6, 3, 3, 1, (1, 2), (0, 1))
add_conv("kernel as large as the padded input", 1, 2, 3, 4, 2, 5, 4, (1, 1), (1, 0))
add_conv("1x1 kernel, stride 2", 2, 4, 5, 5, 3, 1, 1, (2, 2), (0, 0))

add_pool("2x2, stride 2", 2, 3, 6, 6, (2, 2), (2, 2), (0, 0))
add_pool("3x3, stride 2, padding 1", 2, 2, 7, 6, (3, 3), (2, 2), (1, 1))
add_pool("3x3, stride 1, padding 1", 1, 3, 5, 5, (3, 3), (1, 1), (1, 1))
add_pool("non-square 2x3, stride (1, 2), padding (1, 1)", 2, 2, 5, 7, (2, 3), (1, 2), (1, 1))
add_pool("non-square 3x2, stride (2, 1), no padding", 1, 2, 7, 5, (3, 2), (2, 1), (0, 0))

path = os.path.join("Tests", "TensorsTests", "Fixtures", "conv_reference.json")
with open(path, "w") as f:
    json.dump({"generator": f"torch {torch.__version__}", "cases": cases}, f, separators=(",", ":"))
print(f"wrote {len(cases)} cases to {path}")
