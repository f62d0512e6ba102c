"""The SPARQL endpoint: protocol, formats, read-only, time-out, result limit, and the
hardening of issue #13 (limits, workers that die, SERVICE, CORS and Host, memory, bad
requests, signals) and #14 item 6 (prefixes, named queries, reopening)."""
from __future__ import annotations

import csv
import io
import json
import time
import urllib.error
import urllib.request
from pathlib import Path
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


# ---------------------------------------------------------------------------- hardening (issue #13)
DEEP = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"


def _raw(url: str, request: bytes, timeout: float = 10) -> bytes:
    """Send raw bytes to the server, return all it answers before closing."""
    import socket
    host, port = url.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        s.sendall(request)
        out = b""
        while chunk := s.recv(65536):
            out += chunk
    return out


def _error_body(fn, *args) -> tuple[int, str]:
    try:
        r = fn(*args)
        return r[0], r[2].decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def test_serve_refuses_a_deeply_nested_query_and_keeps_serving(server):
    for _ in range(3):    # each would have killed a worker: the pool has one
        status, body = _error_body(_post, f"{server.url}/sparql", DEEP.encode(), "application/sparql-query")
        assert status == 400 and "nested too deeply" in body
    _, _, body = _get(f"{server.url}/sparql?{urlencode({'query': COUNT_PEOPLE})}")
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "60"


def test_serve_evaluates_a_long_operator_chain_without_crashing(tmp_path):
    # 8,000 additions overflow an 8 MB stack; the workers evaluate on a larger one
    chain = "ASK { FILTER(" + "1+" * 8000 + "1 > 0) }"
    with SparqlServer(_write_graph(tmp_path / "g.nt", people=2), port=0, workers=1, timeout=120) as s:
        _, _, body = _post(f"{s.url}/sparql", chain.encode(), "application/sparql-query")
    assert json.loads(body)["boolean"] is True


def test_serve_replaces_a_worker_that_dies(tmp_path):
    import os
    import signal
    path = _write_graph(tmp_path / "g.nt", people=5)
    with SparqlServer(path, port=0, workers=1) as s:
        for _ in range(2):
            os.kill(s.pool.all[0].proc.pid, signal.SIGKILL)
            s.pool.all[0].proc.join(5)
            status, body = _error_body(_get, f"{s.url}/sparql?{urlencode({'query': COUNT_PEOPLE})}")
            assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "5"


class _Listener:
    """A local HTTP server that records the requests it gets and answers an empty SPARQL result."""

    def __init__(self):
        import http.server
        import threading
        hits = self.hits = []

        class H(http.server.BaseHTTPRequestHandler):
            def _answer(self):
                hits.append(self.path)
                body = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"http://example.org/far"}}]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_serve_refuses_service_unless_the_host_is_allowed(tmp_path):
    path = _write_graph(tmp_path / "g.nt", people=3)
    far = _Listener()
    try:
        target = f"http://127.0.0.1:{far.port}/sparql"
        queries = [f"SELECT ?s WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
                   f"SELECT ?s WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
                   f"PREFIX far: <http://127.0.0.1:{far.port}/> SELECT ?s WHERE {{ ?s ?p ?o.service far:sparql {{ ?s ?p ?o }} }}",
                   "SELECT ?s WHERE { BIND(<" + target + "> AS ?e) SERVICE ?e { ?s ?p ?o } }"]
        with SparqlServer(path, port=0, workers=1) as s:
            for q in queries:
                status, body = _error_body(_get, f"{s.url}/sparql?{urlencode({'query': q})}")
                assert status == 403 and "SERVICE" in body and "--allow-service" in body, q
        assert far.hits == []
        with SparqlServer(path, port=0, workers=1, allow_service=("127.0.0.1",)) as s:
            status, body = _error_body(_get, f"{s.url}/sparql?{urlencode({'query': queries[0]})}")
            assert status == 200 and "http://example.org/far" in body
            other = queries[0].replace("127.0.0.1", "localhost")     # another name is another host
            assert _status(_get, f"{s.url}/sparql?{urlencode({'query': other})}") == 403
            assert _status(_get, f"{s.url}/sparql?{urlencode({'query': queries[3]})}") == 403
        assert len(far.hits) == 1
    finally:
        far.close()


