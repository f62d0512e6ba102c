"""The default build (SHACL check in parts, HTML from the articles' parts of the view) gives the
report and page of a check and a page made from the whole graph."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDFS, SH

from kg.build import build
from kg.ns import FKG, FKGR

ROOT = Path(__file__).resolve().parent.parent
CORPUS = [ROOT / "seeds", ROOT.parent / "shared" / "corpus" / "dev" / "articles"]


def _whole(out: Path):
    """The check and the page made from kg.ttl parsed whole, as the build made them before."""
    from kg.validate import validate
    from kg.viz import write_html
    triples = set(Graph().parse(out / "kg.ttl"))
    write_html(triples, out / "whole.html")
    return validate(triples), (out / "whole.html").read_bytes()


@pytest.fixture
def stricter_shapes(monkeypatch):
    """Our shapes plus two that the corpus breaks: one on shared nodes (places), one on the
    articles' own (cases) with sh:class on the shared nodes they point at."""
    from kg.checksplit import checker
    from kg.ontology import shapes_graph
    shapes = Graph()
    for t in shapes_graph():
        shapes.add(t)
    for name, cls, path, (k, v) in (("places", FKG.Place, RDFS.label, (SH.maxCount, Literal(0))),
                                    ("cases", FKG.Case, FKG.handledBy, (SH["class"], FKG.Victim))):
        node, prop = FKGR[f"shape/{name}"], FKGR[f"shape/{name}-p"]
        shapes.add((node, SH.targetClass, cls))
        shapes.add((node, SH.property, prop))
        shapes.add((prop, SH.path, path))
        shapes.add((prop, k, v))
        shapes.add((prop, SH.message, Literal(f"test shape {name}", lang="en")))
    monkeypatch.setattr("kg.ontology.shapes_graph", lambda: shapes)
    checker.cache_clear()
    yield
    checker.cache_clear()


def test_build_check_in_parts_reports_what_the_whole_graph_check_reports(tmp_path, stricter_shapes):
    report = build(CORPUS, tmp_path, html=False)
    whole, _ = _whole(tmp_path)
    assert report.violations == whole
    assert {v.message for v in whole} >= {"test shape places", "test shape cases"}


def test_build_page_from_the_view_is_the_page_of_the_whole_graph(tmp_path):
    report = build(CORPUS, tmp_path / "one")
    whole, page = _whole(tmp_path / "one")
    assert report.violations == whole
    assert (tmp_path / "one" / "graph.html").read_bytes() == page
    two = build(CORPUS, tmp_path / "two", jobs=2)
    assert (tmp_path / "two" / "graph.html").read_bytes() == page
    assert (tmp_path / "two" / "kg.ttl").read_bytes() == (tmp_path / "one" / "kg.ttl").read_bytes()
    assert two.violations == whole
