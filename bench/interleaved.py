#!/usr/bin/python3
"""Interleaved serving rounds: byoe and the tuned Python peer measured A, B, A, B ... (issue #23, goal 8).

A single side-by-side run on this shared 2-core VM moved byoe's 1000-row throughput 1.2-2.7x between
runs. Here every server is started once and given the same warm-up, at least 60 s of load and then
until its throughput settles (the warm-up curve is printed; a JIT keeps speeding up for about a
minute under 1000-row load, so a settle rule alone stopped servers at different points), then
each round measures every target on the same case back to back, in an order that alternates between rounds, with the machine's steal time and load average recorded beside
each measurement. The report gives, per case, the median of the per-round ratios and their spread
(min-max), so a ratio no longer rests on one lucky or unlucky minute.

Targets: python-1thread (nginx -> gunicorn -> Flask + pandas + XGBoost, nthread=1 and
OMP_NUM_THREADS=1), byoe-xgboost, byoe-ensemble, and two same-session baselines on the XGBoost
artifact: byoe-xgboost-native (-Dbyoe.xgboost.nativePredict=true, XGBoost4J's own predictor) and
byoe-xgboost-nodes (-Dbyoe.xgboost.walk=nodes, the node-by-node walk the padded walk replaced), and one on the
ensemble artifact: byoe-ensemble-catboost-native (-Dbyoe.catboost.nativePredict=true, catboost-prediction's
native call instead of the symmetric trees walked in Java) and byoe-ensemble-library-numbers
(-Dbyoe.csv.libraryNumbers=true: every request number parsed by FastDoubleParser rather than the short decimals'
own one-pass parse).
For byoe, the JVM's figures from its own GET /metrics are recorded beside each measurement:
collections and their pause time during the run, the heap in use after it, live threads.
Cases: text/csv bodies of 1 and 1000 cal_housing rows at concurrency 8 by default; --matrix runs
serving.py's whole matrix (1, 100 and 1000 rows at concurrency 1, 8 and 64) for the peer and the
two byoe models instead, into bench/interleaved-matrix-results.json.

--workers runs the ensemble with 2, 3, 6 and 8 invocations computing at once (BYOE_MAX_CONCURRENT_INVOCATIONS)
beside the default of two per core, into bench/interleaved-workers-results.json.

Usage: bench/interleaved.py [--matrix | --workers] [--rounds 5] [--duration 8] [--warm 60] [--data cal_housing.csv]
Writes bench/interleaved-results.json (or the matrix or workers file) and prints a Markdown report.
"""
import argparse
import json
import os
import pathlib
import statistics
import sys
import tempfile
import time
import shutil
import typing
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import serving  # noqa: E402  (same folder: its start/stop/wrk/measure helpers)

ROOT = serving.ROOT


class Target(typing.NamedTuple):
    """A server in the rounds: the port it listens on, the model it serves (None: the peer's own), the JVM
    flags that make it a same-session baseline, for a baseline the target it is compared with and what
    that comparison shows, and environment variables it is started with."""
    port: int
    model: str | None = None
    flags: tuple = ()
    compares: str | None = None
    shows: str = ""
    env: dict | None = None


