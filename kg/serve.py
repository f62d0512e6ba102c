"""A read-only SPARQL 1.1 Protocol endpoint over a store folder or an RDF file.

Queries run in a small pool of worker processes, each holding the store open read-only
(pyoxigraph). The HTTP side is the standard library's threading server. Why processes: a
SPARQL query cannot be interrupted from Python once pyoxigraph is evaluating it, so the
time-out is enforced by killing the worker that runs it and starting a fresh one — the
runaway query stops using the CPU at once. A file is first loaded into a temporary store
folder so that workers (and their replacements) open it in milliseconds.

``GET /`` is a query page that needs no network (no CDN); ``/sparql`` is the endpoint.
"""
from __future__ import annotations

import importlib.resources
import multiprocessing
import queue
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Optional
from urllib.parse import parse_qs, urlsplit

from .errors import StoreError

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 100_000


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes
    truncated: bool = False


def _error(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


# ---------------------------------------------------------------------------- worker side
def evaluate(store, query: str, accept: Optional[str], max_rows: int,
             default_graphs: tuple[str, ...] = (), named_graphs: tuple[str, ...] = ()) -> Answer:
    """Run one query on a pyoxigraph store and serialise the answer for ``accept``."""
    import pyoxigraph as ox
    from . import sparql_results as sr
    kwargs: dict = {"use_default_graph_as_union": not default_graphs}
    if default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    if named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        res = store.query(query, **kwargs)
    except SyntaxError as e:
        return _error(400, f"Malformed query: {e}")
    except (OSError, ValueError) as e:
        return _error(400, f"Query failed: {e}")
    if isinstance(res, (ox.QuerySolutions, ox.QueryBoolean)):
        media = sr.negotiate(accept, list(sr.SELECT_TYPES))
        if media is None:
            return _error(406, "Acceptable result types: " + ", ".join(sr.MEDIA_TYPE.values()))
        fmt = sr.SELECT_TYPES[media]
        ctype = sr.MEDIA_TYPE[fmt] + ("; charset=utf-8" if fmt != "json" else "")
        if isinstance(res, ox.QueryBoolean):
            return Answer(200, ctype, sr.boolean(bool(res), fmt))
        names = [v.value for v in res.variables]
        rows, truncated = [], False
        try:
            for sol in res:
                if len(rows) >= max_rows:
                    truncated = True
                    break
                rows.append([sol[n] for n in names])
        except OSError as e:
            return _error(400, f"Query failed: {e}")
        return Answer(200, ctype, sr.solutions(names, rows, fmt), truncated)
    media = sr.negotiate(accept, list(sr.GRAPH_TYPES))
    if media is None:
        return _error(406, "Acceptable graph types: " + ", ".join(sr.GRAPH_TYPES))
    triples, truncated = [], False
    for t in res:
        if len(triples) >= max_rows:
            truncated = True
            break
        triples.append(t)
    from .serialize import PREFIXES
    fmt = sr.GRAPH_TYPES[media]
    kw = {"prefixes": PREFIXES} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else {}
    return Answer(200, media + "; charset=utf-8", ox.serialize(triples, format=fmt, **kw), truncated)


def _worker_main(conn, store_path: str, max_rows: int) -> None:
    import pyoxigraph as ox
    store = ox.Store.read_only(store_path)
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            conn.send(evaluate(store, *job[:2], max_rows, *job[2:]))
        except Exception as e:  # never let one query take the worker down silently
            conn.send(_error(500, f"Internal error: {type(e).__name__}: {e}"))


class _Worker:
    def __init__(self, ctx, store_path: str, max_rows: int):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, store_path, max_rows), daemon=True)
        self.proc.start()
        child.close()
        if not self.conn.poll(60) or self.conn.recv() != "ready":
            self.kill()
            raise StoreError("a query worker could not open the store", path=store_path)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class WorkerPool:
    """Query workers; a query past the time-out kills its worker, which is replaced."""

    def __init__(self, store_path: str, size: int, timeout: float, max_rows: int):
        self.ctx = multiprocessing.get_context("spawn")
        self.store_path, self.timeout, self.max_rows = store_path, timeout, max_rows
        self.idle: queue.Queue = queue.Queue()
        self.all: list[_Worker] = []
        for _ in range(size):
            self._add()

    def _add(self) -> None:
        w = _Worker(self.ctx, self.store_path, self.max_rows)
        self.all.append(w)
        self.idle.put(w)

    def run(self, query: str, accept: Optional[str], default_graphs=(), named_graphs=()) -> Answer:
        try:
            w = self.idle.get(timeout=self.timeout)
        except queue.Empty:
            return _error(503, "All query workers are busy; try again later.")
        w.conn.send((query, accept, tuple(default_graphs), tuple(named_graphs)))
        if w.conn.poll(self.timeout):
            answer = w.conn.recv()
            self.idle.put(w)
            return answer
        w.kill()   # the only way to stop a query pyoxigraph is evaluating
        self.all.remove(w)
        threading.Thread(target=self._add, daemon=True).start()
        return _error(503, f"Query stopped: it ran longer than the {self.timeout:g} s time-out.")

    def close(self) -> None:
        for w in list(self.all):
            w.kill()
        self.all.clear()


