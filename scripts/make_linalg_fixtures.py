#!/usr/bin/env python3
"""Writes Tests/TensorsTests/Fixtures/linalg_fixtures.json, the reference values for
LinearAlgebraTests and RandomTests.

Linear algebra references come from numpy/scipy. Random references come from an independent
Python re-implementation of SplitMix64, xoshiro256** and the sampling helpers of
Sources/Tensors/RandomSampling.swift, so the Swift golden values are checked against a second
implementation. 64-bit integers are written as decimal strings so that no JSON reader can round
them. Run from the package root: python3 scripts/make_linalg_fixtures.py
"""
import json
import math
import os

import numpy as np
import scipy.linalg

MASK = (1 << 64) - 1
OUTPUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "TensorsTests", "Fixtures", "linalg_fixtures.json")


# --- Random: independent re-implementation -------------------------------------------------

def mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        return mix64(self.state)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


class Xoshiro256StarStar:
    JUMP = [0x180EC6D33CFD0ABA, 0xD5A61266F0C9392C, 0xA9582618E03FC9AA, 0x39ABDC4529B1661C]

    def __init__(self, seed=None, state=None):
        if state is None:
            sm = SplitMix64(seed)
            state = [sm.next() for _ in range(4)]
        self.s = list(state)
        if not any(self.s):
            self.s[0] = 1

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def split(self):
        return Xoshiro256StarStar(state=[mix64(self.next()) for _ in range(4)])

    def jump(self):
        t = [0, 0, 0, 0]
        for word in self.JUMP:
            for bit in range(64):
                if word & (1 << bit):
                    t = [a ^ b for a, b in zip(t, self.s)]
                self.next()
        self.s = t

    # Sampling helpers (mirroring RandomSampling.swift).
    def below(self, bound):
        product = self.next() * bound
        low = product & MASK
        if low < bound:
            threshold = ((1 << 64) - bound) % bound
            while low < threshold:
                product = self.next() * bound
                low = product & MASK
        return product >> 64

    def uniform_double(self):
        return (self.next() >> 11) * 2.0 ** -53

    def uniform_float_bits(self):
        # Exact as a float32: a multiple of 2^-24 below 1.
        return (self.next() >> 40) * 2.0 ** -24

    def normal_pair(self):
        while True:
            u = 2 * self.uniform_double() - 1
            v = 2 * self.uniform_double() - 1
            s = u * u + v * v
            if s >= 1 or s == 0:
                continue
            factor = math.sqrt(-2 * math.log(s) / s)
            return u * factor, v * factor

    def permutation(self, n):
        values = list(range(n))
        for i in range(n):
            j = i + self.below(n - i)
            values[i], values[j] = values[j], values[i]
        return values

    def sample(self, k, n):
        displaced = {}
        result = []
        for i in range(k):
            j = i + self.below(n - i)
            result.append(displaced.get(j, j))
            displaced[j] = displaced.get(i, i)
        return result


def strings(values):
    return [str(v) for v in values]


def random_fixtures():
    seed = 42
    sm = SplitMix64(0)
    fixtures = {
        "seed": seed,
        "splitMix64Seed0": strings(sm.next() for _ in range(4)),
    }
    g = Xoshiro256StarStar(seed)
    fixtures["next"] = strings(g.next() for _ in range(8))
    g = Xoshiro256StarStar(seed)
    fixtures["uniformDouble"] = [g.uniform_double() for _ in range(6)]
    g = Xoshiro256StarStar(seed)
    fixtures["uniformFloat"] = [g.uniform_float_bits() for _ in range(6)]
    g = Xoshiro256StarStar(seed)
    fixtures["below10"] = [g.below(10) for _ in range(20)]
    # A bound just above 2^63 rejects about half of all draws, exercising the rejection loop.
    big = (1 << 63) + 1
    g = Xoshiro256StarStar(seed)
    fixtures["belowLarge"] = {"bound": str(big), "values": strings(g.below(big) for _ in range(8))}
    g = Xoshiro256StarStar(seed)
    fixtures["permutation10"] = g.permutation(10)
    g = Xoshiro256StarStar(seed)
    fixtures["sample5Of1000"] = g.sample(5, 1000)
    g = Xoshiro256StarStar(seed)
    normals = []
    for _ in range(4):
        normals.extend(g.normal_pair())
    fixtures["standardNormalPairs"] = normals
    g = Xoshiro256StarStar(seed)
    child = g.split()
    fixtures["split"] = {
        "child": strings(child.next() for _ in range(4)),
        "parentAfter": strings(g.next() for _ in range(2)),
    }
    g = Xoshiro256StarStar(seed)
    g.jump()
    fixtures["afterJump"] = strings(g.next() for _ in range(4))
    return fixtures


# --- Linear algebra: numpy / scipy references -----------------------------------------------

def matrix(a):
    a = np.asarray(a, dtype=np.float64)
    return {"shape": list(a.shape), "data": [float(x) for x in a.ravel()]}


def linalg_fixtures():
    rng = np.random.default_rng(2024)
    b = rng.standard_normal((6, 6))
    symmetric = (b + b.T) / 2
    all_values = np.linalg.eigvalsh(symmetric)
    index_values = scipy.linalg.eigh(symmetric, eigvals_only=True, subset_by_index=[1, 3])
    # An interval whose bounds sit midway between eigenvalues, so rounding cannot move one across.
    low = (all_values[1] + all_values[2]) / 2
    high = (all_values[4] + all_values[5]) / 2
    value_values = scipy.linalg.eigh(symmetric, eigvals_only=True, subset_by_value=(low, high))
    tall = rng.standard_normal((7, 4))
    wide = rng.standard_normal((4, 7))
    c = rng.standard_normal((5, 5))
    spd = c @ c.T + 5 * np.eye(5)
    general = rng.standard_normal((5, 5)) + 3 * np.eye(5)
    rhs = rng.standard_normal((5, 2))
    return {
        "symmetric": matrix(symmetric),
        "eigenvaluesAll": [float(x) for x in all_values],
        "eigenvaluesIndices1To4": [float(x) for x in index_values],
        "valueInterval": [float(low), float(high)],
        "eigenvaluesInInterval": [float(x) for x in value_values],
        "tall": matrix(tall),
        "tallSingularValues": [float(x) for x in np.linalg.svd(tall, compute_uv=False)],
        "wide": matrix(wide),
        "wideSingularValues": [float(x) for x in np.linalg.svd(wide, compute_uv=False)],
        "positiveDefinite": matrix(spd),
        "choleskyFactor": matrix(np.linalg.cholesky(spd)),
        "general": matrix(general),
        "rightHandSide": matrix(rhs),
        "solution": matrix(np.linalg.solve(general, rhs)),
        "vectorSolution": [float(x) for x in np.linalg.solve(general, rhs[:, 0])],
    }


def main():
    fixtures = {"linearAlgebra": linalg_fixtures(), "random": random_fixtures()}
    # Sanity check against the published SplitMix64 reference output for seed 0.
    assert fixtures["random"]["splitMix64Seed0"][0] == str(0xE220A8397B1DCDAF)
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w") as f:
        json.dump(fixtures, f, indent=1)
        f.write("\n")
    print("wrote", os.path.normpath(OUTPUT))


if __name__ == "__main__":
    main()
