#!/usr/bin/env python3
"""Writes Tests/NeuronModulesTests/Fixtures/module_stats_fixtures.json: reference values for
the sub-cluster statistics of NeuronModules (importance and coherence tests).

Contents:
  * fisher: rank p-values from n random sets, shifted by -1/(2(n+1)) as the authors'
    `combine_ps`, combined by scipy.stats.combine_pvalues(method="fisher");
  * chi2: scipy.stats.chi2.sf(x, dof) for even dof, including far tails;
  * bh: Benjamini-Hochberg adjusted p-values and rejections at alpha, computed in numpy the way
    statsmodels' multipletests(method="fdr_bh") does, and checked against
    scipy.stats.false_discovery_control(method="bh");
  * entropy: scipy.stats.entropy of unnormalized weights;
  * fourier: numpy.fft.irfft2 of Lucid-style scaled half spectra (fft_image without colour
    decorrelation): image = irfft2(scale * (re + i im), s=(H, W)) * sqrt(H W) / 4 with
    scale = 1 / max(sqrt(fy^2 + fx^2), 1 / max(H, W)) ** decay.

Run: python3 scripts/make_module_stats_fixtures.py  (numpy, scipy)
"""

import json
from pathlib import Path

import numpy as np
import scipy
from scipy import stats

OUT = Path(__file__).resolve().parent.parent / "Tests" / "NeuronModulesTests" / "Fixtures" / "module_stats_fixtures.json"


def shifted_fisher(p, n):
    shifted = np.asarray(p, dtype=float) - 1.0 / (2 * (n + 1))
    statistic, pvalue = stats.combine_pvalues(shifted, method="fisher")
    return float(statistic), float(pvalue)


def bh_numpy(p, alpha):
    """statsmodels.stats.multitest.multipletests(p, alpha, method="fdr_bh") in numpy."""
    p = np.asarray(p, dtype=float)
    m = p.size
    order = np.argsort(p, kind="mergesort")
    ranked = p[order] * m / np.arange(1, m + 1)
    adjusted_sorted = np.minimum(np.minimum.accumulate(ranked[::-1])[::-1], 1.0)
    adjusted = np.empty(m)
    adjusted[order] = adjusted_sorted
    # Rejections as statsmodels decides them: every p up to the largest p_(i) <= alpha i / m.
    below = p[order] <= alpha * np.arange(1, m + 1) / m
    rejected_sorted = np.zeros(m, dtype=bool)
    if below.any():
        rejected_sorted[: np.nonzero(below)[0].max() + 1] = True
    rejected = np.empty(m, dtype=bool)
    rejected[order] = rejected_sorted
    return adjusted, rejected


def fourier_image(re, im, height, width, decay):
    fy = np.fft.fftfreq(height)[:, None]
    fx = np.fft.fftfreq(width)[: width // 2 + 1]
    fx = np.abs(fx)  # the last entry of fftfreq(width)[: width//2 + 1] is -0.5 for even width
    freqs = np.sqrt(fx * fx + fy * fy)
    scale = 1.0 / np.maximum(freqs, 1.0 / max(height, width)) ** decay
    spectrum = scale * (re + 1j * im)
    return np.fft.irfft2(spectrum, s=(height, width)) * np.sqrt(height * width) / 4


def main():
    rng = np.random.default_rng(20240605)

    fisher = []
    for n, k in [(19, 1), (19, 5), (19, 40), (99, 12), (9, 3), (19, 200)]:
        ranks = rng.integers(1, n + 2, size=k)
        fisher.append({"randomSetCount": n, "pValues": (ranks / (n + 1)).tolist()})
    # All at the smallest rank (strong evidence) and all at the largest (none).
    fisher.append({"randomSetCount": 19, "pValues": [1 / 20] * 30})
    fisher.append({"randomSetCount": 19, "pValues": [1.0] * 30})
    for case in fisher:
        case["statistic"], case["pValue"] = shifted_fisher(case["pValues"], case["randomSetCount"])

    chi2 = []
    for x, dof in [(0.5, 2), (3.0, 2), (10.0, 4), (40.0, 20), (150.0, 60), (600.0, 100), (2000.0, 400), (5.0, 80)]:
        chi2.append({"x": x, "degreesOfFreedom": dof, "survival": float(stats.chi2.sf(x, dof))})

    bh = []
    for m in [1, 5, 12, 40]:
        p = rng.choice(np.arange(1, 21) / 20, size=m)  # rank p-values, many ties
        bh.append({"pValues": p.tolist(), "alpha": 0.05})
    bh.append({"pValues": rng.uniform(0, 0.02, size=8).tolist() + rng.uniform(0, 1, size=12).tolist(), "alpha": 0.05})
    bh.append({"pValues": [0.01, 0.02, 0.03, 0.04, 0.05, 0.5], "alpha": 0.05})
    bh.append({"pValues": [0.05] * 6, "alpha": 0.05})  # adjusted exactly alpha: rejected
    bh.append({"pValues": rng.uniform(0, 0.3, size=25).tolist(), "alpha": 0.1})
    for case in bh:
        adjusted, rejected = bh_numpy(case["pValues"], case["alpha"])
        reference = stats.false_discovery_control(np.asarray(case["pValues"]), method="bh")
        assert np.allclose(adjusted, reference, rtol=1e-12, atol=1e-15), (adjusted, reference)
        case["adjusted"] = adjusted.tolist()
        case["rejected"] = rejected.tolist()

    entropy = []
    for weights in [[1, 1], [1, 0, 0], [0.2, 0.3, 0.5], [3, 3, 2, 1, 1], list(rng.uniform(0, 1, size=10))]:
        entropy.append({"weights": [float(w) for w in weights], "entropy": float(stats.entropy(weights))})

    fourier = []
    for height, width, decay in [(6, 6, 1.0), (5, 7, 1.0), (8, 5, 1.5), (28, 28, 1.0)]:
        columns = width // 2 + 1
        re = rng.standard_normal((height, columns))
        im = rng.standard_normal((height, columns))
        image = fourier_image(re, im, height, width, decay)
        fourier.append(
            {
                "height": height,
                "width": width,
                "decayPower": decay,
                "real": re.ravel().tolist(),
                "imaginary": im.ravel().tolist(),
                "image": image.ravel().tolist(),
            }
        )

    fixtures = {
        "scipyVersion": scipy.__version__,
        "numpyVersion": np.__version__,
        "fisher": fisher,
        "chi2": chi2,
        "bh": bh,
        "entropy": entropy,
        "fourier": fourier,
    }
    OUT.write_text(json.dumps(fixtures, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
