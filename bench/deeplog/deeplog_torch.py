#!/usr/bin/python3
"""PyTorch reference for byoe's DeepLog member: the same network and training loop.

One-hot events (plus a padding input) -> 2 x LSTM(64) -> last step -> linear over events and
an end-of-session class, cross-entropy, Adam; every event of every normal training session, and
its end, is predicted from the 10 before it (padded at the session start). Reports training
windows/s per epoch and, on the test sessions, precision/recall/F1 with byoe's rule: a session
is anomalous when one of its events (or its end) is not among the g most likely, or never came
next in training. This is the plain PyTorch way: every window, every epoch, no de-duplication.
Run with Debian's python3-torch:

    /usr/bin/python3 bench/deeplog/deeplog_torch.py --sessions ../shared/data/hdfs/HDFS_100k_sessions.csv
"""
import argparse, csv, json, time
import torch, torch.nn as nn


def read_sessions(path):
    train, test = [], []
    with open(path) as f:
        for row in csv.DictReader(f):
            seq = [int(t.lstrip("E")) for t in row["EventSequence"].split()]
            (train if row["Split"] == "train" else test).append((seq, int(row["Label"])))
    return train, test


def windows(sessions, h, pad):
    """Padding input and the end-of-session class share the id `pad` (= number of events)."""
    xs, ys = [], []
    for seq in sessions:
        for t in range(len(seq) + 1):
            xs.append([pad] * max(0, h - t) + seq[max(0, t - h):t])
            ys.append(seq[t] if t < len(seq) else pad)
    return torch.tensor(xs), torch.tensor(ys)


class DeepLog(nn.Module):
    def __init__(self, events, hidden, layers):
        super().__init__()
        self.inputs = events + 1
        self.lstm = nn.LSTM(self.inputs, hidden, layers, batch_first=True)
        self.out = nn.Linear(hidden, events + 1)

    def forward(self, x):
        one_hot = nn.functional.one_hot(x, self.inputs).float()
        y, _ = self.lstm(one_hot)
        return self.out(y[:, -1, :])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sessions", required=True)
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--batch-size", type=int, default=512)
    p.add_argument("--lr", type=float, default=0.003)
    p.add_argument("--window", type=int, default=10)
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--top-g", type=int, default=9)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", help="write results here")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    train, test = read_sessions(a.sessions)
    events = 1 + max(max(s) for s, _ in train + test)
    x, y = windows([s for s, l in train if l == 0], a.window, events)
    seen_next = torch.zeros(events + 1, dtype=torch.bool)
    seen_next[y] = True
    model = DeepLog(events, a.hidden, a.layers)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    loss_fn = nn.CrossEntropyLoss()
    speeds = []
    for epoch in range(1, a.epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(len(y))
        total = 0.0
        for i in range(0, len(y), a.batch_size):
            idx = order[i:i + a.batch_size]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        secs = time.perf_counter() - start
        speeds.append(len(y) / secs)
        print(f"epoch {epoch} loss {total / len(y):.4f} windows/s {len(y) / secs:.0f}", flush=True)
    model.eval()
    tp = fp = fn = 0
    start = time.perf_counter()
    n_windows = 0
    with torch.no_grad():
        for seq, label in test:
            wx, wy = windows([seq], a.window, events)
            n_windows += len(wy)
            top = torch.topk(model(wx), a.top_g, dim=1).indices
            miss = (top != wy.unsqueeze(1)).all(dim=1) | ~seen_next[wy]
            anomalous = bool(miss.any())
            tp += anomalous and label == 1
            fp += anomalous and label == 0
            fn += (not anomalous) and label == 1
    infer = n_windows / (time.perf_counter() - start)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    result = {"train_windows": len(y), "windows_per_second": sorted(speeds)[len(speeds) // 2],
              "inference_windows_per_second": infer, "precision": prec, "recall": rec, "f1": f1,
              "epochs": a.epochs, "batch_size": a.batch_size, "threads": a.threads, "torch": torch.__version__}
    print(json.dumps(result))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
