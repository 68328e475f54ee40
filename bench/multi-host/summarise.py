"""Reads the hosts' logs of bench/multi-host/run into one JSON document."""
import json
import os
import re
import sys

work = sys.argv[1]
result = {"rows": None, "runs": []}
for n in sorted(int(d) for d in os.listdir(work) if d.isdigit()):
    hosts = []
    for i in range(1, n + 1):
        log = open(os.path.join(work, str(n), f"algo-{i}.log")).read()
        rows = re.search(r"read (\d+) rows", log)
        result["rows"] = int(rows.group(1)) if rows else result["rows"]
        net = re.search(r"received (\d+) bytes, sent (\d+) bytes", log)
        took = re.search(r" in ([0-9.]+) s\s*$", log.strip().splitlines()[-1])
        units = re.findall(r"^(\S+ (?:fold \d+/\d+|on all rows)): trained on (\d+) rows.*? in ([0-9.]+) s", log, re.M)
        hosts.append({
            "host": f"algo-{i}",
            "seconds": float(took.group(1)) if took else None,
            "received_bytes": int(net.group(1)) if net else 0,
            "sent_bytes": int(net.group(2)) if net else 0,
            "units": [{"unit": u, "rows": int(r), "seconds": float(s)} for u, r, s in units],
        })
    metrics = {}
    lead = open(os.path.join(work, str(n), "algo-1.log")).read()
    for k, v in re.findall(r"^validation-(\w+):([0-9.]+);", lead, re.M):
        metrics[k] = float(v)
    result["runs"].append({"hosts": n, "per_host": hosts, "metrics": metrics})
json.dump(result, sys.stdout, indent=2)
print()
