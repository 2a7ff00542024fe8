"""One Rules object shared by threads: each scan and match has its own C
scanner or matcher, and the results are those of a single thread."""
from __future__ import annotations

import pathlib
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import tsblog
from conftest import TEST_DIR

INPUTS = ["data/sample/operator.log", "data/seed-lines.txt", "data/envelopes/klog.log",
          "data/envelopes/events.json", "data/invalid-utf8.log"]


@pytest.fixture(scope="module")
def big_log(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """~1.3 MB: the inputs above, many times over, so that scans overlap."""
    parts = [(TEST_DIR / p).read_bytes() for p in INPUTS if not p.endswith(".json")]
    data = b"".join(parts) * 60
    p = tmp_path_factory.mktemp("threads") / "big.log"
    p.write_bytes(data)
    return p


def test_four_threads_scan_like_one(rules: tsblog.Rules, big_log: pathlib.Path) -> None:
    want = [d.to_dict() for d in rules.scan(big_log)]
    want_summary = rules.summarize(big_log)
    assert len(want) > 3000
    barrier = threading.Barrier(4)

    def work(i: int) -> tuple[list[dict[str, object]], dict[str, object]]:
        barrier.wait()
        if i % 2:
            return [d.to_dict() for d in rules.scan(big_log)], rules.summarize(big_log)
        s = rules.summarize(big_log)
        return [d.to_dict() for d in rules.scan(big_log)], s

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(work, range(4)))
    for got, summary in results:
        assert got == want
        assert summary == want_summary


def test_four_threads_each_input(rules: tsblog.Rules, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(TEST_DIR)
    want = {p: [d.to_dict() for d in rules.scan(p)] for p in INPUTS}
    jobs = INPUTS * 8
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda p: [d.to_dict() for d in rules.scan(p)], jobs))
    assert got == [want[p] for p in jobs]


def test_four_threads_match_line(rules: tsblog.Rules, seed_lines: list[str]) -> None:
    want = [rules.match_line(l) for l in seed_lines]
    lines = seed_lines * 50

    def work(_: int) -> list[object]:
        return [rules.match_line(l) for l in lines]

    with ThreadPoolExecutor(4) as pool:
        for got in pool.map(work, range(4)):
            assert got == want * 50


def test_interleaved_scans_in_one_thread(rules: tsblog.Rules) -> None:
    """Two scans of one Rules, advanced in turn, do not disturb each other."""
    p = TEST_DIR / "data" / "seed-lines.txt"
    want = [d.to_dict() for d in rules.scan(p)]
    a, b = rules.scan(p), rules.scan(p)
    got_a, got_b = [], []
    for da, db in zip(a, b):
        got_a.append(da.to_dict())
        got_b.append(db.to_dict())
    assert got_a == want and got_b == want


def test_gil_released_while_c_scans(rules: tsblog.Rules) -> None:
    """While one thread is inside the C scan call, another runs Python.

    White-box: one tsblog_b_scan call on a big buffer (~0.2 s of C:
    every line a diagnosis, rendered in C), timed from the scanning thread;
    the main thread notes when it runs.  Holding the GIL, the call would
    leave a gap in those notes as long as itself."""
    from tsblog import _c, _Scanner  # type: ignore[attr-defined]
    data = (TEST_DIR / "data" / "seed-lines.txt").read_bytes() * 150
    sc = _Scanner(rules._rs, "-", _c.TSBLOG_SCAN_NO_SUMMARY, True)
    span: list[float] = []

    def scan() -> None:
        span.append(time.perf_counter())
        assert _c.tsblog_b_scan(sc.found.ptr, sc.ptr, data, True, sc.err.ptr) == 0
        span.append(time.perf_counter())

    t = threading.Thread(target=scan)
    stamps = []
    t.start()
    while t.is_alive():
        stamps.append(time.perf_counter())
    t.join()
    assert len(sc.found.diagnoses(sc.rs)) == 51 * 150
    sc.close()
    inside = [span[0]] + [s for s in stamps if span[0] < s < span[1]] + [span[1]]
    longest_gap = max(b - a for a, b in zip(inside, inside[1:]))
    assert longest_gap < 0.5 * (span[1] - span[0]), (longest_gap, span[1] - span[0])
