"""Scan archived logs on a Dask cluster.

One summary per path, computed where Dask runs the task, then merged
(associative and commutative, so any partitioning and order gives the
same document as one ``tsblog -o summary-json`` over all the paths)::

    from dask.distributed import Client
    import tsblog, tsblog.dask

    client = Client("scheduler:8786")         # or LocalCluster(); None: local threads
    paths = ["s3://bundles/prod-eu-1/istio-system.log", "/archive/prod-us-2/edge.log"]
    summary = tsblog.dask.summarize(paths, tsblog.Rules(files=["site.json"]))
    bag = tsblog.dask.diagnoses(paths)        # a dask.bag of tsblog -o json dicts

Paths are local files (on the workers) or any URL fsspec opens.  The
:class:`tsblog.Rules` travel pickled (their rule sources) and compile once
per worker task.  Work runs on the current Dask scheduler: a
``distributed.Client`` if one is active, else Dask's default.
"""
from __future__ import annotations

from typing import IO, Any, Iterable, Optional, Union

import dask.bag as db

from . import Rules, merge_summaries


def _open(path: str) -> Union[str, IO[bytes]]:
    if "://" in path:
        import fsspec  # Dask's own dependency
        return fsspec.open(path, "rb").open()  # type: ignore[no-any-return]
    return path


def _summarize(path: str, rules: Rules) -> dict[str, Any]:
    src = _open(path)
    try:
        doc = rules.summarize(src, name=path)
    finally:
        if not isinstance(src, str):
            src.close()
    # Read to its end (a failure raises): say so, as the command does.
    doc["inputs"] = [{"source": path, "status": "read"}]
    doc["complete"] = True
    return doc


def _diagnoses(path: str, rules: Rules) -> list[dict[str, Any]]:
    src = _open(path)
    try:
        return [d.to_dict() for d in rules.scan(src, name=path)]
    finally:
        if not isinstance(src, str):
            src.close()


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    return merge_summaries(a, b)


def _bag(paths: Iterable[str], npartitions: Optional[int]) -> db.Bag:
    paths = [str(p) for p in paths]
    return db.from_sequence(paths, npartitions=npartitions or max(len(paths), 1))


def summarize(paths: Iterable[str], rules: Optional[Rules] = None, *,
              npartitions: Optional[int] = None) -> dict[str, Any]:
    """The merged summary of ``paths``: the ``tsblog -o summary-json``
    document, inputs and complete included, scanned as Dask tasks
    (``npartitions`` of them; default one per path) and merged in a tree.
    A path that cannot be read fails the computation.  ``rules``: default
    the catalog."""
    rules = rules if rules is not None else Rules()
    return _bag(paths, npartitions).map(_summarize, rules).fold(  # type: ignore[no-any-return]
        _merge, _merge, initial=merge_summaries()).compute()


def diagnoses(paths: Iterable[str], rules: Optional[Rules] = None, *,
              npartitions: Optional[int] = None) -> db.Bag:
    """A Dask bag of the diagnoses of ``paths`` as dicts (the keys of
    ``tsblog -o json``), in path order, then input order; lazy until
    computed."""
    rules = rules if rules is not None else Rules()
    return _bag(paths, npartitions).map(_diagnoses, rules).flatten()
