"""The Python API of libtsblog, value by value."""
from __future__ import annotations

import dataclasses
import io
import json
import os
import pathlib
import pickle
import re
import subprocess
import warnings

import pytest

import tsblog
from conftest import TEST_DIR

OPERATOR_LOG = TEST_DIR / "data" / "sample" / "operator.log"

SA_LINE = ('error\tcontrolplane\ttoken rotation failed, retrying in 15m0s: secret '
           'istio-system/cluster-service-account not found: Secret '
           '"cluster-service-account" not found [scope="controlplane"]')

EXPIRED_LINE = ('error\tcontrolplane\ttoken rotation failed: x509: certificate has '
                'expired or is not yet valid: current time 2026-11-20T08:00:00Z is after '
                '2026-11-01T00:00:00Z')

# One user rule; its example holds, and it catches what tls-cert-expired
# of the catalog would.
USER_RULES = r"""{
  "tsblog": 1,
  "rules": [
    {
      "id": "my-expired",
      "severity": "warning",
      "title": "Our certificate expired",
      "match": "certificate has (?<state>expired)",
      "summary": "A certificate has {state}.",
      "fix": ["Renew it ({state})."],
      "examples": [
        {"line": "x509: certificate has expired or is not yet valid", "fields": {"state": "expired"}}
      ]
    }
  ]
}
"""

# tests/data/invalid/regex-unclosed-group/rules.json, kept here so that the
# exact values below do not depend on that directory.
BAD_REGEX_RULES = """{
  "tsblog": 1,
  "rules": [
    {
      "id": "upstream-reset",
      "severity": "error",
      "title": "Upstream reset",
      "match": "upstream (?<host>[a-z.]+ reset",
      "summary": "{host} reset the connection."
    }
  ]
}
"""


def catalog_files() -> list[pathlib.Path]:
    """The bundled rule files, in catalog order (rules/catalog.txt)."""
    rules = TEST_DIR.parent / "rules"
    with open(rules / "catalog.txt", encoding="utf-8") as f:
        return [rules / n.strip() for n in f if n.strip() and not n.startswith("#")]


def catalog_ids() -> list[str]:
    ids = []
    for path in catalog_files():
        with open(path, encoding="utf-8") as f:
            ids += [r["id"] for r in json.load(f)["rules"]]
    return ids


def project_version() -> str:
    text = (TEST_DIR.parent / "meson.build").read_text(encoding="utf-8")
    m = re.search(r"version:\s*'([^']+)'", text)
    assert m
    return m.group(1)


@pytest.fixture
def user_rules_file(tmp_path: pathlib.Path) -> pathlib.Path:
    p = tmp_path / "mine.json"
    p.write_text(USER_RULES, encoding="utf-8")
    return p


# --- module ------------------------------------------------------------------

def test_version() -> None:
    assert tsblog.__version__ == project_version()


def test_public_names() -> None:
    for name in ("Rules", "Diagnosis", "RuleError", "ScanWarning", "Scan",
                 "CheckFailure", "Fields"):
        assert name in tsblog.__all__
        assert hasattr(tsblog, name)
    assert issubclass(tsblog.RuleError, ValueError)
    assert issubclass(tsblog.ScanWarning, Warning)


def test_py_typed_installed_next_to_package() -> None:
    assert (pathlib.Path(tsblog.__file__).parent / "py.typed").exists()


# --- Rules ---------------------------------------------------------------------

def test_bundled_rules(rules: tsblog.Rules) -> None:
    assert rules.ids() == catalog_ids()
    assert len(rules) == len(catalog_ids())
    assert "mp-unreachable" in rules
    assert "nope" not in rules
    assert repr(rules) == "<tsblog.Rules: %d rules>" % len(catalog_ids())
    assert rules.check() == []


def test_ids_is_a_copy(rules: tsblog.Rules) -> None:
    rules.ids().clear()
    assert len(rules.ids()) == len(catalog_ids())


def test_user_files_come_first(user_rules_file: pathlib.Path) -> None:
    r = tsblog.Rules(files=[user_rules_file], builtin=True)
    assert r.ids() == ["my-expired"] + catalog_ids()
    assert len(r) == 1 + len(catalog_ids())
    d = r.match_line(EXPIRED_LINE)
    assert d is not None and d.rule == "my-expired"
    assert d.summary == "A certificate has expired."
    assert d.fix == ("Renew it (expired).",)
    d = tsblog.Rules().match_line(EXPIRED_LINE)
    assert d is not None and d.rule == "tls-cert-expired"


def test_user_files_only(user_rules_file: pathlib.Path) -> None:
    for files in ([user_rules_file], [str(user_rules_file)], str(user_rules_file),
                  user_rules_file):
        r = tsblog.Rules(files=files, builtin=False)  # type: ignore[arg-type]
        assert r.ids() == ["my-expired"]
    r = tsblog.Rules(files=[user_rules_file, *catalog_files()], builtin=False)
    assert r.ids() == ["my-expired"] + catalog_ids()


