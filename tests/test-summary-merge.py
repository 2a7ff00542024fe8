"""Summaries merge: however the parts of a corpus are grouped and ordered,
`tsblog summary merge` gives the document one scan of all the parts gives
(the parts are in time order and named in that order, as an archive's
are), and merging is commutative and associative.

Usage: test-summary-merge.py TSBLOG DATA_DIR"""
import json
import os
import random
import subprocess
import sys
import tempfile


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


def run(*args):
    r = subprocess.run(args, capture_output=True, text=True)
    assert r.returncode in (0, 1), (args, r.returncode, r.stderr)
    return r.stdout


def main():
    tsblog, data_dir = sys.argv[1:3]
    lines = corpus(tsblog, data_dir, 4000)
    with tempfile.TemporaryDirectory(prefix="tsblog-merge-") as tmp:
        parts = []
        for k in range(10):
            p = os.path.join(tmp, f"part-{k:02d}.log")
            with open(p, "w") as f:
                f.write("\n".join(lines[k * 400:(k + 1) * 400]) + "\n")
            parts.append(p)
        whole = run(tsblog, "-o", "summary-json", *parts)
        doc = json.loads(whole)
        assert len(doc["problems"]) > 5 and doc["unclassified"], whole
        assert any(len(p["sources"]) > 2 for p in doc["problems"]), whole

        def summary(group, name):
            path = os.path.join(tmp, name)
            with open(path, "w") as f:
                f.write(run(tsblog, "-o", "summary-json", *group))
            return path

        def merge(docs, name):
            path = os.path.join(tmp, name)
            with open(path, "w") as f:
                f.write(run(tsblog, "summary", "merge", *docs))
            return path

        def text(path):
            with open(path) as f:
                return f.read()

        singles = [summary([p], f"s{k}.json") for k, p in enumerate(parts)]
        rnd = random.Random(9)
        shuffled = singles[:]
        rnd.shuffle(shuffled)
        groupings = {
            "one merge, in order": merge(singles, "m-in-order.json"),
            "one merge, reversed": merge(singles[::-1], "m-reversed.json"),
            "one merge, shuffled": merge(shuffled, "m-shuffled.json"),
            # ((0..2 scanned together) + (3..9 merged pairwise, right first))
            "scans and merges nested": merge(
                [merge([merge(singles[8:], "t1.json"), merge(singles[3:8][::-1], "t2.json")],
                       "t3.json"),
                 summary(parts[:3], "g0.json")], "m-nested.json"),
            "left fold": None,
        }
        acc = singles[0]
        for k, s in enumerate(singles[1:]):
            acc = merge([acc, s], f"fold{k}.json")
        groupings["left fold"] = acc
        for what, path in groupings.items():
            got = text(path)
            if got != whole:
                a, b = json.loads(got), json.loads(whole)
                diff = [k for k in b if a.get(k) != b[k]]
                raise AssertionError(f"{what}: differs from one scan in {diff}")
        print(f"{len(doc['problems'])} problems, {len(doc['unclassified'])} unclassified: "
              f"{len(groupings)} groupings equal one scan of {len(parts)} files")

        # Errors say which document and where.
        bad = os.path.join(tmp, "bad.json")
        with open(bad, "w") as f:
            f.write('{"schema_version": 1,\n "problems": [}\n')
        r = subprocess.run([tsblog, "summary", "merge", singles[0], bad],
                           capture_output=True, text=True)
        assert r.returncode == 2 and r.stderr == f"tsblog: {bad}:2:15: unexpected token near '}}'\n", r.stderr
        old = os.path.join(tmp, "old.json")
        d = json.loads(text(singles[0]))
        del d["problems"][0]["key"]
        with open(old, "w") as f:
            json.dump(d, f)
        r = subprocess.run([tsblog, "summary", "merge", old], capture_output=True, text=True)
        assert r.returncode == 2 and r.stderr == \
            f"tsblog: {old}: a problem has no key (a summary from before keys)\n", r.stderr
    return 0


if __name__ == "__main__":
    sys.exit(main())