# The peer's nginx listens on 8080; each byoe server gets its own port so that all run at once. Adding a
# baseline is one entry here.
TARGETS = {
    "python-1thread": Target(8080),
    "byoe-xgboost": Target(8081, "byoe-xgboost"),
    "byoe-ensemble": Target(8082, "byoe-ensemble"),
    "byoe-xgboost-native": Target(
        8083, "byoe-xgboost", ("-Dbyoe.xgboost.nativePredict=true",), "byoe-xgboost",
        "byoe-xgboost (padded tree walk) against XGBoost4J's native call"),
    "byoe-xgboost-nodes": Target(
        8084, "byoe-xgboost", ("-Dbyoe.xgboost.walk=nodes",), "byoe-xgboost",
        "byoe-xgboost (padded tree walk) against the node-by-node Java walk"),
    "byoe-ensemble-catboost-native": Target(
        8085, "byoe-ensemble", ("-Dbyoe.catboost.nativePredict=true",), "byoe-ensemble",
        "byoe-ensemble (CatBoost's symmetric trees walked in Java) against catboost-prediction's native call"),
    "byoe-ensemble-library-numbers": Target(
        8086, "byoe-ensemble", ("-Dbyoe.csv.libraryNumbers=true",), "byoe-ensemble",
        "byoe-ensemble (short decimals parsed in one pass) against FastDoubleParser for every number"),
}
DEFAULT_TARGETS = list(TARGETS)
# --workers: the ensemble with other numbers of invocations computing at once (BYOE_MAX_CONCURRENT_INVOCATIONS)
# than the default two per core, each compared with the default.
WORKER_COUNTS = (2, 3, 6, 8)
TARGETS.update({f"byoe-ensemble-workers-{n}": Target(
    8100 + n, "byoe-ensemble", (), "byoe-ensemble",
    f"byoe-ensemble (default: two invocations computing per core) against {n} computing at once",
    {"BYOE_MAX_CONCURRENT_INVOCATIONS": str(n)}) for n in WORKER_COUNTS})
WORKERS_TARGETS = ["byoe-ensemble", *(f"byoe-ensemble-workers-{n}" for n in WORKER_COUNTS)]
# Files written before a target existed list the ones they hold; these were the default then.
OLD_TARGETS = ["python-1thread", "byoe-xgboost", "byoe-ensemble", "byoe-xgboost-native", "byoe-xgboost-nodes"]
CASES = [(1, 8), (1000, 8)]
MATRIX_TARGETS = ["python-1thread", "byoe-xgboost", "byoe-ensemble"]
MATRIX_CASES = [(rows, conc) for rows in serving.ROWS for conc in serving.CONCURRENCY]


