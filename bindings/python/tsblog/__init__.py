"""libtsblog for Python: turn Kubernetes service-mesh log lines into diagnoses.

    import tsblog

    rules = tsblog.Rules()                      # the bundled TSB catalog
    for d in rules.scan("operator.log"):        # a path, file object or lines
        print(f"{d.source}:{d.line}: {d.rule}: {d.summary}")

    d = rules.match_line(line)                  # one line -> Diagnosis | None
    shown = rules.redact(line)                  # its secrets as <redacted:...> markers
    summary = rules.summarize("operator.log")   # the `tsblog -o summary-json` document

A :class:`Rules` object is immutable and may be shared by any number of
threads; every scan and match uses its own C scanner or matcher, and the
C work runs without the GIL, so threads scanning different inputs run in
parallel.  :class:`Diagnosis` objects are plain Python values copied out of
C; they stay valid whatever happens to the rules or the scan.

Errors: a bad rule file raises :class:`RuleError` (a :class:`ValueError`);
an unreadable input raises :class:`OSError` from Python's own ``open()``.
A malformed event in a ``kubectl get events -o json`` document does not
stop a scan (the ``tsblog`` command goes on too): it is reported with
``warnings.warn`` as a :class:`ScanWarning` and kept in the scan's
:attr:`Scan.errors` list.  Turn the warnings into exceptions with
``warnings.simplefilter("error", tsblog.ScanWarning)``.
"""

from __future__ import annotations

import io
import json
import os
import select
import threading
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any, Callable, NoReturn, Optional, Union, overload

from . import _tsblog as _c  # SWIG C module (types: _tsblog.pyi)

__all__ = [
    "CheckFailure",
    "Diagnosis",
    "Fields",
    "RuleError",
    "Rules",
    "Scan",
    "ScanWarning",
    "Source",
    "__version__",
    "merge_summaries",
]

#: The version of the C library (and of this package).
__version__: str = _c.tsblog_version()

StrPath = Union[str, "os.PathLike[str]"]
#: What :meth:`Rules.scan` reads: a path, a binary or text file object, or
#: an iterable of lines (str or bytes, each one line).
Source = Union[StrPath, IO[bytes], IO[str], Iterable[Union[str, bytes]]]

_CHUNK = 1 << 20  # bytes handed to C per call
_NO_SUMMARY = _c.TSBLOG_SCAN_NO_SUMMARY
_FIRST_SIGHTINGS = _c.TSBLOG_SCAN_FIRST_SIGHTINGS
_NO_REDACT = _c.TSBLOG_SCAN_NO_REDACT
_loads = json.loads


# --- errors -----------------------------------------------------------------