# ---------------------------------------------------------------------------- HTTP side
_PROLOGUE = re.compile(r"\s*(?:#[^\n]*\n\s*|(?:PREFIX\s+[\w.-]*:|BASE)\s*<[^>]*>\s*)*", re.I)
_UPDATE = re.compile(r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)


def looks_like_update(text: str) -> bool:
    """Whether a request sent as a query is a SPARQL update (refused with 403, not a parse error)."""
    return bool(_UPDATE.match(text, _PROLOGUE.match(text).end()))


class _Handler(BaseHTTPRequestHandler):
    server_version = "FraudKG-SPARQL/1"
    pool: WorkerPool
    page: bytes

    def log_message(self, format, *args):  # quiet: the CLI prints one line per request itself
        log = getattr(self.server, "log", None)
        if log:
            log(f"{self.address_string()} {format % args}")

    def _send(self, a: Answer) -> None:
        self.send_response(a.status)
        self.send_header("Content-Type", a.content_type)
        self.send_header("Content-Length", str(len(a.body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        if a.truncated:
            self.send_header("X-FraudKG-Truncated", f"results cut at {self.pool.max_rows} rows")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(a.body)

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path in ("/", "/index.html"):
            return self._send(Answer(200, "text/html; charset=utf-8", self.page))
        if url.path != "/sparql":
            return self._send(_error(404, "Not found: the endpoint is /sparql"))
        self._dispatch(parse_qs(url.query))

    do_HEAD = do_GET

    def do_POST(self):
        if urlsplit(self.path).path != "/sparql":
            return self._send(_error(404, "Not found: the endpoint is /sparql"))
        length = int(self.headers.get("Content-Length") or 0)
        if length > 1_000_000:
            return self._send(_error(413, "Query too large."))
        body = self.rfile.read(length).decode("utf-8", "replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(urlsplit(self.path).query)
        if ctype == "application/sparql-query":
            params["query"] = [body]
        elif ctype == "application/x-www-form-urlencoded":
            params.update(parse_qs(body))
        elif ctype == "application/sparql-update":
            params["update"] = [body]
        else:
            return self._send(_error(415, "Send application/sparql-query or a form with query=."))
        self._dispatch(params)

    def do_PUT(self):
        self._send(_error(403, "This endpoint is read-only."))

    do_DELETE = do_PATCH = do_PUT

    def _dispatch(self, params: dict) -> None:
        if "update" in params:
            return self._send(_error(403, "This endpoint is read-only: SPARQL updates are refused."))
        queries = params.get("query") or []
        if len(queries) != 1:
            return self._send(_error(400, "Give exactly one query parameter."))
        if looks_like_update(queries[0]):
            return self._send(_error(403, "This endpoint is read-only: SPARQL updates are refused."))
        self._send(self.pool.run(queries[0], self.headers.get("Accept"),
                                 params.get("default-graph-uri", ()), params.get("named-graph-uri", ())))


def _query_page() -> bytes:
    import html
    from .serialize import PREFIXES
    prefixes = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("fkg", "fkgr", "rdfs", "skos"))
    page = importlib.resources.files("kg.data").joinpath("query_page.html").read_text(encoding="utf-8")
    return page.replace("{{prefixes}}", html.escape(prefixes)).encode("utf-8")


class SparqlServer:
    """The endpoint: ``with SparqlServer(source, port=0) as s: urlopen(s.url + "/sparql?query=…")``."""

    def __init__(self, source: Path | str, *, host: str = "127.0.0.1", port: int = 7878,
                 timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS, workers: int = 2,
                 log=None):
        self.source = Path(source)
        self._tmp: Optional[str] = None
        store_path = self._prepare(self.source)
        self.pool = WorkerPool(store_path, max(1, workers), timeout, max_rows)
        page = _query_page()
        handler = type("Handler", (_Handler,), {"pool": self.pool, "page": page})
        try:
            self.httpd = ThreadingHTTPServer((host, port), handler)
        except OSError as e:
            self.close()
            raise StoreError(f"cannot listen on {host}:{port}: {e.strerror or e}",
                             hint="choose another --port") from None
        self.httpd.daemon_threads = True
        self.httpd.log = log
        self._thread: Optional[threading.Thread] = None

    def _prepare(self, source: Path) -> str:
        """A store folder workers can open read-only: the store itself, or a file loaded into one."""
        if source.is_dir():
            if not (source / "CURRENT").is_file():
                raise StoreError("is not a FraudKG store", path=str(source))
            return str(source)
        from .query import load_store
        mem = load_store(source)   # checks the file and its format, with our error messages
        import pyoxigraph as ox
        self._tmp = tempfile.mkdtemp(prefix="kg-serve-")
        disk = ox.Store(self._tmp)
        disk.bulk_extend(mem)
        disk.flush()
        del disk
        return self._tmp

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "SparqlServer":
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        try:
            self.httpd.serve_forever()
        finally:
            self.close()

    def close(self) -> None:
        if getattr(self, "httpd", None) is not None:
            if self._thread is not None:
                self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None
        if hasattr(self, "pool"):
            self.pool.close()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> "SparqlServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()
