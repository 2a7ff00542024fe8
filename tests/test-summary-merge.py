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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fleet_corpus import corpus, run  # noqa: E402


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
