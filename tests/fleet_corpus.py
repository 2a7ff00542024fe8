"""A corpus for the fleet tests (summary merge, Dask): log lines in time
order, to be cut into parts named in that order, so one scan of all the
parts and the merge of their summaries must agree."""
import json
import os
import random
import subprocess


def run(*args):
    r = subprocess.run(args, capture_output=True, text=True)
    assert r.returncode in (0, 1), (args, r.returncode, r.stderr)
    return r.stdout


def corpus(tsblog, data_dir, n):
    """n lines under kubectl --timestamps, times rising: failures the
    catalog knows (those without a time of their own, which would win
    over kubectl's), warnings it does not, healthy noise."""
    seed_path = os.path.join(data_dir, "seed-lines.txt")
    with open(seed_path) as f:
        all_seeds = f.read().split("\n")
    seeds = [all_seeds[d["line"] - 1] for d in map(json.loads, run(
        tsblog, "-o", "json", seed_path).splitlines()) if d["timestamp"] is None]
    with open(os.path.join(data_dir, "info-lines.txt")) as f:
        infos = [l.rstrip("\n") for l in f if l.strip()]
    rnd = random.Random(5)
    lines = []
    for i in range(n):
        r = rnd.random()
        msg = (rnd.choice(seeds) if r < 0.05 else
               f"warn\tads\tslow push to sidecar-{i % 7} took {i % 90}s" if r < 0.07 else
               f"error\tcache\tevicted {i % 13} entries from shard {i % 5}" if r < 0.08 else
               rnd.choice(infos))
        # Offsets vary, instants rise: the merge compares in UTC.
        h = 10 + i // 3600
        ts = (f"2026-12-03T{h:02d}:{i // 60 % 60:02d}:{i % 60:02d}.{i:06d}Z" if i % 3 else
              f"2026-12-03T{h + 1:02d}:{i // 60 % 60:02d}:{i % 60:02d}.{i:06d}+01:00")
        lines.append(f"{ts} {msg}")
    return lines
