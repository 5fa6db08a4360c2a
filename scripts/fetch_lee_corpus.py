"""Fetches the Lee background corpus that ships in the PyPI package gensim into a local cache.

    python3 scripts/fetch_lee_corpus.py [--out DIR] [--gensim-version 4.4.0] [--wheel PATH]

Source: gensim/test/test_data/lee_background.cor inside gensim (the package is LGPL-2.1-only;
the text itself carries no licence of its own, see docs/datasets.md): 300 English news
documents from the Australian Broadcasting Corporation's news mail service, one document per
line, collected by Lee, Pincombe & Welsh (2005), "An empirical evaluation of models of text
document similarity", Proceedings of the 27th Annual Conference of the Cognitive Science Society.

Where the file comes from, in order: the wheel given by --wheel; an installed gensim (the file
is read from its package folder without importing gensim) when its bytes have the expected
SHA-256; otherwise `python3 -m pip download gensim==VERSION --no-deps --only-binary=:all:`
for CPython 3.11 on manylinux_2_28_x86_64 (the same wheel whatever the local Python, so the
download is reproducible; the wheel is only read as a zip) into a temporary folder, which is
deleted afterwards. Nothing but gensim's own wheel is downloaded.

The file's SHA-256 must be EXPECTED_SHA256; a different file is refused. Writes into DIR
(default $NETATLAS_CACHE/lee-corpus, else ~/.cache/netatlas/lee-corpus):
  lee_background.cor  the text, byte for byte as gensim ships it
  lee_source.json     where it came from, the licence situation and its SHA-256
The cache is never committed. Needs only the Python standard library (and pip, to download).
"""
import argparse
import glob
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import zipfile

MEMBER = "gensim/test/test_data/lee_background.cor"
FILE_NAME = "lee_background.cor"
DEFAULT_VERSION = "4.4.0"
EXPECTED_SHA256 = "5d78d6dafd953bbf65797bef09a9ffb9ec430583381be705f8fd460000f370fb"
EXPECTED_DOCUMENTS = 300
# The wheel asked for, independent of the Python running this script.
WHEEL_TAGS = ["--python-version", "3.11", "--implementation", "cp", "--abi", "cp311",
              "--platform", "manylinux_2_28_x86_64"]


def default_out():
    root = os.environ.get("NETATLAS_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "netatlas")
    return os.path.join(root, "lee-corpus")


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def text_from_wheel(path):
    try:
        with zipfile.ZipFile(path) as wheel:
            return wheel.read(MEMBER)
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        sys.exit(f"{path}: cannot read {MEMBER} from the wheel: {error}")


def text_from_installed():
    spec = importlib.util.find_spec("gensim")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        candidate = os.path.join(folder, "test", "test_data", FILE_NAME)
        if os.path.isfile(candidate):
            with open(candidate, "rb") as f:
                data = f.read()
            if sha256(data) == EXPECTED_SHA256:
                return data
            print(f"ignoring {candidate}: its SHA-256 is not the expected one", file=sys.stderr)
    return None


def text_from_pypi(version):
    with tempfile.TemporaryDirectory(prefix="netatlas-lee-") as tmp:
        command = [sys.executable, "-m", "pip", "download", f"gensim=={version}", "--no-deps",
                   "--only-binary=:all:", *WHEEL_TAGS, "--quiet", "-d", tmp]
        print("running:", " ".join(command), file=sys.stderr)
        subprocess.run(command, check=True)
        wheels = glob.glob(os.path.join(tmp, "gensim-*.whl"))
        if not wheels:
            sys.exit(f"pip download left no gensim wheel in {tmp}")
        return text_from_wheel(wheels[0])


def check(data, origin):
    digest = sha256(data)
    if digest != EXPECTED_SHA256:
        sys.exit(f"{origin}: {MEMBER} has SHA-256 {digest}, expected {EXPECTED_SHA256}")
    documents = [line for line in data.split(b"\n") if line.strip()]
    if len(documents) != EXPECTED_DOCUMENTS:
        sys.exit(f"{origin}: expected {EXPECTED_DOCUMENTS} documents (lines), found {len(documents)}")
    return digest


def write_atomically(path, data):
    temporary = path + ".partial"
    with open(temporary, "wb") as f:
        f.write(data)
    os.replace(temporary, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=default_out(), help="cache folder (default: %(default)s)")
    parser.add_argument("--gensim-version", default=DEFAULT_VERSION, help="version to download")
    parser.add_argument("--wheel", help="use this gensim wheel instead of an installed or downloaded one")
    args = parser.parse_args()
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as error:
        sys.exit(f"{args.out}: cannot create the cache folder: {error}")

    if args.wheel:
        data, origin = text_from_wheel(args.wheel), os.path.basename(args.wheel)
    else:
        data, origin = text_from_installed(), "installed gensim"
        if data is None:
            data, origin = text_from_pypi(args.gensim_version), f"gensim=={args.gensim_version} from PyPI"
    digest = check(data, origin)

    write_atomically(os.path.join(args.out, FILE_NAME), data)
    source = {
        "source": f"{origin}: {MEMBER}",
        "license": "none stated for the text; gensim itself is LGPL-2.1-only (see docs/datasets.md)",
        "citation": "Lee, M. D., Pincombe, B., & Welsh, M. (2005). An empirical evaluation of models of text "
                    "document similarity. Proceedings of the 27th Annual Conference of the Cognitive Science Society.",
        "sha256": digest,
        "documents": EXPECTED_DOCUMENTS,
    }
    write_atomically(os.path.join(args.out, "lee_source.json"), (json.dumps(source, indent=2) + "\n").encode())
    print(f"wrote {EXPECTED_DOCUMENTS} Lee corpus documents to {args.out} (from {origin})")


if __name__ == "__main__":
    main()
