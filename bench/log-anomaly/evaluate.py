#!/usr/bin/env python3
"""Log anomaly figures from the endpoint's own answers (the protocol is bench/log-anomaly/PROTOCOL.md).

For each protocol: the sessions are written as a SageMaker training layout, `byoe train` runs with
the protocol's hyperparameters (defaults unless the protocol says otherwise), `byoe serve` loads the
model, and every test session is posted to /invocations; precision, recall, F1 and the
false-positive rate are counted from the answers, for the model and for each member's own verdict,
over all test sessions and over those whose event sequence never occurs in the training file.

Usage: evaluate.py [--data ../shared/data] [--protocol NAME]... [--json FILE] [--markdown FILE]
"""
import argparse
import csv
import functools
import gzip
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
import serving  # noqa: E402  (bench/serving.py: the processor record every result file carries)
JAR = ROOT / "dist" / "byoe.jar"
BATCH = 4000  # sessions per request: well under the 6 MiB payload limit


@functools.cache
def java():
    jdk = subprocess.run([str(ROOT / "scripts" / "find-jdk")], capture_output=True, text=True,
                         check=True).stdout.strip()
    return str(Path(jdk) / "bin" / "java")


def key_lines(path):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt") as f:
        return [" ".join(line.split()) for line in f if line.strip()]


def labelled_rows(path):
    """logdeep's `Sequence,label` files as (sequence, label) pairs."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt") as f:
        return [(" ".join(r["Sequence"].split()), int(r["label"])) for r in csv.DictReader(f)]


def minus(pool, taken):
    """The multiset difference: each sequence of `taken` removes one equal session from `pool`."""
    left = Counter(taken)
    out = []
    for s in pool:
        if left[s] > 0:
            left[s] -= 1
        else:
            out.append(s)
    return out


# --- the protocols: (train sessions, test sessions, hyperparameters) -----------------------------

def deeplog_keys(data):
    """DeepLog's HDFS key sequences: learn from hdfs_train (normal only, unlabelled); test on every
    abnormal session of hdfs_test_abnormal and the 7,000 normal sessions of logdeep's two files."""
    d = data / "deeplog"
    train = [(s, None) for s in key_lines(d / "hdfs_train")]
    normal = [s for s, y in labelled_rows(d / "logdeep_robust_log_train.csv.gz") if y == 0]
    normal += [s for s, y in labelled_rows(d / "logdeep_robust_log_valid.csv") if y == 0]
    test = [(s, 1) for s in key_lines(d / "hdfs_test_abnormal.gz")] + [(s, 0) for s in normal]
    return train, test, {"members": "deeplog,pca"}


def supervised_keys(data):
    """The same key space with labels: learn from logdeep_robust_log_train (6,000 + 6,000); the job
    holds out its own validation and calibration cuts. Test: the abnormal sessions of
    hdfs_test_abnormal that are not rows of the training file (it was sampled from that file), and
    the normal sessions of robust_log_valid and hdfs_train (other rows and another sample: which of
    them, if any, are the same blocks as training rows cannot be told, hence the unseen view)."""
    d = data / "deeplog"
    train = labelled_rows(d / "logdeep_robust_log_train.csv.gz")
    abnormal = minus(key_lines(d / "hdfs_test_abnormal.gz"), [s for s, y in train if y == 1])
    normal = [s for s, y in labelled_rows(d / "logdeep_robust_log_valid.csv") if y == 0]
    normal += key_lines(d / "hdfs_train")
    test = [(s, 1) for s in abnormal] + [(s, 0) for s in normal]
    return train, test, {"members": "pca,deeplog,xgboost,catboost"}


def hdfs_100k(data):
    """HDFS_100k's own Split column (deep-loglizer's 80/20 random split)."""
    train, test = [], []
    with open(data / "hdfs" / "HDFS_100k_sessions.csv") as f:
        for r in csv.DictReader(f):
            row = (" ".join(e.lstrip("E") for e in r["EventSequence"].split()), int(r["Label"]))
            (train if r["Split"] == "train" else test).append(row)
    return train, test, {"members": "pca,deeplog,xgboost,catboost"}


