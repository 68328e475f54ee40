"""Ten (or N) copies of California housing, each feature moved by up to 1% (seeded), so that
the copies are not duplicates of each other. Usage: generate.py cal_housing.csv N > out.csv"""
import csv
import random
import sys

source, copies = sys.argv[1], int(sys.argv[2])
rng = random.Random(2026)
with open(source, newline="") as f:
    rows = list(csv.reader(f))
header, body = rows[0], rows[1:]
label = header.index("medianHouseValue")
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(header)
for _ in range(copies):
    for row in body:
        moved = [
            v if i == label else f"{float(v) * (1 + rng.uniform(-0.01, 0.01)):.6f}"
            for i, v in enumerate(row)
        ]
        out.writerow(moved)
