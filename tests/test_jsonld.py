"""JSON-LD export: compact, with an @context of the project's prefixes, and read by pyld (the
JSON-LD reference implementation) as exactly the graph that was exported."""
from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.jsonld import to_jsonld
from kg.query import load_store
from kg.serialize import PREFIXES


def _quads_by_pyld(doc: dict) -> set:
    pyld = pytest.importorskip("pyld.jsonld", reason="pyld is part of the test extra")
    nquads = pyld.to_rdf(doc, {"format": "application/n-quads"})
    return set(ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS))


def test_jsonld_is_compact_and_means_the_graph(small_kg, tmp_path):
    out = tmp_path / "kg.jsonld"
    r = CliRunner().invoke(main, ["export", str(small_kg), "--format", "jsonld", "--out", str(out)])
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["@context"] == PREFIXES
    text = out.read_text(encoding="utf-8")
    assert '"fkgr:unit/hz"' in text and '"@type": "fkg:PoliceUnit"' in text
    assert "https://w3id.org/fraudkg/resource/" not in text.replace(PREFIXES["fkgr"], "", 1)
    expected = {q.triple for q in load_store(small_kg)}     # the terms as a store holds them (50000.0 is 50000)
    assert {q.triple for q in _quads_by_pyld(doc)} == expected


def test_jsonld_keeps_named_graphs():
    g1, g2 = ox.NamedNode("https://w3id.org/fraudkg/resource/article/a"), ox.NamedNode("http://example.org/g")
    s, p = ox.NamedNode("https://w3id.org/fraudkg/resource/case/a/1"), ox.NamedNode("https://w3id.org/fraudkg/ontology#amountLost")
    quads = [ox.Quad(s, p, ox.Literal("50000.0", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")), g1),
             ox.Quad(s, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("案 \"一\"", language="zh"), g2),
             ox.Quad(ox.BlankNode("b1"), p, ox.Literal("x"), ox.DefaultGraph())]
    doc = json.loads(to_jsonld(quads))
    got = _quads_by_pyld(doc)
    assert {(q.subject, q.predicate, q.object, q.graph_name) for q in got if not isinstance(q.subject, ox.BlankNode)} == \
        {(q.subject, q.predicate, q.object, q.graph_name) for q in quads[:2]}
    assert any(isinstance(q.subject, ox.BlankNode) and q.graph_name == ox.DefaultGraph() for q in got)
