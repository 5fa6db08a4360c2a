"""POT peer for `netatlas bench`: exact Gromov-Wasserstein on the distance matrices NetAtlas
wrote, with POT's defaults (product start, conditional gradient, exact EMD linear steps).

Usage: bench_pot_gw.py C1.npy C2.npy REPETITIONS
Prints one JSON object: {"pot": version, "value": GW (POT's convention), "seconds": median,
"iterations": CG iterations}. Exits 3 when POT is not installed (`pip install POT`).
"""
import json
import sys
import time

import numpy as np

try:
    import ot
except ImportError:
    print(json.dumps({"error": "POT not installed"}))
    sys.exit(3)

c1 = np.load(sys.argv[1])
c2 = np.load(sys.argv[2])
repetitions = int(sys.argv[3]) if len(sys.argv) > 3 else 3
p = ot.unif(c1.shape[0])
q = ot.unif(c2.shape[0])
samples = []
value = None
log = None
for _ in range(repetitions):
    start = time.perf_counter()
    value, log = ot.gromov.gromov_wasserstein2(c1, c2, p, q, "square_loss", log=True)
    samples.append(time.perf_counter() - start)
samples.sort()
print(json.dumps({
    "pot": ot.__version__,
    "value": float(value),
    "seconds": samples[len(samples) // 2],
    "iterations": len(log.get("loss", [])) - 1 if isinstance(log, dict) else None,
}))