def test_serve_sends_no_cors_header_by_default(server):
    req = urllib.request.Request(f"{server.url}/sparql?{urlencode({'query': COUNT_PEOPLE})}",
                                 headers={"Origin": "https://elsewhere.example"})
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.headers.get("Access-Control-Allow-Origin") is None
    answer = _raw(server.url, b"OPTIONS /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://elsewhere.example\r\n"
                              b"Access-Control-Request-Method: POST\r\nConnection: close\r\n\r\n")
    assert b"Access-Control-Allow" not in answer


def test_serve_answers_only_host_names_of_the_bound_address(server):
    port = server.url.rsplit(":", 1)[1]
    q = f"GET /sparql?{urlencode({'query': COUNT_PEOPLE})} HTTP/1.1\r\nConnection: close\r\n"
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "127.0.0.1"):
        assert _raw(server.url, f"{q}Host: {host}\r\n\r\n".encode()).startswith(b"HTTP/1.0 200"), host
    for host in (f"attacker.example:{port}", f"127.0.0.1.attacker.example:{port}", "attacker.example"):
        answer = _raw(server.url, f"{q}Host: {host}\r\n\r\n".encode())
        assert answer.startswith(b"HTTP/1.0 403") and b'"n"' not in answer, host


def test_serve_opens_cors_to_the_origins_given(tmp_path):
    path = _write_graph(tmp_path / "g.nt", people=3)
    with SparqlServer(path, port=0, workers=1, cors=("https://app.example",)) as s:
        url = f"{s.url}/sparql?{urlencode({'query': COUNT_PEOPLE})}"
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Origin": "https://app.example"}), timeout=30) as r:
            assert r.headers["Access-Control-Allow-Origin"] == "https://app.example"
            assert "Origin" in r.headers["Vary"]
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Origin": "https://other.example"}), timeout=30) as r:
            assert r.headers.get("Access-Control-Allow-Origin") is None
        pre = _raw(s.url, b"OPTIONS /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://app.example\r\n"
                          b"Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type, accept\r\n"
                          b"Connection: close\r\n\r\n").decode()
        head = pre.split("\r\n\r\n")[0].lower()
        assert pre.startswith("HTTP/1.0 204") and "access-control-allow-origin: https://app.example" in head
        assert "access-control-allow-methods: get, post" in head and "content-type" in head.split("access-control-allow-headers:")[1]
    with SparqlServer(path, port=0, workers=1, cors=("*",)) as s:
        req = urllib.request.Request(f"{s.url}/sparql?{urlencode({'query': COUNT_PEOPLE})}", headers={"Origin": "https://x.example"})
        with urllib.request.urlopen(req, timeout=30) as r:
            assert r.headers["Access-Control-Allow-Origin"] == "*"


DOUBLING = ("SELECT (STRLEN(?z) AS ?n) WHERE { BIND('" + "a" * 64 + "' AS ?a0) "
            + " ".join(f"BIND(CONCAT(?a{i},?a{i}) AS ?a{i + 1})" for i in range(40)) + " BIND(?a40 AS ?z) }")


def test_serve_caps_each_workers_memory(tmp_path):
    from kg.serve import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT
    path = _write_graph(tmp_path / "g.nt", people=3)
    assert DEFAULT_TIMEOUT <= 10 and DEFAULT_MEMORY_MB <= 2048
    with SparqlServer(path, port=0, workers=1, memory_mb=300, timeout=60) as s:
        t0 = time.monotonic()
        status, body = _error_body(_post, f"{s.url}/sparql", DOUBLING.encode(), "application/sparql-query")
        assert status == 503 and "memory" in body and time.monotonic() - t0 < 30
        _, _, body = _get(f"{s.url}/sparql?{urlencode({'query': COUNT_PEOPLE})}")
        assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "3"