class RuleError(ValueError):
    """A rule file (or rule string) could not be compiled.

    ``str(err)`` is the C library's one-line message, which starts with the
    location (``rules.json:8:16: rule "x": match: ...``).  The attributes
    hold the same facts for programs; strings are "" and numbers 0 where
    they do not apply.
    """

    message: str
    code: str        #: short name of the C error code: "syntax", "regex", ...
    path: str        #: the rule file's path, or the name given for a string
    line: int        #: 1-based line in that file
    column: int      #: 1-based column
    position: int    #: 0-based byte offset in the file
    rule_id: str     #: the rule concerned
    member: str      #: the rule member concerned ("match", "summary", ...)

    def __init__(self, message: str, *, code: str = "", path: str = "",
                 line: int = 0, column: int = 0, position: int = 0,
                 rule_id: str = "", member: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.path = path
        self.line = line
        self.column = column
        self.position = position
        self.rule_id = rule_id
        self.member = member

    def __str__(self) -> str:
        return self.message

    @classmethod
    def _from_c(cls, e: Any) -> RuleError:
        return cls(_c.tsblog_error_message_get(e), code=_code_name(e),
                   path=_c.tsblog_error_source_get(e),
                   line=_c.tsblog_error_line_get(e),
                   column=_c.tsblog_error_column_get(e),
                   position=_c.tsblog_error_position_get(e),
                   rule_id=_c.tsblog_error_rule_id_get(e),
                   member=_c.tsblog_error_member_get(e))


class ScanWarning(UserWarning):
    """A part of the input could not be read (a malformed event in a
    ``kubectl get events -o json`` document); the scan skipped it and went on.

    ``str(w)`` is the C library's one-line message, which starts with the
    location.
    """

    message: str
    source: str  #: the input's name
    line: int    #: 1-based line in the input
    column: int  #: 1-based column
    code: str    #: short name of the C error code ("syntax")

    def __init__(self, message: str, *, source: str = "", line: int = 0,
                 column: int = 0, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.code = code

    def __str__(self) -> str:
        return self.message

    @classmethod
    def _from_c(cls, e: Any) -> ScanWarning:
        return cls(_c.tsblog_error_message_get(e),
                   source=_c.tsblog_error_source_get(e),
                   line=_c.tsblog_error_line_get(e),
                   column=_c.tsblog_error_column_get(e), code=_code_name(e))


def _code_name(e: Any) -> str:
    """The short name of a tsblog_error's code ("syntax", "regex", ...)."""
    return _c.tsblog_error_code_name(_c.tsblog_error_code_get(e))


def _raise(err: _Err, rule: bool = False) -> NoReturn:
    """Raise the Python exception for the failure recorded in err."""
    code, message = _code_name(err.ptr), _c.tsblog_error_message_get(err.ptr)
    if code == "nomem":
        raise MemoryError(message)
    if code == "invalid":
        raise ValueError(message)
    if rule:
        raise RuleError._from_c(err.ptr)
    raise RuntimeError(message)


# --- values -------------------------------------------------------------------

class Fields(Mapping[str, str]):
    """The fields of a diagnosis: name -> matched text, in pattern order.

    A read-only, hashable mapping; ``dict(d.fields)`` gives a plain dict.
    """

    __slots__ = ("_d",)
    _d: dict[str, str]

    def __init__(self, items: Union[Mapping[str, str], Iterable[tuple[str, str]]] = ()) -> None:
        self._d = dict(items)

    def __getitem__(self, key: str) -> str:
        return self._d[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._d)

    def __contains__(self, key: object) -> bool:
        return key in self._d

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Fields):
            return self._d == other._d
        if isinstance(other, Mapping):
            return self._d == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self._d.items()))

    def __repr__(self) -> str:
        return repr(self._d)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Fields, (self._d,))


#: The keys of a `tsblog -o json` line, in its order.
_KEYS = ("rule", "severity", "component", "title", "summary", "fix", "fields",
         "see_also", "docs", "source", "line", "timestamp", "level", "pod",
         "container", "namespace", "count", "text")


@dataclass(frozen=True, slots=True, repr=False)
class Diagnosis:
    """What a matched line means, copied out of C: a plain, immutable value.

    The attributes are the keys of one ``tsblog -o json`` line, in the same
    order; :meth:`to_dict` gives that object back.  ``source`` and ``line``
    are None for :meth:`Rules.match_line`.
    """

    rule: str                 #: rule id
    severity: str             #: "error", "warning" or "info"
    component: Optional[str]  #: the component the rule is about
    title: str                #: the rule's title
    summary: str              #: the rendered summary
    fix: tuple[str, ...]      #: the rendered fix steps
    fields: Fields            #: name -> matched text, in pattern order
    see_also: tuple[str, ...]  #: related rule ids
    docs: Optional[str]       #: where the documentation is
    source: Optional[str]     #: input name ("-" for a stream)
    line: Optional[int]       #: 1-based line where the record starts
    timestamp: Optional[str]  #: as written in the input
    level: Optional[str]      #: "debug", "info", "warn", "error", "fatal", "panic"
    pod: Optional[str]
    container: Optional[str]
    namespace: Optional[str]
    count: int                #: occurrences (an event's count, else 1)
    text: str                 #: the line as read (or the event's message)

    def to_dict(self) -> dict[str, Any]:
        """The diagnosis as the object of one ``tsblog -o json`` line: same
        keys, same order, same values (lists, a dict, None for null)."""
        d: dict[str, Any] = {k: getattr(self, k) for k in _KEYS}
        d["fix"] = list(self.fix)
        d["fields"] = dict(self.fields)
        d["see_also"] = list(self.see_also)
        return d

    def __repr__(self) -> str:
        where = f" at {self.source}:{self.line}" if self.source is not None else ""
        return f"<tsblog.Diagnosis {self.rule}{where} {self.fields!r}>"


