#!/usr/bin/python3
"""Where a 1000-row request's time goes: async-profiler flame graphs of byoe serving under load.

Trains the cal_housing XGBoost + CatBoost ensemble as bench/serving.py does, starts `byoe serve`
with async-profiler attached (tools.profiler:async-profiler from Maven Central), warms it until its
throughput settles, then records CPU samples (one per millisecond of CPU time, every thread, Java
and native frames) and allocation samples while wrk sends 1000-row text/csv bodies at concurrency 8.
Writes bench/profile/<model>-<rows>-cpu.html and -alloc.html (flame graphs; open in a browser) and
-top.txt (the frames with the most samples of their own, and rows/s while profiled).

Usage: bench/profile/profile.py [--model byoe-ensemble] [--rows 1000] [--duration 15] [--jar J --label L]
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import serving  # noqa: E402
import interleaved  # noqa: E402

VERSION = "4.1"


def agent(work):
    """libasyncProfiler.so from the Maven artifact (fetched with Maven when missing)."""
    jar = pathlib.Path.home() / f".m2/repository/tools/profiler/async-profiler/{VERSION}/async-profiler-{VERSION}.jar"
    if not jar.is_file():
        subprocess.run([str(serving.ROOT / "mvnw"), "-B", "-q", "dependency:get",
                        f"-Dartifact=tools.profiler:async-profiler:{VERSION}"], check=True)
    out = work / "libasyncProfiler.so"
    with zipfile.ZipFile(jar) as z:
        out.write_bytes(z.read("linux-x64/libasyncProfiler.so"))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="byoe-ensemble", choices=["byoe-xgboost", "byoe-ensemble"])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--jar", default=str(serving.JAR), help="the byoe jar to profile (default dist/byoe.jar)")
    parser.add_argument("--label", default="", help="added to the output names, e.g. --label=-before")
    parser.add_argument("--data", default=str(serving.ROOT.parent / "shared" / "data" / "tabular" / "cal_housing.csv"))
    args = parser.parse_args()
    if not pathlib.Path(args.data).is_file():
        print(f"{args.data} not found; profile skipped.")
        return
    serving.JAR = pathlib.Path(args.jar)
    work = pathlib.Path(tempfile.mkdtemp(prefix="byoe-profile-"))
    models = serving.prepare(args.data, work)
    lib = agent(work)
    serving.PORT = interleaved.TARGETS[args.model].port
    old = serving.JVM
    serving.JVM = [*old, "-XX:+EnableDynamicAgentLoading"]
    proc, _ = serving.start(args.model, work, models[args.model])
    serving.JVM = old
    body = work / f"body-{args.rows}.csv"
    try:
        curve = interleaved.warm(serving.PORT, work, rows=args.rows, conc=args.concurrency)
        tops = [f"warm-up rows/s {[round(r * args.rows) for r in curve]}"]
        print(tops[0])
        for event, interval in [("cpu", "1ms"), ("alloc", "512k")]:
            out = HERE / f"{args.model}-{args.rows}-{event}{args.label}.html"
            jcmd(proc, lib, f"start,event={event},interval={interval}")
            rps = serving.wrk("/invocations", body, args.concurrency, args.duration, work)[0]
            collapsed = work / f"{event}.collapsed"
            jcmd(proc, lib, f"dump,collapsed,file={collapsed}")
            jcmd(proc, lib, f"stop,file={out}")
            summary = [f"{event}: {rps * args.rows:,.0f} rows/s while profiled", *top(collapsed)]
            print("\n".join(summary))
            tops.extend(summary)
        (HERE / f"{args.model}-{args.rows}-top{args.label}.txt").write_text("\n".join(tops) + "\n")
    finally:
        serving.stop(proc)


def top(collapsed, n=25):
    """Self samples per frame, largest first, from async-profiler's collapsed stacks."""
    own = {}
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, count = line.rsplit(" ", 1)
        frame = stack.rsplit(";", 1)[-1]
        own[frame] = own.get(frame, 0) + int(count)
        total += int(count)
    return [f"  {100 * count / total:5.1f}%  {frame[:160]}"
            for frame, count in sorted(own.items(), key=lambda kv: -kv[1])[:n]]


def jcmd(proc, lib, command):
    """Loads (or talks to the already loaded) profiler agent in the running JVM."""
    java = pathlib.Path(serving.java())
    # jcmd splits its arguments at commas unless the option string is quoted.
    out = subprocess.run([str(java.parent / "jcmd"), str(proc.pid), "JVMTI.agent_load", str(lib), f'"{command}"'],
                         check=True, capture_output=True, text=True).stdout
    if "return code: 0" not in out:
        raise RuntimeError(f"async-profiler refused '{command}': {out}")

if __name__ == "__main__":
    main()
