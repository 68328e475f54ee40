#!/usr/bin/python3
"""Raw log lines in, verdicts out (issue #23, goal 6): one byoe endpoint parses raw HDFS lines with
its trained Drain, groups them into block sessions and scores every block, measured in lines/s on
this machine's cores, beside the Python peer doing the same in one process
(bench/peers/python/raw_logs.py: Drain + loglizer's PCA, this project's transcription).

Data: ../shared/data/hdfs/HDFS_20000.log (20,000 raw lines, 1,782 blocks). `byoe process` learns
Drain's templates and the block sessions from it, `byoe train` fits two models on them (the PCA and
supervised members: pca,xgboost,catboost; the DeepLog member alone: deeplog), and the same lines are
then posted back as text/plain bodies of 5,000 lines. This is a speed figure: no accuracy is
claimed from scoring the training lines. Every body is first checked to get one verdict per block
it names. byoe's DeepLog member keeps the top-g answer of every window it has seen (an exact
cache), which a benchmark that sends the same lines again turns into a free answer; so DeepLog is
measured with that cache off (-Dbyoe.deeplog.windowCache=false: each distinct window of a request
through the LSTM once, on every request) as well as on, and with every window of every request
through the LSTM (-Dbyoe.deeplog.distinctWindows=false too: the forward pass alone). The first pass over the lines on a fresh server (cold JIT) is
reported beside each steady state, which is measured after at least 60 s of load (and until the
throughput settles), as the serving benchmarks do. Every endpoint serves with the image's heap
(serving.SERVE_HEAP: half the memory, the young generation at most 1 GB; until 2026-12-07 70% and
the collector's own young generation).

Usage: bench/raw-logs.py [--data ../shared/data] [--duration 10] [--warm 60]
Writes bench/raw-logs-results.json and prints a Markdown section.
"""
import argparse
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import serving  # noqa: E402  (same folder: its start/stop/wrk helpers)

ROOT = serving.ROOT
CHUNK = 5000
BLOCK = re.compile(r"blk_-?\d+")
MODELS = {"pca-supervised": "pca,xgboost,catboost", "deeplog": "deeplog"}
# Endpoints measured: name -> (model, JVM flags). DeepLog's forward pass runs on the Vector API, as in the image.
VECTOR = ["--add-modules", "jdk.incubator.vector"]
ENDPOINTS = {"byoe-logs-pca-supervised": ("pca-supervised", []),
             "byoe-logs-deeplog": ("deeplog", VECTOR),
             "byoe-logs-deeplog-no-window-cache": ("deeplog", [*VECTOR, "-Dbyoe.deeplog.windowCache=false"]),
             "byoe-logs-deeplog-every-window": ("deeplog", [*VECTOR, "-Dbyoe.deeplog.windowCache=false",
                                                           "-Dbyoe.deeplog.distinctWindows=false"])}


def hdfs_files(data):
    """The raw HDFS lines and their block labels in a data folder (../shared/data)."""
    hdfs = pathlib.Path(data) / "hdfs"
    return hdfs / "HDFS_20000.log", hdfs / "HDFS_20000_block_labels.csv"


def chunk_bodies(log):
    """The log's lines in bodies of CHUNK lines (the last one shorter), and the number of lines."""
    lines = log.read_text().splitlines(keepends=True)
    return ["".join(lines[i:i + CHUNK]).encode() for i in range(0, len(lines), CHUNK)], len(lines)