def cpu_times():
    """user+nice+system+..., and steal, in clock ticks, from the first line of /proc/stat."""
    fields = [int(x) for x in pathlib.Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return sum(fields), fields[7] if len(fields) > 7 else 0


def load_average():
    return float(pathlib.Path("/proc/loadavg").read_text().split()[0])


def at(target):
    serving.PORT = TARGETS[target].port


def jvm(target):
    """GC pauses (count, seconds), heap in use and eden committed (MB) and live threads from byoe's /metrics;
    None for the peer."""
    return jvm_at(TARGETS[target].port) if target.startswith("byoe") else None


def jvm_at(port):
    """As jvm(), for the byoe server on `port`."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        text = r.read().decode()
    pauses = seconds = heap = threads = eden = 0.0
    for line in text.splitlines():
        if line.startswith("#") or " " not in line:
            continue
        name, value = line.rsplit(" ", 1)
        if name.startswith("jvm_gc_pause_seconds_count"):
            pauses += float(value)
        elif name.startswith("jvm_gc_pause_seconds_sum"):
            seconds += float(value)
        elif name.startswith("jvm_memory_used_bytes") and 'area="heap"' in name:
            heap += float(value)
        elif name.startswith("jvm_threads_live_threads"):
            threads = float(value)
        elif name.startswith("jvm_memory_committed_bytes") and 'id="PS Eden Space"' in name:
            eden += float(value)
    return {"gc_pauses": pauses, "gc_pause_s": seconds, "heap_used_mb": heap / 2 ** 20, "threads": threads,
            "eden_committed_mb": eden / 2 ** 20}


def measure(target, procs, rows, conc, duration, work):
    at(target)
    total0, steal0 = cpu_times()
    load = load_average()
    before = jvm(target)
    r = serving.measure(target, procs[target], "/invocations", work / f"body-{rows}.csv", rows, conc, duration,
                        work)
    after = jvm(target)
    total1, steal1 = cpu_times()
    r["steal_pct"] = 100 * (steal1 - steal0) / max(1, total1 - total0)
    r["load_1m_before"] = load
    if after:
        # The measurement includes serving.measure's 1-s warm-up run.
        r.update(jvm_during(before, after))
    return r


def jvm_during(before, after):
    """What a run did to the JVM, from jvm() before and after it: collections, pause ms, heap, threads."""
    return {"gc_pauses": after["gc_pauses"] - before["gc_pauses"],
            "gc_pause_ms": 1000 * (after["gc_pause_s"] - before["gc_pause_s"]),
            "heap_used_mb": after["heap_used_mb"], "threads": after["threads"]}


def warm(port, work, rows=1000, conc=8, limit=30, minimum=0):
    """Warms the server on `port` until its throughput settles (serving.warm_until_steady); the curve."""
    serving.PORT = port
    return serving.warm_until_steady(work / f"body-{rows}.csv", conc, work, limit=limit, minimum=minimum)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--warm", type=int, default=60, help="seconds of load every server gets at least")
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "tabular" / "cal_housing.csv"))
    parser.add_argument("--matrix", action="store_true", help="serving.py's whole matrix, peer and byoe models")
    parser.add_argument("--workers", action="store_true",
                        help=f"the ensemble with {', '.join(map(str, WORKER_COUNTS))} invocations computing at once "
                             "against the default")
    args = parser.parse_args()
    targets, cases, name = (
        (MATRIX_TARGETS, MATRIX_CASES, "interleaved-matrix-results.json") if args.matrix
        else (WORKERS_TARGETS, CASES, "interleaved-workers-results.json") if args.workers
        else (DEFAULT_TARGETS, CASES, "interleaved-results.json"))
    if not pathlib.Path(args.data).is_file():
        print(f"{args.data} not found; interleaved benchmark skipped.")
        return
    work = pathlib.Path(tempfile.mkdtemp(prefix="byoe-interleaved-"))
    models = serving.prepare(args.data, work)
    procs, warmup = {}, {}
    try:
        for t in targets:
            at(t)
            procs[t], _ = serving.start(t, work, models.get(TARGETS[t].model), TARGETS[t].flags, TARGETS[t].env)
        for t in targets:
            warmup[t] = warm(TARGETS[t].port, work, limit=2 * args.warm, minimum=args.warm)
            print(json.dumps({"warm-up": t, "rps_per_second": warmup[t]}), file=sys.stderr)
        results = []
        for rnd in range(args.rounds):
            order = targets if rnd % 2 == 0 else list(reversed(targets))
            for rows, conc in cases:
                for t in order:
                    r = measure(t, procs, rows, conc, args.duration, work)
                    r["round"] = rnd + 1
                    results.append(r)
                    print(json.dumps(r), file=sys.stderr)
    finally:
        for p in procs.values():
            serving.stop(p)
    out = {"date": time.strftime("%Y-%m-%d"), "cores": os.cpu_count(), "cpu": serving.cpu(), "memory_monitor": serving.memory_monitor(), "duration_s": args.duration,
           "rounds": args.rounds, "warm_minimum_s": args.warm, "targets": targets, "cases": cases, "warmup_rps": warmup, "results": results}
    (ROOT / "bench" / name).write_text(json.dumps(out, indent=1) + "\n")
    print(report(out))
    shutil.rmtree(work, ignore_errors=True)


def pick(results, target, rows, rnd, conc=8):
    return next(r for r in results if r["target"] == target and r["rows"] == rows and r["round"] == rnd
                and r["concurrency"] == conc)


def report(out):
    res, rounds = out["results"], out["rounds"]
    # Files written before the matrix option name neither; they hold the default targets and cases.
    targets = out.get("targets", OLD_TARGETS)
    cases = [tuple(c) for c in out.get("cases", CASES)]
    matrix = cases == MATRIX_CASES
    workers = "python-1thread" not in targets
    title, command = (
        ("Interleaved serving rounds, serving.py's whole matrix", "bench/interleaved.py --matrix") if matrix
        else ("Interleaved serving rounds, invocations computing at once", "bench/interleaved.py --workers") if workers
        else ("Interleaved serving rounds", "bench/interleaved.py"))
    lines = [f"## {title} ({out['date']}, {out['cores']} cores{serving.describe_cpu(out)}; issue #23, goal 8)", "",
             f"`/usr/bin/python3 {command}` (in `make bench`): every server started once and warmed "
             f"{serving.warm_up_rule(out.get('warm_minimum_s', 0))}, then {rounds} rounds of {out['duration_s']} s per "
             "target and case, the targets' order reversed every other round; wrk with one thread on the same "
             "2 cores. Steal is the share of the machine's CPU time the hypervisor took during the run.", "",
             "Warm-up (1000-row bodies, concurrency 8; req/s in its first second -> median of its last five): " +
             "; ".join(serving.warm_up_curves(out["warmup_rps"])) + ".", "",
             "GC: collections (pause ms in total) during the run and its 1-s warm-up; heap: MB in use after it; "
             "threads: live JVM threads (byoe's own /metrics; the peer has none).", "",
             "| round | rows | concurrency | target | req/s | rows/s | p99 ms | RSS MB | GC | heap MB | threads | steal % | load 1m |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for rnd in range(1, rounds + 1):
        for rows, conc in cases:
            for t in targets:
                r = pick(res, t, rows, rnd, conc)
                gc = f"{r['gc_pauses']:.0f} ({r['gc_pause_ms']:.0f})" if "gc_pauses" in r else "-"
                heap = f"{r['heap_used_mb']:.0f}" if "heap_used_mb" in r else "-"
                threads = f"{r['threads']:.0f}" if "threads" in r else "-"
                lines.append(f"| {rnd} | {rows} | {conc} | {t} | {r['rps']:,.0f} | {r['rows_per_s']:,.0f} | {r['p99_ms']:.2f} | "
                             f"{r['rss_mb']:.0f} | {gc} | {heap} | {threads} | {r['steal_pct']:.1f} | "
                             f"{r['load_1m_before']:.2f} |")
    if not workers:
        lines += ["", "Ratios per round against python-1thread (the tuned peer), median and spread:", "",
                  "| rows | concurrency | target | median ratio | min-max | median rows/s | median p99 ms |",
                  "|---|---|---|---|---|---|---|"]
    for rows, conc in ([] if workers else cases):
        for t in [x for x in targets if x != "python-1thread"]:
            ratios = [pick(res, t, rows, k, conc)["rps"] / pick(res, "python-1thread", rows, k, conc)["rps"]
                      for k in range(1, rounds + 1)]
            mine = [pick(res, t, rows, k, conc) for k in range(1, rounds + 1)]
            lines.append(f"| {rows} | {conc} | {t} | {statistics.median(ratios):.2f}x | {min(ratios):.2f}-{max(ratios):.2f}x | "
                         f"{statistics.median(r['rows_per_s'] for r in mine):,.0f} | "
                         f"{statistics.median(r['p99_ms'] for r in mine):.2f} |")
    for baseline in targets:
        target, what = TARGETS[baseline].compares, TARGETS[baseline].shows
        if target is None or target not in targets:
            continue
        walk = []
        for rows, conc in cases:
            ratios = [pick(res, target, rows, k, conc)["rps"] / pick(res, baseline, rows, k, conc)["rps"]
                      for k in range(1, rounds + 1)]
            p99 = [pick(res, target, rows, k, conc)["p99_ms"] / pick(res, baseline, rows, k, conc)["p99_ms"]
                   for k in range(1, rounds + 1)]
            walk.append(f"{rows} row(s): {statistics.median(ratios):.2f}x ({min(ratios):.2f}-{max(ratios):.2f}x)"
                        + (f", p99 {statistics.median(p99):.2f}x" if workers else ""))
        lines += ["", f"{what}, same artifact, per round (median, spread): " + "; ".join(walk) + "."]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
