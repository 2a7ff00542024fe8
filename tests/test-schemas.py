"""The JSON Schemas in rules/schema/, the man page and the bash completion,
checked against the bundled catalog, the shared vectors and the built
command.

Run by meson (test 'schemas'), or by hand:
    TSBLOG=build/tools/tsblog python3 -m pytest -q tests/test-schemas.py
TSBLOG is the built tsblog; without it the tests that run the command are
skipped.  TSBLOG_SOURCE_ROOT defaults to this file's parent directory.
"""
import glob
import json
import os
import re
import shutil
import subprocess

import jsonschema
import pytest
from jsonschema import Draft202012Validator

ROOT = os.environ.get("TSBLOG_SOURCE_ROOT") or os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))
SCHEMA_DIR = os.path.join(ROOT, "rules", "schema")
TSBLOG = os.environ.get("TSBLOG")
SAMPLE = os.path.join(ROOT, "tests", "data", "sample", "operator.log")
MAN_PAGE = os.path.join(ROOT, "tools", "tsblog.1")
COMPLETION = os.path.join(ROOT, "tools", "tsblog.bash-completion")
ZSH_COMPLETION = os.path.join(ROOT, "tools", "_tsblog")
FISH_COMPLETION = os.path.join(ROOT, "tools", "tsblog.fish")

needs_tsblog = pytest.mark.skipif(not TSBLOG, reason="TSBLOG is not set")


def load_schema(name):
    with open(os.path.join(SCHEMA_DIR, name + ".schema.json"),
              encoding="utf-8") as f:
        return json.load(f)


RULES = load_schema("rules")
DIAGNOSIS = load_schema("diagnosis")
SUMMARY = load_schema("summary")


def validator(schema):
    return Draft202012Validator(schema)


def errors(schema, instance):
    return sorted(validator(schema).iter_errors(instance), key=str)


def assert_valid(schema, instance, what):
    errs = errors(schema, instance)
    assert not errs, "%s: %s" % (
        what, "; ".join("%s at /%s" % (e.message, "/".join(map(str, e.path)))
                        for e in errs[:5]))


