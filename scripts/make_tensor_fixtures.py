"""Reference values for the Tensor forward ops, computed with numpy (and scipy.special.erf).

Writes Tests/TensorsTests/Fixtures/tensor_ops.json. Run from the repository root:
    python3 scripts/make_tensor_fixtures.py
Inputs are generated here with a fixed numpy seed and stored with the outputs, so the Swift
tests read both and need no Python.
"""
import json
import os

import numpy as np
from scipy.special import erf

rng = np.random.default_rng(20261121)
cases = []


def add(name, op, inputs, output, **params):
    cases.append({
        "name": name, "op": op, "params": params,
        "inputs": [{"shape": list(x.shape), "data": x.ravel().tolist()} for x in inputs],
        "output": {"shape": list(np.shape(output)), "data": np.ravel(output).tolist()},
    })


a = rng.normal(size=(2, 3, 4)); b = rng.normal(size=(3, 1))
add("broadcast add", "add", [a, b], a + b)
c = rng.normal(size=(4,)); add("broadcast mul rank-1", "multiply", [a, c], a * c)
d = rng.normal(size=(2, 1, 4)); e = rng.normal(size=(1, 3, 1))
add("outer broadcast subtract", "subtract", [d, e], d - e)
f = rng.uniform(0.5, 2.0, size=(3, 4)); add("divide", "divide", [a[0], f], a[0] / f)
add("maximum", "maximum", [a, b], np.maximum(a, b))
add("greater mask", "greater", [a, b], (a > b).astype(float))
x = rng.normal(size=(3, 5, 2))
for axis in range(3):
    add(f"sum axis {axis}", "sum", [x], x.sum(axis=axis), axis=axis)
    add(f"mean axis {axis}", "mean", [x], x.mean(axis=axis), axis=axis)
    add(f"max axis {axis}", "max", [x], x.max(axis=axis), axis=axis)
    add(f"variance axis {axis}", "variance", [x], x.var(axis=axis), axis=axis)
    add(f"argmax axis {axis}", "argmax", [x], x.argmax(axis=axis).astype(float), axis=axis)
add("sample variance", "variance", [x], x.var(axis=1, ddof=1), axis=1, correction=1)
add("permute 2 0 1", "permute", [x], np.transpose(x, (2, 0, 1)), permutation=[2, 0, 1])
add("permute 1 2 0", "permute", [x], np.transpose(x, (1, 2, 0)), permutation=[1, 2, 0])
m = rng.normal(size=(37, 70)); add("transpose", "transpose", [m], m.T)
add("slice", "slice", [x], x[:, 1:4, :], axis=1, start=1, end=4)
y = rng.normal(size=(3, 2, 2)); add("concatenate", "concatenate", [x, y], np.concatenate([x, y], axis=1), axis=1)
add("gather", "gather", [m[:6]], m[:6][[5, 0, 5, 2]], indices=[5, 0, 5, 2], axis=0)
p = rng.normal(size=(5, 7)); q = rng.normal(size=(7, 3))
add("matmul", "matmul", [p, q], p @ q)
add("matmul transposed", "matmulTT", [p.T.copy(), q.T.copy()], p @ q)
bp = rng.normal(size=(4, 5, 7)); add("batched matmul shared", "matmul", [bp, q], bp @ q)
bq = rng.normal(size=(4, 7, 3)); add("batched matmul", "matmul", [bp, bq], bp @ bq)
s = rng.normal(size=(4, 6)) * 3


def softmax(v, axis):
    z = np.exp(v - v.max(axis=axis, keepdims=True))
    return z / z.sum(axis=axis, keepdims=True)


add("softmax last", "softmax", [s], softmax(s, -1), axis=-1)
add("softmax first", "softmax", [s], softmax(s, 0), axis=0)
add("log softmax", "logSoftmax", [s], np.log(softmax(s, -1)), axis=-1)
big = np.array([[1000.0, 1001.0, 999.0]]); add("softmax large logits", "softmax", [big], softmax(big, -1), axis=-1)
ln = (s - s.mean(-1, keepdims=True)) / np.sqrt(s.var(-1, keepdims=True) + 1e-5)
add("layer norm", "layerNorm", [s], ln)
add("gelu", "gelu", [s], 0.5 * s * (1 + erf(s / np.sqrt(2))))
add("tanh", "tanh", [s], np.tanh(s))
add("sigmoid", "sigmoid", [s], 1 / (1 + np.exp(-s)))
add("relu", "relu", [s], np.maximum(s, 0))

out = os.path.join(os.path.dirname(__file__), "..", "Tests", "TensorsTests", "Fixtures", "tensor_ops.json")
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "w") as fh:
    json.dump({"generator": "scripts/make_tensor_fixtures.py", "numpy": np.__version__, "cases": cases}, fh)
print(f"wrote {len(cases)} cases to {out}")