@dataclass(frozen=True, slots=True)
class CheckFailure:
    """One failed self-test of a rule, or a lint warning (see
    :meth:`Rules.check`).

    ``str(f)`` is the C library's one-line message."""

    rule_id: str
    source: str   #: the rule file
    line: int     #: where the example is in that file
    column: int
    kind: str     #: the member: "examples", "counter_examples", "see_also",
                  #: or for warnings "match" or "literal"
    index: int    #: which one (0-based)
    message: str
    severity: str = "error"  #: "error" (a failed self-test) or "warning" (a lint)

    def __str__(self) -> str:
        return self.message

    @classmethod
    def _from_c(cls, f: Any) -> CheckFailure:
        return cls(_c.tsblog_check_failure_rule_id_get(f),
                   _c.tsblog_check_failure_source_get(f),
                   _c.tsblog_check_failure_line_get(f),
                   _c.tsblog_check_failure_column_get(f),
                   _c.tsblog_check_failure_kind_get(f),
                   _c.tsblog_check_failure_index_get(f),
                   _c.tsblog_check_failure_message_get(f),
                   _c.tsblog_severity_name(
                       _c.tsblog_check_failure_severity_get(f)))


# --- owners of C objects ------------------------------------------------------
# Each owns one C object and frees it in __del__.  A matcher or scanner holds
# a reference to the _Ruleset it was made from, so the rule set is freed
# after them; nothing refers back, so there are no cycles.

class _Owner:
    """Owns one C object (ptr) and frees it with _free on close or __del__."""

    __slots__ = ("ptr",)
    ptr: Any  # a SWIG object of _tsblog.pyi's types; None once closed
    _free: Callable[[Any], None]

    def close(self) -> None:
        ptr = getattr(self, "ptr", None)
        if ptr is not None:
            self.ptr = None
            type(self)._free(ptr)

    def __del__(self) -> None:
        self.close()


class _Err(_Owner):
    """A tsblog_error the calls of one thread write to."""

    __slots__ = ()
    _free = _c.delete_tsblog_error

    def __init__(self) -> None:
        self.ptr = _c.new_tsblog_error()
        if self.ptr is None:
            raise MemoryError("out of memory")


class _Found(_Owner):
    """What the last scan, match, summary or check call found."""

    __slots__ = ()
    _free = _c.tsblog_b_found_free

    def __init__(self, diagnoses: bool = True) -> None:
        self.ptr = _c.tsblog_b_found_new(_c.TSBLOG_B_PACKED if diagnoses else 0)
        if self.ptr is None:
            raise MemoryError("out of memory")

    def text(self) -> str:
        return _c.tsblog_b_found_lines(self.ptr)

    def diagnoses(self, rs: _Ruleset) -> list[Diagnosis]:
        return _c.tsblog_b_found_diagnoses(self.ptr, rs.rules, Fields, Diagnosis)


class _Ruleset(_Owner):
    # rules: each rule's part of a diagnosis (rule, severity, component,
    # title, see_also, docs) by the rule's key, converted once, then the
    # last fix steps of its diagnoses (shared while they stay the same).
    __slots__ = ("rules",)
    _free = _c.tsblog_ruleset_free

    def __init__(self, ptr: Any) -> None:
        self.ptr = ptr
        self.rules: dict[str, list[Any]] = {}


class _Matcher(_Owner):
    """A tsblog_matcher, used by one thread (kept in a threading.local)."""

    __slots__ = ("err", "found", "rs")
    _free = _c.tsblog_matcher_free

    def __init__(self, rs: _Ruleset) -> None:
        self.rs = rs
        self.err = _Err()
        self.found = _Found()
        self.ptr = _c.tsblog_b_matcher_new(rs.ptr, self.err.ptr)
        if self.ptr is None:
            _raise(self.err)


