"""The Python peer for raw log lines in, verdicts out (issue #23, goal 6), in one process.

What Python users run for this today is Drain (logparser/drain3) followed by loglizer's PCA. Neither
package can be installed on these machines (no PyPI), so this is this project's own Python
transcription of the two published algorithms with the settings byoe uses for HDFS:
- Drain (He et al., ICWS 2017): masks for block ids and IP:port, a fixed-depth tree (depth 4:
  token count, then the first two tokens, digits turned into <*>), similarity threshold 0.5, at most
  100 children per node. Training learns templates; scoring only looks them up, as an endpoint does.
- loglizer's PCA (Xu et al., SOSP 2009): event-count vectors per block, tf-idf weighting and
  zero-mean normalisation, the components that explain 95% of the variance, and the squared
  prediction error against the Q-statistic threshold at c_alpha = 3.2905.

Usage: raw_logs.py TRAIN_LOG SCORE_LOG CHUNK_LINES REPEATS
Prints one JSON object: lines scored per second over REPEATS passes of SCORE_LOG cut into
CHUNK_LINES-line pieces (each piece sessioned on its own, as one request would be), the number of
verdicts, and the time spent parsing.
"""
import json
import re
import sys
import time

import numpy as np

HEADER = re.compile(r"^(\S+) (\S+) (\S+) (\S+) ([^:]+): (.*)$")
MASKS = [re.compile(r"blk_-?\d+"), re.compile(r"(\d+\.){3}\d+(:\d+)?")]
BLOCK = re.compile(r"blk_-?\d+")
WILD = "<*>"


class Drain:
    def __init__(self, depth=4, st=0.5, max_children=100):
        self.prefix = depth - 2  # tree levels below the token-count level
        self.st = st
        self.max_children = max_children
        self.root = {}
        self.templates = []  # group id -> template tokens

    @staticmethod
    def tokens(line):
        m = HEADER.match(line)
        content = m.group(6) if m else line
        for mask in MASKS:
            content = mask.sub(WILD, content)
        return content.split()

    def _leaf(self, toks, create):
        node = self.root.get(len(toks))
        if node is None:
            if not create:
                return None
            node = self.root[len(toks)] = {}
        for tok in toks[: self.prefix]:
            key = WILD if any(c.isdigit() for c in tok) else tok
            child = node.get(key)
            if child is None:
                child = node.get(WILD)
            if child is None:
                if not create:
                    return None
                key = key if len(node) < self.max_children - 1 else WILD
                child = node.setdefault(key, {})
            node = child
        return node.setdefault("", []) if create else node.get("", [])

    def _best(self, groups, toks):
        best, best_sim = None, -1.0
        for gid in groups:
            template = self.templates[gid]
            same = sum(1 for a, b in zip(template, toks) if a == b and a != WILD)
            sim = same / len(toks) if toks else 1.0
            if sim > best_sim:
                best, best_sim = gid, sim
        return best if best_sim >= self.st else None

    def learn(self, line):
        toks = self.tokens(line)
        groups = self._leaf(toks, True)
        gid = self._best(groups, toks)
        if gid is None:
            gid = len(self.templates)
            self.templates.append(list(toks))
            groups.append(gid)
        else:
            template = self.templates[gid]
            for i, (a, b) in enumerate(zip(template, toks)):
                if a != b:
                    template[i] = WILD
        return gid

    def match(self, line):
        toks = self.tokens(line)
        groups = self._leaf(toks, False)
        return None if groups is None else self._best(groups, toks)


def count_vectors(lines, event_of, events):
    """Blocks in order of first appearance and their event-count matrix."""
    rows = {}
    for line in lines:
        gid = event_of(line)
        for block in set(BLOCK.findall(line)):
            row = rows.get(block)
            if row is None:
                row = rows[block] = np.zeros(events)
            if gid is not None and gid < events:
                row[gid] += 1
    return list(rows), (np.array(list(rows.values())) if rows else np.zeros((0, events)))


class Pca:
    def fit(self, x, variance=0.95, c_alpha=3.2905):
        n = x.shape[0]
        df = (x > 0).sum(axis=0)
        self.idf = np.log(n / (df + 1e-8))
        x = x * self.idf
        self.mean = x.mean(axis=0)
        x = x - self.mean
        u, sigma, _ = np.linalg.svd(x.T @ x / n)
        k = int(np.searchsorted(np.cumsum(sigma) / sigma.sum(), variance) + 1)
        p = u[:, :k]
        self.c = np.eye(x.shape[1]) - p @ p.T
        phi = [np.sum(sigma[k:] ** (i + 1)) for i in range(3)]
        h0 = 1.0 - 2 * phi[0] * phi[2] / (3.0 * phi[1] ** 2)
        self.threshold = phi[0] * (c_alpha * np.sqrt(2 * phi[1] * h0 ** 2) / phi[0]
                                   + 1.0 + phi[1] * h0 * (h0 - 1) / phi[0] ** 2) ** (1.0 / h0)
        return self

    def predict(self, x):
        y = (x * self.idf - self.mean) @ self.c.T
        return (np.sum(y * y, axis=1) > self.threshold).astype(int)


def main():
    train_log, score_log, chunk, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    drain = Drain()
    train_lines = open(train_log, encoding="utf-8").read().splitlines()
    _, x = count_vectors(train_lines, drain.learn, 1 << 10)
    events = len(drain.templates)
    model = Pca().fit(x[:, :events])
    lines = open(score_log, encoding="utf-8").read().splitlines()
    pieces = [lines[i:i + chunk] for i in range(0, len(lines), chunk)]
    verdicts = parse_s = 0
    start = time.perf_counter()
    for _ in range(repeats):
        for piece in pieces:
            t = time.perf_counter()
            gids = [drain.match(line) for line in piece]
            parse_s += time.perf_counter() - t
            it = iter(gids)
            _, counts = count_vectors(piece, lambda line: next(it), events)
            verdicts += len(model.predict(counts))
    elapsed = time.perf_counter() - start
    print(json.dumps({"lines_per_s": repeats * len(lines) / elapsed, "lines": repeats * len(lines),
                      "verdicts": verdicts, "templates": events, "seconds": elapsed,
                      "parse_share": parse_s / elapsed}))


if __name__ == "__main__":
    main()
