#!/usr/bin/python3
"""The tabular ensemble served by the image in a 1 GiB container under full load (issue #23, goal 4).

Every configuration runs as its own container of the image at once (each on its own port), serving
the serving benchmark's cal_housing XGBoost + CatBoost ensemble: one without a memory limit (the
baseline), one with `--memory 1g` and the image's own heap setting, and `--memory 1g` with the heap
capped by -Xmx at several sizes (the curve of throughput against heap). Each is warmed for at least
the same time (60 s by default) and until its throughput settles: a container warmed for less was
still gaining speed during the rounds, which lowered its ratio. Then all are measured in interleaved
rounds (order reversed every other round) with 1000-row text/csv bodies at concurrency 8. Resident
memory is the JVM's (PID 1 in the container) VmRSS right after each run and its VmHWM peak at the
end; GC figures come from the server's own GET /metrics.

Usage: bench/container-serving.py [--image byoe:latest] [--rounds 5] [--duration 8] [--warm 60]
                                  [--young | --cause]
Writes bench/container-serving-results.json (with --young, the series with a fixed young generation:
bench/container-serving-young-results.json; with --cause, the series that separates the heap's size
from the container's limit: bench/container-serving-cause-results.json) and prints a Markdown report.
"""
import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import serving  # noqa: E402
import interleaved  # noqa: E402

ROOT = serving.ROOT
LIMIT = ["--memory", "1g", "--memory-swap", "1g"]
# name -> (docker run arguments, what the heap is)
CONFIGS = {
    "unlimited": ([], "image default (50% of the machine)"),
    "1g": (LIMIT, "image default (50% of 1 GiB)"),
    **{f"1g-xmx{m}": (LIMIT + ["-e", f"JAVA_TOOL_OPTIONS=-Xmx{m}m"], f"-Xmx{m}m") for m in [48, 64, 96, 128, 256]},
}
# --young: the image's heap with a fixed young generation instead of the collector's adaptive one.
YOUNG = {
    "unlimited": CONFIGS["unlimited"],
    "1g": CONFIGS["1g"],
    **{f"1g-xmn{m}": (LIMIT + ["-e", f"JAVA_TOOL_OPTIONS=-Xmn{m}m"], f"50%, young generation -Xmn{m}m")
       for m in [64, 128, 192]},
}

# --cause: where a 1 GiB container's cost comes from: the unlimited container given the 1 GiB
# container's heap (50% of 1 GiB); the 1 GiB container with all or half of that heap committed from
# the start, or with a floor under its young generation (the collector still sizes it above).
CAUSE = {
    "unlimited": CONFIGS["unlimited"],
    "1g": CONFIGS["1g"],
    "unlimited-xmx512": (["-e", "JAVA_TOOL_OPTIONS=-Xmx512m"], "-Xmx512m (the 1 GiB container's heap)"),
    **{name: (LIMIT + ["-e", f"JAVA_TOOL_OPTIONS={flag}"], label) for name, flag, label in [
        ("1g-xms512", "-Xms512m", "image default, all committed from the start (-Xms512m)"),
        ("1g-xms256", "-Xms256m", "image default, half committed from the start (-Xms256m)"),
        ("1g-newsize96", "-XX:NewSize=96m", "image default, young generation at least 96 MB (-XX:NewSize=96m)")]},
}
SERIES = {"default": (CONFIGS, "container-serving-results.json"),
          "young": (YOUNG, "container-serving-young-results.json"),
          "cause": (CAUSE, "container-serving-cause-results.json")}


def docker():
    return subprocess.check_output([str(ROOT / "scripts" / "ensure-docker")], text=True).strip()


def status(name, field):
    out = subprocess.run([docker(), "exec", name, "grep", field, "/proc/1/status"], capture_output=True,
                         text=True).stdout.split()
    return int(out[1]) / 1024 if len(out) > 1 else None