class _Scanner(_Owner):
    """A tsblog_scanner for one scan."""

    __slots__ = ("err", "found", "rs")
    _free = _c.tsblog_scanner_free

    def __init__(self, rs: _Ruleset, source: str, flags: int, diagnoses: bool,
                 jobs: int = 1) -> None:
        self.rs = rs
        self.err = _Err()
        self.found = _Found(diagnoses)
        self.ptr = _c.tsblog_b_scanner_new(rs.ptr, source, flags, 0, jobs, self.err.ptr)
        if self.ptr is None:
            _raise(self.err)


# --- input --------------------------------------------------------------------

def _jobs(jobs: Optional[int]) -> int:
    """Threads for a file: one per CPU by default, as the command's -j."""
    if jobs is None:
        return os.cpu_count() or 1
    if not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a positive int, not {jobs!r}")
    return jobs


def _to_bytes(text: str) -> bytes:
    return _encode(text)[0]


def _encode(text: str) -> tuple[bytes, str]:
    """text as the bytes C gets, and the errors handler that decodes them
    back to text."""
    # surrogateescape gives back the bytes a str was decoded from with
    # errors="surrogateescape"; other lone surrogates go through as invalid
    # UTF-8, which C matches as U+FFFD (and redact() decodes back).
    try:
        return text.encode("utf-8", "surrogateescape"), "surrogateescape"
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass"), "surrogatepass"


