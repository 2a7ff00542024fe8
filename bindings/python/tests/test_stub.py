"""tsblog/_tsblog.pyi, the C module's types, names what the module has:
no more, no less (a type checker trusts the stub, not the module)."""
from __future__ import annotations

import ast
import pathlib

import tsblog
from tsblog import _tsblog


def stub_names() -> set[str]:
    stub = pathlib.Path(tsblog.__file__).with_name("_tsblog.pyi")
    names = set()
    for node in ast.parse(stub.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if not n.startswith("_")}


def test_stub_names_the_module() -> None:
    module = {n for n in dir(_tsblog) if not n.startswith("_")}
    assert stub_names() == module


def test_stub_constants_are_ints() -> None:
    for name in stub_names():
        if name.isupper():
            assert isinstance(getattr(_tsblog, name), int), name