def test_from_string() -> None:
    r = tsblog.Rules.from_string(USER_RULES)
    assert r.ids() == ["my-expired"]
    assert r.check() == []
    r = tsblog.Rules.from_string(USER_RULES.encode(), name="x", builtin=True)
    assert r.ids() == ["my-expired"] + catalog_ids()


def test_limit_hit_rules() -> None:
    # A rule that backtracks catastrophically gives up on the line at the
    # match limit; the scan goes on and the summary names the rule.
    r = tsblog.Rules.from_string('{"tsblog": 1, "rules": [{"id": "redos", "severity": "warning",'
                                 ' "title": "t", "match": "aaa(a+)+$", "summary": "s"}]}',
                                 builtin=True)
    s = r.summarize(io.BytesIO(b"a" * 60 + b"!\n" + SA_LINE.encode() + b"\n"))
    assert s["limit_hits"] == 1
    assert s["limit_hit_rules"] == [{"rule": "redos", "count": 1}]
    assert [p["rule"] for p in s["problems"]] == ["cp-sa-secret-missing"]


def test_check_failures() -> None:
    text = USER_RULES.replace('"fields": {"state": "expired"}', '"fields": {"state": "gone"}')
    r = tsblog.Rules.from_string(text, name="mine.json")
    failures = r.check()
    assert len(failures) == 1
    f = failures[0]
    assert isinstance(f, tsblog.CheckFailure)
    assert (f.rule_id, f.source, f.line, f.column, f.kind, f.index, f.severity) == \
        ("my-expired", "mine.json", 12, 9, "examples", 0, "error")
    assert f.message == ('mine.json:12:9: rule "my-expired": examples[0]: field "state": '
                         'expected "gone", got "expired"')
    assert str(f) == f.message


LINT_RULES = r"""{"tsblog": 1, "rules": [{"id": "sha-line", "severity": "warning", "title": "t",
 "match": "^(?<sha>[0-9a-f]{40})$", "summary": "s {sha}", "fix": ["f"],
 "examples": [{"line": "0123456789012345678901234567890123456789",
               "fields": {"sha": "0123456789012345678901234567890123456789"}}]}]}"""


def test_check_lint_is_a_warning() -> None:
    """The library's lints come back beside the self-tests, as warnings."""
    failures = tsblog.Rules.from_string(LINT_RULES, name="lint.json").check()
    assert [(f.rule_id, f.source, f.line, f.column, f.kind, f.severity)
            for f in failures] == [("sha-line", "lint.json", 2, 11, "match", "warning")]
    assert failures[0].message.startswith(
        'lint.json:2:11: rule "sha-line": match: warning: no literal found')
    assert tsblog.Rules.from_string(USER_RULES, name="mine.json").check() == []


def test_check_first_match_wins() -> None:
    """Loaded first, my-expired shadows the catalog's rules of expired
    certificates: each of their examples its pattern matches fails, in
    catalog order."""
    r = tsblog.Rules.from_string(USER_RULES, name="x", builtin=True)
    failures = r.check()
    want = []
    for path in catalog_files():
        with open(path, encoding="utf-8") as f:
            for rule in json.load(f)["rules"]:
                want += [(rule["id"], "builtin:" + path.name, "examples", i)
                         for i, ex in enumerate(rule.get("examples", []))
                         if "certificate has expired" in ex["line"]]
    assert ("tls-cert-expired", "builtin:tsb.json", "examples", 0) in want
    assert [(f.rule_id, f.source, f.kind, f.index) for f in failures] == want
    assert all(f.message.endswith('matched by earlier rule "my-expired" instead '
                                  '(first match wins)') for f in failures)


# --- errors --------------------------------------------------------------------

def test_rule_error_from_file(tmp_path: pathlib.Path) -> None:
    p = tmp_path / "rules.json"
    p.write_text(BAD_REGEX_RULES, encoding="utf-8")
    with pytest.raises(tsblog.RuleError) as info:
        tsblog.Rules(files=[p])
    e = info.value
    assert isinstance(e, ValueError)
    assert e.message == (f'{p}:8:16: rule "upstream-reset": match: PCRE2 error at '
                         'offset 30: missing closing parenthesis')
    assert str(e) == e.message
    assert (e.path, e.line, e.column, e.position, e.rule_id, e.member, e.code) == \
        (str(p), 8, 16, 141, "upstream-reset", "match", "regex")


