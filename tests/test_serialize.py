"""N-Triples as the build's exchange format: the writer's text is pyoxigraph's, and sorting the
lines as bytes gives the order of :func:`kg.serialize.sorted_triples` (so kg.ttl keeps its bytes)."""
from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg import ntriples, rdf
from kg.serialize import sort_ntriples, sorted_triples, split_special, to_ox

NT = ox.RdfFormat.N_TRIPLES
EX = "https://example.org/"

# characters that sit next to the bytes the sort swaps, quotes, escapes and controls
_tricky = st.text(st.sampled_from(list(' !"#<=>?@[\\]^_`\t\n\r\x01\x02\x03\x04\x7f\ufffe') + ["a", "b", "梅", "/", "-"]),
                  max_size=6)
_iri = _tricky.map(lambda s: URIRef(str(rdf.entity_iri(f"Place/{s}"))))
_literal = st.one_of(
    _tricky.map(Literal),
    _tricky.map(lambda s: Literal(s, lang="zh")),
    _tricky.map(lambda s: Literal(s, lang="zh-cn")),
    st.integers(-20, 20).map(lambda n: Literal(str(n), datatype=XSD.integer)),
    _tricky.map(lambda s: Literal(s, datatype=XSD.gYear)),
)
_few = st.sampled_from(["a", "a-b", "a/b", "ab", "梅"]).map(lambda s: URIRef(EX + s))   # shared subjects
_triples = st.sets(st.tuples(st.one_of(_few, _iri), _few, st.one_of(_iri, _literal)), min_size=1, max_size=25)


def _ntriples(triples) -> bytes:
    return ox.serialize([ox.Triple(*map(to_ox, t)) for t in triples], format=NT)


@settings(max_examples=300, deadline=None)
@given(_triples)
def test_serialize_sorted_ntriples_follow_the_order_of_sorted_triples(triples):
    doubled = _ntriples(triples) + _ntriples(list(triples)[::-1])    # every line twice
    data, n = sort_ntriples(doubled)
    got = [q.triple for q in ox.parse(data, format=NT)]
    assert got == [ox.Triple(*map(to_ox, t)) for t in sorted_triples(triples)]
    assert n == len(triples)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_rdf_literal_text_is_what_pyoxigraph_writes(text):
    lit = ox.Literal(text)
    written = ox.serialize([ox.Triple(ox.NamedNode(EX), ox.NamedNode(EX), lit)], format=NT).decode("utf-8")
    assert f"<{EX}> <{EX}> {ntriples.plain(text)} .\n" == written
    assert ntriples.value(ntriples.plain(text)) == text


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1))
def test_rdf_entity_names_always_make_valid_iris(name):
    keys = (f"Victim/article 1/{name}", f"PoliceUnit/{name}", f"Place/{name}")
    iris = [str(rdf.entity_iri(key)) for key in keys]
    assert [ox.NamedNode(i).value for i in iris] == iris   # ox.NamedNode raises on an invalid IRI
    assert len(set(iris)) == len(keys)                      # one entity, one IRI


def test_rdf_decimals_read_back_from_a_store_as_written():
    for value in (Decimal("66000.0"), Decimal("1.50"), 66000.0, Decimal("12"), Decimal("-0.0")):
        line = f"<{EX}s> <{EX}p> {ntriples.decimal(value)} .\n".encode("utf-8")
        store = ox.Store()
        store.load(line, format=NT)
        assert store.dump(format=NT, from_graph=ox.DefaultGraph()) == line


@settings(max_examples=300, deadline=None)
@given(_tricky)
def test_rdf_writer_marks_the_literals_that_the_sort_places_by_key(text):
    for nt in (ntriples.plain(text), ntriples.zh(text)):
        line = f"<{EX}s> <{EX}p> {nt} .\n".encode("utf-8")
        safe, special = split_special(line)
        assert isinstance(nt, ntriples.Special) == (special == line) == (safe == b"")


def test_serialize_an_ill_typed_literal_is_parsed_without_a_logged_traceback(caplog):
    import logging
    from kg.serialize import parse_ntriples
    nt = b'<https://example.org/c> <https://example.org/date> "2018-02-31"^^<http://www.w3.org/2001/XMLSchema#date> .\n'
    with caplog.at_level(logging.WARNING):
        triples = parse_ntriples(nt)
    assert len(triples) == 1 and str(next(iter(triples))[2]) == "2018-02-31"
    assert not [r for r in caplog.records if r.name.startswith("rdflib")]
