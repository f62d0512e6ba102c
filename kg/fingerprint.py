"""Fingerprints of the code that decides an output, derived from the code itself.

A store or a section cache is valid only for the code that wrote it. Which code that is
is not kept by hand: :func:`module_closure` follows the ``kg`` imports of the modules that
do the work (statically, with :mod:`ast`, so lazy imports inside functions and module names
given as strings, such as the extractor registry's, count too), and :func:`fingerprint`
hashes those sources together with the data and ontology files the package reads.
"""
from __future__ import annotations

import ast
import hashlib
from pathlib import Path
from typing import Iterable

PACKAGE = "kg"
PACKAGE_DIR = Path(__file__).resolve().parent


def _module_file(name: str, package_dir: Path) -> Path | None:
    """The source file of module ``name`` (``kg.x.y``) under ``package_dir``, or None."""
    parts = name.split(".")[1:]
    base = package_dir.joinpath(*parts) if parts else package_dir
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(path: Path, name: str, package: str) -> set[str]:
    """Names of the ``package`` modules that the source of module ``name`` refers to."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_pkg = path.name == "__init__.py"
    here = name.split(".") if is_pkg else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            found.add(mod)
            found.update(f"{mod}.{a.name}" for a in node.names)   # `from . import x` names a module
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value.startswith(package + ".") and node.value.replace(".", "").replace("_", "").isalnum():
                found.add(node.value)                                  # importlib.import_module("kg.x")
    return {m for m in found if m == package or m.startswith(package + ".")}


def module_closure(roots: Iterable[str], package_dir: Path = PACKAGE_DIR,
                   package: str = PACKAGE) -> dict[str, Path]:
    """Every ``package`` module reachable by imports from ``roots``, with its source file."""
    seen: dict[str, Path] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = _module_file(name, package_dir)
        if path is None:
            continue                       # a name imported from a module, not a module
        seen[name] = path
        todo.extend(_imports(path, name, package) - seen.keys())
    return seen


def fingerprint(roots: Iterable[str], data_dirs: Iterable[str] = ("data", "ontology"),
                package_dir: Path = PACKAGE_DIR, package: str = PACKAGE, salt: str = "") -> str:
    """A hash of the sources reachable from ``roots`` and of every file in ``data_dirs``."""
    files = set(module_closure(roots, package_dir, package).values())
    for d in data_dirs:
        folder = package_dir / d
        if folder.is_dir():
            files.update(f for f in folder.rglob("*") if f.is_file() and "__pycache__" not in f.parts)
    h = hashlib.sha256(salt.encode("utf-8"))
    for f in sorted(files):
        h.update(f.relative_to(package_dir).as_posix().encode("utf-8") + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


# What turns a file into an article's triples: reading, the pipeline and the writer. The
# extractors are reached through the registry's module names.
EXTRACTION_ROOTS = ("kg.ingest", "kg.pipeline", "kg.extract", "kg.rdf")


def extraction_fingerprint(names: tuple[str, ...] = ()) -> str:
    """The fingerprint of the extraction code and data (and of the pipeline's extractor names)."""
    return fingerprint(EXTRACTION_ROOTS, salt="\x1f".join(names))
