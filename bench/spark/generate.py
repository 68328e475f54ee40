"""Writes a large HDFS log for the Spark benchmark: the lines of HDFS_20000 repeated, each copy's
block ids made fresh (a fixed-width copy number put in front of the id's digits, so ids never
collide and still match blk_-?\\d+). Usage: generate.py HDFS_20000.log[.gz] COPIES > out.log"""
import gzip
import re
import sys

source, copies = sys.argv[1], int(sys.argv[2])
opener = gzip.open if source.endswith(".gz") else open
with opener(source, "rt") as f:
    lines = f.read().splitlines()
block = re.compile(r"blk_(-?)(\d+)")
out = sys.stdout
for copy in range(copies):
    prefix = f"{copy:04d}"
    out.write("\n".join(block.sub(lambda m: f"blk_{m.group(1)}{prefix}{m.group(2)}", l) for l in lines))
    out.write("\n")
