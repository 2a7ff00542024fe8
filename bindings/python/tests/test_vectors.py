"""The shared vectors (tests/vectors/MANIFEST): the binding must give what
the tsblog command gives, byte for byte."""
from __future__ import annotations

import json
import warnings

import pytest

import tsblog
from conftest import TEST_DIR

MANIFEST = [line.strip() for line in
            (TEST_DIR / "vectors" / "MANIFEST").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def test_manifest_is_not_empty() -> None:
    assert len(MANIFEST) >= 10


@pytest.mark.parametrize("path", MANIFEST)
def test_jsonl(path: str, rules: tsblog.Rules, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(TEST_DIR)  # the CLI ran in tests/ with this relative path
    name = path.rsplit("/", 1)[-1]
    expected = (TEST_DIR / "vectors" / f"{name}.jsonl").read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("error", tsblog.ScanWarning)
        got = "".join(json.dumps(d.to_dict(), separators=(",", ":"), ensure_ascii=False) + "\n"
                      for d in rules.scan(path))
    assert got.encode("utf-8") == expected


@pytest.mark.parametrize("path", MANIFEST)
def test_jsonl_key_order(path: str, rules: tsblog.Rules, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(TEST_DIR)
    name = path.rsplit("/", 1)[-1]
    lines = (TEST_DIR / "vectors" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    got = [d.to_dict() for d in rules.scan(path)]
    assert [list(d) for d in got] == [list(json.loads(line)) for line in lines]
    assert got == [json.loads(line) for line in lines]


@pytest.mark.parametrize("path", MANIFEST)
def test_summary(path: str, rules: tsblog.Rules, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(TEST_DIR)
    name = path.rsplit("/", 1)[-1]
    with open(TEST_DIR / "vectors" / f"{name}.summary.json", encoding="utf-8") as f:
        expected = json.load(f)
    got = rules.summarize(path)
    assert got == expected
    assert list(got) == list(expected)


@pytest.mark.parametrize("path", MANIFEST)
def test_same_from_file_object_and_lines(path: str, rules: tsblog.Rules,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A binary file object, and the file's lines as bytes, give the same
    diagnoses as the path (with the name given)."""
    monkeypatch.chdir(TEST_DIR)
    want = [d.to_dict() for d in rules.scan(path)]
    with open(path, "rb") as f:
        assert [d.to_dict() for d in rules.scan(f)] == want
    with open(path, "rb") as f:
        data = f.read()
    lines = data.splitlines(keepends=True)
    assert [d.to_dict() for d in rules.scan(lines, name=path)] == want
    if data.endswith(b"\n"):
        assert rules.summarize(lines, name=path) == rules.summarize(path)
