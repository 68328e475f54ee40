#!/usr/bin/python3
"""Serving benchmark: byoe against the canonical Python stack, on this machine, in one session.

Peers (all trained on cal_housing with 100 rounds, depth 6, eta 0.1):
  python-shipped   nginx -> gunicorn (sync worker per core) -> Flask + pandas + XGBoost, as shipped
  python-1thread   the same with one thread per worker: XGBoost's nthread=1 and OMP_NUM_THREADS=1,
                   so that building the DMatrix does not start a thread per core either (the tuning
                   SageMaker's docs recommend; without it this peer is not tuned)
  byoe-xgboost     byoe serving an XGBoost-only artifact
  byoe-ensemble    byoe serving the XGBoost + CatBoost ensemble
Floors (GET, a constant answer): nginx alone, the Python stack's Flask, byoe's own server.

For every case wrk (one thread, keep-alive) sends text/csv bodies of 1, 100 or 1000 rows at
concurrency 1, 8 and 64 after a warm-up. Writes bench/serving-results.json, bench/serving.png and
prints a Markdown report. Usage: bench/serving.py [--duration SECONDS] [--data cal_housing.csv]
"""
import argparse
import importlib.util
import json
import os
import pathlib
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]
PEER = ROOT / "bench" / "peers" / "python"
PORT = 8080
JAR = ROOT / "dist" / "byoe.jar"
CONCURRENCY = [1, 8, 64]
ROWS = [1, 100, 1000]
JVM = ["-XX:+UseParallelGC", "-XX:MaxRAMPercentage=70", "-XX:-UsePerfData",
       "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"]
# The image's serving heap (docker/entrypoint.sh): half the memory, the young generation at most 1 GB
# (bench/young-generation.py). Until 2026-12-07 the plain-jar benchmarks served with 70% and no cap.
SERVE_HEAP_UNCAPPED = ["-XX:MaxRAMPercentage=50"]
SERVE_HEAP = [*SERVE_HEAP_UNCAPPED, "-XX:MaxNewSize=1024m"]

# Same-session baseline inside byoe for the Java tree walk: XGBoost4J's native predictor.
NATIVE_PREDICT = ["-Dbyoe.xgboost.nativePredict=true"]


def cpu():
    """The processor the figures were taken on: its model name and whether it has AVX-512 (byoe's vector
    kernels and the JIT pick code by register file, so figures from different kinds do not compare)."""
    info = pathlib.Path("/proc/cpuinfo").read_text()
    model = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")), "?")
    flags = next((line.split(":", 1)[1].split() for line in info.splitlines() if line.startswith("flags")), [])
    return {"model": model, "avx512": "avx512f" in flags}


def sibling(name):
    """A benchmark script of this folder as a module, for the ones whose file names are not identifiers
    (raw-logs.py)."""
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"), ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def memory_monitor():
    """Whether the kernel samples page access (DAMON's kdamond, which some virtual machines run to hand
    cold memory back to their host), and how often: each sample clears access bits in the page tables of
    whatever process owns the sampled pages, and a JVM touching gigabytes of heap stalls for tens of ms
    per sample (bench/RESULTS.md, "The raw-log endpoint's p99")."""
    admin = pathlib.Path("/sys/kernel/mm/damon/admin/kdamonds")
    found = []
    for kdamond in sorted(admin.glob("[0-9]*")):
        if (kdamond / "state").read_text().strip() != "on":
            continue
        for ctx in sorted((kdamond / "contexts").glob("[0-9]*")):
            intervals = ctx / "monitoring_attrs" / "intervals"
            actions = [(s / "action").read_text().strip() for s in sorted((ctx / "schemes").glob("[0-9]*"))]
            found.append({"operations": (ctx / "operations").read_text().strip(),
                          "sample_us": int((intervals / "sample_us").read_text()),
                          "aggregate_us": int((intervals / "aggr_us").read_text()), "schemes": actions})
    summary = "; ".join(f"DAMON {c['operations']} sampling every {c['sample_us'] / 1000:g} ms"
                        f"{', ' + '/'.join(c['schemes']) if c['schemes'] else ''}" for c in found)
    return {"damon": found, "summary": summary or "none"}


def describe_cpu(out):
    """'AMD EPYC ..., AVX2 only' from a result file's cpu entry; '' for files written before it existed."""
    c = out.get("cpu")
    return f", {c['model']}, {'AVX-512' if c['avx512'] else 'no AVX-512'}" if c else ""


def java():
    return subprocess.check_output([str(ROOT / "scripts" / "find-jdk")], text=True).strip() + "/bin/java"


def wait_healthy(url, timeout=120):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.005)
    raise RuntimeError("not healthy: " + url)


