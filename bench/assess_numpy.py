#!/usr/bin/python3
"""The peer of bench_assess: the same assessment computation written plainly in numpy.

Usage: assess_numpy.py SPEC.json  (written by bench_assess). Reads the column-major float64
values, runs every stage `reps` times, prints "stage median_seconds" lines, "total", and
"peak_mb" (resource.getrusage ru_maxrss), and writes the results of the last run as raw
binary: ahp, entropy and blended weights, the three score vectors (float64), and the stars by
thresholds and by quotas (int64). Formulas: docs/assessment-methods.md; numpy only, no scipy.
"""
import json
import resource
import sys
import time

import numpy as np


def ahp(n, a):
    """Principal eigenvector by power iteration from the uniform vector (as engines/assess)."""
    a = np.asarray(a, dtype=np.float64).reshape(n, n)
    w = np.full(n, 1.0 / n)
    for _ in range(1000):
        nxt = a @ w
        nxt /= nxt.sum()
        moved = np.abs(nxt - w).max()
        w = nxt
        if moved < 1e-13:
            break
    return w


def normalise(x, spec):
    """x: (k, m). Returns s in 0..1 with the direction applied, per the indicator's rule."""
    s = np.empty_like(x)
    for j, ind in enumerate(spec):
        col = x[j]
        kind, benefit = ind["normalisation"], ind["benefit"]
        if kind == "minmax_fixed":
            t = np.clip((col - ind["lower"]) / (ind["upper"] - ind["lower"]), 0, 1)
            s[j] = t if benefit else 1 - t
        elif kind == "minmax_data":
            lo, hi = col.min(), col.max()
            if hi == lo:
                s[j] = 1
            else:
                t = (col - lo) / (hi - lo)
                s[j] = t if benefit else 1 - t
        elif kind == "target":
            if benefit:
                s[j] = np.clip((col - ind["lower"]) / (ind["target"] - ind["lower"]), 0, 1)
            else:
                s[j] = np.clip((ind["upper"] - col) / (ind["upper"] - ind["target"]), 0, 1)
        else:  # zscore, population sd
            sd = col.std()
            if not sd > 0:
                s[j] = 0.5
            else:
                z = (col - col.mean()) / sd
                s[j] = np.clip(0.5 + (z if benefit else -z) / 6, 0, 1)
    return s


def entropy_weights(x):
    """Rules of weights.h: shift by a negative minimum, 0 ln 0 = 0, constant -> weight 0."""
    k, m = x.shape
    lo, hi = x.min(axis=1), x.max(axis=1)
    shifted = x - np.minimum(lo, 0)[:, None]
    p = shifted / shifted.sum(axis=1)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0.0)
    h = -plogp.sum(axis=1) / np.log(m)
    d = np.where(hi == lo, 0.0, np.maximum(0.0, 1 - h))
    return d / d.sum() if d.sum() > 0 else np.full(k, 1.0 / k)


def topsis(v, benefit):
    """v: weighted (k, m) matrix; ideal = max for benefit rows, min otherwise."""
    hi, lo = v.max(axis=1), v.min(axis=1)
    ideal = np.where(benefit, hi, lo)[:, None]
    anti = np.where(benefit, lo, hi)[:, None]
    d_plus = np.sqrt(((v - ideal) ** 2).sum(axis=0))
    d_minus = np.sqrt(((v - anti) ** 2).sum(axis=0))
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(d_plus == 0, 1.0, d_minus / (d_plus + d_minus))
    return 100 * c


def quota_stars(scores, shares):
    n = scores.size
    ordered = np.sort(scores)[::-1]
    cuts = np.full(len(shares), np.inf)
    cumulative = 0.0
    for b, share in enumerate(shares):
        cumulative += share
        count = min(n, int(np.floor(cumulative * n + 1e-9)))
        if count > 0:
            cuts[len(shares) - 1 - b] = ordered[count - 1]
    return 1 + np.searchsorted(cuts, scores, side="right")


def run(x, spec, cfg):
    times = {}
    c0 = time.process_time()
    t0 = time.perf_counter()
    mats = cfg["matrices"]
    top = ahp(mats[0]["n"], mats[0]["a"])
    w_ahp = np.concatenate([top[d] * ahp(mats[1 + d]["n"], mats[1 + d]["a"]) for d in range(5)])
    t1 = time.perf_counter()
    c1 = time.process_time()
    s = normalise(x, spec)
    t2 = time.perf_counter()
    c2 = time.process_time()
    w_ent = entropy_weights(x)
    alpha = cfg["alpha"]
    w_blend = alpha * w_ahp + (1 - alpha) * w_ent
    w_blend /= w_blend.sum()
    t3 = time.perf_counter()
    c3 = time.process_time()
    w = w_ahp / w_ahp.sum()
    wsum = 100 * (w[:, None] * s).sum(axis=0)
    t4 = time.perf_counter()
    c4 = time.process_time()
    benefit = np.array([ind["benefit"] for ind in spec])
    wb = w_blend / w_blend.sum()
    norm = np.sqrt((x * x).sum(axis=1))
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(norm[:, None] > 0, x / norm[:, None], 0.0)
    topsis_vec = topsis(wb[:, None] * r, benefit)
    t5 = time.perf_counter()
    c5 = time.process_time()
    topsis_mm = topsis(wb[:, None] * s, np.ones_like(benefit))
    t6 = time.perf_counter()
    c6 = time.process_time()
    stars_t = 1 + np.searchsorted(np.array(cfg["thresholds"]), wsum, side="right")
    stars_q = quota_stars(topsis_mm, cfg["shares"])
    t7 = time.perf_counter()
    c7 = time.process_time()
    marks = [t0, t1, t2, t3, t4, t5, t6, t7]
    cpus = [c0, c1, c2, c3, c4, c5, c6, c7]
    names = ["ahp", "normalise", "entropy", "wsum", "topsis_vec", "topsis_mm", "bands"]
    for i, name in enumerate(names):
        times[name] = marks[i + 1] - marks[i]
    times["total"] = t7 - t0
    for i, name in enumerate(names):
        times[name + "_cpu"] = cpus[i + 1] - cpus[i]
    times["total_cpu"] = cpus[-1] - cpus[0]
    return times, (w_ahp, w_ent, w_blend, wsum, topsis_vec, topsis_mm, stars_t, stars_q)


def main():
    with open(sys.argv[1]) as f:
        cfg = json.load(f)
    m, k = cfg["m"], cfg["k"]
    x = np.fromfile(cfg["data"], dtype=np.float64).reshape(k, m)
    spec = cfg["indicators"]
    runs = []
    for _ in range(cfg["reps"]):
        times, results = run(x, spec, cfg)
        runs.append(times)
    for name in runs[0]:
        print(name, float(np.median([t[name] for t in runs])))
    print("peak_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0)
    with open(cfg["out"], "wb") as f:
        for arr in results[:6]:
            np.asarray(arr, dtype=np.float64).tofile(f)
        for arr in results[6:]:
            np.asarray(arr, dtype=np.int64).tofile(f)


if __name__ == "__main__":
    main()