PROTOCOLS = {"deeplog-keys": deeplog_keys, "supervised-keys": supervised_keys,
             "hdfs-100k": hdfs_100k}


# --- running the jar -------------------------------------------------------------------------------

def write_layout(root, train, hyperparameters):
    config = root / "input" / "config"
    data = root / "input" / "data" / "train"
    config.mkdir(parents=True)
    data.mkdir(parents=True)
    with open(data / "sessions.csv", "w", newline="") as f:
        w = csv.writer(f)
        labelled = train[0][1] is not None
        w.writerow(["SessionId", "Label", "EventSequence"] if labelled else ["SessionId", "EventSequence"])
        for i, (s, y) in enumerate(train):
            w.writerow([f"t{i}", y, s] if labelled else [f"t{i}", s])
    (config / "hyperparameters.json").write_text(json.dumps({"task": "log_anomaly", **hyperparameters}))
    (config / "inputdataconfig.json").write_text(json.dumps({"train": {
        "ContentType": "text/csv", "TrainingInputMode": "File",
        "S3DistributionType": "FullyReplicated", "RecordWrapperType": "None"}}))
    (config / "resourceconfig.json").write_text(json.dumps({"current_host": "algo-1", "hosts": ["algo-1"]}))


def run_jar(root, command, **kwargs):
    env = {**os.environ, "BYOE_ML_ROOT": str(root), "OMP_NUM_THREADS": "1"}
    env.update(kwargs.pop("env", {}))
    return subprocess.Popen([java(), "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                             "-jar", str(JAR), command], env=env, **kwargs)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(port, body):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/invocations", data=body.encode(),
                                 headers={"Content-Type": "text/csv", "Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.load(r)["predictions"]


def served_answers(root, test):
    port = free_port()
    log = open(root / "serve.log", "w")
    server = run_jar(root, "serve", env={"SAGEMAKER_BIND_TO_PORT": str(port)}, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("serve exited: " + (root / "serve.log").read_text())
                time.sleep(0.1)
        answers = []
        for start in range(0, len(test), BATCH):
            chunk = test[start:start + BATCH]
            body = io.StringIO()
            body.write("SessionId,EventSequence\n")
            for i, (s, _) in enumerate(chunk):
                body.write(f"x{start + i},{s}\n")
            got = post(port, body.getvalue())
            if [a["id"] for a in got] != [f"x{start + i}" for i in range(len(chunk))]:
                raise SystemExit("the endpoint did not answer every session in order")
            answers.extend(got)
        return answers
    finally:
        server.terminate()
        server.wait()
        log.close()


# --- counting ------------------------------------------------------------------------------------

def figures(predicted, truth):
    tp = sum(1 for p, y in zip(predicted, truth) if p and y)
    fp = sum(1 for p, y in zip(predicted, truth) if p and not y)
    fn = sum(1 for p, y in zip(predicted, truth) if not p and y)
    tn = len(truth) - tp - fp - fn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": precision, "recall": recall,
            "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0,
            "false_positive_rate": fp / (fp + tn) if fp + tn else 0.0,
            "tp": tp, "fp": fp, "fn": fn, "tn": tn}


def evaluate(name, data, keep, overrides):
    train, test, hyperparameters = PROTOCOLS[name](data)
    hyperparameters = {**hyperparameters, **overrides}
    seen = {s for s, _ in train}
    root = Path(tempfile.mkdtemp(prefix=f"byoe-log-eval-{name}-"))
    write_layout(root, train, hyperparameters)
    started = time.time()
    with open(root / "train.log", "w") as log:
        if run_jar(root, "train", stdout=log, stderr=subprocess.STDOUT).wait() != 0:
            raise SystemExit(f"{name}: training failed; see {root / 'train.log'}")
    trained = time.time() - started
    answers = served_answers(root, test)
    manifest = json.loads((root / "model" / "manifest.json").read_text())
    truth = [y for _, y in test]
    unseen = [i for i, (s, _) in enumerate(test) if s not in seen]
    verdicts = {"model": [a["label"] for a in answers]}
    for member in answers[0]["members"]:
        verdicts[member] = [a["members"][member]["label"] for a in answers]
    # The supervised members' scores are their own probabilities: their verdict at 0.5, before
    # any calibration on held-out sessions, is each one alone as its library would answer.
    for member in ("xgboost", "catboost"):
        if member in answers[0]["members"]:
            verdicts[f"{member}, own score >= 0.5"] = [
                int(a["members"][member]["score"] >= 0.5) for a in answers]
    result = {
        "hyperparameters": hyperparameters,
        "train": {"sessions": len(train), "labelled": train[0][1] is not None,
                  "anomalous": sum(1 for _, y in train if y == 1),
                  "distinct_sequences": len(seen)},
        "test": {"sessions": len(test), "anomalous": sum(truth),
                 "unseen_sessions": len(unseen), "unseen_anomalous": sum(truth[i] for i in unseen)},
        "training_seconds": round(trained, 1),
        "job_log": [l for l in (root / "train.log").read_text().splitlines() if "byoe" in l or ":" in l][-40:],
        "manifest": {k: manifest.get(k) for k in ("calibration", "threshold_rule", "decision_threshold", "evaluation")},
        "member_settings": {m["name"]: m.get("hyperparameters") for m in manifest["members"]},
        "all": {k: figures(v, truth) for k, v in verdicts.items()},
        "unseen": {k: figures([v[i] for i in unseen], [truth[i] for i in unseen]) for k, v in verdicts.items()},
    }
    if not keep:
        shutil.rmtree(root)
    else:
        result["layout"] = str(root)
        with open(root / "answers.jsonl", "w") as out:  # to read the errors one by one
            for (s, y), a in zip(test, answers):
                out.write(json.dumps({"events": s, "label": y, "answer": a}) + "\n")
    return result


def markdown(results):
    out = []
    for name, r in results.items():
        t = r["test"]
        kind = f"{r['train']['anomalous']:,} anomalous" if r["train"]["labelled"] else "unlabelled"
        out.append(f"### {name}: train {r['train']['sessions']:,} sessions ({kind}), "
                   f"test {t['sessions']:,} ({t['anomalous']:,} anomalous); unseen: {t['unseen_sessions']:,} "
                   f"({t['unseen_anomalous']:,} anomalous)\n")
        out.append("| verdict | sessions | precision | recall | F1 | false positives | anomalies missed |")
        out.append("|---|---|---|---|---|---|---|")
        for view in ("all", "unseen"):
            for k, f in r[view].items():
                out.append(f"| {k} | {view} | {f['precision']:.4f} | {f['recall']:.4f} | {f['f1']:.4f} | "
                           f"{f['false_positive_rate']:.4%} ({f['fp']}) | {f['fn']} |")
        out.append("")
    return "\n".join(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    p.add_argument("--protocol", action="append", choices=sorted(PROTOCOLS))
    p.add_argument("--json", default=str(ROOT / "bench" / "log-anomaly" / "results.json"))
    p.add_argument("--markdown", default=str(ROOT / "bench" / "log-anomaly" / "results.md"))
    p.add_argument("--keep", action="store_true", help="keep each protocol's /opt/ml layout, with every answer in answers.jsonl")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="a hyperparameter on top of the protocol's (for exploring; published figures use none)")
    a = p.parse_args()
    data = Path(a.data)
    if not (data / "deeplog" / "hdfs_train").is_file() or not (data / "hdfs" / "HDFS_100k_sessions.csv").is_file():
        print(f"{data}: the HDFS and DeepLog data sets are absent; log anomaly evaluation skipped.")
        return
    results = {}
    for name in a.protocol or list(PROTOCOLS):
        print(f"{name} ...", file=sys.stderr, flush=True)
        results[name] = evaluate(name, data, a.keep, dict(kv.split("=", 1) for kv in a.set))
        print(json.dumps({v: results[name][v] for v in ("all", "unseen")}, indent=1), file=sys.stderr)
    Path(a.json).write_text(json.dumps({"date": time.strftime("%Y-%m-%d"), "cpu": serving.cpu(), "results": results}, indent=1))
    Path(a.markdown).write_text(markdown(results))
    print(markdown(results))


if __name__ == "__main__":
    main()
