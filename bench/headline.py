#!/usr/bin/python3
"""The headline of bench/RESULTS.md: the figures a user reads first, from the benchmarks' own files.

Reads what `make bench` wrote before it (bench/interleaved-results.json, bench/serving-results.json,
bench/log-anomaly/results.json, bench/raw-logs-results.json, bench/cold-start-results.json), never a
number typed in by hand, and rewrites the part of bench/RESULTS.md between the headline markers, plus
bench/headline.png. Serving figures are the
medians of the interleaved rounds against the tuned Python peer run in the same session; log
figures come from the endpoint's answers and are set beside the published references.

Usage: bench/headline.py [--print]   (--print: show the section without touching RESULTS.md)
"""
import argparse
import json
import pathlib
import statistics
import sys

BENCH = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import interleaved  # noqa: E402  (same folder: its per-round lookup)

START, END = "<!-- headline:start -->", "<!-- headline:end -->"
PEER = "python-1thread"


def load(name):
    path = BENCH / name
    return json.loads(path.read_text()) if path.is_file() else None


def medians(inter, target, rows, key):
    return statistics.median(r[key] for r in inter["results"] if r["target"] == target and r["rows"] == rows)


def ratios(inter, target, rows, key="rps"):
    """Per-round ratio target/peer: the median and the spread over the rounds."""
    res = inter["results"]
    out = [interleaved.pick(res, target, rows, k)[key] / interleaved.pick(res, PEER, rows, k)[key]
           for k in range(1, inter["rounds"] + 1)]
    return statistics.median(out), min(out), max(out)


def when(result):
    """The result's date, with its processor's name and vector width when the file records it (rates from
    machines of different kinds do not compare; ratios measured in one session do)."""
    c = result.get("cpu")
    return result["date"] + (f" ({c['model']}, {'AVX-512' if c['avx512'] else 'AVX2'})" if c else "")


def rows_of(inter, serving, logs, raw=None, cold=None):
    """(figure, byoe, peer, peer's figure, ratio text, ratio for the chart or None, date)."""
    out = []
    if inter:
        d = when(inter)
        for rows, what in [(1, "single-row requests/s, concurrency 8"), (1000, "rows/s, 1000-row bodies, concurrency 8")]:
            for target, name in [("byoe-ensemble", "XGBoost + CatBoost ensemble"), ("byoe-xgboost", "XGBoost")]:
                m, lo, hi = ratios(inter, target, rows)
                out.append((f"{what}: {name}", f"{medians(inter, target, rows, 'rows_per_s'):,.0f}",
                            "Python stack, tuned", f"{medians(inter, PEER, rows, 'rows_per_s'):,.0f}",
                            f"{m:.1f}x ({lo:.1f}-{hi:.1f}x)", m, d))
        m, lo, hi = ratios(inter, "byoe-ensemble", 1000, "p99_ms")
        out.append(("p99 latency there (ensemble)", f"{medians(inter, 'byoe-ensemble', 1000, 'p99_ms'):.1f} ms",
                    "Python stack, tuned", f"{medians(inter, PEER, 1000, 'p99_ms'):.1f} ms",
                    f"{1 / m:.1f}x lower", None, d))
        m, lo, hi = ratios(inter, "byoe-ensemble", 1000, "rss_mb")
        out.append(("resident memory there (ensemble)", f"{medians(inter, 'byoe-ensemble', 1000, 'rss_mb'):.0f} MB",
                    "Python stack, tuned", f"{medians(inter, PEER, 1000, 'rss_mb'):.0f} MB",
                    f"{m:.1f}x the peer's", None, d))
    if serving:
        c = serving["cold_start_s"]
        if "byoe-ensemble" in c and PEER in c:
            out.append(("cold start to a healthy /ping (plain jar / process)", f"{c['byoe-ensemble']:.2f} s",
                        "Python stack, tuned", f"{c[PEER]:.2f} s", f"{c['byoe-ensemble'] / c[PEER]:.1f}x the peer's",
                        None, when(serving.get("cold_start", serving))))
    if cold:
        m, peer = cold["median_ms"], cold["median_ms"]["peer"]
        for case, what, note in [("tabular", "XGBoost + CatBoost ensemble", ""),
                                 ("deeplog", "log model with DeepLog", "; the peer has no sequence model")]:
            lo, hi = min(cold["ms"][case]), max(cold["ms"][case])
            out.append((f"image cold start, `docker run` to a healthy /ping: {what}",
                        f"{m[case] / 1000:.2f} s ({lo / 1000:.2f}-{hi / 1000:.2f})",
                        "Python stack, tuned, in a container", f"{peer / 1000:.2f} s",
                        f"{m[case] / peer:.2f}x the peer's time (Docker's own floor {m['floor'] / 1000:.2f} s{note})",
                        None, when(cold)))
    if raw:
        peer = raw["python_peer"]["lines_per_s"]
        for name, what, note in [
                ("byoe-logs-pca-supervised", "PCA + supervised members", "one run each"),
                ("byoe-logs-deeplog-every-window", "DeepLog member, every window through the LSTM",
                 "one run each; the peer has no sequence model")]:
            if name in raw["byoe"]:
                lines = raw["byoe"][name]["steady"]["2"]["lines_per_s"]
                out.append((f"raw HDFS log lines/s through one endpoint, concurrency 2: {what}", f"{lines:,.0f}",
                            "Python Drain + loglizer PCA, one process", f"{peer:,.0f}",
                            f"{lines / peer:.1f}x ({note})", None, when(raw)))
    if logs:
        d, res = when(logs), logs["results"]
        if "deeplog-keys" in res:
            m = res["deeplog-keys"]["all"]["deeplog"]
            out.append(("DeepLog on DeepLog's HDFS key sequences: recall at false-positive rate",
                        f"{m['recall']:.4f} at {100 * m['false_positive_rate']:.2f}%", "DeepLog paper (published)",
                        "0.963 at 0.15%", "same sessions; higher recall, more false positives", None, d))
        if "supervised-keys" in res:
            m = res["supervised-keys"]["all"]["model"]
            out.append(("log ensemble F1 on HDFS key sequences (all test sessions)", f"{m['f1']:.4f}",
                        "LogRobust paper, full HDFS (published)", "~0.99", "not the same test set", None, d))
    return out


