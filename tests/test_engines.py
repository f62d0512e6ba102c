"""The same answers everywhere: every named query, a COUNT(*) and a SUM over money, on the
graph of the seed and dev articles, through four engines: pyoxigraph on the store, `kg serve`
over HTTP, rdflib on kg.ttl, and Virtuoso after `kg push` (Digest authentication)."""
from __future__ import annotations

import json
import os
import urllib.request
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner

from kg.query import bind_text, get_named, load_store, named_queries, run, run_named, with_prefixes

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("FRAUDKG_SHARED", ROOT.parent / "shared"))
DEV = SHARED / "corpus" / "dev" / "articles"

# every named query, with parameters that select something on the seeds and dev articles
CALLS = [
    ("cases-by-crime-type", {}), ("cases-by-crime-type", {"crime": "刷单返利诈骗"}),
    ("gangs-by-origin-province", {}), ("units-by-cases", {}),
    ("cases-by-place", {}), ("cases-by-place", {"level": "prefecture"}), ("cases-by-place", {"level": "county"}),
    ("entity", {"name": "永康市公安局"}), ("entity", {"name": "方岩派出所"}),
    ("suspects-caught-away", {}), ("recovered-by-unit", {}),
    ("reported-figures", {}), ("reported-figures", {"unit": "公安部"}), ("reported-figures", {"period": "2021年"}),
    ("dissuaded-victims", {}),
]
FKG_TRIPLES = ('SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), "https://w3id.org/fraudkg/")) }')
MONEY = "SELECT (SUM(?v) AS ?lost) (COUNT(?v) AS ?amounts) WHERE { ?c fkg:amountLost ?v }"


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    """(store folder, kg.ttl) of the seed and dev articles."""
    from kg.build import build
    if not DEV.is_dir():
        pytest.skip(f"{DEV} not found (set FRAUDKG_SHARED)")
    tmp = tmp_path_factory.mktemp("engines")
    build([ROOT / "seeds", DEV], tmp / "out", html=False, validate=False, store=tmp / "store")
    return tmp / "store", tmp / "out" / "kg.ttl"


def _norm(cell):
    """A value as the engines may write it differently: numbers by value (50000, 50000.0),
    lists made by GROUP_CONCAT in any order."""
    if cell is None or cell == "":
        return None
    try:
        return str(Decimal(cell).normalize())
    except InvalidOperation:
        return ", ".join(sorted(cell.split(", ")))


def _rows(variables, rows) -> list[tuple]:
    return sorted((tuple(_norm(c) for c in r) for r in rows), key=repr)


def _http(url: str, query: str) -> tuple[list[str], list[list]]:
    req = urllib.request.Request(url, data=urlencode({"query": query}).encode("utf-8"),
                                 headers={"Accept": "application/sparql-results+json",
                                          "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=120) as resp:
        data = json.loads(resp.read())
    variables = data["head"]["vars"]
    return variables, [[b.get(v, {}).get("value") for v in variables] for b in data["results"]["bindings"]]


@pytest.fixture(scope="module")
def engines(graph, virtuoso):
    """name → function(query text) → (variables, rows of text)."""
    import rdflib

    from kg.cli import main
    from kg.serve import SparqlServer
    store_dir, ttl = graph
    store = load_store(store_dir)
    r = CliRunner().invoke(main, ["push", str(store_dir), "--endpoint", f"{virtuoso}/sparql-graph-crud-auth",
                                  "--user", "dba", "--password", "dba", "--quiet"])
    assert r.exit_code == 0, r.output
    g = rdflib.Graph()
    g.parse(ttl, format="turtle")

    def pyoxigraph(q):
        res = run(store, q)
        return res.variables, res.rows

    def rdflib_ttl(q):
        res = g.query(q)
        variables = [str(v) for v in res.vars]
        return variables, [[None if t is None else str(t) for t in row] for row in res]

    with SparqlServer(store_dir, port=0, workers=1, timeout=120) as server:
        yield {"pyoxigraph": pyoxigraph, "kg serve": lambda q: _http(f"{server.url}/sparql", q),
               "rdflib": rdflib_ttl, "virtuoso": lambda q: _http(f"{virtuoso}/sparql", q)}


def test_engines_calls_cover_every_named_query():
    assert {name for name, _ in CALLS} == set(named_queries())


@pytest.mark.parametrize("name,params", CALLS, ids=[f"{n}-{'-'.join(p.values())}" for n, p in CALLS])
def test_engines_give_the_same_rows_for_every_named_query(engines, graph, name, params):
    text = with_prefixes(bind_text(get_named(name), params))
    expected = run_named(load_store(graph[0]), name, params)
    assert expected.rows, f"{name} {params} finds nothing on the seeds and dev articles"
    want = _rows(expected.variables, expected.rows)
    for engine, ask in engines.items():
        variables, rows = ask(text)
        assert variables == expected.variables, engine
        assert _rows(variables, rows) == want, engine


@pytest.mark.parametrize("query", [FKG_TRIPLES, MONEY], ids=["count", "money"])
def test_engines_count_and_sum_the_same(engines, graph, query):
    answers = {engine: _rows(*ask(with_prefixes(query))) for engine, ask in engines.items()}
    assert len(set(map(repr, answers.values()))) == 1, answers
    if query == FKG_TRIPLES:      # every triple of the graph is about a FraudKG IRI: nothing left out
        store = load_store(graph[0])
        everything = run(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
        assert _rows(["n"], everything) == answers["pyoxigraph"]
        assert int(everything[0][0]) == len({q.triple for q in store})