@pytest.mark.parametrize("length", [b"-1", b"abc", b"1e3", b"99999999999999999999"])
def test_serve_answers_400_to_a_bad_content_length(server, length):
    t0 = time.monotonic()
    answer = _raw(server.url, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                              b"Content-Length: " + length + b"\r\n\r\nASK {}")
    assert answer.split(b"\r\n")[0] in (b"HTTP/1.0 400 Bad Request", b"HTTP/1.0 413 Request Entity Too Large")
    assert time.monotonic() - t0 < 5


class _ServeProcess:
    """``kg serve`` in its own process, its log in a file, its temporary files in ``tmp``."""

    def __init__(self, source, tmp, *args):
        import os
        import subprocess
        import sys
        self.log_path = tmp / "serve.log"
        self.tmp = tmp / "tmp"
        self.tmp.mkdir()
        env = {**os.environ, "TMPDIR": str(self.tmp)}
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(source), "--port", "0", *args],
                                     stderr=self.log, stdout=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + 60
        while "SPARQL endpoint" not in self.log_path.read_text():
            assert self.proc.poll() is None and time.monotonic() < deadline, self.log_path.read_text()
            time.sleep(0.1)
        self.url = self.log_path.read_text().split("SPARQL endpoint ")[1].split("/sparql")[0]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self.log.close()


def test_serve_cleans_its_temporary_store_on_sigterm(tmp_path):
    import signal
    path = _write_graph(tmp_path / "g.nt", people=3)
    served = _ServeProcess(path, tmp_path, "--workers", "1")
    try:
        assert [p.name for p in served.tmp.iterdir() if p.name.startswith("kg-serve-")]
        served.proc.send_signal(signal.SIGTERM)
        assert served.proc.wait(20) == 0
        assert list(served.tmp.iterdir()) == []
    finally:
        served.stop()
    assert "Traceback" not in served.log_path.read_text()


def test_serve_logs_no_traceback_for_half_open_connections(tmp_path):
    import socket
    import struct
    path = _write_graph(tmp_path / "g.nt", people=300)
    served = _ServeProcess(path, tmp_path, "--workers", "1", "--max-rows", "100000")
    try:
        host, port = served.url.split("//")[1].split(":")
        query = urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"})
        for i in range(60):
            s = socket.create_connection((host, int(port)), timeout=10)
            if i % 3:
                s.sendall(f"GET /sparql?{query} HTTP/1.1\r\nHost: {host}\r\nAccept: text/csv\r\n\r\n".encode())
            if i % 3 == 2:
                s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nASK")   # body never ends
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))     # reset, not close
            s.close()
        time.sleep(2)
        status, _, body = _get(f"{served.url}/sparql?{urlencode({'query': COUNT_PEOPLE})}")
        assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "300"
    finally:
        served.stop()
    log = served.log_path.read_text()
    assert "Traceback" not in log and "BrokenPipe" not in log and "ConnectionReset" not in log


# ---------------------------------------------------------------------------- issue #14 item 6
def test_serve_predeclares_the_prefixes_kg_query_does(tmp_path):
    from kg.serialize import PREFIXES
    path = tmp_path / "g.nt"
    path.write_text(f"<{PREFIXES['fkgr']}case1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{PREFIXES['fkg']}Case> .\n")
    with SparqlServer(path, port=0, workers=1) as s:
        q = "SELECT ?c WHERE { ?c a fkg:Case ; a ?t . FILTER(STRSTARTS(STR(?c), STR(fkgr:))) }"
        _, _, body = _get(f"{s.url}/sparql?{urlencode({'query': q})}")
        assert json.loads(body)["results"]["bindings"][0]["c"]["value"] == PREFIXES["fkgr"] + "case1"
        for p in PREFIXES:      # every prefix, not a copy of some of them
            assert _status(_get, f"{s.url}/sparql?{urlencode({'query': f'ASK {{ ?s a {p}:x }}'})}") == 200, p


