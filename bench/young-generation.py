#!/usr/bin/python3
"""How big serving's young generation should be (issue #23, goals 4 and 8): byoe serving the same
model with the collector's adaptive young generation (the image's setting until 2026-12-07) and
with its upper bound capped, interleaved round by round, for two loads:

- raw HDFS log lines (the PCA + supervised log model of bench/raw-logs.py, 5,000-line text/plain
  bodies, concurrency 2), which allocate ~4 KB per line;
- the tabular XGBoost + CatBoost ensemble of bench/serving.py (1000-row text/csv bodies,
  concurrency 8).

Every server of a load runs at once on its own port (idle while another is measured), each is
warmed until its throughput settles (at least --warm s), and then every round measures each in
turn, the order rotating round by round. Per run: requests/s, p50 and p99 (wrk), the collections
and their pauses (the server's /metrics, read as bench/interleaved.py reads them), the machine's steal
time and load, and after the rounds the young generation's committed
size and the process's resident memory. The heap is the image's serving heap, 50% of the machine.

The machine's memory monitor is recorded beside the figures: a kernel that samples page access
(DAMON's kdamond) every 500 ms stalls a process whose threads touch gigabytes, which is what
showed up as the raw-log endpoint's p99 of 6x its p50 (bench/RESULTS.md).

Usage: bench/young-generation.py [--data ../shared/data] [--rounds 5] [--duration 10] [--warm 30]
                                 [--caps 512,1024] [--loads logs,tabular]
Writes bench/young-generation-results.json (bench/young-generation-<caps>-results.json for other caps)
and prints a Markdown section.
"""
import argparse
import json
import os
import pathlib
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import interleaved  # noqa: E402  (same folder: the JVM's /metrics, steal and load per run)
import serving  # noqa: E402  (same folder: its start/stop/wrk helpers)

ROOT = serving.ROOT
DEFAULT_CAPS = "512,1024"
FIRST_PORT = 8100


def caps(megabytes):
    """Configuration name -> JVM flags: the adaptive young generation and one cap per size (MB)."""
    return {"adaptive": [], **{f"young <= {mb} MB": [f"-XX:MaxNewSize={mb}m"] for mb in megabytes.split(",")}}


