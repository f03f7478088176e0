#!/usr/bin/env python3
"""numpy (OpenBLAS) reference for `tabcorr bench kernels`: GFLOP/s of a @ b, a.T @ b and a @ b.T
on the kernel benchmark's shapes, with 1 and 2 BLAS threads, printed as the same table or JSON.

Each thread count runs in its own child process with OPENBLAS_NUM_THREADS set before numpy loads,
so OpenBLAS never resizes its pool mid-run; threadpoolctl reports the kernel OpenBLAS picked.
Run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, or OpenBLAS may not use its best kernel:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python scripts/bench/numpy_gemm.py [--json]
"""
import json
import os
import subprocess
import sys
import time

# (m, k, n), as in Sources/TensorKit/Bench/KernelBenchmark.swift
SHAPES = [(500, 128, 256), (500, 256, 256), (500, 256, 30), (1024, 1024, 1024), (16, 15000, 48)]
THREADS = [1, 2]
REPEATS = 15


def best_seconds(run):
    """Best of REPEATS timings, each >= 2 ms (as the Swift benchmark): long enough to swamp timer
    resolution, short enough that on a shared machine some run undisturbed."""
    run()  # warm-up: first-touch pages, OpenBLAS buffers
    start = time.perf_counter()
    run()
    once = max(time.perf_counter() - start, 1e-7)
    inner = max(1, int(0.002 / once))
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(inner):
            run()
        best = min(best, (time.perf_counter() - start) / inner)
    return best


def measure(threads):
    """Runs in a child process whose OPENBLAS_NUM_THREADS is `threads`."""
    import numpy as np
    from threadpoolctl import threadpool_info

    info = [i for i in threadpool_info() if i.get("internal_api") == "openblas"]
    rng = np.random.default_rng(0)
    rows = []
    for m, k, n in SHAPES:
        a = rng.standard_normal((m, k), dtype=np.float32)
        b = rng.standard_normal((k, n), dtype=np.float32)
        a_t = np.ascontiguousarray(a.T)  # stored k×m, so a_t.T @ b is the Aᵀ·B form
        b_t = np.ascontiguousarray(b.T)  # stored n×k, so a @ b_t.T is the A·Bᵀ form
        out = np.empty((m, n), dtype=np.float32)
        forms = [
            ("A·B", lambda: np.matmul(a, b, out=out)),
            ("Aᵀ·B", lambda: np.matmul(a_t.T, b, out=out)),
            ("A·Bᵀ", lambda: np.matmul(a, b_t.T, out=out)),
        ]
        flops = 2.0 * m * n * k
        for op, run in forms:
            seconds = best_seconds(run)
            rows.append({"op": op, "m": m, "k": k, "n": n, "threads": threads,
                         "gflops": round(flops / seconds / 1e9, 2)})
    return {"rows": rows, "openblas": info}


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(measure(int(sys.argv[2]))))
        return
    as_json = "--json" in sys.argv
    rows, kernels = [], []
    for threads in THREADS:
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))
        out = subprocess.run([sys.executable, __file__, "--child", str(threads)], env=env,
                             check=True, capture_output=True, text=True).stdout
        result = json.loads(out)
        rows += result["rows"]
        kernels += [(threads, i.get("architecture"), i.get("version"), i.get("num_threads"))
                    for i in result["openblas"]]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for threads, arch, version, count in kernels:
        print(f"OpenBLAS {version}, kernel {arch}, {count} thread(s)  "
              f"[OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}]")
    print(f"{'op':<6} {'m':>5} {'k':>5} {'n':>5} {'threads':>7} {'GFLOP/s':>9}")
    for r in rows:
        print(f"{r['op']:<6} {r['m']:>5} {r['k']:>5} {r['n']:>5} {r['threads']:>7} {r['gflops']:>9.1f}")


if __name__ == "__main__":
    main()