def test_serve_query_page_offers_the_named_queries(server):
    from kg.query import named_queries
    page = _get(server.url + "/")[2].decode("utf-8")
    for q in named_queries().values():
        assert f'"{q.name}"' in page and q.description.split("<")[0][:20] in page


def test_serve_sees_a_store_rebuilt_under_it(tmp_path):
    from rdflib import URIRef
    gs = GraphStore(tmp_path / "store")
    gs.put_article(URIRef(f"{EX}g1"), [(URIRef(f"{EX}a"), URIRef(f"{EX}p"), URIRef(f"{EX}b"))])
    del gs
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/p> ?o }"
    with SparqlServer(tmp_path / "store", port=0, workers=1) as s:
        url = f"{s.url}/sparql?{urlencode({'query': count})}"
        assert json.loads(_get(url)[2])["results"]["bindings"][0]["n"]["value"] == "1"
        gs = GraphStore(tmp_path / "store")
        gs.put_article(URIRef(f"{EX}g2"), [(URIRef(f"{EX}b"), URIRef(f"{EX}p"), URIRef(f"{EX}c"))])
        del gs
        deadline = time.monotonic() + 20
        while json.loads(_get(url)[2])["results"]["bindings"][0]["n"]["value"] != "2":
            assert time.monotonic() < deadline, "the server never saw the rebuilt store"
            time.sleep(0.3)


def test_serve_workers_have_no_network_without_allow_service(tmp_path):
    import subprocess
    import sys
    probe = ("import ctypes; libc = ctypes.CDLL(None, use_errno=True); "
             "raise SystemExit(0 if libc.unshare(0x40000000) == 0 or libc.unshare(0x50000000) == 0 else 1)")
    if subprocess.run([sys.executable, "-c", probe]).returncode != 0:
        pytest.skip("this system does not let a process leave the network namespace (the SERVICE check still holds)")
    far = _Listener()
    try:
        with SparqlServer(_write_graph(tmp_path / "g.nt", people=2), port=0, workers=1) as s:
            # past the HTTP side's SERVICE check, straight to a worker
            answer = s.pool.run(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{far.port}/x> {{ ?s ?p ?o }} }}", None)
        assert answer.status != 200 and far.hits == []
    finally:
        far.close()


def test_serve_sees_a_served_file_rewritten_under_it(tmp_path):
    path = _write_graph(tmp_path / "g.nt", people=3)
    lines: list[str] = []
    with SparqlServer(path, port=0, workers=1, log=lines.append) as s:
        url = f"{s.url}/sparql?{urlencode({'query': COUNT_PEOPLE})}"
        assert json.loads(_get(url)[2])["results"]["bindings"][0]["n"]["value"] == "3"
        old = s._tmp
        _write_graph(tmp_path / "g.nt.new", people=7).replace(path)
        deadline = time.monotonic() + 20
        while json.loads(_get(url)[2])["results"]["bindings"][0]["n"]["value"] != "7":
            assert time.monotonic() < deadline, "the server never saw the new file"
            time.sleep(0.3)
        assert any("changed on disk: reopened" in line for line in lines)
        assert not Path(old).exists()      # the copy of the old file is gone


def test_serve_checks_cors_origins_and_service_hosts(tmp_path):
    from kg.errors import KGError
    from kg.serve_access import origin as _origin, service_host as _service_host
    assert _origin("https://App.example:8443/") == "https://app.example:8443" and _origin("*") == "*"
    assert _service_host("https://query.wikidata.org/sparql") == "query.wikidata.org"
    for bad in ("app.example", "https://app.example/page", "javascript:x"):
        with pytest.raises(KGError):
            _origin(bad)
