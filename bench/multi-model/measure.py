"""Drives the image as a multi-model endpoint; see bench/multi-model/run."""
import json
import pathlib
import re
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

IMAGE, WORK = sys.argv[1], pathlib.Path(sys.argv[2])
PORT = 18080
NAME = "byoe-mme-bench"
ROW = "59,2,32.1,101.0,157,93.2,38.0,4.0,4.8598,87"


def docker(*args, check=True):
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=check).stdout.strip()


def start(*extra):
    docker("rm", "-f", NAME, check=False)
    docker("run", "-d", "--name", NAME, "-p", f"127.0.0.1:{PORT}:8080", "-v", f"{WORK}/models:/opt/ml/models:ro",
           "-e", "SAGEMAKER_MULTI_MODEL=true", *extra, IMAGE, "serve")
    for _ in range(600):
        try:
            if call("GET", "/ping")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit("not healthy: " + docker("logs", NAME, check=False))


def call(method, path, body=None, ctype="application/json"):
    req = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", method=method,
                                 data=None if body is None else body.encode())
    if body is not None:
        req.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def load(name, kind):
    t0 = time.perf_counter()
    status, body = call("POST", "/models", json.dumps({"model_name": name, "url": f"/opt/ml/models/{kind}"}))
    ms = (time.perf_counter() - t0) * 1000
    return status, ms, (json.loads(body) if status == 200 else body)


def rss_mb():
    status = docker("exec", NAME, "cat", "/proc/1/status")
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def per_kind(copies=100):
    """Each kind in a container of its own: copies loads, client-side time, the measured footprint.
    The heap is fixed and touched from the start, so that the process's growth in resident memory
    is what the loads left beside the heap (the models, the JIT's code, allocators' free space):
    a check of the native figures."""
    out = {}
    for kind in ("tabular", "logs", "deeplog"):
        start("--memory", "4g", "-e", "JAVA_TOOL_OPTIONS=-Xms1g -Xmx1g -XX:+AlwaysPreTouch")
        rss0 = rss_mb()
        times, loaded_ms, resident, heap, native = [], [], [], [], []
        for i in range(copies):
            status, ms, answer = load(f"{kind}-{i}", kind)
            assert status == 200, answer
            times.append(ms)
            loaded_ms.append(answer["loadMillis"])
            resident.append(answer["residentBytes"] / 1e6)
            heap.append(answer["heapBytes"] / 1e6)
            native.append(answer["nativeBytes"] / 1e6)
        rss1 = rss_mb()
        out[kind] = {
            "copies": copies, "description": answer["description"],
            "first_load_ms": round(times[0], 1),
            "load_ms_p50": round(pct(times[1:], 50), 1), "load_ms_p99": round(pct(times[1:], 99), 1),
            "resident_mb_p50": round(statistics.median(resident[1:]), 3),
            "resident_mb_min": round(min(resident[1:]), 3), "resident_mb_max": round(max(resident[1:]), 3),
            "heap_mb_p50": round(statistics.median(heap[1:]), 3),
            "native_mb_p50": round(statistics.median(native[1:]), 3),
            "accounted_mb_total": round(sum(resident), 1),
            "accounted_native_mb_total": round(sum(native), 1),
            "rss_growth_mb": round(rss1 - rss0, 1),
        }
        print(kind, out[kind], flush=True)
    return out


def wrk(paths, seconds=15, conc=8):
    script = WORK / "wrk.lua"
    names = ", ".join(f'"{p}"' for p in paths)
    script.write_text(
        f"local paths = {{{names}}}\nlocal i = 0\n"
        f"wrk.method = 'POST'\nwrk.body = '{ROW}'\nwrk.headers['Content-Type'] = 'text/csv'\n"
        "request = function()\n  i = i % #paths + 1\n  return wrk.format(nil, paths[i])\nend\n")
    out = subprocess.run(["wrk", "-t1", f"-c{conc}", f"-d{seconds}s", "--latency", "-s", str(script),
                          f"http://127.0.0.1:{PORT}"], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    v, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", out).groups()
    return rps, float(v) * {"us": 0.001, "ms": 1, "s": 1000}[unit], int(bad.group(1)) if bad else 0


def spread(models=100, rounds=3):
    """Invocations/s, 1-row CSV at concurrency 8: across 100 loaded models against one of them."""
    start("--memory", "4g")
    for i in range(models):
        assert load(f"m{i}", "tabular")[0] == 200
    many = [f"/models/m{i}/invoke" for i in range(models)]
    one = ["/models/m0/invoke"]
    wrk(many, 15), wrk(one, 15)  # warm-up: the JIT compiles the invocation path
    runs = []
    for r in range(rounds):  # interleaved: A, B, A, B ...
        for case, paths in (("100 models", many), ("1 model", one)):
            rps, p99, bad = wrk(paths)
            assert bad == 0, f"{bad} failed invocations"
            runs.append({"round": r + 1, "case": case, "rps": round(rps), "p99_ms": round(p99, 2)})
            print(runs[-1], flush=True)
    med = {c: statistics.median(x["rps"] for x in runs if x["case"] == c) for c in ("100 models", "1 model")}
    return {"models": models, "runs": runs, "median_rps": med,
            "ratio_100_to_1": round(med["100 models"] / med["1 model"], 3)}


def gauge(metrics, name):
    m = re.search(rf"^{name}(?:{{[^}}]*}})? ([\d.E+-]+)$", metrics, re.M)
    return float(m.group(1)) if m else 0.0


def capacity(limit=5000):
    """Diabetes ensembles a 1 GiB container holds under the default budget (40%): load copies until
    the catalog first unloads the least recently used to make room, then invoke every model still
    loaded, and look at the container."""
    start("--memory", "1g")
    for i in range(limit):
        status, _, answer = load(f"c{i}", "tabular")
        assert status == 200, answer
        metrics = call("GET", "/metrics")[1]
        if gauge(metrics, "byoe_model_unloads_total") > 0:
            break
    listed, token = [], ""
    while True:
        page = json.loads(call("GET", "/models?limit=1000" + (f"&next_page_token={token}" if token else ""))[1])
        listed += [m["modelName"] for m in page["models"]]
        token = page.get("nextPageToken")
        if not token:
            break
    failed = sum(1 for n in listed if call("POST", f"/models/{n}/invoke", ROW, "text/csv")[0] != 200)
    metrics = call("GET", "/metrics")[1]
    out = {"held": len(listed), "loads_until_first_unload": i + 1, "invocations_failed": failed,
           "container": docker("inspect", "-f", "{{.State.Status}} oom-killed={{.State.OOMKilled}}", NAME),
           "rss_mb": round(rss_mb(), 1),
           "accounted_mb": round(gauge(metrics, "byoe_models_resident_bytes") / 1e6, 1),
           "budget_mb": round(gauge(metrics, "byoe_models_budget_bytes") / 1e6, 1)}
    print(out, flush=True)
    return out


results = {"image": IMAGE, "date": time.strftime("%Y-%m-%d"), "cores": 2}
results["per_kind"] = per_kind()
results["spread"] = spread()
results["capacity_1g"] = capacity()
docker("rm", "-f", NAME, check=False)
pathlib.Path("bench/multi-model/results.json").write_text(json.dumps(results, indent=1) + "\n")
print("wrote bench/multi-model/results.json")
