"""One Rules object shared by threads: each scan and match has its own C
scanner or matcher, and the results are those of a single thread."""
from __future__ import annotations

import pathlib
import subprocess
import sys
import threading
from typing import Iterator
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


@pytest.fixture
def no_forced_switch() -> Iterator[None]:
    """No thread is made to give up the GIL on a timer: a thread waiting
    for it gets it only when the holder lets it go (blocks, ends, or
    enters C that releases it)."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


# Run in a child: holding the GIL there is a deadlock, which only a
# timeout from outside can end.
WAIT_CHILD = """
import os, sys, threading, tsblog
from tsblog import _c, _Scanner
sys.setswitchinterval(1000.0)
data = open(sys.argv[1], "rb").read()
sc = _Scanner(tsblog.Rules()._rs, "-", _c.TSBLOG_SCAN_NO_SUMMARY, True)
r, w = os.pipe()
h = _c.tsblog_b_fd_new(sc.ptr, r, sc.found.ptr, sc.err.ptr)
entering = threading.Event()
got = []

def take():
    entering.set()
    while True:
        rc = _c.tsblog_b_fd_next(h, sc.found.ptr, sc.err.ptr)
        got.extend(sc.found.diagnoses(sc.rs))
        if rc <= 0:
            got.append(rc)
            return

t = threading.Thread(target=take, daemon=True)
t.start()
entering.wait()
print("taker waiting in C when main ran:", not got and t.is_alive())
os.write(w, data)
os.close(w)
t.join()
_c.tsblog_b_fd_free(h)
print("diagnoses:", len(got) - 1, "last rc:", got[-1])
"""


def test_gil_released_while_c_waits() -> None:
    """tsblog_b_fd_next waits in C for what a pipe's scan finds.  With no
    timer forcing switches, the main thread runs again only once the taker
    lets the GIL go, which is inside that wait (nothing is written yet);
    it then writes the lines the taker waits for.  Holding the GIL in the
    wait, both stop for good."""
    seed = TEST_DIR / "data" / "seed-lines.txt"
    try:
        out = subprocess.run([sys.executable, "-c", WAIT_CHILD, str(seed)],
                             capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("deadlock: tsblog_b_fd_next held the GIL while it waited")
    assert (out.returncode, out.stderr) == (0, "")
    assert out.stdout == ("taker waiting in C when main ran: True\n"
                          "diagnoses: 51 last rc: 0\n")


def test_gil_released_while_c_scans(rules: tsblog.Rules, no_forced_switch: None) -> None:
    """While one thread is inside tsblog_b_scan (~0.2 s of C on a big
    buffer: every line a diagnosis, rendered in C), the main thread runs.

    Without a timer forcing switches, the main thread, woken just before
    the scanner enters C, gets the GIL only when the scanner lets it go:
    inside the call if it is released, else after the call, when the
    scanner has marked it done.  Seeing the call unfinished proves the
    release; holding the GIL fails every try.  A try is repeated (up to
    three) only for the rare case where the main thread is not scheduled
    before the whole call has finished."""
    from tsblog import _c, _Scanner  # type: ignore[attr-defined]
    data = (TEST_DIR / "data" / "seed-lines.txt").read_bytes() * 150
    seen = []
    for _ in range(3):
        sc = _Scanner(rules._rs, "-", _c.TSBLOG_SCAN_NO_SUMMARY, True)
        entering = threading.Event()
        done: list[int] = []

        def scan() -> None:
            entering.set()
            rc = _c.tsblog_b_scan(sc.found.ptr, sc.ptr, data, True, sc.err.ptr)
            done.append(rc)

        t = threading.Thread(target=scan, daemon=True)
        t.start()
        entering.wait()
        seen.append(not done)
        t.join()
        assert done == [0]
        assert len(sc.found.diagnoses(sc.rs)) == 51 * 150
        sc.close()
        if seen[-1]:
            break
    assert seen[-1], seen


def test_four_threads_redact(rules: tsblog.Rules) -> None:
    lines = [f"req {i}: Authorization: Bearer tok{i:08d}x" for i in range(200)]
    want = [f"req {i}: Authorization: Bearer <redacted:token>" for i in range(200)]

    def work(_: int) -> list[str]:
        return [rules.redact(l) for l in lines * 10]

    with ThreadPoolExecutor(4) as pool:
        for got in pool.map(work, range(4)):
            assert got == want * 10


def test_gil_released_while_c_redacts(rules: tsblog.Rules, no_forced_switch: None) -> None:
    """As test_gil_released_while_c_scans, for tsblog_b_redact on one long
    line (~0.3 s of C)."""
    line = b"Authorization: Bearer abcdefghijkl, " * 300000
    want = b"Authorization: Bearer <redacted:token>, " * 300000
    seen = []
    for _ in range(3):
        entering = threading.Event()
        done: list[bytes] = []

        def redact() -> None:
            entering.set()
            done.append(rules.redact(line))

        t = threading.Thread(target=redact, daemon=True)
        t.start()
        entering.wait()
        seen.append(not done)
        t.join()
        assert done == [want]
        if seen[-1]:
            break
    assert seen[-1], seen
