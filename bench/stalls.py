#!/usr/bin/python3
"""Where a serving tail comes from: one client posts raw-log bodies back to back (no concurrency, so
no request waits for another), times every request, and, with --perf, records which commands the
kernel ran on every core meanwhile (`perf record -a`, wall-clock timestamps). Requests slower than
three times the median are "slow"; the report gives the command mix on the cores during slow
requests and during the others, in samples per second of request time, and the gaps between slow
requests (a fixed period points at something on a timer).

Found with it on 2026-12-07: DAMON's kdamond, sampling page access every 500 ms, ran during the
raw-log endpoint's slow requests and hardly otherwise (bench/RESULTS.md, "The raw-log endpoint's
p99"). Each configuration gets its own server: the model is the PCA + supervised log model of
bench/raw-logs.py, the heap half the machine's memory (as in the image) plus the configuration's flags.

Usage: bench/stalls.py [--data ../shared/data] [--seconds 15] [--warm 30] [--perf] [FLAGS ...]
  FLAGS: one configuration per argument, its JVM flags separated by spaces; "" is the collector's
  own young generation. Without any: "" and "-XX:MaxNewSize=1024m" (the image's cap).
"""
import argparse
import http.client
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import serving  # noqa: E402  (same folder: its start/stop/wrk helpers)

ROOT = serving.ROOT
SLOW = 3.0
PERF_LINE = re.compile(r"^\s*(.+?)\s+([\d.]+):\s*$")


def back_to_back(body, seconds):
    """(wall-clock start, ms) of every request posted one after the other for `seconds`."""
    conn = http.client.HTTPConnection("127.0.0.1", serving.PORT, timeout=60)
    times = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        wall, start = time.time(), time.perf_counter()
        conn.request("POST", "/invocations", body=body, headers={"Content-Type": "text/plain"})
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"status {response.status}")
        times.append((wall, 1000 * (time.perf_counter() - start)))
    conn.close()
    return times


def perf_samples(path):
    """(wall-clock time, command) of every sample of a `perf record -k CLOCK_REALTIME` file."""
    out = subprocess.run(["perf", "script", "-i", str(path), "-F", "comm,time"], capture_output=True,
                         text=True, check=True).stdout
    return [(float(m.group(2)), m.group(1)) for m in map(PERF_LINE.match, out.splitlines()) if m]


def command_mix(times, samples, slow_ms):
    """Samples per second of request time, by command, during slow requests and during the others."""
    mix = {"slow": Counter(), "other": Counter()}
    spent = {"slow": 0.0, "other": 0.0}
    samples = sorted(samples)
    i = 0
    for wall, ms in times:
        kind = "slow" if ms > slow_ms else "other"
        spent[kind] += ms / 1000
        while i < len(samples) and samples[i][0] < wall:
            i += 1
        j = i
        while j < len(samples) and samples[j][0] <= wall + ms / 1000:
            mix[kind][samples[j][1]] += 1
            j += 1
    return {kind: {cmd: round(n / spent[kind]) for cmd, n in mix[kind].most_common(6)} if spent[kind] else {}
            for kind in mix}


def run(config, model, body, args, work):
    serving.PORT = 8095
    proc, _ = serving.start("stalls", work, model, config.split(), heap=serving.SERVE_HEAP_UNCAPPED)
    try:
        serving.warm_until_steady(work / "chunk.log", 2, work, "text/plain", limit=2 * args.warm,
                                  minimum=args.warm)
        perf = None
        if args.perf:
            data = work / "perf.data"
            perf = subprocess.Popen(["perf", "record", "-k", "CLOCK_REALTIME", "-F", "999", "-a", "-o", str(data),
                                     "--", "sleep", str(args.seconds + 2)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(1)
        times = back_to_back(body, args.seconds)
        if perf:
            perf.wait()
    finally:
        serving.stop(proc)
    ms = sorted(t for _, t in times)
    median = statistics.median(ms)
    slow = [wall for wall, t in times if t > SLOW * median]
    result = {"flags": config or "(the collector's own young generation)", "requests": len(ms), "p50_ms": median,
              "p99_ms": ms[int(0.99 * (len(ms) - 1))], "max_ms": ms[-1], "slow": len(slow),
              "slow_gap_s": statistics.median(b - a for a, b in zip(slow, slow[1:])) if len(slow) > 1 else None}
    if args.perf:
        result["command_samples_per_s"] = command_mix(times, perf_samples(work / "perf.data"), SLOW * median)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--warm", type=int, default=30)
    parser.add_argument("--perf", action="store_true", help="record the cores' commands (needs perf, root)")
    parser.add_argument("configs", nargs="*", default=["", "-XX:MaxNewSize=1024m"])
    args = parser.parse_args()
    raw_logs = serving.sibling("raw-logs")
    log, labels = raw_logs.hdfs_files(args.data)
    if not log.is_file():
        print(f"{log} not found; stall diagnosis skipped.")
        return
    work = pathlib.Path(tempfile.mkdtemp(prefix="byoe-stalls-"))
    body = raw_logs.chunk_bodies(log)[0][0]
    (work / "chunk.log").write_bytes(body)
    model = raw_logs.train(log, labels, work)["pca-supervised"]
    print(f"{time.strftime('%Y-%m-%d')}, {serving.cpu()['model']}, memory monitor: "
          f"{serving.memory_monitor()['summary']}; one client, 5,000-line bodies back to back for "
          f"{args.seconds} s; slow = over {SLOW:g}x the median")
    for config in args.configs:
        r = run(config, model, body, args, work)
        gap = f", median gap between slow requests {r['slow_gap_s']:.2f} s" if r["slow_gap_s"] else ""
        print(f"- {r['flags']}: {r['requests']} requests, p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, "
              f"max {r['max_ms']:.1f} ms, {r['slow']} slow{gap}")
        for kind, mix in r.get("command_samples_per_s", {}).items():
            print(f"  - on the cores during {kind} requests (samples/s): "
                  + ", ".join(f"{cmd} {n}" for cmd, n in mix.items()))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