def measure_load(name, model, body, content_type, conc, rows_per_body, args, work):
    servers = {}
    try:
        for i, (cap, flags) in enumerate(caps(args.caps).items()):
            serving.PORT = FIRST_PORT + i
            proc, _ = serving.start(f"young-{i}", work, model, flags, heap=serving.SERVE_HEAP_UNCAPPED)
            servers[cap] = (serving.PORT, proc)
        warm = {}
        for cap, (port, _) in servers.items():
            serving.PORT = port
            warm[cap] = serving.warm_until_steady(body, conc, work, content_type, limit=2 * args.warm,
                                                  minimum=args.warm)
        runs = {cap: [] for cap in servers}
        order = list(servers)
        for r in range(args.rounds):
            for cap in order[r % len(order):] + order[:r % len(order)]:
                port, proc = servers[cap]
                serving.PORT = port
                serving.wrk("/invocations", body, conc, 2, work, content_type)
                before, (total0, steal0) = interleaved.jvm_at(port), interleaved.cpu_times()
                load = interleaved.load_average()
                rps, p50, p99, errors = serving.wrk("/invocations", body, conc, args.duration, work, content_type)
                after, (total1, steal1) = interleaved.jvm_at(port), interleaved.cpu_times()
                if errors:
                    raise SystemExit(f"{name}, {cap}: {errors} failed requests")
                during = interleaved.jvm_during(before, after)
                runs[cap].append({"round": r, "rows_per_s": rps * rows_per_body, "p50_ms": p50, "p99_ms": p99,
                                  "collections": during["gc_pauses"], "pause_ms": during["gc_pause_ms"],
                                  "steal_pct": 100 * (steal1 - steal0) / max(1, total1 - total0),
                                  "load_1m_before": load, "eden_committed_mb": after["eden_committed_mb"]})
        rss = {cap: serving.rss_mb(serving.group_pids(proc)) for cap, (_, proc) in servers.items()}
        return {"concurrency": conc, "rows_per_body": rows_per_body, "warmup_requests_per_s": warm,
                "runs": runs, "rss_mb_after": rss}
    finally:
        for _, proc in servers.values():
            serving.stop(proc)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warm", type=int, default=30, help="seconds of load every server gets at least")
    parser.add_argument("--caps", default=DEFAULT_CAPS, help="young-generation caps to measure, MB, comma-separated")
    parser.add_argument("--loads", default="logs,tabular", help="which loads: logs, tabular or both")
    args = parser.parse_args()
    raw_logs = serving.sibling("raw-logs")
    log, labels = raw_logs.hdfs_files(args.data)
    tabular = pathlib.Path(args.data) / "tabular" / "cal_housing.csv"
    if not log.is_file() or not tabular.is_file():
        print(f"{log} or {tabular} not found; young-generation benchmark skipped.")
        return
    work = pathlib.Path(tempfile.mkdtemp(prefix="byoe-young-"))
    chunk = work / "chunk.log"
    chunk.write_bytes(raw_logs.chunk_bodies(log)[0][0])
    loads = {}
    if "logs" in args.loads:
        model = raw_logs.train(log, labels, work)["pca-supervised"]
        loads["raw log lines, PCA + supervised"] = measure_load(
            "logs", model, chunk, "text/plain", 2, raw_logs.CHUNK, args, work)
    if "tabular" in args.loads:
        model = serving.prepare(str(tabular), work)["byoe-ensemble"]
        loads["1000-row CSV, XGBoost + CatBoost"] = measure_load(
            "tabular", model, work / "body-1000.csv", "text/csv", 8, 1000, args, work)
    out = {"date": time.strftime("%Y-%m-%d"), "cores": os.cpu_count(), "cpu": serving.cpu(),
           "memory_monitor": serving.memory_monitor(), "rounds": args.rounds, "duration_s": args.duration,
           "warm_minimum_s": args.warm, "caps": {cap: " ".join(flags) or "-" for cap, flags in caps(args.caps).items()},
           "loads": loads}
    suffix = "" if args.caps == DEFAULT_CAPS else "-" + args.caps.replace(",", "-")
    (ROOT / "bench" / f"young-generation{suffix}-results.json").write_text(json.dumps(out, indent=1) + "\n")
    print(report(out))


def report(out):
    monitor = out["memory_monitor"]
    lines = [f"`/usr/bin/python3 bench/young-generation.py` ({out['date']}, {out['cores']} cores"
             f"{serving.describe_cpu(out)}; memory monitor: {monitor['summary']}): {out['rounds']} interleaved "
             f"rounds of {out['duration_s']} s after every server was warmed at least {out['warm_minimum_s']} s; "
             "ratio = rows/s against the adaptive young generation in the same round (median, spread).", ""]
    for load, result in out["loads"].items():
        lines += [f"**{load}**, concurrency {result['concurrency']}:", "",
                  "| young generation | rows/s (median) | against adaptive | p50 ms | p99 ms (median, spread) "
                  "| collections per run (pause ms) | eden committed, MB | RSS after, MB |",
                  "|---|---|---|---|---|---|---|---|"]
        base = {run["round"]: run["rows_per_s"] for run in result["runs"]["adaptive"]}
        for cap, runs in result["runs"].items():
            ratios = [run["rows_per_s"] / base[run["round"]] for run in runs]
            p99 = [run["p99_ms"] for run in runs]
            lines.append(
                f"| {cap} ({out['caps'][cap]}) | {statistics.median(run['rows_per_s'] for run in runs):,.0f} | "
                f"{statistics.median(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f}) | "
                f"{statistics.median(run['p50_ms'] for run in runs):.1f} | "
                f"{statistics.median(p99):.1f} ({min(p99):.1f}-{max(p99):.1f}) | "
                f"{statistics.median(run['collections'] for run in runs):.0f} "
                f"({statistics.median(run['pause_ms'] for run in runs):.0f}) | "
                f"{runs[-1]['eden_committed_mb']:,.0f} | {result['rss_mb_after'][cap]:,.0f} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
