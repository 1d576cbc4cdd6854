"""NumPy reference for workloads of `cargo xtask bench` (issues 5 and 12).

* The two scans, `bifurcation_scan_2000x1256` and `basin_f1_512x512_1000` (issue 5): the same
  computations as eoslab-core's workloads (crate/core/src/benchmarks.rs), vectorised the way one
  would write them in NumPy: every η column (every grid point) is an element of an array and each
  GD step is a handful of whole-array operations written in place.
* The 10⁴-parameter MLP, `mlp_10k_gradient` and `mlp_10k_hvp` (issue 12): 64 → 100 → 40 → 10,
  tanh, biases, ½-MSE on one-hot classes, on the first 1,000 images of the core's digits file
  (pixels / 16, centred), LeCun-normal initial weights and biases (NumPy's generator, so not the
  core's numbers, but the same law). The gradient by backpropagation and the Hessian-vector product
  by forward-over-reverse differentiation (the R-operator, as in crate/core/src/objective/network/
  mlp.rs), along the core's direction v_i = (7919 i mod 1000)/500 − 1, written in plain NumPy with
  samples as rows: every product goes through BLAS (OpenBLAS, one thread).

Prints one JSON object per line, like the native bench:
    {"name": "bifurcation_scan_2000x1256", "median_ms": ..., "samples": ..., "numpy": "2.2.6"}
Run by `cargo xtask bench` when python3 with numpy is available; `--reps N` sets the repetitions
of the scans (the MLP's take 21, as natively), other words keep only the workloads whose names
contain one of them (`python3 bench/numpy_reference.py mlp`), `--check` prints a summary of the scans' results
(for comparing with the core by eye) and the MLP derivatives' errors against central differences.
"""

import json
import os
import sys
import time
from pathlib import Path

# One BLAS thread, as the core's one-thread workloads (set before numpy loads OpenBLAS).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

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


DIGITS = Path(__file__).resolve().parent.parent / "crate" / "core" / "data" / "digits.txt"
MLP_REPS = 21


def digits(n=1000):
    """The first n images of the core's digits file, pixels / 16 centred per pixel, and one-hot
    targets (crate/core/src/objective/network/digits.rs)."""
    lines = DIGITS.read_text().splitlines()[:n]
    labels = np.array([int(line.split()[0]) for line in lines])
    pixels = np.array([[int(c, 17) for c in line.split()[1]] for line in lines], dtype=np.float64) / 16.0
    pixels -= pixels.mean(axis=0)
    return pixels, np.eye(10)[labels]


