"""The SPARQL endpoint: protocol, formats, read-only, time-out, result limit."""
from __future__ import annotations

import csv
import io
import json
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest

from kg.serve import SparqlServer
from kg.store import GraphStore

EX = "http://example.org/"
COUNT_PEOPLE = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a <http://example.org/Person> }"


def _write_graph(path, people: int = 60):
    """A small generated graph: people with names (one in Chinese), each knowing the next."""
    triples = []
    for i in range(people):
        p = ox.NamedNode(f"{EX}p{i}")
        triples.append(ox.Triple(p, ox.NamedNode(f"{EX}type"), ox.NamedNode(f"{EX}Person")))
        triples.append(ox.Triple(p, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                 ox.NamedNode(f"{EX}Person")))
        triples.append(ox.Triple(p, ox.NamedNode(f"{EX}name"), ox.Literal(f"人{i}", language="zh")))
        triples.append(ox.Triple(p, ox.NamedNode(f"{EX}knows"), ox.NamedNode(f"{EX}p{(i + 1) % people}")))
    path.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = _write_graph(tmp_path_factory.mktemp("serve") / "g.nt")
    with SparqlServer(path, port=0, timeout=2.0, max_rows=50, workers=1) as s:
        yield s


def _get(url, accept=None):
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, r.headers, r.read()


def _post(url, body: bytes, ctype: str, accept=None):
    headers = {"Content-Type": ctype, **({"Accept": accept} if accept else {})}
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, r.headers, r.read()


def _status(fn, *args):
    try:
        return fn(*args)[0]
    except urllib.error.HTTPError as e:
        return e.code


def test_serve_binds_to_loopback_by_default(server):
    assert server.url.startswith("http://127.0.0.1:")


def test_serve_get_returns_sparql_json(server):
    status, headers, body = _get(f"{server.url}/sparql?{urlencode({'query': COUNT_PEOPLE})}")
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "60"


@pytest.mark.parametrize("ctype", ["application/sparql-query", "application/x-www-form-urlencoded"])
def test_serve_post_accepts_both_encodings(server, ctype):
    q = "SELECT ?name WHERE { <http://example.org/p3> <http://example.org/name> ?name }"
    body = q.encode("utf-8") if ctype == "application/sparql-query" else urlencode({"query": q}).encode()
    _, _, out = _post(f"{server.url}/sparql", body, ctype)
    b = json.loads(out)["results"]["bindings"][0]["name"]
    assert b == {"type": "literal", "value": "人3", "xml:lang": "zh"}


def test_serve_formats_follow_the_accept_header(server):
    q = "SELECT ?p ?name WHERE { ?p <http://example.org/name> ?name } ORDER BY ?p LIMIT 3"
    url = f"{server.url}/sparql?{urlencode({'query': q})}"
    _, h, body = _get(url, "text/csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert h["Content-Type"].startswith("text/csv") and rows[0] == ["p", "name"] and rows[1] == [f"{EX}p0", "人0"]
    _, h, body = _get(url, "text/tab-separated-values")
    lines = body.decode("utf-8").splitlines()
    assert lines[0] == "?p\t?name" and lines[1] == f'<{EX}p0>\t"人0"@zh'
    for accept, fmt in (("application/sparql-results+xml", ox.QueryResultsFormat.XML),
                        ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
                        ("text/csv;q=0.5, application/sparql-results+xml", ox.QueryResultsFormat.XML)):
        _, h, body = _get(url, accept)
        parsed = list(ox.parse_query_results(body, format=fmt))   # the W3C format, read back by pyoxigraph
        assert [str(s["name"]) for s in parsed] in (['"人0"@zh', '"人1"@zh', '"人10"@zh'], ['人0', '人1', '人10'])
    assert _status(_get, url, "image/png") == 406


def test_serve_construct_returns_turtle(server):
    q = "CONSTRUCT { ?p <http://example.org/knows> ?q } WHERE { <http://example.org/p1> <http://example.org/knows> ?q . BIND(<http://example.org/p1> AS ?p) }"
    _, h, body = _get(f"{server.url}/sparql?{urlencode({'query': q})}")
    assert h["Content-Type"].startswith("text/turtle")
    assert len(list(ox.parse(body, format=ox.RdfFormat.TURTLE))) == 1


def test_serve_refuses_updates(server):
    update = "INSERT DATA { <http://example.org/x> <http://example.org/y> 1 }"
    assert _status(_post, f"{server.url}/sparql", update.encode(), "application/sparql-update") == 403
    assert _status(_post, f"{server.url}/sparql", urlencode({"update": update}).encode(),
                   "application/x-www-form-urlencoded") == 403
    assert _status(_get, f"{server.url}/sparql?{urlencode({'query': update})}") == 403
    assert _status(_get, f"{server.url}/sparql?{urlencode({'query': 'SELECT ?x WHERE {'})}") == 400
    _, _, body = _get(f"{server.url}/sparql?{urlencode({'query': COUNT_PEOPLE})}")
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "60"


def test_serve_cuts_large_results_and_says_so(server):
    _, h, body = _get(f"{server.url}/sparql?{urlencode({'query': 'SELECT * WHERE { ?s ?p ?o }'})}")
    assert len(json.loads(body)["results"]["bindings"]) == 50 and "50" in h["X-FraudKG-Truncated"]


def test_serve_stops_a_runaway_query_and_keeps_serving(server):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # 240^4 rows
    t0 = time.monotonic()
    assert _status(_get, f"{server.url}/sparql?{urlencode({'query': runaway})}") == 503
    assert time.monotonic() - t0 < 10
    _, _, body = _get(f"{server.url}/sparql?{urlencode({'query': COUNT_PEOPLE})}")   # a fresh worker answers
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "60"


def test_serve_query_page_works_offline(server):
    _, h, body = _get(server.url + "/")
    page = body.decode("utf-8")
    assert h["Content-Type"].startswith("text/html") and "<textarea" in page and "fetch(\"sparql\"" in page
    assert "src=\"http" not in page and "href=\"http" not in page   # nothing loaded from elsewhere


def test_serve_store_folder_with_named_graphs(tmp_path):
    gs = GraphStore(tmp_path / "store")
    from rdflib import URIRef
    gs.put_article(URIRef(f"{EX}g1"), [(URIRef(f"{EX}a"), URIRef(f"{EX}p"), URIRef(f"{EX}b"))])
    gs.put_article(URIRef(f"{EX}g2"), [(URIRef(f"{EX}b"), URIRef(f"{EX}p"), URIRef(f"{EX}c"))])
    del gs
    with SparqlServer(tmp_path / "store", port=0, workers=1) as s:
        q = "SELECT ?x WHERE { <http://example.org/a> <http://example.org/p>/<http://example.org/p> ?x }"
        _, _, body = _get(f"{s.url}/sparql?{urlencode({'query': q})}")
        assert json.loads(body)["results"]["bindings"] == [{"x": {"type": "uri", "value": f"{EX}c"}}]
        one = urlencode({"query": "ASK { ?s ?p <http://example.org/c> }", "default-graph-uri": f"{EX}g1"})
        assert json.loads(_get(f"{s.url}/sparql?{one}")[2])["boolean"] is False
