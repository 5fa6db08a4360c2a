"""Shared timing for the PyTorch peers of `netatlas bench`: warm-up calls, then the median of
timed calls, printed as the one JSON object the bench reads."""
import json
import time


def report_median(step, repetitions, warmup, torch_version, threads):
    for _ in range(warmup):
        step()
    samples = []
    for _ in range(repetitions):
        start = time.perf_counter()
        step()
        samples.append(time.perf_counter() - start)
    samples.sort()
    print(json.dumps({"torch": torch_version, "threads": threads, "seconds": samples[len(samples) // 2]}))