def start(kind, work, model=None, flags=(), extra_env=None, heap=tuple(SERVE_HEAP)):
    """Starts `kind` (python-* for the peer, anything else a byoe jar serving `model` with the JVM flags
    `heap` and `flags` and `extra_env` added to its environment) on PORT; the process and the seconds until its
    first healthy /ping."""
    env = {**os.environ, **(extra_env or {})}
    if kind.startswith("python"):
        env["MODEL_PATH"] = str(work / "peer" / "xgboost-model.json")
        if kind == "python-1thread":
            env["XGBOOST_NTHREAD"] = "1"
            env["OMP_NUM_THREADS"] = "1"
        proc = subprocess.Popen([str(PEER / "serve")], env=env, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    else:
        env["BYOE_ML_ROOT"] = str(model)
        env["SAGEMAKER_BIND_TO_PORT"] = str(PORT)
        proc = subprocess.Popen([java(), *JVM, *heap, *flags, "-jar", str(JAR), "serve"], env=env,
                                start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = wait_healthy(f"http://127.0.0.1:{PORT}/ping")
    return proc, seconds


def stop(proc):
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    time.sleep(0.5)


def group_pids(proc):
    out = subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


def cpu_seconds(pids):
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total / tick


def rss_mb(pids):
    total = 0
    for pid in pids:
        try:
            for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def wrk(path, body, conc, duration, work, content_type="text/csv"):
    script = work / "wrk.lua"
    if body is None:
        script.write_text("wrk.method = 'GET'\n")
    else:
        script.write_text(f"local f = io.open('{body}', 'rb')\nwrk.method = 'POST'\nwrk.body = f:read('*a')\n"
                          f"f:close()\nwrk.headers['Content-Type'] = '{content_type}'\n")
    cmd = ["wrk", "-t1", f"-c{conc}", f"-d{duration}s", "--latency", "--timeout", "10s", "-s", str(script),
           f"http://127.0.0.1:{PORT}{path}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(x) for x in m.groups())

    def pct(p):
        v, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(v) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return rps, pct(50), pct(99), errors


def warm_until_steady(body, conc, work, content_type="text/csv", limit=30, minimum=0):
    """1-second wrk runs on /invocations until three in a row agree within 3% (at least `minimum`
    and at most `limit` runs): the JIT's warm-up curve, returned so that a report can show it."""
    curve = []
    for _ in range(max(limit, minimum)):
        curve.append(wrk("/invocations", body, conc, 1, work, content_type)[0])
        if len(curve) >= max(4, minimum) and abs(curve[-1] - curve[-2]) <= 0.03 * curve[-2] \
                and abs(curve[-2] - curve[-3]) <= 0.03 * curve[-3]:
            break
    return curve


def warm_up_rule(minimum):
    """How warm_until_steady was told to stop, in words; 0 for result files written before the minimum."""
    settle = "three 1-second runs in a row agree within 3%"
    return f"at least {minimum} s and until {settle}" if minimum else f"until {settle}"


def warm_up_curves(curves, digits=0):
    """Each warm_until_steady curve as "name N s, first second -> median of the last five" (req/s)."""
    return [f"{name} {len(c)} s, {c[0]:,.{digits}f} -> {statistics.median(c[-5:]):,.{digits}f}"
            for name, c in curves.items()]


def measure(target, proc, path, body, rows, conc, duration, work):
    wrk(path, body, conc, 1, work)  # warm-up
    pids = group_pids(proc)
    cpu0 = cpu_seconds(pids)
    rps, p50, p99, errors = wrk(path, body, conc, duration, work)
    cpu = cpu_seconds(pids) - cpu0
    served_rows = rps * duration * max(rows, 1)
    return {"target": target, "rows": rows, "concurrency": conc, "rps": rps, "rows_per_s": rps * max(rows, 1),
            "p50_ms": p50, "p99_ms": p99, "errors": errors,
            "cpu_ms_per_1000_rows": 1000 * 1000 * cpu / served_rows if served_rows else None,
            "rss_mb": rss_mb(pids)}


def prepare(data, work):
    lines = pathlib.Path(data).read_text().splitlines()[1:]
    features = [line.rsplit(",", 1)[0] for line in lines]
    for n in ROWS:
        (work / f"body-{n}.csv").write_text("\n".join(features[:n]) + "\n")
    (work / "peer").mkdir()
    subprocess.run(["/usr/bin/python3", str(PEER / "train_model.py"), data, str(work / "peer" / "xgboost-model.json")],
                   check=True)
    models = {}
    for name, members in [("byoe-xgboost", "xgboost"), ("byoe-ensemble", "xgboost,catboost")]:
        ml = work / name
        (ml / "input" / "config").mkdir(parents=True)
        (ml / "input" / "data" / "train").mkdir(parents=True)
        shutil.copy(data, ml / "input" / "data" / "train" / "train.csv")
        (ml / "input" / "config" / "hyperparameters.json").write_text(json.dumps(
            {"members": members, "target_column": "-1", "num_round": "100", "max_depth": "6", "eta": "0.1",
             "k_fold": "2"}))
        subprocess.run([java(), *JVM, "-jar", str(JAR), "train"],
                       env={**os.environ, "BYOE_ML_ROOT": str(ml)}, check=True, stdout=subprocess.DEVNULL)
        models[name] = ml
    return models


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "tabular" / "cal_housing.csv"))
    parser.add_argument("--cold-starts", type=int, default=5)
    parser.add_argument("--cold-start-only", action="store_true",
                        help="only the cold starts, the targets taking turns start by start; they replace the"
                             " cold-start figures of bench/serving-results.json, with their own date")
    args = parser.parse_args()
    if not pathlib.Path(args.data).is_file():
        print(f"{args.data} not found; serving benchmark skipped.")
        return
    work = pathlib.Path(tempfile.mkdtemp(prefix="byoe-serving-"))
    models = prepare(args.data, work)
    results = []
    targets = ["python-shipped", "python-1thread", "byoe-xgboost", "byoe-ensemble"]
    starts = cold_starts(targets, work, models, args.cold_starts)
    cold = {t: statistics.median(s) for t, s in starts.items()}
    if args.cold_start_only:
        path = ROOT / "bench" / "serving-results.json"
        out = json.loads(path.read_text())
        out["cold_start_s"] = cold
        out["cold_start"] = cold_start_record(args.cold_starts, starts)
        path.write_text(json.dumps(out, indent=1) + "\n")
        for t, s in starts.items():
            print(f"{t}: median {cold[t]:.2f} s ({min(s):.2f}-{max(s):.2f}) in {len(s)} starts")
        shutil.rmtree(work, ignore_errors=True)
        return
    for target in targets:
        proc, _ = start(target, work, models.get(target))
        try:
            for rows in ROWS:
                for conc in CONCURRENCY:
                    r = measure(target, proc, "/invocations", work / f"body-{rows}.csv", rows, conc, args.duration, work)
                    results.append(r)
                    print(json.dumps(r), file=sys.stderr)
            if target in ("python-shipped", "byoe-xgboost"):
                floor = {"python-shipped": [("floor-nginx", "/nginx-constant"), ("floor-flask", "/constant")],
                         "byoe-xgboost": [("floor-byoe", "/ping")]}[target]
                for name, path in floor:
                    for conc in CONCURRENCY:
                        r = measure(name, proc, path, None, 0, conc, args.duration, work)
                        results.append(r)
                        print(json.dumps(r), file=sys.stderr)
        finally:
            stop(proc)
    # Same-session baseline for the Java tree walk: the XGBoost artifact served with native calls only.
    proc, _ = start("byoe-xgboost-native", work, models["byoe-xgboost"], NATIVE_PREDICT)
    try:
        for rows in (1, 1000):
            r = measure("byoe-xgboost-native", proc, "/invocations", work / f"body-{rows}.csv", rows, 8, args.duration, work)
            results.append(r)
            print(json.dumps(r), file=sys.stderr)
    finally:
        stop(proc)
    out = {"date": time.strftime("%Y-%m-%d"), "cores": os.cpu_count(), "duration_s": args.duration,
           "cold_start_s": cold, "cold_start": cold_start_record(args.cold_starts, starts), "results": results}
    (ROOT / "bench" / "serving-results.json").write_text(json.dumps(out, indent=1) + "\n")
    chart(results)
    print(report(out))
    shutil.rmtree(work, ignore_errors=True)


def cold_start_record(rounds, starts):
    """Every start's seconds per target, with the day and processor they were measured on."""
    return {"date": time.strftime("%Y-%m-%d"), "cpu": cpu(), "rounds": rounds, "seconds": starts}


def cold_starts(targets, work, models, rounds):
    """Seconds to the first healthy /ping per target, every target in turn in each round (a drifting machine
    treats them alike; until 2026-12-07 each target's starts followed each other)."""
    starts = {t: [] for t in targets}
    for _ in range(rounds):
        for target in targets:
            proc, seconds = start(target, work, models.get(target))
            starts[target].append(seconds)
            stop(proc)
    return starts


def find(results, target, rows, conc):
    return next(r for r in results if r["target"] == target and r["rows"] == rows and r["concurrency"] == conc)


def report(out):
    res = out["results"]
    lines = [f"## Serving: byoe against the Python stack ({out['date']}, {out['cores']} cores)", "",
             "`bench/serving.py` (in `make bench`): text/csv bodies from cal_housing, wrk with one thread and "
             f"keep-alive, {out['duration_s']} s per case after a 1 s warm-up, load generator on the same 2 cores. "
             "Ratios are byoe / python-1thread (the tuned peer) and byoe / python-shipped.", "",
             "| rows | conc | target | req/s | rows/s | p50 ms | p99 ms | errors | CPU ms / 1000 rows | RSS MB |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for rows in ROWS:
        for conc in CONCURRENCY:
            for t in ["python-shipped", "python-1thread", "byoe-xgboost", "byoe-ensemble"]:
                r = find(res, t, rows, conc)
                lines.append(f"| {rows} | {conc} | {t} | {r['rps']:,.0f} | {r['rows_per_s']:,.0f} | {r['p50_ms']:.2f} | "
                             f"{r['p99_ms']:.2f} | {r['errors']} | {r['cpu_ms_per_1000_rows']:.1f} | {r['rss_mb']:.0f} |")
    lines += ["", "| rows | conc | byoe-xgboost / python-1thread req/s | p99 ratio (byoe / python-1thread) | "
              "byoe-xgboost / python-shipped req/s | byoe-ensemble / python-1thread req/s |", "|---|---|---|---|---|---|"]
    for rows in ROWS:
        for conc in CONCURRENCY:
            b, e = find(res, "byoe-xgboost", rows, conc), find(res, "byoe-ensemble", rows, conc)
            p, s = find(res, "python-1thread", rows, conc), find(res, "python-shipped", rows, conc)
            lines.append(f"| {rows} | {conc} | {b['rps'] / p['rps']:.1f}x | {b['p99_ms'] / p['p99_ms']:.3f} | "
                         f"{b['rps'] / s['rps']:.1f}x | {e['rps'] / p['rps']:.1f}x |")
    lines += ["", "Change recorded: XGBoost's trees walked in Java instead of one XGBoost4J call per request "
              "(concurrency 8, same session; baseline = `-Dbyoe.xgboost.nativePredict=true`):", "",
              "| rows | native calls req/s | Java tree walk req/s | speed-up | p99 native ms | p99 Java ms |",
              "|---|---|---|---|---|---|"]
    for rows in (1, 1000):
        n, j = find(res, "byoe-xgboost-native", rows, 8), find(res, "byoe-xgboost", rows, 8)
        lines.append(f"| {rows} | {n['rps']:,.0f} | {j['rps']:,.0f} | {j['rps'] / n['rps']:.1f}x | {n['p99_ms']:.2f} | "
                     f"{j['p99_ms']:.2f} |")
    lines += ["", "Floors (GET answered with a constant):", "", "| floor | conc | req/s | p99 ms |", "|---|---|---|---|"]
    for name in ["floor-nginx", "floor-flask", "floor-byoe"]:
        for conc in CONCURRENCY:
            r = find(res, name, 0, conc)
            lines.append(f"| {name} | {conc} | {r['rps']:,.0f} | {r['p99_ms']:.2f} |")
    b8 = find(res, "byoe-xgboost", 1, 8)["rps"]
    lines += ["", f"Single-row requests at concurrency 8, byoe-xgboost: {b8 / find(res, 'floor-byoe', 0, 8)['rps']:.0%} "
              f"of byoe's own constant floor, {b8 / find(res, 'floor-nginx', 0, 8)['rps']:.0%} of nginx's.", "",
              "Cold start (process start to the first 200 on /ping, median of runs): " +
              ", ".join(f"{k} {v:.2f} s" for k, v in out["cold_start_s"].items()) + ".", "",
              "![throughput and p99 per case](serving.png)"]
    return "\n".join(lines)


def chart(results):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    targets = ["python-shipped", "python-1thread", "byoe-xgboost", "byoe-ensemble"]
    cases = [(rows, conc) for rows in ROWS for conc in CONCURRENCY]
    fig, axes = plt.subplots(2, 1, figsize=(12, 8))
    width = 0.2
    for i, t in enumerate(targets):
        xs = [k + (i - 1.5) * width for k in range(len(cases))]
        axes[0].bar(xs, [find(results, t, r, c)["rows_per_s"] for r, c in cases], width, label=t)
        axes[1].bar(xs, [find(results, t, r, c)["p99_ms"] for r, c in cases], width, label=t)
    labels = [f"{r} rows\nc={c}" for r, c in cases]
    for ax, title in [(axes[0], "rows per second (log scale)"), (axes[1], "p99 latency, ms (log scale)")]:
        ax.set_yscale("log")
        ax.set_xticks(range(len(cases)))
        ax.set_xticklabels(labels, fontsize=8)
        ax.set_title(title)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(ROOT / "bench" / "serving.png", dpi=90)


if __name__ == "__main__":
    main()