def byoe(args, env=None):
    subprocess.run([serving.java(), *VECTOR, *serving.JVM, "-jar",
                    str(serving.JAR), *args], check=True, env={**os.environ, **(env or {})},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def train(log, labels, work):
    byoe(["process", "--preset", "hdfs", "--input", str(log), "--labels", str(labels),
          "--output", str(work / "processed")], {"BYOE_ML_ROOT": str(work / "proc")})
    roots = {}
    for name, members in MODELS.items():
        ml = work / name
        for d in ["input/config", "input/data/train", "input/data/drain", "model", "output"]:
            (ml / d).mkdir(parents=True)
        shutil.copy(work / "processed" / "sessions.csv", ml / "input/data/train")
        shutil.copy(work / "processed" / "drain.json", ml / "input/data/drain")
        hp = {"task": "log_anomaly", "members": members, "deeplog.epochs": "10"}
        (ml / "input/config/hyperparameters.json").write_text(json.dumps(hp))
        (ml / "input/config/inputdataconfig.json").write_text(json.dumps(
            {"train": {"ContentType": "text/csv"}, "drain": {"ContentType": "application/json"}}))
        byoe(["train"], {"BYOE_ML_ROOT": str(ml)})
        roots[name] = ml
    return roots


def post(body):
    req = urllib.request.Request(f"http://127.0.0.1:{serving.PORT}/invocations", data=body,
                                 headers={"Content-Type": "text/plain", "Accept": "text/csv"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.read().decode()


def check(bodies):
    """Every body gets one answer line per block it names."""
    for i, data in enumerate(bodies):
        blocks = set(BLOCK.findall(data.decode()))
        answer = [line for line in post(data).splitlines() if line.strip()]
        if len(answer) != len(blocks):
            raise SystemExit(f"body {i}: {len(blocks)} blocks in, {len(answer)} answers out")


def first_pass(bodies, lines):
    """Lines/s of the first pass over all `lines` lines, on a fresh server (every window new)."""
    t = time.perf_counter()
    for data in bodies:
        post(data)
    return lines / (time.perf_counter() - t)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warm", type=int, default=60, help="seconds of load every endpoint gets at least")
    args = parser.parse_args()
    log, labels = hdfs_files(args.data)
    if not log.is_file():
        print(f"{log} not found; raw-log benchmark skipped.")
        return
    work = pathlib.Path(tempfile.mkdtemp(prefix="byoe-raw-logs-"))
    # The bodies in memory for the Python client, and on disk for wrk.
    bodies, line_count = chunk_bodies(log)
    chunks = [work / f"chunk-{i}.log" for i in range(len(bodies))]
    for path, data in zip(chunks, bodies):
        path.write_bytes(data)
    roots = train(log, labels, work)
    results = {}
    for name, (model, flags) in ENDPOINTS.items():
        serving.PORT = 8090
        proc, _ = serving.start(name, work, roots[model], flags)
        try:
            cold = first_pass(bodies, line_count)
            check(bodies)
            curve = serving.warm_until_steady(chunks[0], 2, work, "text/plain", limit=2 * args.warm,
                                              minimum=args.warm)
            steady = {}
            for conc in (2, 8):
                rps, p50, p99, errors = serving.wrk("/invocations", chunks[0], conc, args.duration, work,
                                                    "text/plain")
                if errors:
                    raise SystemExit(f"{name}: {errors} failed requests at concurrency {conc}")
                steady[conc] = {"lines_per_s": rps * CHUNK, "requests_per_s": rps, "p50_ms": p50, "p99_ms": p99}
            results[name] = {"first_pass_lines_per_s": cold, "warmup_requests_per_s": curve, "steady": steady}
        finally:
            serving.stop(proc)
    peer = json.loads(subprocess.run(
        ["/usr/bin/python3", str(ROOT / "bench" / "peers" / "python" / "raw_logs.py"), str(log), str(log),
         str(CHUNK), "20"], check=True, capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"}
    ).stdout)
    out = {"date": time.strftime("%Y-%m-%d"), "cores": os.cpu_count(), "cpu": serving.cpu(), "memory_monitor": serving.memory_monitor(), "chunk_lines": CHUNK,
           "duration_s": args.duration, "warm_minimum_s": args.warm, "byoe": results, "python_peer": peer}
    (ROOT / "bench" / "raw-logs-results.json").write_text(json.dumps(out, indent=1) + "\n")
    print(report(out))
    shutil.rmtree(work, ignore_errors=True)


def report(out):
    peer = out["python_peer"]["lines_per_s"]
    lines = [f"## Raw log lines in, verdicts out ({out['date']}, {out['cores']} cores; issue #23, goal 6)", "",
             "`/usr/bin/python3 bench/raw-logs.py` (in `make bench`): HDFS_20000.log posted back to the endpoint "
             f"as text/plain bodies of {out['chunk_lines']:,} lines (parse with the trained Drain, block sessions, "
             "one verdict per block, checked), wrk on the same cores; the Python peer "
             "(`bench/peers/python/raw_logs.py`: Drain + loglizer's PCA, one process, no HTTP) on the same "
             f"pieces: {peer:,.0f} lines/s. Memory monitor: "
             f"{out.get('memory_monitor', {}).get('summary', 'not recorded')}.", "",
             warmed(out), "",
             "| endpoint | concurrency | lines/s | against the Python peer | p50 ms | p99 ms | first pass, lines/s |",
             "|---|---|---|---|---|---|---|"]
    for name, r in out["byoe"].items():
        for conc, s in r["steady"].items():
            lines.append(f"| {name} | {conc} | {s['lines_per_s']:,.0f} | {s['lines_per_s'] / peer:.1f}x | "
                         f"{s['p50_ms']:.1f} | {s['p99_ms']:.1f} | {r['first_pass_lines_per_s']:,.0f} |")
    return "\n".join(lines)


def warmed(out):
    """The warm-up each endpoint had before its steady state: 1-second runs of 5,000-line bodies."""
    curves = {name: r["warmup_requests_per_s"] for name, r in out["byoe"].items()}
    return (f"Steady state after a warm-up at concurrency 2 ({serving.warm_up_rule(out.get('warm_minimum_s', 0))}; "
            f"requests/s in its first second -> median of its last five): "
            f"{'; '.join(serving.warm_up_curves(curves, digits=1))}.")


if __name__ == "__main__":
    main()
