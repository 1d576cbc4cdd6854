"""Benchmarks of the Python package (BENCHMARKS.md, "Issue 14"): the cost of eoslab.run around
the core for a small spec, and how soon Ctrl-C ends a long run.

    target/python-venv/bin/python bench/python.py     # after `cargo xtask test` built the wheel
"""

import json
import os
import signal
import statistics
import threading
import time

import eoslab
from eoslab import _native

SMALL = {"kind": "trajectory", "eta": 1.1, "x0": [0.5], "steps": 5}
# About five seconds of work on two cores.
LONG = {"kind": "basin", "eta": 0.45, "nx": 1024, "ny": 1024, "steps": 3000}


def median_us(call, repeats=2000):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def ctrl_c_latency_ms():
    sent = {}

    def press():
        sent["at"] = time.perf_counter()
        os.kill(os.getpid(), signal.SIGINT)

    threading.Timer(0.3, press).start()
    try:
        eoslab.run(LONG)
    except KeyboardInterrupt:
        return (time.perf_counter() - sent["at"]) * 1e3
    raise AssertionError("the run ended before Ctrl-C")


text = json.dumps(SMALL)
print(f"eoslab.run, small trajectory: {median_us(lambda: eoslab.run(SMALL)):.0f} µs (median of 2000)")
print(f"  of which the spec as JSON: {median_us(lambda: eoslab._run.spec_json(SMALL)):.1f} µs")
print(f"_native.run from JSON text: {median_us(lambda: _native.run(text)):.0f} µs")
latencies = []
for _ in range(5):
    latencies.append(ctrl_c_latency_ms())
    time.sleep(6)  # the abandoned computation finishes in the background first
print("Ctrl-C to KeyboardInterrupt:", ", ".join(f"{ms:.0f} ms" for ms in latencies))