def test_rule_error_relative_path(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "rules.json").write_text(BAD_REGEX_RULES, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(tsblog.RuleError, match=r'^rules\.json:8:16: rule "upstream-reset": match: '):
        tsblog.Rules(files=["rules.json"])


def test_rule_error_from_string() -> None:
    with pytest.raises(tsblog.RuleError) as info:
        tsblog.Rules.from_string(BAD_REGEX_RULES)
    e = info.value
    assert e.path == "inline"
    assert str(e).startswith('inline:8:16: rule "upstream-reset": match: PCRE2 error')
    assert (e.line, e.column, e.rule_id) == (8, 16, "upstream-reset")


def test_rule_error_syntax() -> None:
    with pytest.raises(tsblog.RuleError) as info:
        tsblog.Rules.from_string('{"tsblog": 1, "rules": [}', name="t.json")
    e = info.value
    assert e.code == "syntax"
    assert (e.line, e.rule_id) == (1, "")
    assert e.message.startswith("t.json:1:")


INVALID = sorted(p for p in (TEST_DIR / "data" / "invalid").glob("*/error")) \
    if (TEST_DIR / "data" / "invalid").is_dir() else []


@pytest.mark.parametrize("error_file", INVALID, ids=[p.parent.name for p in INVALID])
def test_invalid_rule_files(error_file: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each tests/data/invalid/NAME/ holds rules.json and error: "line
    column position", then the message (with rules.json as the path)."""
    where, message = error_file.read_text(encoding="utf-8").splitlines()[:2]
    line, column, position = map(int, where.split())
    source = "rules.json"
    monkeypatch.chdir(error_file.parent)
    with pytest.raises(tsblog.RuleError) as info:
        tsblog.Rules(files=[source], builtin=False)
    e = info.value
    assert (e.path, e.line, e.column, e.position) == (source, line, column, position)
    # The exact wording is the C tests' business (test-errors.c); here: the
    # same location, and the C message as str().
    location = message.split(": ", 1)[0]
    assert e.message.split(": ", 1)[0] == location == f"{source}:{line}:{column}"
    assert str(e) == e.message


def test_missing_rule_file(tmp_path: pathlib.Path) -> None:
    with pytest.raises(FileNotFoundError):
        tsblog.Rules(files=[tmp_path / "nope.json"])


def test_missing_input(rules: tsblog.Rules, tmp_path: pathlib.Path) -> None:
    with pytest.raises(FileNotFoundError):
        rules.scan(tmp_path / "nope.log")  # raised at once, not when iterated
    with pytest.raises(FileNotFoundError):
        rules.summarize(str(tmp_path / "nope.log"))
    with pytest.raises(IsADirectoryError):
        rules.scan(tmp_path)


def test_bad_arguments(rules: tsblog.Rules) -> None:
    with pytest.raises(TypeError):
        rules.scan(b"data/sample/operator.log")  # type: ignore[arg-type]  # not a path
    with pytest.raises(TypeError):
        rules.scan(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        list(rules.scan([SA_LINE, 42]))  # type: ignore[list-item]
    with pytest.raises(TypeError):
        rules.match_line(42)  # type: ignore[arg-type]


# --- match_line ----------------------------------------------------------------

def test_match_line_values(rules: tsblog.Rules) -> None:
    d = rules.match_line(SA_LINE)
    assert isinstance(d, tsblog.Diagnosis)
    assert d.rule == "cp-sa-secret-missing"
    assert d.severity == "error"
    assert d.component == "tsb-operator-control-plane"
    assert d.title == "Cluster service account secret is missing"
    assert d.summary == ("tsb-operator-control-plane cannot rotate the cluster tokens because "
                         "secret cluster-service-account does not exist in namespace istio-system.")
    assert d.fix[0] == ("Confirm the secret is missing: kubectl -n istio-system get secret "
                        "cluster-service-account")
    assert len(d.fix) == 7
    assert d.fields == {"namespace": "istio-system", "secret": "cluster-service-account"}
    assert list(d.fields) == ["namespace", "secret"]
    assert d.fields["secret"] == "cluster-service-account"
    assert d.see_also == ("cp-cluster-name-mismatch", "edge-auth-token-secret-missing")
    assert d.docs is not None and d.docs.startswith("TSB docs: Troubleshooting")
    assert (d.source, d.line, d.timestamp, d.level, d.pod, d.container, d.namespace) == \
        (None, None, None, None, None, None, None)
    assert d.count == 1
    assert d.text == SA_LINE


def test_match_line_str_and_bytes(rules: tsblog.Rules) -> None:
    a = rules.match_line(SA_LINE)
    assert a is not None
    assert rules.match_line(SA_LINE.encode()) == a
    assert rules.match_line(bytearray(SA_LINE.encode())) == a
    assert rules.match_line(SA_LINE + "\n") == a
    assert rules.match_line(SA_LINE.encode() + b"\r\n") == a


def test_match_line_no_match(rules: tsblog.Rules) -> None:
    assert rules.match_line("") is None
    assert rules.match_line(b"") is None
    assert rules.match_line("info\tcontrolplane\ttoken rotation succeeded") is None


def test_match_line_seed_lines(rules: tsblog.Rules, seed_lines: list[str],
                               seed_expected: list[tuple[int, str, dict[str, str]]]) -> None:
    assert len(seed_expected) == len(seed_lines)
    for num, rule, fields in seed_expected:
        d = rules.match_line(seed_lines[num - 1])
        if rule == "-":
            assert d is None, num
        else:
            assert d is not None, num
            assert (d.rule, dict(d.fields)) == (rule, fields), num


def test_match_line_invalid_utf8(rules: tsblog.Rules) -> None:
    d = rules.match_line(b"\xff\xfe" + SA_LINE.encode() + b" \xc3(\xed\xa0\x80")
    assert d is not None
    assert d.rule == "cp-sa-secret-missing"
    assert d.text.startswith("\ufffd\ufffd" + SA_LINE)
    assert "\ufffd(" in d.text
    assert d.text.encode("utf-8")  # valid UTF-8 throughout
    # A str decoded with surrogateescape gives the same bytes back.
    raw = b"\xff" + SA_LINE.encode()
    e = rules.match_line(raw.decode("utf-8", "surrogateescape"))
    assert e == rules.match_line(raw)


def test_diagnosis_is_the_c_json_line(rules: tsblog.Rules) -> None:
    """What crosses from C (the packed form) gives the values of the C
    library's own JSON line, whatever the bytes: controls, quotes,
    backslashes, non-ASCII, invalid UTF-8."""
    from tsblog import _c, _Found  # type: ignore[attr-defined]
    ctrl = bytes(range(1, 32)).decode()
    m = rules._matcher()
    js = _Found.__new__(_Found)
    js.ptr = _c.tsblog_b_found_new(_c.TSBLOG_B_JSON)
    for line in [SA_LINE + " " + ctrl, SA_LINE + ' \u2028 "q" \\ / \U0001F600 é',
                 b"\xff\xfe" + SA_LINE.encode() + b"\xc0\xaf \xed\xa0\x80 end"]:
        d = rules.match_line(line)
        data = line.encode() if isinstance(line, str) else line
        assert _c.tsblog_b_match(js.ptr, m.ptr, data, m.err.ptr) == 1
        assert d is not None and d.to_dict() == json.loads(js.text()), line
    js.close()


def test_diagnosis_made_in_c_is_the_class_called(rules: tsblog.Rules) -> None:
    """C stores a diagnosis's values straight into the dataclass's slots
    (and the fields' dict into Fields); with classes that have no such
    slots it calls them: both give the same values, and the objects are
    what calling Diagnosis and Fields makes."""
    from tsblog import _c, _Found, Diagnosis, Fields, _KEYS  # type: ignore[attr-defined]
    m = rules._matcher()
    found = _Found()
    lines = [SA_LINE, SA_LINE + ' "q" \\ é', SA_LINE.encode() + b" \xff"]
    for line in lines:
        data = line.encode() if isinstance(line, str) else line
        assert _c.tsblog_b_match(found.ptr, m.ptr, data, m.err.ptr) == 1
        made = _c.tsblog_b_found_diagnoses(found.ptr, {}, Fields, Diagnosis)
        called = _c.tsblog_b_found_diagnoses(found.ptr, {}, dict, lambda *v: v)
        assert len(made) == len(called) == 1
        d, values = made[0], called[0]
        assert type(d) is Diagnosis and type(d.fields) is Fields
        assert tuple(getattr(d, k) for k in _KEYS[:6]) == values[:6]
        assert dict(d.fields) == values[6] and d.fields == Fields(values[6])
        assert tuple(getattr(d, k) for k in _KEYS[7:]) == values[7:]
        assert d == Diagnosis(*values[:6], Fields(values[6]), *values[7:])
        assert d == rules.match_line(line)
    found.close()


# --- Diagnosis -------------------------------------------------------------------

def test_diagnosis_is_a_frozen_value(rules: tsblog.Rules) -> None:
    d = rules.match_line(SA_LINE)
    assert d is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.rule = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        d.fields["secret"] = "x"  # type: ignore[index]
    assert not hasattr(d, "__dict__")  # slots
    assert hash(d) == hash(rules.match_line(SA_LINE))
    assert {d, rules.match_line(SA_LINE)} == {d}
    assert pickle.loads(pickle.dumps(d)) == d
    assert dataclasses.replace(d, line=3).line == 3


def test_diagnosis_repr(rules: tsblog.Rules) -> None:
    d = next(iter(rules.scan(OPERATOR_LOG)))
    assert repr(d) == (f"<tsblog.Diagnosis cp-sa-secret-missing at {OPERATOR_LOG}:4 "
                       "{'namespace': 'istio-system', 'secret': 'cluster-service-account'}>")
    m = rules.match_line(SA_LINE)
    assert repr(m) == ("<tsblog.Diagnosis cp-sa-secret-missing "
                       "{'namespace': 'istio-system', 'secret': 'cluster-service-account'}>")


def test_to_dict(rules: tsblog.Rules) -> None:
    d = next(iter(rules.scan(OPERATOR_LOG)))
    got = d.to_dict()
    assert list(got) == ["rule", "severity", "component", "title", "summary", "fix",
                         "fields", "see_also", "docs", "source", "line", "timestamp",
                         "level", "pod", "container", "namespace", "count", "text"]
    assert list(got) == [f.name for f in dataclasses.fields(tsblog.Diagnosis)]
    assert type(got["fix"]) is list and type(got["fields"]) is dict
    assert type(got["see_also"]) is list
    assert (got["source"], got["line"], got["timestamp"], got["level"]) == \
        (str(OPERATOR_LOG), 4, "2026-11-20T08:10:01.251903Z", "error")
    got["fix"].append("x")  # a copy
    assert "x" not in d.fix


# --- scan: sources and names -------------------------------------------------

def dicts(it: object) -> list[dict[str, object]]:
    return [d.to_dict() for d in it]  # type: ignore[attr-defined]


def without_source(ds: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{k: v for k, v in d.items() if k != "source"} for d in ds]


def test_scan_path_names(rules: tsblog.Rules, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(TEST_DIR)
    rel = "data/sample/operator.log"
    assert {d.source for d in rules.scan(rel)} == {rel}
    assert {d.source for d in rules.scan(pathlib.Path(rel))} == {rel}
    assert {d.source for d in rules.scan("./" + rel)} == {"./" + rel}
    assert {d.source for d in rules.scan(rel, name="op")} == {"op"}
    assert [d.line for d in rules.scan(rel)] == [4, 8, 11, 12, 15, 27, 28]


def test_scan_file_objects(rules: tsblog.Rules) -> None:
    want = dicts(rules.scan(OPERATOR_LOG))
    with open(OPERATOR_LOG, "rb") as f:
        assert dicts(rules.scan(f)) == want  # .name is the path
        assert not f.closed  # not ours to close
    with open(OPERATOR_LOG, encoding="utf-8") as f:
        assert dicts(rules.scan(f)) == want
    data = OPERATOR_LOG.read_bytes()
    got = dicts(rules.scan(io.BytesIO(data)))
    assert {d["source"] for d in got} == {"-"}
    assert without_source(got) == without_source(want)
    got = dicts(rules.scan(io.StringIO(data.decode()), name="x"))
    assert {d["source"] for d in got} == {"x"}
    assert without_source(got) == without_source(want)
    with open(os.open(OPERATOR_LOG, os.O_RDONLY), "rb") as f:  # .name is an int
        assert {d.source for d in rules.scan(f)} == {"-"}


def test_scan_lines(rules: tsblog.Rules) -> None:
    want = without_source(dicts(rules.scan(OPERATOR_LOG)))
    text = OPERATOR_LOG.read_text(encoding="utf-8")
    for lines in (text.splitlines(), text.splitlines(keepends=True),
                  [l.encode() for l in text.splitlines()],
                  (l for l in text.splitlines(keepends=True))):
        got = dicts(rules.scan(lines))  # type: ignore[arg-type]
        assert {d["source"] for d in got} == {"-"}
        assert without_source(got) == want
    # str and bytes lines mixed
    mixed: list[str | bytes] = [l if i % 2 else l.encode() for i, l in enumerate(text.splitlines())]
    assert without_source(dicts(rules.scan(mixed))) == want


def test_scan_lines_each_item_is_a_line(rules: tsblog.Rules) -> None:
    """An item without "\\n" gets one: a signature cut in two items is two
    lines, and matches nothing; an item may hold several lines."""
    cut = len(SA_LINE) // 2
    assert list(rules.scan([SA_LINE[:cut], SA_LINE[cut:]])) == []
    got = list(rules.scan(["a\nb\n" + SA_LINE, "c"]))
    assert [(d.rule, d.line) for d in got] == [("cp-sa-secret-missing", 3)]
    assert rules.summarize(["a", "b", SA_LINE])["records"] == 3


class Trickle(io.RawIOBase):
    """A binary reader that hands out a few bytes per read()."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data, self._pos, self._step = data, 0, step

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        chunk = self._data[self._pos:self._pos + self._step]
        self._pos += len(chunk)
        return chunk


@pytest.mark.parametrize("step", [1, 7, 4096])
def test_line_split_across_reads(rules: tsblog.Rules, step: int) -> None:
    data = OPERATOR_LOG.read_bytes()
    want = without_source(dicts(rules.scan(OPERATOR_LOG)))
    assert without_source(dicts(rules.scan(Trickle(data, step)))) == want


def test_line_split_across_chunks(rules: tsblog.Rules, tmp_path: pathlib.Path) -> None:
    """A signature line straddling the 1 MiB boundary of the reads."""
    filler = b"2026-11-20T08:00:00.000000Z\tinfo\tads\tpush ok\n"
    head = filler * ((1 << 20) // len(filler))
    pad = (1 << 20) - len(head) - 40  # the line starts 40 bytes before 1 MiB
    head += b"x" * (pad - 1) + b"\n"
    data = head + SA_LINE.encode() + b"\n" + filler * 3 + SA_LINE.encode()  # no final "\n"
    p = tmp_path / "big.log"
    p.write_bytes(data)
    nlines = head.count(b"\n")
    got = list(rules.scan(p))
    assert [(d.rule, d.line) for d in got] == [("cp-sa-secret-missing", nlines + 1),
                                               ("cp-sa-secret-missing", nlines + 5)]
    assert got[0].text == SA_LINE and got[1].text == SA_LINE
    s = rules.summarize(p)
    assert (s["records"], s["bytes"]) == (nlines + 5, len(data))


def test_invalid_utf8_around_signature(rules: tsblog.Rules) -> None:
    line = b"\xff\xfe " + SA_LINE.encode() + b" \xc0\xaf"
    for source in ([line], io.BytesIO(line + b"\n")):
        got = list(rules.scan(source))
        assert len(got) == 1
        d = got[0]
        assert d.rule == "cp-sa-secret-missing"
        assert d.fields == {"namespace": "istio-system", "secret": "cluster-service-account"}
        assert d.text == "\ufffd\ufffd " + SA_LINE + " \ufffd\ufffd"


def test_empty_input(rules: tsblog.Rules, tmp_path: pathlib.Path) -> None:
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    for source in (empty, [], io.BytesIO(b""), io.StringIO(""), iter(())):
        assert list(rules.scan(source)) == []  # type: ignore[arg-type]
    s = rules.summarize(empty)
    assert (s["records"], s["bytes"], s["problems"], s["unclassified"]) == (0, 0, [], [])


def test_summarize(rules: tsblog.Rules, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(TEST_DIR)
    s = rules.summarize("data/sample/operator.log")
    assert list(s) == ["schema_version", "records", "bytes", "truncated", "malformed",
                       "limit_hits", "limit_hit_rules", "problems", "problems_dropped",
                       "unclassified", "unclassified_dropped"]
    assert s["limit_hit_rules"] == []
    assert (s["schema_version"], s["records"], s["bytes"]) == (1, 38, 5616)
    assert [(p["rule"], p["count"]) for p in s["problems"]] == [
        ("cp-sa-secret-missing", 1), ("cp-cluster-name-mismatch", 1), ("mp-unreachable", 2),
        ("cp-mp-cert-name-mismatch", 1), ("edge-xcp-cert-name-mismatch", 2)]
    assert s["problems"][0]["sources"] == ["data/sample/operator.log"]
    with open("data/sample/operator.log", "rb") as f:
        assert rules.summarize(f) == s
    assert rules.summarize(OPERATOR_LOG.read_text().splitlines(),
                           name="data/sample/operator.log") == s


# --- scan: malformed events, closing -------------------------------------------

@pytest.fixture
def bad_events(tmp_path: pathlib.Path) -> pathlib.Path:
    text = (TEST_DIR / "data" / "envelopes" / "events.json").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    assert lines[5].strip() == '"count": 1,'
    lines[5] = lines[5].replace('"count": 1,', '"count": 1,,')
    p = tmp_path / "bad-events.json"
    p.write_text("".join(lines), encoding="utf-8")
    return p


def test_malformed_event_warns_and_goes_on(rules: tsblog.Rules, bad_events: pathlib.Path) -> None:
    good = TEST_DIR / "data" / "envelopes" / "events.json"
    want = without_source(dicts(rules.scan(good)))
    scan = rules.scan(bad_events)
    with pytest.warns(tsblog.ScanWarning) as record:
        got = without_source(dicts(scan))
    assert got == want  # the bad event was not a diagnosis; the rest still is
    assert len(record) == 1
    w = record[0].message
    assert isinstance(w, tsblog.ScanWarning)
    assert str(w) == (f"{bad_events}:6:24: malformed event in the JSON document: "
                      "string or '}' expected near ','")
    assert (w.source, w.line, w.column, w.code) == (str(bad_events), 6, 24, "syntax")
    assert record[0].filename == __file__  # reported at the caller's line
    assert scan.errors == [w]
    with pytest.warns(tsblog.ScanWarning):
        assert rules.summarize(bad_events)["malformed"] == 1


def test_malformed_event_as_error(rules: tsblog.Rules, bad_events: pathlib.Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", tsblog.ScanWarning)
        with pytest.raises(tsblog.ScanWarning, match=r":6:24: malformed event"):
            list(rules.scan(bad_events))


def test_scan_closes_its_file(rules: tsblog.Rules) -> None:
    scan = rules.scan(OPERATOR_LOG)
    f = scan._file
    assert f is not None and not f.closed
    assert len(list(scan)) == 7
    assert f.closed
    with rules.scan(OPERATOR_LOG) as scan:
        f = scan._file
        next(scan)
    assert f.closed
    assert list(scan) == []  # closed: nothing more
    scan = rules.scan(OPERATOR_LOG)
    f = scan._file
    scan.close()  # never started
    assert f.closed
    assert repr(rules.scan(OPERATOR_LOG, name="n")) == "<tsblog.Scan of 'n'>"


def test_scan_path_jobs(rules: tsblog.Rules, tmp_path: pathlib.Path) -> None:
    """A path is read and scanned by C on ``jobs`` threads: the diagnoses
    and summary of the same bytes read from a file object, whatever jobs;
    closing the scan early stops the C thread."""
    parts = []
    for n in range(30000):  # ~3 MiB: pieces for two threads
        parts.append(f"2026-11-20T08:10:01.{n:06d}Z\tinfo\tfiller line {n}\n")
        parts.append(f"error\tcontrolplane\t{SA_LINE}\n")
    data = "".join(parts).encode()
    path = tmp_path / "big.log"
    path.write_bytes(data)
    want = list(rules.scan(io.BytesIO(data), name=str(path)))
    assert len(want) == 30000 and want[-1].line == 60000
    summary = rules.summarize(io.BytesIO(data), name=str(path))
    for jobs in (1, 2, None):
        assert list(rules.scan(path, jobs=jobs)) == want, jobs
        assert rules.summarize(path, jobs=jobs) == summary, jobs
    scan = rules.scan(path, jobs=2)
    assert next(scan) == want[0]
    scan.close()
    assert list(scan) == []
    with pytest.raises(ValueError):
        rules.scan(path, jobs=0)


def test_rules_outlive_their_wrapper(user_rules_file: pathlib.Path) -> None:
    """A scan keeps the rule set alive after the Rules object is gone."""
    r = tsblog.Rules(files=[user_rules_file])
    scan = r.scan(OPERATOR_LOG)
    del r
    import gc
    gc.collect()
    assert [d.rule for d in scan][:2] == ["cp-sa-secret-missing", "cp-cluster-name-mismatch"]
    d = tsblog.Rules().match_line(SA_LINE)  # nothing dangles in a Diagnosis
    gc.collect()
    assert d is not None and d.fields["secret"] == "cluster-service-account"


@pytest.mark.parametrize("mode", ["rb", "r"])
def test_live_pipe(rules: tsblog.Rules, mode: str) -> None:
    """A binary or text stream is read as its data arrives: a diagnosis
    comes out while the writer still holds the pipe open."""
    import threading
    r, w = os.pipe()
    reader = os.fdopen(r, mode)
    writer = os.fdopen(w, "wb", buffering=0)
    try:
        writer.write(b"info\tads\tpush ok\n" + SA_LINE.encode() + b"\n")
        got: list[tsblog.Diagnosis] = []
        done = threading.Event()

        def consume() -> None:
            for d in rules.scan(reader):
                got.append(d)
                done.set()

        t = threading.Thread(target=consume, daemon=True)
        t.start()
        assert done.wait(10), "no diagnosis before the end of input"
        assert [(d.rule, d.line, d.source) for d in got] == [("cp-sa-secret-missing", 2, "-")]
    finally:
        writer.close()
    t.join(10)
    assert not t.is_alive()
    reader.close()


REDACT_RULES = """{"tsblog": 1, "rules": [{"id": "auth", "severity": "error",
  "title": "Auth failed", "match": "auth failed with (?<cred>.*)$",
  "summary": "used {cred}"}]}"""
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJlZGdlIn0.c2lnbmF0dXJl"


def test_secrets_redacted_by_default():
    rules = tsblog.Rules.from_string(REDACT_RULES)
    line = "auth failed with Bearer abcdefghijklmnop and " + JWT
    d = rules.match_line(line)
    assert d.fields["cred"] == "Bearer <redacted:token> and <redacted:jwt>"
    assert d.summary == "used Bearer <redacted:token> and <redacted:jwt>"
    assert JWT not in d.text
    (s,) = list(rules.scan([line]))
    assert s.fields["cred"] == d.fields["cred"]


def test_redact_false_keeps_secrets():
    rules = tsblog.Rules.from_string(REDACT_RULES, redact=False)
    line = "auth failed with " + JWT
    assert rules.match_line(line).fields["cred"] == JWT
    (s,) = list(rules.scan([line]))
    assert s.text == line


# --- lines shown with their secrets redacted (tsblog_matcher_redact) ------------

PEM_LINE = ('tls.key: "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC'
            '\\n-----END PRIVATE KEY-----\\n" loaded')
KUBECONFIG_LINE = ("    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlF"
                   "cEFJQkFBS0NBUUVBCi0tLS0tRU5EIFJTQSBQUklWQVRFIEtFWS0tLS0tCg==")
# (line, what `tsblog --passthrough` shows of it)
REDACTED = [
    ("token " + JWT + " expired", "token <redacted:jwt> expired"),
    ("Authorization: Bearer abcdefghijkl", "Authorization: Bearer <redacted:token>"),
    (PEM_LINE, 'tls.key: "<redacted:pem>\\n" loaded'),
    (KUBECONFIG_LINE, "    client-key-data: <redacted:key>"),
    ("GET https://admin:hunter2@tsb.example.com/v2 200",
     "GET https://admin:<redacted:password>@tsb.example.com/v2 200"),
]


@pytest.mark.parametrize("line,want", REDACTED)
def test_redact(rules: tsblog.Rules, line: str, want: str) -> None:
    assert rules.redact(line) == want
    assert rules.redact(line.encode()) == want.encode()
    assert rules.redact(line + "\n") == want + "\n"


def test_redact_no_secret_is_the_line_itself(rules: tsblog.Rules) -> None:
    line = "upstream connect error or disconnect/reset before headers"
    assert rules.redact(line) is line
    data = line.encode()
    assert rules.redact(data) is data
    assert rules.redact(bytearray(data)) == data and type(rules.redact(bytearray(data))) is bytes
    assert rules.redact(memoryview(data)) == data
    assert rules.redact("") == "" and rules.redact(b"") == b""


def test_redact_bytes_as_they_are(rules: tsblog.Rules) -> None:
    """Invalid UTF-8, NUL and control bytes stay; the result is bytes."""
    got = rules.redact(b"a\x00\xff\x1b[1m Bearer abcdefghijkl\xfe z")
    assert got == b"a\x00\xff\x1b[1m Bearer <redacted:token>\xfe z"
    assert rules.redact(bytearray(b"\x00Bearer abcdefghijkl")) == b"\x00Bearer <redacted:token>"
    assert rules.redact(memoryview(b"Bearer abcdefghijkl")) == b"Bearer <redacted:token>"


def test_redact_str_surrogates(rules: tsblog.Rules) -> None:
    """A surrogateescape'd byte goes to C as that byte and comes back as
    it was; so does a lone surrogate (surrogatepass both ways)."""
    raw = b"caf\xe9 Bearer abcdefghijkl"
    line = raw.decode("utf-8", "surrogateescape")
    assert line == "caf\udce9 Bearer abcdefghijkl"
    assert rules.redact(line) == "caf\udce9 Bearer <redacted:token>"
    assert rules.redact(raw) == b"caf\xe9 Bearer <redacted:token>"
    assert rules.redact("\ud800 \udce9 Bearer abcdefghijkl") == "\ud800 \udce9 Bearer <redacted:token>"


def test_redact_whatever_redact_false_says() -> None:
    """redact=False keeps secrets in diagnoses; redact() is asked for."""
    rules = tsblog.Rules.from_string(REDACT_RULES, redact=False)
    assert rules.redact("auth failed with " + JWT) == "auth failed with <redacted:jwt>"


def test_redact_type_error(rules: tsblog.Rules) -> None:
    with pytest.raises(TypeError):
        rules.redact(42)  # type: ignore[call-overload]


@pytest.mark.skipif(not os.environ.get("TSBLOG_EXE"), reason="TSBLOG_EXE not set (built without the command)")
def test_redact_is_the_commands_passthrough(rules: tsblog.Rules) -> None:
    """The lines above, and bytes the command copies raw (-a for the NUL),
    redacted as `tsblog --passthrough --raw` shows them."""
    lines = [line.encode() for line, _ in REDACTED] + [
        b"a\x00\xff Bearer abcdefghijkl\xfe z", b"no secret \xff here"]
    out = subprocess.run([os.environ["TSBLOG_EXE"], "--passthrough", "--raw", "-a", "--no-builtin"],
                         input=b"".join(l + b"\n" for l in lines), capture_output=True, check=True)
    assert out.stdout == b"".join(rules.redact(l + b"\n") for l in lines)
    assert out.stdout.split(b"\n")[:-1] == [rules.redact(l) for l in lines]
    assert out.stdout.decode("utf-8", "surrogateescape").split("\n")[:-1] == \
        [rules.redact(l.decode("utf-8", "surrogateescape")) for l in lines]


# --- records from a log engine (tsblog_matcher_match_envelope) -------------------

EXPIRED = ("Unable to connect to the server: x509: certificate has expired or is not "
           "yet valid: current time 2021-04-01T14:43:32+02:00 is before 2021-04-01T15:31:09Z")


def test_match_record_metadata_picks_the_advice(rules: tsblog.Rules) -> None:
    """The same line: TSB steps from the TSB operator's pod, generic ones elsewhere."""
    tsb = rules.match_record(EXPIRED, pod="tsb-operator-control-plane-7d9c-x2x",
                             namespace="istio-system", container="tsb-operator",
                             level="error")
    assert tsb is not None
    assert (tsb.rule, tsb.pod, tsb.namespace, tsb.container, tsb.level) == \
        ("tls-cert-expired", "tsb-operator-control-plane-7d9c-x2x", "istio-system",
         "tsb-operator", "error")
    other = rules.match_record(EXPIRED, pod="webhook-5f6d-abcde", namespace="apps")
    assert other is not None
    assert (other.rule, other.pod, other.namespace) == \
        ("x509-cert-expired", "webhook-5f6d-abcde", "apps")
    assert rules.match_record(EXPIRED) == rules.match_line(EXPIRED)
    assert rules.match_record("all is well", pod="edge-1") is None


def test_match_record_unwraps_the_envelope(rules: tsblog.Rules) -> None:
    """A kubectl --prefix line gives its pod unless the engine says otherwise."""
    line = "[pod/webhook-5f6d-abcde/hook] " + EXPIRED
    d = rules.match_record(line)
    assert d is not None and (d.rule, d.pod, d.container) == \
        ("x509-cert-expired", "webhook-5f6d-abcde", "hook")
    d = rules.match_record(line, pod="edge-66f8c9d8b5-4kq2x")
    assert d is not None and (d.rule, d.pod) == ("tls-cert-expired", "edge-66f8c9d8b5-4kq2x")
