"""Fixtures for the tsblog binding tests.

Run by `meson test` (suite "bindings") with PYTHONPATH set to the build
tree's bindings/python, so `import tsblog` gets the freshly built package,
and TSBLOG_TEST_DIR set to the source tree's tests/ (shared data and
vectors).
"""
from __future__ import annotations

import os
import pathlib

import pytest

import tsblog

TEST_DIR = pathlib.Path(os.environ.get(
    "TSBLOG_TEST_DIR",
    pathlib.Path(__file__).resolve().parents[3] / "tests")).resolve()


@pytest.fixture(scope="session")
def test_dir() -> pathlib.Path:
    return TEST_DIR


@pytest.fixture(scope="session")
def rules() -> tsblog.Rules:
    return tsblog.Rules()


@pytest.fixture(scope="session")
def seed_lines() -> list[str]:
    return (TEST_DIR / "data" / "seed-lines.txt").read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="session")
def seed_expected() -> list[tuple[int, str, dict[str, str]]]:
    """(line, rule id, fields) per line of data/seed-expected.tsv."""
    out = []
    for row in (TEST_DIR / "data" / "seed-expected.tsv").read_text(encoding="utf-8").splitlines():
        if not row or row.startswith("#"):
            continue
        num, rule, fields = (row.split("\t") + [""])[:3]
        out.append((int(num), rule,
                    dict(kv.split("=", 1) for kv in fields.split(";") if kv)))
    return out