class Mlp:
    """A tanh perceptron with biases and ½-MSE, samples as rows: loss = Σ ½(o − y)² / n."""

    def __init__(self, inputs, targets, hidden=(100, 40), seed=0):
        self.x, self.y = inputs, targets
        widths = [inputs.shape[1], *hidden, targets.shape[1]]
        rng = np.random.default_rng(seed)
        self.shapes = [(fan_out, fan_in) for fan_in, fan_out in zip(widths[:-1], widths[1:])]
        # Flat parameters in the core's order: W_l row by row, then b_l.
        self.theta = np.concatenate([rng.standard_normal(o * i + o) / np.sqrt(i) for o, i in self.shapes])
        self.v = ((np.arange(self.theta.size) * 7919) % 1000) / 500.0 - 1.0

    def unpack(self, flat):
        layers, at = [], 0
        for o, i in self.shapes:
            layers.append((flat[at:at + o * i].reshape(o, i), flat[at + o * i:at + o * i + o]))
            at += o * i + o
        return layers

    def value(self, theta):
        a = self.x
        layers = self.unpack(theta)
        for w, b in layers[:-1]:
            a = np.tanh(a @ w.T + b)
        w, b = layers[-1]
        return 0.5 * np.sum((a @ w.T + b - self.y) ** 2) / len(self.x)

    def gradient(self, theta):
        layers = self.unpack(theta)
        acts, slopes = [self.x], []
        for w, b in layers[:-1]:
            a = np.tanh(acts[-1] @ w.T + b)
            acts.append(a)
            slopes.append(1.0 - a * a)
        w, b = layers[-1]
        g = (acts[-1] @ w.T + b - self.y) / len(self.x)
        blocks = []
        for l in range(len(layers) - 1, -1, -1):
            blocks.append(np.concatenate([(g.T @ acts[l]).ravel(), g.sum(axis=0)]))
            if l > 0:
                g = (g @ layers[l][0]) * slopes[l - 1]
        return np.concatenate(blocks[::-1])

    def hessian_vector(self, theta, v):
        """Forward over reverse: R{·} = d/dt (·)(θ + tv) through both passes."""
        layers, directions = self.unpack(theta), self.unpack(v)
        acts, slopes, r_acts, r_pres = [self.x], [], [np.zeros_like(self.x)], []
        for (w, b), (vw, vb) in zip(layers[:-1], directions[:-1]):
            a = np.tanh(acts[-1] @ w.T + b)
            r_pre = acts[-1] @ vw.T + r_acts[-1] @ w.T + vb
            slope = 1.0 - a * a
            acts.append(a)
            slopes.append(slope)
            r_pres.append(r_pre)
            r_acts.append(slope * r_pre)
        (w, b), (vw, vb) = layers[-1], directions[-1]
        n = len(self.x)
        g = (acts[-1] @ w.T + b - self.y) / n
        rg = (acts[-1] @ vw.T + r_acts[-1] @ w.T + vb) / n
        blocks = []
        for l in range(len(layers) - 1, -1, -1):
            hw = rg.T @ acts[l]
            if l > 0:
                hw += g.T @ r_acts[l]
            blocks.append(np.concatenate([hw.ravel(), rg.sum(axis=0)]))
            if l > 0:
                w, vw = layers[l][0], directions[l][0]
                ga = g @ w
                rga = rg @ w + g @ vw
                a, slope = acts[l], slopes[l - 1]
                # σ″ = −2 tanh · σ′ for tanh.
                rg = slope * rga - 2.0 * a * slope * r_pres[l - 1] * ga
                g = ga * slope
        return np.concatenate(blocks[::-1])


def mlp_check():
    """Largest errors of the gradient and the HVP against central differences (relative to the
    largest entry), at the start, on 200 images (so that the differences are quick)."""
    net = Mlp(*digits(200))
    theta, v, h = net.theta, net.v, 1e-6
    g = net.gradient(theta)
    rows = np.random.default_rng(1).choice(theta.size, 40, replace=False)
    fd = np.array([(net.value(theta + h * np.eye(1, theta.size, i)[0]) - net.value(theta - h * np.eye(1, theta.size, i)[0])) / (2 * h) for i in rows])
    hv = net.hessian_vector(theta, v)
    fd_hv = (net.gradient(theta + h * v) - net.gradient(theta - h * v)) / (2 * h)
    return float(np.abs(g[rows] - fd).max() / np.abs(g).max()), float(np.abs(hv - fd_hv).max() / np.abs(hv).max())


def median_ms(fn, reps):
    fn()  # warm-up
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    return times[len(times) // 2]


def mlp_workloads():
    net = Mlp(*digits(1000))
    return {
        "mlp_10k_gradient": lambda: net.gradient(net.theta),
        "mlp_10k_hvp": lambda: net.hessian_vector(net.theta, net.v),
    }


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
        print("mlp: gradient and HVP errors against central differences", mlp_check())
        return
    runs = [(name, fn, reps) for name, fn in WORKLOADS.items()]
    runs += [(name, fn, MLP_REPS) for name, fn in mlp_workloads().items()]
    # Like the native bench, other words keep the workloads whose names contain one of them.
    words = [a for i, a in enumerate(argv) if not a.startswith("--") and (i == 0 or argv[i - 1] != "--reps")]
    for name, fn, count in runs:
        if words and not any(w in name for w in words):
            continue
        print(json.dumps({"name": name, "median_ms": round(median_ms(fn, count), 3), "samples": count,
                          "numpy": np.__version__}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
