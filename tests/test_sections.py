"""kg.ttl in sections: each article's own triples sorted where it was extracted, the shared
ones merged once; the bytes depend on the articles' graphs only."""
from __future__ import annotations

import io
import random

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import rdf
from kg.sections import article_section, local_prefixes, split_local, turtle_body, turtle_header, write_turtle
from kg.serialize import FORMATS

NT = ox.RdfFormat.N_TRIPLES
R = "https://w3id.org/fraudkg/resource/"
P = "<https://w3id.org/fraudkg/ontology#p>"


def _line(s: str, o: str) -> bytes:
    return f"{s} {P} {o} .\n".encode("utf-8")


def test_sections_an_articles_own_iris_are_subject_or_object_of_its_own_lines():
    a = str(rdf.article_iri("a1"))
    own = [_line(f"<{a}>", '"x"'), _line(f"<{a}/sentence/0-5>", '"y"'), _line(f"<{R}case/a1/0-0>", f"<{R}place/330000>"),
           _line(f"<{R}person/a1/王某>", '"z"'), _line(f"<{R}unit/某派出所>", f"<{R}assertion/a1/abc>")]
    shared = [_line(f"<{R}unit/某派出所>", '"某派出所"@zh'), _line(f"<{R}place/330000>", f"<{R}place/100000>"),
              # another article's IRIs, one whose id starts with this one's, and a literal that quotes an IRI
              _line(f"<{R}case/a10/0-0>", '"w"'), _line(f"<{R}article/a1x>", '"v"'),
              _line(f"<{R}org/某公司>", f'"<{R}case/a1/0-0>"')]
    local, other = split_local(b"".join(own + shared), a)
    assert sorted(local.splitlines(keepends=True)) == sorted(own)
    assert sorted(other.splitlines(keepends=True)) == sorted(shared)


def test_sections_local_prefixes_refuse_what_is_not_an_article_iri():
    with pytest.raises(ValueError):
        local_prefixes(f"{R}case/a1/0-0")


def _article_graph(aid: str, rng: random.Random) -> bytes:
    """A small article graph: own nodes pointing at a few shared places, units and literals
    (with characters that N-Triples escapes and that the byte sort treats apart)."""
    a = str(rdf.article_iri(aid))
    lines = [_line(f"<{a}>", '"article"')]
    for i in range(rng.randint(1, 6)):
        place = f"<{R}place/{rng.choice(['110000', '330000', '330700'])}>"
        unit = f"<{R}unit/{rng.choice(['甲', '乙', '丙'])}>"
        lines += [_line(f"<{R}case/{aid}/{i}>", place), _line(unit, f"<{R}assertion/{aid}/{i}>"),
                  _line(place, '"地名"@zh'), _line(unit, rng.choice(['"a\\"b"', '"a>b"', '"a^b"', '"ab"@zh'])),
                  _line(f"<{R}person/{aid}/{i}>", rng.choice(['"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
                                                            '"x\\ny"', '"梅"']))]
    return b"".join(lines)


def _kg_ttl(graphs: dict[str, bytes], order: list[str], from_store: bool = False) -> tuple[bytes, int]:
    sections = []
    for aid in order:
        nt = graphs[aid]
        if from_store:      # what a store dumps: pyoxigraph's own lines, special ones not marked
            nt = ox.serialize(ox.parse(nt, format=NT), format=NT)
        sections.append(article_section(str(rdf.article_iri(aid)), nt))
    out = io.BytesIO()
    n = write_turtle(sections, _line(f"<{R}place/100000>", '"中国"@zh'), out)
    return out.getvalue(), n


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(2, 6))
def test_sections_kg_ttl_is_the_union_in_the_same_bytes_whatever_the_order_or_source(rng, n):
    graphs = {f"a{i}": _article_graph(f"a{i}", rng) for i in range(n)}
    order = sorted(graphs)
    reference, count = _kg_ttl(graphs, order)
    shuffled = order[:]
    rng.shuffle(shuffled)
    assert _kg_ttl(graphs, shuffled) == (reference, count)
    assert _kg_ttl(graphs, shuffled, from_store=True) == (reference, count)
    union = set(ox.parse(b"".join(graphs.values()) + _line(f"<{R}place/100000>", '"中国"@zh'), format=NT))
    written = list(ox.parse(reference, format=FORMATS["ttl"]))
    assert set(written) == union and len(written) == len(union) == count     # nothing twice


def test_sections_turtle_body_drops_exactly_the_prefixes():
    header = turtle_header()
    assert header.startswith(b"@prefix ") and header.endswith(b" .\n")
    assert turtle_body(header + b"fkg:x fkg:y fkg:z .\n") == b"fkg:x fkg:y fkg:z .\n"
    assert turtle_body(b"") == b""
    with pytest.raises(ValueError):
        turtle_body(b"@prefix other: <urn:x:> .\nother:x other:y other:z .\n")
