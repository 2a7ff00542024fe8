"""Summaries from many places, merged into one."""
from __future__ import annotations

import json
from typing import Any, Optional, Union

from . import _tsblog as _c  # type: ignore[attr-defined]  # SWIG C module

Summary = Union[dict[str, Any], str, bytes]


def _text(doc: Summary) -> str:
    if isinstance(doc, dict):
        return json.dumps(doc, ensure_ascii=False)
    return doc.decode("utf-8") if isinstance(doc, bytes) else doc


def merge_summaries(*docs: Summary) -> dict[str, Any]:
    """Merge summary documents (:meth:`Rules.summarize`, ``tsblog -o
    summary-json``; dicts or JSON text) into one, as
    ``tsblog summary merge`` does: counts add, times and first sightings
    are the earliest, sources are joined, and the result is the same
    whatever the order or grouping of ``docs``.  No argument gives the
    empty summary.  Raises :class:`ValueError` for a document that is not
    a summary with problem keys."""
    from . import _code_name, _Err, _Found, _raise

    err, found = _Err(), _Found()
    texts: list[Optional[str]] = [_text(d) for d in docs]
    acc = texts[0] if texts else None
    # Merging is associative: fold left, two at a time.
    for t in texts[1:] or [None]:
        rc = _c.tsblog_b_summary_merge(found.ptr, acc, t, err.ptr)
        if rc < 0 and _code_name(err.ptr) in ("syntax", "schema"):
            raise ValueError(_c.tsblog_error_message_get(err.ptr))
        if rc < 0:
            _raise(err)
        acc = found.text()
    return json.loads(acc)  # type: ignore[arg-type, no-any-return]
