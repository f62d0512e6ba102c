"""Pushing to a real Graph Store Protocol endpoint (Oxigraph's server), resumably."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from rdflib import Literal, URIRef

from kg.push import push
from kg.store import GraphStore

EX = "http://example.org/"


def _oxigraph() -> str:
    exe = Path(sys.executable).with_name("oxigraph")
    found = str(exe) if exe.exists() else shutil.which("oxigraph")
    assert found, "the oxigraph server is part of the test extra: pip install -e '.[test]'"
    return found


@pytest.fixture
def oxigraph_server(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([_oxigraph(), "serve", "--location", str(tmp_path / "remote"),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/query?{urlencode({'query': 'ASK {}'})}", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"oxigraph serve did not start: {proc.stderr.read().decode()}")
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def _count_per_graph(url) -> dict:
    q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    req = urllib.request.Request(f"{url}/query?{urlencode({'query': q})}",
                                 headers={"Accept": "application/sparql-results+json"})
    rows = json.loads(urllib.request.urlopen(req, timeout=10).read())["results"]["bindings"]
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


def _store(path, graphs: dict[str, int]):
    gs = GraphStore(path)
    for g, n in graphs.items():
        gs.put_article(URIRef(g), [(URIRef(f"{g}/s{i}"), URIRef(f"{EX}p"), Literal(f"值{i}", lang="zh"))
                                   for i in range(n)])
    gs.flush()


def test_push_sends_each_graph_once_and_resumes(oxigraph_server, tmp_path):
    store = tmp_path / "store"
    graphs = {f"https://w3id.org/fraudkg/resource/article/a{i}": 3 + i for i in range(4)}
    _store(store, graphs)
    endpoint = f"{oxigraph_server}/store"
    first = push(store, endpoint)
    assert sorted(first.sent) == sorted(graphs) and first.triples == sum(graphs.values())
    assert _count_per_graph(oxigraph_server) == graphs

    again = push(store, endpoint)
    assert again.sent == [] and sorted(again.unchanged) == sorted(graphs)

    # one article changes, one disappears: only those go over the wire
    changed, gone = sorted(graphs)[1], sorted(graphs)[2]
    _store(store, {changed: 10})
    GraphStore(store).remove_graph(gone)
    third = push(store, endpoint)
    assert third.sent == [changed] and third.deleted == [] and third.stale == [gone]    # no --delete
    assert _count_per_graph(oxigraph_server)[gone] == graphs[gone]
    fourth = push(store, endpoint, delete=True)
    assert fourth.sent == [] and fourth.deleted == [gone]
    expected = {g: (10 if g == changed else n) for g, n in graphs.items() if g != gone}
    assert _count_per_graph(oxigraph_server) == expected


def test_push_a_push_after_a_mistyped_build_deletes_nothing(oxigraph_server, tmp_path):
    store = tmp_path / "store"
    graphs = {f"https://w3id.org/fraudkg/resource/article/a{i}": 2 for i in range(3)}
    _store(store, graphs)
    endpoint = f"{oxigraph_server}/store"
    push(store, endpoint)
    for g in graphs:                # what an emptied store looks like
        GraphStore(store).remove_graph(g)
    report = push(store, endpoint)
    assert report.deleted == [] and sorted(report.stale) == sorted(graphs)
    assert _count_per_graph(oxigraph_server) == graphs


def test_push_state_entries_that_are_not_article_graphs_are_never_deleted(oxigraph_server, tmp_path):
    store = tmp_path / "store"
    _store(store, {"https://w3id.org/fraudkg/resource/article/a0": 2})
    endpoint = f"{oxigraph_server}/store"
    theirs = push(tmp_path / "store", endpoint, graph=f"{EX}theirs", state_path=tmp_path / "other.json")
    assert theirs.sent == [f"{EX}theirs"]
    state = tmp_path / "store" / "fraudkg-push.json"
    state.write_text(json.dumps({f"{endpoint} ": {f"{EX}theirs": "0" * 64}}), encoding="utf-8")
    report = push(store, endpoint, delete=True)
    assert report.deleted == [] and report.stale == [f"{EX}theirs"]
    assert f"{EX}theirs" in _count_per_graph(oxigraph_server)


@pytest.mark.parametrize("content", ["[1, 2]", '{"x": [1]}', '{"x": {"g": 5}}', "not json", '{"x": {"g": "abc"}}'])
def test_push_a_state_file_of_the_wrong_shape_is_a_clear_error(tmp_path, content):
    from click.testing import CliRunner
    from kg.cli import main
    _store(tmp_path / "store", {"https://w3id.org/fraudkg/resource/article/a0": 1})
    (tmp_path / "state.json").write_text(content, encoding="utf-8")
    res = CliRunner().invoke(main, ["push", str(tmp_path / "store"), "--endpoint", "http://127.0.0.1:9/store",
                                    "--state", str(tmp_path / "state.json")])
    assert res.exit_code == 1 and "is not a FraudKG push state file" in res.output, res.output
    assert "internal error" not in res.output


def test_push_credentials_in_the_url_are_refused_and_never_printed_or_stored(tmp_path):
    from click.testing import CliRunner
    from kg.cli import main
    _store(tmp_path / "store", {"https://w3id.org/fraudkg/resource/article/a0": 1})
    res = CliRunner().invoke(main, ["push", str(tmp_path / "store"), "--endpoint",
                                    "http://alice:s3cr3t-pw@127.0.0.1:9/store"])
    assert res.exit_code == 1 and "--user" in res.output and "KG_PUSH_PASSWORD" in res.output
    assert "s3cr3t-pw" not in res.output
    assert not (tmp_path / "store" / "fraudkg-push.json").exists()


def test_push_a_server_error_body_cannot_drive_the_terminal(tmp_path):
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer
    from click.testing import CliRunner
    from kg.cli import main

    class Hostile(BaseHTTPRequestHandler):
        def do_PUT(self):
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"\x1b]0;owned\x07\x1b[2J\x1b[31mfail\r\nError: fake line")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Hostile)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        _store(tmp_path / "store", {"https://w3id.org/fraudkg/resource/article/a0": 1})
        res = CliRunner().invoke(main, ["push", str(tmp_path / "store"), "--endpoint",
                                        f"http://127.0.0.1:{server.server_address[1]}/store"])
    finally:
        server.shutdown()
    assert res.exit_code == 1 and "HTTP 500" in res.output
    assert "\x1b" not in res.output and "\r" not in res.output and "\\x1b[31m" in res.output
    assert res.output.count("\n") == 1            # one Error line, no second line forged by the body


def test_push_file_into_one_named_graph(oxigraph_server, tmp_path):
    ttl = tmp_path / "kg.ttl"
    ttl.write_text(f"<{EX}a> <{EX}p> <{EX}b> , <{EX}c> .\n", encoding="utf-8")
    report = push(ttl, f"{oxigraph_server}/store", graph=f"{EX}kg")
    assert report.sent == [f"{EX}kg"]
    assert _count_per_graph(oxigraph_server) == {f"{EX}kg": 2}
    assert (tmp_path / "kg.ttl.push.json").is_file()


def test_push_unreachable_endpoint_is_a_clear_error(tmp_path):
    from kg.errors import StoreError
    ttl = tmp_path / "kg.ttl"
    ttl.write_text(f"<{EX}a> <{EX}p> <{EX}b> .\n", encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(StoreError, match="cannot reach"):
        push(ttl, f"http://127.0.0.1:{port}/store")


def test_push_answers_virtuoso_s_digest_challenge(virtuoso, tmp_path):
    store = tmp_path / "store"
    _store(store, {f"{EX}digest/a": 3, f"{EX}digest/b": 2})
    endpoint = f"{virtuoso}/sparql-graph-crud-auth"
    report = push(store, endpoint, user="dba", password="dba", state_path=tmp_path / "state.json")
    assert sorted(report.sent) == [f"{EX}digest/a", f"{EX}digest/b"]
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), '{EX}digest/')) }}"
    req = urllib.request.Request(f"{virtuoso}/sparql?{urlencode({'query': q})}", headers={"Accept": "text/csv"})
    assert urllib.request.urlopen(req, timeout=30).read().decode().split()[1] == "5"
    from kg.errors import StoreError
    with pytest.raises(StoreError) as err:
        push(store, endpoint, user="dba", password="wrong", state_path=tmp_path / "other.json")
    assert "HTTP 401" in str(err.value) and "--password" in str(err.value) and "\n" not in str(err.value)


def test_push_refusal_is_one_line_with_the_status_and_the_server_s_message(tmp_path):
    import http.server
    import threading

    class Refuse(http.server.BaseHTTPRequestHandler):
        def do_PUT(self):
            body = (b"<html><head><title>403 Forbidden</title><style>p{}</style></head><body>\n<h1>Error</h1>\n"
                    b"<p>SQ110: Permission denied for user &quot;reader&quot;</p>" + b"<p>padding</p>" * 200 +
                    b"</body></html>")
            self.send_response(403)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Refuse)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    store = tmp_path / "store"
    _store(store, {f"{EX}g": 1})
    from kg.errors import StoreError
    try:
        with pytest.raises(StoreError) as err:
            push(store, f"http://127.0.0.1:{server.server_address[1]}/store", state_path=tmp_path / "s.json")
    finally:
        server.shutdown()
    message = str(err.value)
    assert "\n" not in message and "<" not in message and len(message) < 500
    assert "HTTP 403 Forbidden" in message and 'Permission denied for user "reader"' in message
    assert "check --user" not in message and "SPARQL_UPDATE" in message
