"""tsblog.dask on a Dask LocalCluster (2 worker processes, loopback):
the merged summary of many files equals one `tsblog -o summary-json` over
all of them, whatever the partitions and the order; the diagnoses bag
equals `tsblog -o json`."""
from __future__ import annotations

import json
import os
import pickle
import random
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

import tsblog

from conftest import TEST_DIR

distributed = pytest.importorskip("distributed")
tsblog_dask = pytest.importorskip("tsblog.dask")
TSBLOG = os.environ.get("TSBLOG_EXE")

sys.path.insert(0, str(TEST_DIR))
from fleet_corpus import corpus  # noqa: E402


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=None)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    if not TSBLOG:
        pytest.skip("TSBLOG_EXE not set (built without the command)")
    lines = corpus(TSBLOG, str(TEST_DIR / "data"), 2400)
    d = tmp_path_factory.mktemp("fleet")
    paths = []
    for k in range(8):
        p = d / f"cluster-{k:02d}.log"
        p.write_text("\n".join(lines[k * 300:(k + 1) * 300]) + "\n")
        paths.append(str(p))
    return paths


def cli(*args: str) -> str:
    assert TSBLOG
    r = subprocess.run([TSBLOG, *args], capture_output=True, text=True)
    assert r.returncode in (0, 1), r.stderr
    return r.stdout


def test_rules_pickle_and_recompile() -> None:
    r = tsblog.Rules.from_string(
        '{"tsblog": 1, "rules": [{"id": "boom", "severity": "error", "title": "Boom",'
        ' "match": "boom (?<n>[0-9]+)", "summary": "boom {n}"}]}', builtin=True, redact=False)
    r2 = pickle.loads(pickle.dumps(r))
    assert r2 is not r and r2.ids() == r.ids() and r2.ids()[0] == "boom"
    d = r2.match_line("boom 42")
    assert d is not None and (d.rule, dict(d.fields)) == ("boom", {"n": "42"})


@pytest.mark.parametrize("npartitions,order", [(1, "sorted"), (3, "reversed"),
                                               (8, "shuffled"), (5, "shuffled")])
def test_summary_equals_one_scan(client: Any, parts: list[str], npartitions: int,
                                 order: str) -> None:
    want = json.loads(cli("-o", "summary-json", *parts))
    assert len(want["problems"]) > 5
    assert any(len(p["sources"]) > 2 for p in want["problems"])
    paths = (parts if order == "sorted" else parts[::-1] if order == "reversed"
             else random.Random(npartitions).sample(parts, len(parts)))
    got = tsblog_dask.summarize(paths, tsblog.Rules(), npartitions=npartitions)
    assert got == want


def test_diagnoses_bag(client: Any, parts: list[str]) -> None:
    want = [json.loads(line) for line in cli("-o", "json", *parts).splitlines()]
    got = tsblog_dask.diagnoses(parts, npartitions=3).compute()
    assert [(d["rule"], d["fields"], d["source"], d["line"]) for d in got] == \
        [(d["rule"], d["fields"], d["source"], d["line"]) for d in want]
