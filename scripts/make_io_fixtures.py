"""Tiny .npy / .npz / .safetensors fixtures for the TensorIO tests, with their expected values.

Writes into Tests/TensorIOTests/Fixtures/ (a few KB in all). Run from the repository root:
    python3 scripts/make_io_fixtures.py
Needs numpy only: the safetensors file is written by hand with struct + json, following the
format (8-byte little-endian header length, space-padded JSON header, packed data buffer).

expected.json lists, for every fixture array, its dtype (safetensors names: F32, I64, BOOL...),
shape and row-major values. Non-finite floats are the strings "nan", "inf" and "-inf"; integers
are exact JSON integers.
"""
import json
import math
import os
import struct

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "TensorIOTests", "Fixtures")
os.makedirs(OUT, exist_ok=True)

DTYPE_NAMES = {
    np.dtype("float16"): "F16", np.dtype("float32"): "F32", np.dtype("float64"): "F64",
    np.dtype("int8"): "I8", np.dtype("int16"): "I16", np.dtype("int32"): "I32", np.dtype("int64"): "I64",
    np.dtype("uint8"): "U8", np.dtype("bool"): "BOOL",
}


def json_value(x):
    if isinstance(x, (bool, np.bool_)):
        return int(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def describe(array, dtype_name=None):
    values = np.asarray(array).ravel(order="C")
    return {
        "dtype": dtype_name or DTYPE_NAMES[np.asarray(array).dtype],
        "shape": list(np.shape(array)),
        "values": [json_value(v) for v in values.tolist()],
    }


def path(name):
    return os.path.join(OUT, name)


expected = {"npy": [], "npz": [], "safetensors": []}


def save_npy(name, array, version=None, fortran=False):
    # (np.ascontiguousarray would turn a 0-d array into shape (1,), so only convert for Fortran.)
    if fortran:
        array = np.asfortranarray(array)
    assert array.flags.f_contiguous if fortran else array.flags.c_contiguous
    with open(path(name), "wb") as f:
        np.lib.format.write_array(f, array, version=version, allow_pickle=False)
    entry = {"file": name, **describe(array)}
    expected["npy"].append(entry)


f32 = np.array([0.0, -0.0, 1.5, -2.25, np.finfo(np.float32).max, np.float32(1e-45), np.inf, np.nan], np.float32)
save_npy("f4.npy", f32.reshape(2, 4))
save_npy("f8.npy", np.array([0.1, -1e300, 5e-324], np.float64))
save_npy("f2.npy", np.array([1.0, -0.5, 65504.0, 2.0**-24, -np.inf, 0.333251953125], np.float16))
save_npy("i1.npy", np.array([-128, 127, 0, -1], np.int8))
save_npy("i4.npy", np.array([[-2**31, 2**31 - 1], [0, -7]], np.int32))
save_npy("i8.npy", np.array([-2**63, 2**63 - 1, 42], np.int64))
save_npy("u1.npy", np.array([0, 1, 128, 255], np.uint8))
save_npy("b1.npy", np.array([[True, False, True], [False, False, True]]))
save_npy("fortran.npy", np.arange(24, dtype=np.float64).reshape(2, 3, 4) * 0.5, fortran=True)
save_npy("fortran_i4.npy", np.arange(6, dtype=np.int32).reshape(2, 3), fortran=True)
save_npy("v2.npy", np.array([[1.25, -3.5], [7.0, 0.0]], np.float32), version=(2, 0))
save_npy("v3.npy", np.array([5, -6, 7], np.int64), version=(3, 0))
save_npy("scalar.npy", np.array(3.5, np.float64))
save_npy("empty.npy", np.zeros((0, 3), np.float32))

# Check the Fortran fixtures really are column-major on disk.
for name in ("fortran.npy", "fortran_i4.npy"):
    with open(path(name), "rb") as f:
        assert b"'fortran_order': True" in f.read(128), name

npz_arrays = {
    "weight": np.array([[0.5, -1.0, 2.0], [3.25, 0.0, -0.125]], np.float32),
    "bias": np.array([1e-3, -2.0, 3.5], np.float64),
    "steps": np.array(1234567890123, np.int64),
    "mask": np.array([True, False, True, True]),
}
np.savez(path("stored.npz"), **npz_arrays)
np.savez_compressed(path("compressed.npz"), **npz_arrays)
for name in ("stored.npz", "compressed.npz"):
    expected["npz"].append({
        "file": name,
        "arrays": [{"name": key, **describe(value)} for key, value in npz_arrays.items()],
    })


def bfloat16_bits(values):
    bits = (np.array(values, np.float32).view(np.uint32) >> 16).astype(np.uint16)
    back = (bits.astype(np.uint32) << 16).view(np.float32)
    assert np.array_equal(back, np.array(values, np.float32)), "bf16 fixture values must be exact"
    return bits


bf16_values = [1.0, -2.5, 0.15625, 256.0, float("inf")]
tensors = [  # (name, dtype name, shape, raw little-endian bytes, expected values)
    ("embedding.weight", "F32", [2, 2], np.array([1.5, -2.0, 0.25, 1e-40], "<f4")),
    ("scale", "F64", [3], np.array([0.1, -0.2, 1e308], "<f8")),
    ("half", "F16", [2, 2], np.array([1.0, -0.5, 65504.0, 2.0**-24], "<f2")),
    ("brain", "BF16", [5], None),
    ("counts", "I32", [3], np.array([-2**31, 0, 2**31 - 1], "<i4")),
    ("ids", "I64", [2], np.array([-2**63, 2**53 + 1], "<i8")),
    ("pixels", "U8", [2, 3], np.array([0, 17, 128, 200, 254, 255], "u1")),
]
header = {"__metadata__": {"format": "pt", "note": "tiny NetAtlas fixture"}}
buffer = b""
expected_tensors = []
for name, dtype_name, shape, array in tensors:
    if dtype_name == "BF16":
        raw = bfloat16_bits(bf16_values).astype("<u2").tobytes()
        values = [json_value(v) for v in bf16_values]
    else:
        raw = array.tobytes()
        values = [json_value(v) for v in array.tolist()]
    header[name] = {"dtype": dtype_name, "shape": shape, "data_offsets": [len(buffer), len(buffer) + len(raw)]}
    buffer += raw
    expected_tensors.append({"name": name, "dtype": dtype_name, "shape": shape, "values": values})
header_bytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
header_bytes += b" " * ((8 - len(header_bytes) % 8) % 8)
with open(path("mixed.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(header_bytes)))
    f.write(header_bytes)
    f.write(buffer)
expected["safetensors"].append({
    "file": "mixed.safetensors",
    "metadata": header["__metadata__"],
    "tensors": expected_tensors,
})

with open(path("expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
    f.write("\n")

total = sum(os.path.getsize(path(n)) for n in os.listdir(OUT) if not n.startswith("."))
print(f"wrote {len(os.listdir(OUT))} files, {total} bytes, into {os.path.normpath(OUT)}")
