"""NumPy reference for the two scan workloads of `cargo xtask bench` (issue 5).

The same computations as eoslab-core's `bifurcation_scan_2000x1256` and `basin_f1_512x512_1000`
workloads (crate/core/src/benchmarks.rs), vectorised the way one would write them in NumPy: every
η column (every grid point) is an element of an array and each GD step is a handful of whole-array
operations written in place. Prints one JSON object per line, like the native bench:
    {"name": "bifurcation_scan_2000x1256", "median_ms": ..., "samples": ..., "numpy": "2.2.6"}
Run by `cargo xtask bench` when python3 with numpy is available; `--reps N` sets the repetitions,
`--check` prints a summary of the results instead (for comparing with the core by eye).
"""

import json
import sys
import time

import numpy as np

RADIUS2 = 1e8 * 1e8  # the core's divergence radius, squared
MAX_SAMPLE_PERIOD = 64


def bifurcation(eta_min=0.05, eta_max=2.0, n=2000, transient=1000, record=256, x0=0.5, mu=1.0):
    """Double-well GD x <- x - eta*x*(x^2 - mu) for n etas from one start: transient, then `record`
    samples, the Lyapunov exponent (mean log|1 - eta*f''(x)|) and the sample period."""
    eta = eta_min + (eta_max - eta_min) / (n - 1) * np.arange(n)
    x = np.full(n, x0)
    diverged_at = np.zeros(n, dtype=np.int64)
    nxt = np.empty(n)
    tmp = np.empty(n)
    ok = np.empty(n, dtype=bool)

    def step(k):
        np.multiply(x, x, out=tmp)
        np.subtract(tmp, mu, out=tmp)
        np.multiply(tmp, x, out=tmp)
        np.multiply(tmp, eta, out=tmp)
        np.subtract(x, tmp, out=nxt)
        np.multiply(nxt, nxt, out=tmp)
        np.less_equal(tmp, RADIUS2, out=ok)
        diverged_at[(~ok) & (diverged_at == 0)] = k
        np.copyto(x, nxt, where=ok)

    for k in range(1, transient + 1):
        step(k)
    samples = np.empty((record, n))
    logsum = np.zeros(n)
    with np.errstate(divide="ignore"):
        for k in range(record):
            np.multiply(x, x, out=tmp)
            tmp *= 3.0
            tmp -= mu
            tmp *= eta
            np.subtract(1.0, tmp, out=tmp)
            np.abs(tmp, out=tmp)
            logsum += np.log(tmp)
            step(transient + k + 1)
            samples[k] = x
    lyapunov = logsum / record
    period = sample_period(samples)
    return samples, period, diverged_at, lyapunov


def sample_period(samples):
    """Smallest p <= 64 with samples[i + p] == samples[i] to 1e-9 relative for every i (0: none)."""
    record, n = samples.shape
    period = np.zeros(n, dtype=np.int64)
    for p in range(1, min(MAX_SAMPLE_PERIOD, record // 2) + 1):
        close = np.all(np.abs(samples[p:] - samples[:-p]) <= 1e-9 * (1.0 + np.abs(samples[:-p])), axis=0)
        period[(period == 0) & close] = p
    return period


def basin_f1(n=512, steps=1000, eta=0.95, lo=-0.5, hi=0.5, tol=1e-10):
    """f1 = x^2 + y^2 + x^2 y + x^3 + y^3 (paper 004 eq. 43) from an n x n grid of starts: steps to
    convergence, divergence, and whether the loss ever rose (stable vs unstable convergence).
    Points that finished are dropped from the active arrays every step."""
    axis = np.linspace(lo, hi, n)
    gy, gx = np.meshgrid(axis, axis, indexing="ij")
    x, y = gx.ravel().copy(), gy.ravel().copy()
    idx = np.arange(n * n)
    loss = x * x + y * y + x * x * y + x ** 3 + y ** 3
    increased = np.zeros(n * n, dtype=bool)
    status = np.zeros(n * n, dtype=np.int8)  # 0 running, 1 converged, 2 diverged
    finished_at = np.zeros(n * n, dtype=np.int64)
    rose = np.zeros(n * n, dtype=bool)
    for k in range(1, steps + 1):
        x2 = x * x
        gxv = 2.0 * x + 2.0 * x * y + 3.0 * x2
        gyv = 2.0 * y + x2 + 3.0 * y * y
        nx = x - eta * gxv
        ny = y - eta * gyv
        r2 = nx * nx + ny * ny
        div = ~(r2 <= RADIUS2)
        nx2 = nx * nx
        new_loss = nx2 + ny * ny + nx2 * ny + nx2 * nx + ny * ny * ny
        rose_now = new_loss > loss + 1e-14 * (1.0 + np.abs(loss))
        rose[idx[rose_now]] = True
        dx = nx - x
        dy = ny - y
        conv = (dx * dx + dy * dy) <= (tol * (1.0 + np.sqrt(r2))) ** 2
        done = div | conv
        status[idx[conv & ~div]] = 1
        status[idx[div]] = 2
        finished_at[idx[done]] = k
        keep = ~done
        x, y, loss, idx = nx[keep], ny[keep], new_loss[keep], idx[keep]
        if idx.size == 0:
            break
    return status, finished_at, rose


def median_ms(fn, reps):
    fn()  # warm-up
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    return times[len(times) // 2]


WORKLOADS = {
    "bifurcation_scan_2000x1256": bifurcation,
    "basin_f1_512x512_1000": basin_f1,
}


def main(argv):
    reps = 5
    if "--reps" in argv:
        reps = int(argv[argv.index("--reps") + 1])
    if "--check" in argv:
        samples, period, diverged_at, lyapunov = bifurcation()
        print("bifurcation: periodic", int((period > 0).sum()), "diverged", int((diverged_at > 0).sum()),
              "lyapunov>0", int((lyapunov > 0).sum()))
        status, finished_at, rose = basin_f1()
        print("basin: converged", int((status == 1).sum()), "diverged", int((status == 2).sum()),
              "unstable", int(((status == 1) & rose).sum()), "mean steps", float(finished_at.mean()))
        return
    for name, fn in WORKLOADS.items():
        print(json.dumps({"name": name, "median_ms": round(median_ms(fn, reps), 3), "samples": reps,
                          "numpy": np.__version__}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