def section(rows):
    lines = [START, "## Headline", "",
             "Regenerated by `/usr/bin/python3 bench/headline.py` (the last step of `make bench`) from the files the "
             "benchmarks below wrote; each serving ratio is the median of the per-round ratios of interleaved rounds "
             "against the tuned Python stack (nginx -> gunicorn -> Flask + pandas + XGBoost, `OMP_NUM_THREADS=1`) "
             "in the same session, with the spread over the rounds in brackets. Log figures are the endpoint's own "
             "answers (protocol in `bench/log-anomaly/PROTOCOL.md`) beside published figures, which were not "
             "re-run here.", "",
             "| figure | byoe | peer | peer's figure | byoe against it | date |", "|---|---|---|---|---|---|"]
    lines += [f"| {f} | {b} | {p} | {pf} | {r} | {d} |" for f, b, p, pf, r, _, d in rows]
    if any(x[5] for x in rows):
        lines += ["", "![byoe against the tuned Python stack, same session](headline.png)"]
    lines += ["", END]
    return "\n".join(lines)


def chart(rows):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    shown = [(f, r) for f, _, _, _, _, r, _ in rows if r]
    fig, ax = plt.subplots(figsize=(12, 0.5 * len(shown) + 1.2))
    ax.barh([f for f, _ in shown][::-1], [r for _, r in shown][::-1], color="#3b7dd8")
    ax.axvline(1, color="black", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_xlim(0.8, 3 * max(r for _, r in shown))
    ax.set_xlabel("times the tuned Python stack, same session (median of interleaved rounds; log scale)")
    for i, (_, r) in enumerate(shown[::-1]):
        ax.text(r, i, f" {r:.1f}x", va="center")
    fig.tight_layout()
    fig.savefig(BENCH / "headline.png", dpi=90)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--print", action="store_true")
    args = parser.parse_args()
    rows = rows_of(load("interleaved-results.json"), load("serving-results.json"), load("log-anomaly/results.json"),
                   load("raw-logs-results.json"), load("cold-start-results.json"))
    text = section(rows)
    if args.print:
        print(text)
        return
    results = BENCH / "RESULTS.md"
    current = results.read_text()
    if START in current:
        before, rest = current.split(START, 1)
        current = before + text + rest.split(END, 1)[1]
    else:
        # Right after the file's introduction, before the first section.
        at = current.index("\n## ")
        current = current[:at] + "\n" + text + "\n" + current[at:]
    results.write_text(current)
    if any(x[5] for x in rows):
        chart(rows)
    print(text)


if __name__ == "__main__":
    main()