def run(*args, **kw):
    return subprocess.run([TSBLOG, *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, encoding="utf-8", **kw)


# --- the schemas themselves ------------------------------------------------

@pytest.mark.parametrize("name", ["rules", "diagnosis", "summary"])
def test_schema_is_valid_draft_2020_12(name):
    schema = load_schema(name)
    assert schema["$schema"] == \
        "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == \
        "https://libtsblog.invalid/schema/%s.schema.json" % name
    Draft202012Validator.check_schema(schema)


def walk_properties(node, path="#"):
    """Yield (path, schema) of every property declared anywhere."""
    if isinstance(node, dict):
        for k, v in node.get("properties", {}).items():
            yield "%s/properties/%s" % (path, k), v
        for k, v in node.items():
            yield from walk_properties(v, "%s/%s" % (path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk_properties(v, "%s/%d" % (path, i))


def walk_objects(node, path="#"):
    """Yield (path, schema) of every schema that declares properties."""
    if isinstance(node, dict):
        if "properties" in node:
            yield path, node
        for k, v in node.items():
            yield from walk_objects(v, "%s/%s" % (path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk_objects(v, "%s/%d" % (path, i))


@pytest.mark.parametrize("name", ["rules", "diagnosis", "summary"])
def test_every_property_is_described_and_closed(name):
    schema = load_schema(name)
    for path, prop in walk_properties(schema):
        assert prop.get("description"), "%s has no description" % path
    for path, obj in walk_objects(schema):
        assert obj.get("additionalProperties") is False, \
            "%s allows unknown members" % path


# What the command adds at the end of the library's summary document.
COMMAND_SUMMARY_KEYS = ["inputs", "complete"]


def test_output_schemas_require_every_key_in_order():
    for schema in (DIAGNOSIS, SUMMARY["$defs"]["problem"],
                   SUMMARY["$defs"]["unclassified"]):
        assert schema["required"] == list(schema["properties"])
    assert SUMMARY["required"] + COMMAND_SUMMARY_KEYS == \
        list(SUMMARY["properties"])


def c_member_list(source, name):
    m = re.search(r"%s\[\]\s*=\s*\{(.*?)\}" % name, source, re.S)
    assert m, "%s not found in lib/rulefile.c" % name
    return re.findall(r'"([^"]*)"', m.group(1))


def test_rule_schema_members_match_the_loader():
    """The members the schema allows are the ones lib/rulefile.c does."""
    path = os.path.join(ROOT, "lib", "rulefile.c")
    with open(path, encoding="utf-8") as f:
        source = f.read()
    defs = RULES["$defs"]
    for c_name, schema in (("top_members", RULES),
                           ("rule_members", defs["rule"]),
                           ("example_members", defs["example"])):
        assert sorted(c_member_list(source, c_name)) == \
            sorted(schema["properties"]), c_name


# --- what the project ships -----------------------------------------------

def test_bundled_catalog_is_valid():
    with open(os.path.join(ROOT, "rules", "catalog.txt"), encoding="utf-8") as f:
        names = [n.strip() for n in f if n.strip() and not n.startswith("#")]
    assert names
    for name in names:
        with open(os.path.join(ROOT, "rules", name), encoding="utf-8") as f:
            assert_valid(RULES, json.load(f), "rules/" + name)


JSONL = sorted(glob.glob(os.path.join(ROOT, "tests", "vectors", "*.jsonl")))
SUMMARIES = sorted(glob.glob(
    os.path.join(ROOT, "tests", "vectors", "*.summary.json")))


def check_jsonl(text, what):
    n = 0
    for i, line in enumerate(text.splitlines(), 1):
        d = json.loads(line)
        assert_valid(DIAGNOSIS, d, "%s:%d" % (what, i))
        # The keys come in the documented order.
        assert list(d) == DIAGNOSIS["required"], "%s:%d" % (what, i)
        n += 1
    return n


def check_summary(doc, what, command=False):
    """A summary document: the library's, or with command=True the one
    tsblog prints, which ends with COMMAND_SUMMARY_KEYS."""
    assert_valid(SUMMARY, doc, what)
    assert list(doc) == SUMMARY["required"] + (
        COMMAND_SUMMARY_KEYS if command else []), what
    for p in doc["problems"]:
        assert list(p) == SUMMARY["$defs"]["problem"]["required"], what
    for u in doc["unclassified"]:
        assert list(u) == SUMMARY["$defs"]["unclassified"]["required"], what


def test_vectors_exist():
    assert JSONL and SUMMARIES


@pytest.mark.parametrize("path", JSONL, ids=os.path.basename)
def test_vector_diagnoses(path):
    with open(path, encoding="utf-8") as f:
        check_jsonl(f.read(), os.path.basename(path))


@pytest.mark.parametrize("path", SUMMARIES, ids=os.path.basename)
def test_vector_summary(path):
    with open(path, encoding="utf-8") as f:
        check_summary(json.load(f), os.path.basename(path))


# --- what the built command prints -----------------------------------------

ENVELOPES = sorted(glob.glob(os.path.join(ROOT, "tests", "data", "envelopes",
                                          "*")))


@needs_tsblog
@pytest.mark.parametrize("path", [SAMPLE] + ENVELOPES, ids=os.path.basename)
def test_tsblog_json_output(path):
    r = run("-o", "json", path)
    assert r.returncode in (0, 1), r.stderr
    n = check_jsonl(r.stdout, "tsblog -o json " + os.path.basename(path))
    assert (n > 0) == (r.returncode == 1)


@needs_tsblog
def test_tsblog_json_output_from_stdin():
    with open(SAMPLE, "rb") as f:
        r = subprocess.run([TSBLOG, "-o", "json"], stdin=f,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert r.returncode == 1, r.stderr
    assert check_jsonl(r.stdout.decode(), "tsblog -o json <stdin") > 0
    assert all(json.loads(l)["source"] == "-"
               for l in r.stdout.decode().splitlines())


@needs_tsblog
@pytest.mark.parametrize("path", [SAMPLE] + ENVELOPES, ids=os.path.basename)
def test_tsblog_summary_json_output(path):
    r = run("-o", "summary-json", path)
    assert r.returncode in (0, 1), r.stderr
    doc = json.loads(r.stdout)
    check_summary(doc, "tsblog -o summary-json " + os.path.basename(path),
                  command=True)
    assert doc["inputs"] == [{"source": path, "status": "read"}]
    assert doc["complete"] is True


@needs_tsblog
def test_tsblog_summary_json_unclassified(tmp_path):
    log = tmp_path / "unknown.log"
    log.write_text(
        "2026-11-20T08:14:02.401127Z\terror\tfoo\tsomething broke after 3 "
        "retries: \"x\" on 10.0.0.1:443\n"
        "2026-11-20T08:14:03.401127Z\twarn\tfoo\tslow reply from "
        "10.0.0.2:443 after 2.5s\n")
    r = run("-o", "summary-json", str(log))
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    check_summary(doc, "summary of unknown.log", command=True)
    assert len(doc["unclassified"]) == 2


@needs_tsblog
def test_rules_list_json_matches_rule_schema():
    r = run("rules", "list", "-o", "json")
    assert r.returncode == 0, r.stderr
    rule = dict(RULES, **{"$ref": "#/$defs/rule"})
    for k in ("required", "properties", "additionalProperties", "type"):
        rule.pop(k)
    n = 0
    members = RULES["$defs"]["rule"]["properties"]
    for line in r.stdout.splitlines():
        d = json.loads(line)
        assert d["source"].startswith("builtin:")
        # What the loader derives (source, ...) is not a rule file member.
        d = {k: v for k, v in d.items() if k in members}
        assert_valid(rule, d, "rules list: " + d.get("id", "?"))
        n += 1
    assert n > 0


@needs_tsblog
def test_learn_output_is_a_valid_rule_file(tmp_path):
    log = tmp_path / "unknown.log"
    log.write_text(
        "2026-11-20T08:14:02.401127Z\terror\tfoo\tsomething broke after 3 "
        "retries: \"x\" on 10.0.0.1:443\n")
    r = run("learn", str(log))
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["rules"], "learn found nothing"
    assert_valid(RULES, doc, "tsblog learn")


# --- rule files the loader rejects must fail the schema too ----------------

BASE_RULE = {
    "id": "upstream-reset",
    "severity": "error",
    "component": "edge",
    "title": "Upstream reset",
    "match": "upstream (?<host>[a-z.]+) reset",
    "key": ["host"],
    "summary": "{host} reset the connection.",
    "fix": ["kubectl -n istio-system rollout restart deployment/{host}"],
    "see_also": ["upstream-timeout"],
    "docs": "https://example.invalid/docs",
    "examples": [{"line": "upstream a.b reset", "fields": {"host": "a.b"}}],
    "counter_examples": ["upstream reset"],
}


def rule_file(**change):
    """A valid rule file, then one change: rule member=value (None drops
    it); top-level members are given with a 'top_' prefix."""
    rule = dict(BASE_RULE)
    other = {"id": "upstream-timeout", "severity": "warning",
             "title": "Upstream timeout",
             "match": "upstream %{HOST:host} timed out",
             "summary": "{host} timed out."}
    doc = {"tsblog": 1, "patterns": {"HOST": "[a-z.]+"},
           "rules": [rule, other]}
    for k, v in change.items():
        target, k = (doc, k[4:]) if k.startswith("top_") else (rule, k)
        if v is None:
            target.pop(k, None)
        else:
            target[k] = v
    return doc


INVALID = {
    "unknown-member": rule_file(sumary="typo"),
    "bad-severity": rule_file(severity="critical"),
    "bad-id": rule_file(id="Upstream_Reset"),
    "missing-summary": rule_file(summary=None),
    "empty-title": rule_file(title=""),
    "unknown-top-member": rule_file(top_version=1),
    "missing-rules": rule_file(top_rules=None),
    "version-2": rule_file(top_tsblog=2),
    "version-string": rule_file(top_tsblog="1"),
    "bad-pattern-name": rule_file(top_patterns={"1HOST": "[a-z]+"}),
    "pattern-not-string": rule_file(top_patterns={"HOST": 1}),
    "see-also-bad-id": rule_file(see_also=["Not An Id"]),
    "fix-not-array": rule_file(fix="restart it"),
    "key-not-strings": rule_file(key=[1]),
    "example-unknown-member": rule_file(examples=[
        {"line": "upstream a.b reset", "fields": {"host": "a.b"},
         "comment": "x"}]),
    "example-without-line": rule_file(examples=[{"fields": {"host": "a.b"}}]),
    "example-field-not-string": rule_file(examples=[
        {"line": "upstream a.b reset", "fields": {"host": 1}}]),
    "counter-example-not-string": rule_file(counter_examples=[7]),
    "counter-example-unknown-member": rule_file(counter_examples=[{"line": "x", "pod": "y"}]),
    "context-unknown-key": rule_file(context={"node": "^n1$"}),
    "context-empty": rule_file(context={}),
    "context-not-regex-string": rule_file(context={"pod": 3}),
    "literal-too-short": rule_file(literal="up"),
    "literal-with-quote": rule_file(literal='upstream "a'),
}


def write(tmp_path, name, doc):
    path = tmp_path / (name + ".json")
    path.write_text(json.dumps(doc, indent=2))
    return str(path)


def test_base_rule_file_is_valid():
    assert_valid(RULES, rule_file(), "base rule file")


@needs_tsblog
def test_base_rule_file_loads(tmp_path):
    r = run("rules", "check", write(tmp_path, "base", rule_file()))
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_rule_file_fails_schema(name):
    assert errors(RULES, INVALID[name]), "%s passes the schema" % name


@needs_tsblog
@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_rule_file_fails_loader(tmp_path, name):
    r = run("rules", "check", write(tmp_path, name, INVALID[name]))
    assert r.returncode == 2, "%s: exit %d\n%s%s" % (
        name, r.returncode, r.stdout, r.stderr)
    assert r.stderr.startswith("tsblog: "), r.stderr


# The invalid rule files of tests/data/invalid/ whose fault is one of
# structure (the rest are faults no schema can see: duplicate ids, regex
# and template errors, JSON syntax).
SCHEMA_LEVEL = ["bad-severity", "missing-summary", "see-also-invalid",
                "top-level-array", "unknown-rule-member",
                "version-unsupported"]


@pytest.mark.parametrize("name", SCHEMA_LEVEL)
def test_invalid_data_fails_schema(name):
    path = os.path.join(ROOT, "tests", "data", "invalid", name, "rules.json")
    if not os.path.exists(path):
        pytest.skip("%s is gone" % path)
    with open(path, encoding="utf-8") as f:
        assert errors(RULES, json.load(f)), "%s passes the schema" % name


# --- the man page ----------------------------------------------------------

def man_text():
    with open(MAN_PAGE, encoding="utf-8") as f:
        # roff writes a hyphen in an option as \-
        return f.read().replace("\\-", "-")


def help_options(text):
    """The options --help defines: "  -o, --output FORMAT  ..." lines."""
    opts = set()
    for short, long in re.findall(
            r"^ {2,}(?:(-[a-zA-Z]), )?(--[a-z][a-z-]*)", text, re.M):
        opts.update(o for o in (short, long) if o)
    assert "--output" in opts and "-o" in opts, text
    return opts


def help_long_options(text):
    """Every long option --help mentions anywhere (examples too)."""
    return set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", text))


@needs_tsblog
def test_man_page_has_every_help_option():
    r = run("--help")
    assert r.returncode == 0
    man = man_text()
    opts = help_options(r.stdout) | help_long_options(r.stdout)
    missing = [o for o in sorted(opts)
               if not re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(o), man)]
    assert not missing, "not in tools/tsblog.1: %s" % ", ".join(missing)


@needs_tsblog
def test_man_page_has_every_command():
    r = run("--help")
    man = man_text()
    commands = re.findall(r"^  (?:kubectl )?tsblog ((?:rules )?[a-z]+)",
                          r.stdout, re.M)
    assert len(commands) >= 6, r.stdout
    for c in commands:
        assert re.search(r"\.B (kubectl )?tsblog %s" % c, man), c


def test_man_page_has_doctor_options_and_sections():
    man = man_text()
    for o in ("--context", "-n", "--namespace", "--kubectl", "NO_COLOR",
              "TERM", "share/tsblog/rules/", "share/tsblog/schema/",
              "kubectl (1)"):
        assert o in man, o
    for s in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "OUTPUT",
              "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO"):
        assert re.search(r'^\.SH "?%s"?$' % s, man, re.M), s
    # The json keys, as the schema lists them.
    for k in DIAGNOSIS["required"] + SUMMARY["required"]:
        assert k in man, k


@pytest.mark.skipif(not shutil.which("groff"), reason="no groff")
def test_man_page_renders_without_warnings():
    r = subprocess.run(["groff", "-man", "-ww", "-z", MAN_PAGE],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       encoding="utf-8")
    assert r.returncode == 0 and not r.stderr, r.stderr


# --- bash completion -------------------------------------------------------

def complete(*words, cwd=None):
    """COMPREPLY for a command line whose last word is being completed."""
    script = r'''
. "$1"; shift
COMP_WORDS=("$@")
COMP_CWORD=$(( $# - 1 ))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
_tsblog "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\n' "${COMPREPLY[@]}"
'''
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(os.path.abspath(TSBLOG)) + os.pathsep + \
        env.get("PATH", "")
    r = subprocess.run(["bash", "--norc", "--noprofile", "-c", script, "sh",
                        COMPLETION, *words],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       encoding="utf-8", env=env, cwd=cwd)
    assert r.returncode == 0, r.stderr
    return [w for w in r.stdout.split("\n") if w]


needs_bash = pytest.mark.skipif(not shutil.which("bash"), reason="no bash")


def rule_ids(*args):
    r = run("rules", "list", *args)
    return [l.split()[0] for l in r.stdout.splitlines()]


@needs_bash
def test_completion_is_valid_bash():
    r = subprocess.run(["bash", "-n", COMPLETION], stderr=subprocess.PIPE,
                       encoding="utf-8")
    assert r.returncode == 0, r.stderr
    r = subprocess.run(["bash", "--norc", "-c", '. "$1"; complete -p tsblog',
                        "sh", COMPLETION],
                       stdout=subprocess.PIPE, encoding="utf-8")
    assert "-F _tsblog" in r.stdout


@needs_bash
@needs_tsblog
@pytest.mark.parametrize("words, want", [
    (["tsblog", "-o", ""], ["text", "json", "summary-json"]),
    (["tsblog", "--output", "=", "s"], ["summary-json"]),
    (["tsblog", "--output=j"], ["json"]),
    (["tsblog", "rules", "list", "-o", ""], ["text", "json"]),
    (["tsblog", "--color", ""], ["auto", "always", "never"]),
    (["tsblog", "--fail-on", ""], ["error", "warning", "info", "never"]),
    (["tsblog", "--min-severity", ""], ["error", "warning", "info"]),
    (["tsblog", "rules", ""], ["list", "check", "why", "stats"]),
    (["tsblog", "doctor", "--k"], ["--kubeconfig", "--kubectl"]),
    (["tsblog", "doctor", "--r"], ["--request-timeout", "--raw", "--rules",
                                   "--rule"]),
    (["tsblog", "--no-builtin", "--rule", ""], []),
])
def test_completion_values(words, want):
    assert complete(*words) == want


@needs_bash
@needs_tsblog
def test_completion_subcommands(tmp_path):
    got = complete("tsblog", "", cwd=str(tmp_path))
    assert got == ["rules", "explain", "learn", "summary", "doctor"]
    assert complete("tsblog", "ex", cwd=str(tmp_path)) == ["explain"]


@needs_bash
@needs_tsblog
def test_completion_rule_ids():
    cp = [i for i in rule_ids() if i.startswith("cp-")]
    assert cp
    assert complete("tsblog", "explain", "cp-") == cp
    edge = [i for i in rule_ids() if i.startswith("edge-")]
    assert complete("tsblog", "--rule", "edge-") == edge
    assert complete("tsblog", "rules", "why", "--rule", "edge-") == edge
    # One id per explain.
    assert complete("tsblog", "explain", cp[0], "") == []


@needs_bash
@needs_tsblog
def test_completion_rule_ids_honour_rules_file(tmp_path):
    mine = write(tmp_path, "mine", {"tsblog": 1, "rules": [
        {"id": "cp-mine", "severity": "info", "title": "t", "match": "m",
         "summary": "s"}]})
    got = complete("tsblog", "-r", mine, "--rule", "cp-")
    assert got == ["cp-mine"] + [i for i in rule_ids() if i.startswith("cp-")]
    assert complete("tsblog", "explain", "--no-builtin", "--rules=" + mine,
                    "") == ["cp-mine"]


@needs_bash
@needs_tsblog
def test_completion_options_cover_help():
    """Every option --help lists is offered after '-'."""
    r = run("--help")
    offered = set(complete("tsblog", "-"))
    missing = help_options(r.stdout) - offered
    assert not missing, "not completed: %s" % ", ".join(sorted(missing))
    doctor = set(complete("tsblog", "doctor", "-"))
    assert {"--context", "-n", "--namespace", "--kubectl", "-o",
            "--rule"} <= doctor
    r = run("doctor", "--help")
    assert r.returncode == 0 and r.stdout.startswith(
        "Usage: kubectl tsblog doctor"), r.stdout
    listed = {w for o in re.findall(r"^ {2,}(?:(-[a-zA-Z]), )?(--[a-z][a-z-]*)",
                                    r.stdout, re.M) for w in o if w}
    assert "--kubeconfig" in listed, r.stdout
    missing = listed - doctor
    assert not missing, "doctor: not completed: %s" % ", ".join(
        sorted(missing))


def zsh_fish_options():
    """The options the zsh and fish completions offer: zsh's _arguments
    specs ('--name[...]', {-o+,--output=}), fish's -s X and -l NAME."""
    with open(ZSH_COMPLETION, encoding="utf-8") as f:
        zsh = set(re.findall(r"(?<=[{',)])(--?[a-zA-Z][a-z-]*)(?=[+=\[,}])",
                             f.read()))
    with open(FISH_COMPLETION, encoding="utf-8") as f:
        text = f.read()
    fish = {"-" + s for s in re.findall(r" -s ([a-zA-Z])\b", text)} | \
        {"--" + l for l in re.findall(r" -l ([a-z][a-z-]*)", text)}
    return zsh, fish


@needs_tsblog
def test_zsh_and_fish_completions_cover_help():
    """Every option of tsblog --help and doctor --help is offered by the
    zsh and fish completions too, and they name the same subcommands."""
    want = help_options(run("--help").stdout)
    want |= {w for o in re.findall(r"^ {2,}(?:(-[a-zA-Z]), )?(--[a-z][a-z-]*)",
                                   run("doctor", "--help").stdout, re.M)
             for w in o if w}
    for shell, got in zip(("zsh", "fish"), zsh_fish_options()):
        missing = want - got
        assert not missing, "%s: not completed: %s" % (
            shell, ", ".join(sorted(missing)))
    for path in (ZSH_COMPLETION, FISH_COMPLETION):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for word in ("rules", "explain", "learn", "doctor", "list", "check",
                     "why", "stats", "summary-json", "never"):
            assert word in text, "%s: %s not offered" % (path, word)


@pytest.mark.skipif(not shutil.which("zsh"), reason="zsh is not installed")
def test_zsh_completion_parses():
    r = subprocess.run(["zsh", "-n", ZSH_COMPLETION], stderr=subprocess.PIPE,
                       encoding="utf-8")
    assert r.returncode == 0, r.stderr


@pytest.mark.skipif(not shutil.which("fish"), reason="fish is not installed")
def test_fish_completion_parses():
    r = subprocess.run(["fish", "--no-execute", FISH_COMPLETION],
                       stderr=subprocess.PIPE, encoding="utf-8")
    assert r.returncode == 0, r.stderr


@needs_tsblog
def test_man_page_has_every_command_help_option():
    """Each command's --help options are in the man page too."""
    man = man_text()
    for cmd in (["doctor"], ["learn"], ["explain"], ["rules", "list"],
                ["rules", "why"], ["rules", "stats"]):
        r = run(*cmd, "--help")
        assert r.returncode == 0 and r.stdout.startswith("Usage: "), cmd
        for o in re.findall(r"^ {2,}(?:(-[a-zA-Z]), )?(--[a-z][a-z-]*)",
                            r.stdout, re.M):
            for w in filter(None, o):
                assert re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(w),
                                 man), "%s: %s" % (" ".join(cmd), w)


def complete_kubectl_plugin(*words, cwd=None):
    """What kubectl_complete-tsblog answers for `kubectl tsblog WORDS`."""
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(os.path.abspath(TSBLOG)) + os.pathsep + \
        env.get("PATH", "")
    env["TSBLOG_BASH_COMPLETION"] = COMPLETION
    prog = os.path.join(os.path.dirname(os.path.abspath(TSBLOG)),
                        "kubectl_complete-tsblog")
    r = subprocess.run([prog, *words], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, encoding="utf-8", env=env,
                       cwd=cwd)
    assert r.returncode == 0 and not r.stderr, r.stderr
    return r.stdout.splitlines()


@needs_bash
@needs_tsblog
def test_kubectl_plugin_completion(tmp_path):
    # Cobra's __complete answer: candidates, then :4 (no file completion).
    assert complete_kubectl_plugin("", cwd=str(tmp_path)) == \
        ["rules", "explain", "learn", "summary", "doctor", ":4"]
    assert complete_kubectl_plugin("doctor", "--k") == \
        ["--kubeconfig", "--kubectl", ":4"]
    assert complete_kubectl_plugin("-o", "") == \
        ["text", "json", "summary-json", ":4"]
    cp = [i for i in rule_ids() if i.startswith("cp-")]
    assert complete_kubectl_plugin("explain", "cp-") == cp + [":4"]
    (tmp_path / "operator.log").write_text("x\n")
    assert complete_kubectl_plugin("op", cwd=str(tmp_path)) == \
        ["operator.log", ":4"]


@needs_bash
@needs_tsblog
def test_completion_files(tmp_path):
    (tmp_path / "operator.log").write_text("x\n")
    (tmp_path / "mine.json").write_text("{}\n")
    (tmp_path / "sub").mkdir()
    assert complete("tsblog", "op", cwd=str(tmp_path)) == ["operator.log"]
    assert sorted(complete("tsblog", "-r", "", cwd=str(tmp_path))) == \
        ["mine.json", "sub"]
    assert sorted(complete("tsblog", "rules", "check", "",
                           cwd=str(tmp_path))) == ["mine.json", "sub"]
    assert complete("tsblog", "learn", "o", cwd=str(tmp_path)) == \
        ["operator.log"]
    # After --, a word starting with - is a file.
    (tmp_path / "-odd.log").write_text("x\n")
    assert complete("tsblog", "--", "-o", cwd=str(tmp_path)) == ["-odd.log"]