def _c_name(name: str) -> str:
    """A str SWIG can pass as UTF-8 (file names may hold surrogates)."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return _to_bytes(name).decode("utf-8", "replace")


def _file_chunks(f: IO[Any]) -> Iterator[Any]:
    # read1 (binary buffered streams) returns what one read gives: the whole
    # chunk from a file, what has arrived from a pipe, so that a live stream
    # (kubectl logs -f | python ...) gets its diagnoses as lines arrive.
    if isinstance(f, io.TextIOBase) and not _seekable(f):
        yield from _live_text_chunks(f)
        return
    read = getattr(f, "read1", None)
    if read is None or isinstance(f, io.TextIOBase):
        read = f.read
    while True:
        chunk = read(_CHUNK)
        if not chunk:
            return
        yield _to_bytes(chunk) if isinstance(chunk, str) else chunk


def _seekable(f: IO[Any]) -> bool:
    try:
        return bool(f.seekable())
    except (OSError, ValueError):
        return False


def _live_text_chunks(f: IO[str]) -> Iterator[bytes]:
    # A text stream that may wait for input (a pipe, a terminal): text mode
    # has no read1, and read(n) waits for n characters.  readline returns
    # each line as it arrives; lines go to C together while more are ready
    # at once (select), so a busy pipe is scanned in chunks and a quiet one
    # line by line.
    try:
        fd: Optional[int] = f.fileno()
    except (OSError, ValueError):
        fd = None
    parts: list[str] = []
    size = 0
    for line in iter(f.readline, ""):
        parts.append(line)
        size += len(line)
        if size >= _CHUNK or fd is None or not select.select([fd], [], [], 0)[0]:
            yield _to_bytes("".join(parts))
            parts, size = [], 0
    if parts:
        yield _to_bytes("".join(parts))


def _line_chunks(lines: Iterable[Union[str, bytes]]) -> Iterator[bytes]:
    # Join lines into ~1 MiB buffers: one C call per buffer, nothing per line
    # but the join.  Each item is one line; "\n" is added where it lacks one.
    parts: list[Any] = []
    size = 0
    text = None  # whether parts holds str
    for line in lines:
        item: Union[str, bytes]
        if isinstance(line, str):
            is_text = True
            item = line if line.endswith("\n") else line + "\n"
        elif isinstance(line, (bytes, bytearray, memoryview)):
            is_text = False
            b = line if type(line) is bytes else bytes(line)
            item = b if b.endswith(b"\n") else b + b"\n"
        else:
            raise TypeError(f"scan: lines must be str or bytes, not {type(line).__name__}")
        if is_text is not text and parts:
            yield _to_bytes("".join(parts)) if text else b"".join(parts)
            parts, size = [], 0
        text = is_text
        parts.append(item)
        size += len(item)
        if size >= _CHUNK:
            yield _to_bytes("".join(parts)) if text else b"".join(parts)
            parts, size = [], 0
    if parts:
        yield _to_bytes("".join(parts)) if text else b"".join(parts)


def _open(source: Source, name: Optional[str]) -> tuple[Union[Iterator[Any], int], str,
                                                         Optional[IO[Any]]]:
    """(chunks, or the descriptor of a file it opened; source name; file to
    close) for what scan() was given."""
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        f = open(path, "rb", buffering=0)
        if name is None:
            name = os.fsdecode(path)
        return f.fileno(), name, f
    if isinstance(source, (bytes, bytearray, memoryview)):
        raise TypeError("scan: pass a path as str or os.PathLike; for data in "
                        "memory pass io.BytesIO(data) or a list of lines")
    if hasattr(source, "read"):
        if name is None:
            n = getattr(source, "name", None)
            name = n if isinstance(n, str) else "-"
        return _file_chunks(source), name, None  # type: ignore[arg-type]
    if isinstance(source, Iterable):
        return _line_chunks(source), "-" if name is None else name, None
    raise TypeError(f"scan: expected a path, a file object or an iterable of "
                    f"lines, not {type(source).__name__}")


def _chunk_batches(sc: _Scanner, chunks: Iterator[Any]) -> Iterator[None]:
    """Scan every chunk in C (without the GIL); after each, sc.found holds
    what it found."""
    scan, found, ptr, err = _c.tsblog_b_scan, sc.found.ptr, sc.ptr, sc.err.ptr
    final = False
    while not final:
        chunk = next(chunks, None)
        final = chunk is None
        if scan(found, ptr, b"" if chunk is None else chunk, final, err) < 0:
            _raise(sc.err)
        yield None


def _fd_batches(sc: _Scanner, fd: int) -> Iterator[None]:
    """A file scan() opened: C reads and scans it as the command does (on
    sc's jobs threads), on a thread of its own, batch after batch into
    sc.found."""
    h = _c.tsblog_b_fd_new(sc.ptr, fd, sc.found.ptr, sc.err.ptr)
    if h is None:
        _raise(sc.err)
    try:
        while True:
            rc = _c.tsblog_b_fd_next(h, sc.found.ptr, sc.err.ptr)
            if rc < 0:
                _raise(sc.err)
            yield None
            if rc == 0:
                return
    finally:
        _c.tsblog_b_fd_free(h)  # stops the scan and waits for its thread


def _run(sc: _Scanner, chunks: Union[Iterator[Any], int], errors: list[ScanWarning],
         stacklevel: int) -> Iterator[Diagnosis]:
    """Scan the input and yield what it found.

    stacklevel: frames from here up to the caller's code, for warnings."""
    diagnoses = _c.tsblog_b_found_diagnoses
    found, rules = sc.found.ptr, sc.rs.rules
    batches = _fd_batches(sc, chunks) if isinstance(chunks, int) else _chunk_batches(sc, chunks)
    try:
        for _ in batches:
            for i in range(_c.tsblog_b_found_events(found)):
                w = ScanWarning._from_c(_c.tsblog_b_found_event(found, i))
                errors.append(w)
                warnings.warn(w, stacklevel=stacklevel)
            yield from diagnoses(found, rules, Fields, Diagnosis)
    finally:
        batches.close()  # before the scanner goes


class Scan(Iterator[Diagnosis]):
    """The diagnoses of one input, in input order: what :meth:`Rules.scan`
    returns.

    Iterate it once.  Malformed events (``kubectl get events -o json``) do
    not stop it: each one is reported as a :class:`ScanWarning` and appended
    to :attr:`errors`.  A file it opened itself is closed at the end, by
    :meth:`close`, or by leaving a ``with`` block.
    """

    __slots__ = ("source", "errors", "_gen", "_file")

    source: str               #: the input's name, as in Diagnosis.source
    errors: list[ScanWarning]  #: malformed parts skipped so far

    def __init__(self, rules: Rules, source: Source, name: Optional[str] = None,
                 jobs: Optional[int] = None) -> None:
        chunks, self.source, self._file = _open(source, name)
        self.errors = []
        try:
            sc = _Scanner(rules._rs, _c_name(self.source),
                          _NO_SUMMARY | rules._scan_flags, True, _jobs(jobs))
        except BaseException:
            self.close()
            raise
        self._gen = self._iterate(sc, chunks)

    def _iterate(self, sc: _Scanner, chunks: Union[Iterator[Any], int]) -> Iterator[Diagnosis]:
        try:
            yield from _run(sc, chunks, self.errors, 4)
        finally:
            sc.close()
            self._close_file()

    def __iter__(self) -> Scan:
        return self

    def __next__(self) -> Diagnosis:
        return next(self._gen)

    def _close_file(self) -> None:
        f, self._file = getattr(self, "_file", None), None
        if f is not None:
            f.close()

    def close(self) -> None:
        """Stop: release the scanner and close the file scan() opened."""
        gen = getattr(self, "_gen", None)
        if gen is not None:
            gen.close()
        self._close_file()

    def __enter__(self) -> Scan:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<tsblog.Scan of {self.source!r}>"


# --- rules --------------------------------------------------------------------

def _line_bytes(line: Union[str, bytes]) -> Any:
    if isinstance(line, str):
        data: Any = _to_bytes(line)
    elif isinstance(line, (bytes, bytearray, memoryview)):
        data = line
    else:
        raise TypeError(f"expected a str or bytes line, not {type(line).__name__}")
    return data


class Rules:
    """A compiled, immutable rule set; safe to share between threads.

    ``Rules()`` is the bundled TSB catalog.  ``Rules(files=[...])`` loads
    the given rule files first, then (unless ``builtin=False``) the
    catalog: the first rule that matches a line wins, so your files
    override the catalog.  A file that cannot be read raises
    :class:`OSError`; one that does not compile raises :class:`RuleError`.
    Secrets in what diagnoses quote (JWTs, bearer tokens, PEM blocks,
    private JWK members) are replaced by ``<redacted:...>`` markers unless
    ``redact=False``.
    """

    __slots__ = ("_rs", "_ids", "_matchers", "_scan_flags", "_recipe", "__weakref__")

    def __init__(self, files: Union[StrPath, Iterable[StrPath]] = (), builtin: bool = True,
                 redact: bool = True) -> None:
        if isinstance(files, (str, bytes, os.PathLike)):
            files = [files]
        sources = []
        for f in files:
            with open(f, "rb") as fh:
                sources.append((os.fsdecode(os.fspath(f)), fh.read()))
        self._build(sources, builtin, redact)

    @classmethod
    def from_string(cls, text: Union[str, bytes], name: str = "inline",
                    builtin: bool = False, redact: bool = True) -> Rules:
        """Compile a rule file held in memory; ``name`` is its name in
        messages.  With ``builtin=True`` the catalog is loaded after it."""
        self = cls.__new__(cls)
        data = _to_bytes(text) if isinstance(text, str) else bytes(text)
        self._build([(name, data)], builtin, redact)
        return self

    def _build(self, sources: list[tuple[str, bytes]], builtin: bool,
               redact: bool = True) -> None:
        # Secrets (JWTs, bearer tokens, PEM blocks, private JWK members) in
        # what diagnoses quote become <redacted:...> markers unless
        # redact=False, as in the C library and `tsblog --no-redact`.
        self._scan_flags = 0 if redact else _NO_REDACT
        err = _Err()
        b = _c.tsblog_b_builder_new(err.ptr)
        if b is None:
            _raise(err)
        try:
            for name, data in sources:
                if _c.tsblog_builder_add_string(b, _c_name(name), data, err.ptr) < 0:
                    _raise(err, rule=True)
            if builtin and _c.tsblog_builder_add_builtin(b, err.ptr) < 0:
                _raise(err, rule=True)
            ptr = _c.tsblog_b_builder_build(b, err.ptr)
            if ptr is None:
                _raise(err, rule=True)
            self._rs = _Ruleset(ptr)
        finally:
            _c.tsblog_builder_free(b)
        rs = self._rs.ptr
        self._ids = tuple(_c.tsblog_rule_id(_c.tsblog_ruleset_rule(rs, i))
                          for i in range(_c.tsblog_ruleset_count(rs)))
        # One matcher per OS thread, by thread id: embedders such as
        # syslog-ng's python() give each call a fresh threading.local.
        self._matchers: dict[int, _Matcher] = {}
        # What it was built from, so that a pickled Rules (Dask, process
        # pools) compiles the same rules where it lands.
        self._recipe = (tuple(sources), builtin, redact)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rules_from_recipe, self._recipe)

    # -- the rule set

    def ids(self) -> list[str]:
        """Rule ids, in matching order."""
        return list(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._ids

    def __repr__(self) -> str:
        return f"<tsblog.Rules: {len(self._ids)} rules>"

    def check(self) -> list[CheckFailure]:
        """Run every rule's self-tests (examples, counter-examples, see_also
        ids) and lints (no or short literal, backtracking) as ``tsblog rules
        check`` does; [] when all pass.  Lints have severity "warning"."""
        err, found = _Err(), _Found()
        if _c.tsblog_b_check(found.ptr, self._rs.ptr, err.ptr) < 0:
            _raise(err)
        return [CheckFailure._from_c(_c.tsblog_b_found_check(found.ptr, i))
                for i in range(_c.tsblog_b_found_checks(found.ptr))]

    # -- matching

    def match_line(self, line: Union[str, bytes]) -> Optional[Diagnosis]:
        """The diagnosis of the first rule that matches ``line``, or None.

        ``line`` is matched as given (no kubectl/JSON envelope is read; use
        :meth:`scan` for logs), except that one trailing newline ("\\n" or
        "\\r\\n") is dropped, as tsblog_matcher_match() does.  str is
        matched as UTF-8; bytes may be any
        bytes.  The result has ``source`` and ``line`` None.
        """
        m = self._matcher()
        rc = _c.tsblog_b_match(m.found.ptr, m.ptr, _line_bytes(line), m.err.ptr)
        return self._matched(m, rc)

    def match_record(self, message: Union[str, bytes], *,
                     pod: Optional[str] = None, namespace: Optional[str] = None,
                     container: Optional[str] = None, timestamp: Optional[str] = None,
                     level: Optional[str] = None) -> Optional[Diagnosis]:
        """The diagnosis of one record that a log engine has already split
        off, read as the command reads a line (its own kubectl, JSON, klog
        or console envelope is unwrapped), or None.  What the engine knows
        (``pod``, ``namespace``, ``container``, ``timestamp``, ``level``)
        replaces what the message says, in the diagnosis and for rules'
        context conditions (C: tsblog_matcher_match_envelope())."""
        m = self._matcher()
        rc = _c.tsblog_b_match_envelope(m.found.ptr, m.ptr, _line_bytes(message),
                                        pod, namespace, container, timestamp,
                                        level, m.err.ptr)
        return self._matched(m, rc)

    @overload
    def redact(self, line: str) -> str: ...
    @overload
    def redact(self, line: Union[bytes, bytearray, memoryview]) -> bytes: ...

    def redact(self, line: Union[str, bytes, bytearray, memoryview]) -> Union[str, bytes]:
        """``line`` with each secret replaced by its marker, as ``tsblog
        --passthrough`` shows input lines; ``line`` itself if it holds none.

        The secrets are those diagnoses have redacted: JWTs
        (``<redacted:jwt>``), bearer tokens (``<redacted:token>``), PEM
        blocks (``<redacted:pem>``), keys, passwords...; the C library's
        ``TSBLOG_SCAN_NO_REDACT`` (tsblog/scanner.h) lists every form and
        its marker.  Every other byte or character is kept as it is, control
        characters included.  Secrets are looked for in ``line`` as a whole,
        so give it whole lines: a secret cut in two may not be recognised in
        either piece.  This redacts whatever ``redact=`` the rules were made
        with (that is about diagnoses).

        str gives str (encoded for C as :meth:`match_line` encodes it, and
        decoded back the same way: a surrogateescape'd byte comes back as
        it was); bytes, bytearray or memoryview give bytes.  C:
        tsblog_matcher_redact(), without the GIL, on this thread's matcher.
        """
        m = self._matcher()
        if isinstance(line, str):
            data, errors = _encode(line)
        else:
            data = _line_bytes(line)
        rc = _c.tsblog_b_redact(m.found.ptr, m.ptr, data, m.err.ptr)
        if rc <= 0:
            if rc < 0:
                _raise(m.err)
            return line if isinstance(line, (str, bytes)) else bytes(line)
        out = _c.tsblog_b_found_bytes(m.found.ptr)
        if not isinstance(line, str):
            return out
        try:
            return out.decode("utf-8", errors)
        except UnicodeDecodeError:  # surrogatepass, and a marker ended amid a character
            return out.decode("utf-8", "surrogateescape")

    def _matcher(self) -> _Matcher:
        """This OS thread's matcher (embedders give each call a fresh
        threading.local, so the cache is keyed by thread id)."""
        me = threading.get_ident()
        m = self._matchers.get(me)
        if m is None:
            m = self._matchers[me] = _Matcher(self._rs)
            if self._scan_flags & _NO_REDACT:
                _c.tsblog_matcher_set_redact(m.ptr, 0)
        return m

    @staticmethod
    def _matched(m: _Matcher, rc: int) -> Optional[Diagnosis]:
        if rc <= 0:
            if rc < 0:
                _raise(m.err)
            return None
        return m.found.diagnoses(m.rs)[0]

    def scan(self, source: Source, name: Optional[str] = None, *,
             jobs: Optional[int] = None) -> Scan:
        """Stream ``source`` through the rules; iterate the result for the
        diagnoses, in input order.

        ``source`` is a path (str or os.PathLike; opened now, so a missing
        file raises here), a binary or text file object (read to the end,
        not closed), or an iterable of lines (str or bytes, one line per
        item).  Each record is read through its envelope (kubectl --prefix
        and --timestamps, Istio console lines, JSON log lines, klog,
        ``kubectl describe`` and ``get events`` output), as by the
        ``tsblog`` command.

        ``name`` is the input's name in the diagnoses; by default the path
        as given, a file object's ``.name`` if it is a str, else "-".

        A path is read and scanned by C as the ``tsblog`` command reads a
        file: a regular file of more than 1 MiB on ``jobs`` threads (by
        default one per CPU, as the command's ``-j``; 1: one thread), in
        the background, with the diagnoses handed over in batches, in input
        order, the same whatever ``jobs``.  Other input goes to C in chunks
        of up to 1 MiB, without the GIL.  Streams are read as their data
        arrives, so the diagnoses of a live pipe (``sys.stdin`` or
        ``sys.stdin.buffer`` under ``kubectl logs -f``) come as its lines
        do; an iterable of lines is read 1 MiB at a time.
        """
        return Scan(self, source, name, jobs)

    def summarize(self, source: Source, name: Optional[str] = None, *,
                  jobs: Optional[int] = None) -> dict[str, Any]:
        """Scan ``source`` (as :meth:`scan`) and return the summary: the
        document ``tsblog -o summary-json`` prints, without the command's
        inputs and complete (schema_version, records, bytes, truncated,
        malformed, limit_hits, limit_hit_rules, problems, problems_dropped,
        unclassified, unclassified_dropped).  ``jobs`` as for :meth:`scan`."""
        chunks, src, f = _open(source, name)
        try:
            # Only the summary is wanted: repeats are counted, not rendered.
            sc = _Scanner(self._rs, _c_name(src), self._scan_flags | _FIRST_SIGHTINGS,
                          False, _jobs(jobs))
            for _ in _run(sc, chunks, [], 3):
                pass
            if _c.tsblog_b_summary(sc.found.ptr, sc.ptr, sc.err.ptr) < 0:
                _raise(sc.err)
            doc = sc.found.text()
            sc.close()
            return _loads(doc)  # type: ignore[no-any-return]
        finally:
            if f is not None:
                f.close()


def _rules_from_recipe(sources: tuple[tuple[str, bytes], ...], builtin: bool,
                       redact: bool) -> Rules:
    self = Rules.__new__(Rules)
    self._build(list(sources), builtin, redact)
    return self


from ._fleet import merge_summaries  # noqa: E402  (needs the names above)