def start(name, args, image, model, port):
    subprocess.run([docker(), "rm", "-f", name], capture_output=True)
    subprocess.run([docker(), "run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:8080", "-v", f"{model}:/opt/ml:ro",
                    *args, image, "serve"], check=True, capture_output=True)
    serving.wait_healthy(f"http://127.0.0.1:{port}/ping")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--image", default=os.environ.get("IMAGE", "byoe:latest"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--warm", type=int, default=60, help="seconds of load every container gets at least")
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "tabular" / "cal_housing.csv"))
    parser.add_argument("--young", action="store_true",
                        help="the young-generation series; writes container-serving-young-results.json")
    parser.add_argument("--cause", action="store_true",
                        help="the unlimited container with the limited one's heap, and heap settings for the"
                             " limited one; writes container-serving-cause-results.json")
    args = parser.parse_args()
    if not pathlib.Path(args.data).is_file():
        print(f"{args.data} not found; container serving benchmark skipped.")
        return
    configs, results_file = SERIES["young" if args.young else "cause" if args.cause else "default"]
    work = pathlib.Path(tempfile.mkdtemp(prefix="byoe-container-"))
    models = serving.prepare(args.data, work)
    model = models["byoe-ensemble"]
    subprocess.run(["chmod", "-R", "a+rwX", str(work)], check=True)
    names = list(configs)
    ports = {n: 18080 + i for i, n in enumerate(names)}
    results, warmup = [], {}
    try:
        for n in names:
            start(f"byoe-mem-{n}", configs[n][0], args.image, model, ports[n])
        for n in names:
            warmup[n] = interleaved.warm(ports[n], work, limit=2 * args.warm, minimum=args.warm)
            print(json.dumps({"warm-up": n, "rps_per_second": warmup[n]}), file=sys.stderr)
        for rnd in range(args.rounds):
            for n in (names if rnd % 2 == 0 else list(reversed(names))):
                serving.PORT = ports[n]
                before = interleaved.jvm_at(ports[n])
                rps, p50, p99, errors = serving.wrk("/invocations", work / "body-1000.csv", 8, args.duration, work)
                after = interleaved.jvm_at(ports[n])
                r = {"config": n, "round": rnd + 1, "rows_per_s": rps * 1000, "p50_ms": p50, "p99_ms": p99,
                     "errors": errors, "rss_mb": status(f"byoe-mem-{n}", "VmRSS"),
                     **interleaved.jvm_during(before, after)}
                results.append(r)
                print(json.dumps(r), file=sys.stderr)
        peaks = {n: status(f"byoe-mem-{n}", "VmHWM") for n in names}
        killed = {n: subprocess.run([docker(), "inspect", "-f", "{{.State.OOMKilled}}", f"byoe-mem-{n}"],
                                    capture_output=True, text=True).stdout.strip() for n in names}
    finally:
        for n in names:
            subprocess.run([docker(), "rm", "-f", f"byoe-mem-{n}"], capture_output=True)
    out = {"date": time.strftime("%Y-%m-%d"), "cores": os.cpu_count(), "cpu": serving.cpu(), "memory_monitor": serving.memory_monitor(), "image": args.image, "rounds": args.rounds,
           "duration_s": args.duration, "heaps": {n: heap for n, (_, heap) in configs.items()}, "warmup_rps": warmup,
           "peak_rss_mb": peaks, "oom_killed": killed, "results": results}
    (ROOT / "bench" / results_file).write_text(json.dumps(out, indent=1) + "\n")
    print(report(out))


def report(out):
    res = out["results"]
    base = {r["round"]: r["rows_per_s"] for r in res if r["config"] == "unlimited"}
    warm = ", ".join(serving.warm_up_curves(out["warmup_rps"]))
    lines = [f"Warm-up (1000-row bodies, concurrency 8; requests/s in its first second -> median of its last five): "
             f"{warm}.", "",
             f"1000-row text/csv bodies at concurrency 8, {out['rounds']} interleaved rounds of {out['duration_s']} s "
             f"({out['date']}, {out['cores']} cores, image {out['image']}); ratio = rows/s against the container "
             "without a limit in the same round (median, spread).", "",
             "| container | heap | rows/s (median) | against unlimited | p99 ms | RSS after runs, MB | peak RSS, MB | "
             "GC per run (pause ms) | OOM-killed |", "|---|---|---|---|---|---|---|---|---|"]
    for n, heap in out["heaps"].items():
        mine = [r for r in res if r["config"] == n]
        ratios = [r["rows_per_s"] / base[r["round"]] for r in mine]
        lines.append(
            f"| {'--memory 1g' if n.startswith('1g') else 'no limit'} | {heap} | "
            f"{statistics.median(r['rows_per_s'] for r in mine):,.0f} | {statistics.median(ratios):.3f} "
            f"({min(ratios):.3f}-{max(ratios):.3f}) | {statistics.median(r['p99_ms'] for r in mine):.1f} | "
            f"{min(r['rss_mb'] for r in mine):.0f}-{max(r['rss_mb'] for r in mine):.0f} | "
            f"{out['peak_rss_mb'][n]:.0f} | {statistics.median(r['gc_pauses'] for r in mine):.0f} "
            f"({statistics.median(r['gc_pause_ms'] for r in mine):.0f}) | {out['oom_killed'][n]} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
