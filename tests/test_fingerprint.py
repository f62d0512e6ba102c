"""The extraction fingerprint is derived from the code the pipeline imports, not from a list."""
from pathlib import Path

from kg.extract import _MODULES
from kg.fingerprint import EXTRACTION_ROOTS, fingerprint, module_closure


def _package(tmp_path: Path) -> Path:
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "root.py").write_text("from .sub import leaf\n\ndef f():\n    from . import lazy\n    return lazy\n")
    (pkg / "sub" / "leaf.py").write_text("X = 1\n")
    (pkg / "lazy.py").write_text("import importlib\nM = importlib.import_module('pkg.named')\n")
    (pkg / "named.py").write_text("Y = 2\n")
    (pkg / "unrelated.py").write_text("Z = 3\n")
    return pkg


def test_fingerprint_closure_follows_lazy_and_string_imports(tmp_path):
    pkg = _package(tmp_path)
    found = set(module_closure(["pkg.root"], pkg, "pkg"))
    assert found == {"pkg", "pkg.root", "pkg.sub", "pkg.sub.leaf", "pkg.lazy", "pkg.named"}


def test_fingerprint_changes_with_imported_code_only(tmp_path):
    pkg = _package(tmp_path)
    before = fingerprint(["pkg.root"], (), pkg, "pkg")
    (pkg / "unrelated.py").write_text("Z = 4\n")
    assert fingerprint(["pkg.root"], (), pkg, "pkg") == before
    (pkg / "named.py").write_text("Y = 5\n")
    assert fingerprint(["pkg.root"], (), pkg, "pkg") != before


def test_fingerprint_covers_every_extractor_and_the_date_parser():
    found = set(module_closure(EXTRACTION_ROOTS))
    assert set(_MODULES.values()) <= found
    assert {"kg.dates", "kg.numbers", "kg.gazetteer", "kg.ingest", "kg.rdf"} <= found
    assert not any(m.startswith(("kg.cli", "kg.serve", "kg.viz")) for m in found)
