"""The checks a query passes before any engine parses it (issue #13 item 7)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from kg.errors import QueryError
from kg.querylimits import check_query, service_targets


def _kg(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def graph(tmp_path):
    path = tmp_path / "g.nt"
    path.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n")
    return path


def test_querylimits_kg_query_refuses_a_deeply_nested_query(graph):
    deep = "SELECT * WHERE { FILTER(" + "(" * 20000 + "1" + ")" * 20000 + ") }"
    r = _kg("query", str(graph), deep)
    assert r.returncode == 2 and "nested too deeply" in r.stderr and "Traceback" not in r.stderr


def test_querylimits_kg_query_survives_a_long_chain_within_the_limits(graph):
    chain = "ASK { FILTER(" + "1+" * 8000 + "1 > 0) }"          # overflows an 8 MB stack
    r = _kg("query", str(graph), chain)
    assert r.returncode == 0 and "true" in r.stdout


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { " + "{" * 65 + "}" * 65 + " }",
    "SELECT * WHERE { ?s ?p " + "[ ?p " * 70 + "1" + " ]" * 70 + " }",
    "SELECT * WHERE { ?s ?p ?o } # " + "x" * 100_001,
    "SELECT * WHERE { ?s e:a\\# " + "(" * 70 + "1" + ")" * 70 + " }",   # "\#" in a name starts no comment
])
def test_querylimits_refuses_past_the_limits(text):
    with pytest.raises(QueryError):
        check_query(text)


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { " + "{" * 40 + "}" * 40 + " }",
    'SELECT * WHERE { ?s ?p "' + "(" * 500 + '" }',          # brackets in a string do not count
    "SELECT * WHERE { ?s ?p ?o } # " + "(" * 500,             # nor in a comment
    "SELECT * WHERE { ?s <http://x/(((((((> ?o }" * 1,
])
def test_querylimits_accepts_within_the_limits(text):
    check_query(text)


@pytest.mark.parametrize("text, targets", [
    ("SELECT * { SERVICE <http://a.example/s> { ?s ?p ?o } }", ["http://a.example/s"]),
    ("SELECT * { service silent <http://a.example/s> {} }", ["http://a.example/s"]),
    ("PREFIX e: <http://b.example/> SELECT * { ?s ?p ?o.SERVICE e:q {} }", ["http://b.example/q"]),
    ("SELECT * { SERVICE ?x {} }", [None]),
    ("SELECT * { SERVICE <relative> {} }", [None]),
    ("SELECT * { SERVICE u:x {} }", [None]),
    ('SELECT * { ?s ?p "SERVICE <http://a.example/>" } # SERVICE <http://c.example/>', []),
    ("SELECT * { ?s <http://x/SERVICE> ?o }", []),
    ("SELECT * { ?s e:a\\#b ?o SERVICE <http://d.example/> {} }", ["http://d.example/"]),
    ("SELECT * { ?s ?p '''a ' '' SERVICE''' . SERVICE <http://e.example/> {} }", ["http://e.example/"]),
])
def test_querylimits_finds_every_service_clause(text, targets):
    assert service_targets(text) == targets
