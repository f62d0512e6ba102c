"""A read-only SPARQL 1.1 Protocol endpoint over a store folder or an RDF file.

The HTTP side is the standard library's threading server; queries run in worker processes
(:mod:`kg.serve_pool`). A file is first loaded into a temporary store folder so that workers
(and their replacements) open it in milliseconds.

Safe by default: bound to 127.0.0.1; requests whose ``Host`` names anything but the bound
address are refused (a web page cannot reach the endpoint by DNS rebinding); no CORS header
unless ``cors`` names origins; ``SERVICE`` refused unless ``allow_service`` names the host;
queries past :mod:`kg.querylimits` refused before parsing; per-worker time and memory caps.
A store folder (or file) changed on disk is reopened.

``GET /`` is a query page that needs no network (no CDN); ``/sparql`` is the endpoint.
"""
from __future__ import annotations

import html
import importlib.resources
import json
import os
import re
import shutil
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterable, Optional
from urllib.parse import parse_qs, urlsplit

from .errors import QueryError, StoreError
from . import serve_access as access
from .serve_pool import DEFAULT_MAX_ROWS, DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, Answer, WorkerPool
from .serve_pool import error as _error

__all__ = ["SparqlServer", "DEFAULT_TIMEOUT", "DEFAULT_MEMORY_MB", "DEFAULT_MAX_ROWS", "looks_like_update"]

MAX_BODY = 1_000_000
SOCKET_TIMEOUT = 30.0       # a client that stops sending mid-request frees its thread after this


# ---------------------------------------------------------------------------- HTTP side
_PROLOGUE = re.compile(r"\s*(?:#[^\n]*\n\s*|(?:PREFIX\s+[\w.-]*:|BASE)\s*<[^>]*>\s*)*", re.I)
_UPDATE = re.compile(r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)


def looks_like_update(text: str) -> bool:
    """Whether a request sent as a query is a SPARQL update (refused with 403, not a parse error)."""
    return bool(_UPDATE.match(text, _PROLOGUE.match(text).end()))


_CORS_HEADERS = ("accept", "content-type")


class _Handler(BaseHTTPRequestHandler):
    server_version = "FraudKG-SPARQL/1"
    timeout = SOCKET_TIMEOUT
    server: "_HTTPServer"

    def log_message(self, format, *args):  # quiet: the CLI prints one line per request itself
        log = self.server.log
        if log:
            log(f"{self.address_string()} {format % args}")

    # -- what every answer carries
    def _cors_origin(self) -> Optional[str]:
        origin, allowed = self.headers.get("Origin"), self.server.cors
        if not allowed or not origin:
            return None
        return "*" if "*" in allowed else (origin if origin in allowed else None)

    def _send(self, a: Answer, extra: Iterable[tuple[str, str]] = ()) -> None:
        try:
            self.send_response(a.status)
            self.send_header("Content-Type", a.content_type)
            self.send_header("Content-Length", str(len(a.body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            origin = self._cors_origin()
            if origin:
                self.send_header("Access-Control-Allow-Origin", origin)
                self.send_header("Access-Control-Expose-Headers", "X-FraudKG-Truncated")
            if self.server.cors:
                self.send_header("Vary", "Origin")
            for k, v in extra:
                self.send_header(k, v)
            if a.truncated:
                self.send_header("X-FraudKG-Truncated", f"results cut at {self.server.pool.max_rows} rows")
            if a.status >= 400:
                self.close_connection = True
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(a.body)
        except (ConnectionError, TimeoutError):
            self.close_connection = True    # the client went away: nothing to tell it

    def _host_ok(self) -> bool:
        host = self.headers.get("Host")
        if host is None:
            return True          # HTTP/1.0 without Host: not a browser, so not DNS rebinding
        name = access.host_name(host)
        if name in self.server.host_names:
            return True
        return self.server.any_ip and access.is_ip(name)

    def _refuse_host(self) -> bool:
        if self._host_ok():
            return False
        self._send(_error(403, "The Host header does not name this server (kg serve answers only "
                               "the address it is bound to; --allow-host NAME adds a name)."))
        return True

    # -- methods
    def do_GET(self):
        if self._refuse_host():
            return
        url = urlsplit(self.path)
        if url.path in ("/", "/index.html"):
            return self._send(Answer(200, "text/html; charset=utf-8", self.server.page),
                              [("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; "
                                "style-src 'unsafe-inline'; img-src 'self' data:")])
        if url.path != "/sparql":
            return self._send(_error(404, "Not found: the endpoint is /sparql"))
        self._dispatch(parse_qs(url.query))

    do_HEAD = do_GET

    def do_OPTIONS(self):
        if self._refuse_host():
            return
        allow = [("Allow", "GET, HEAD, POST, OPTIONS")]
        origin = self._cors_origin()
        if origin and self.headers.get("Access-Control-Request-Method"):
            asked = [h.strip().lower() for h in (self.headers.get("Access-Control-Request-Headers") or "").split(",")]
            allow += [("Access-Control-Allow-Methods", "GET, POST"),
                      ("Access-Control-Allow-Headers", ", ".join(h for h in _CORS_HEADERS if h in asked) or "accept"),
                      ("Access-Control-Max-Age", "600")]
        self._send(Answer(204, "text/plain; charset=utf-8", b""), allow)

    def do_POST(self):
        if self._refuse_host():
            return
        if urlsplit(self.path).path != "/sparql":
            return self._send(_error(404, "Not found: the endpoint is /sparql"))
        raw = (self.headers.get("Content-Length") or "0").strip()
        if not raw.isdigit() or not raw.isascii():
            return self._send(_error(400, f"Bad Content-Length: {raw[:40]!r}"))
        if int(raw) > MAX_BODY:
            return self._send(_error(413, "Query too large."))
        try:
            data = self.rfile.read(int(raw))
        except (ConnectionError, TimeoutError):
            self.close_connection = True
            return
        if len(data) < int(raw):
            return self._send(_error(400, "The request body is shorter than its Content-Length."))
        body = data.decode("utf-8", "replace")
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
        if not self._refuse_host():
            self._send(_error(403, "This endpoint is read-only."))

    do_DELETE = do_PATCH = do_PUT

    def _dispatch(self, params: dict) -> None:
        if "update" in params:
            return self._send(_error(403, "This endpoint is read-only: SPARQL updates are refused."))
        queries = params.get("query") or []
        if len(queries) != 1:
            return self._send(_error(400, "Give exactly one query parameter."))
        query = queries[0]
        if looks_like_update(query):
            return self._send(_error(403, "This endpoint is read-only: SPARQL updates are refused."))
        refusal = self.server.check(query)
        if refusal is not None:
            return self._send(refusal)
        self.server.watch()
        self._send(self.server.pool.run(query, self.headers.get("Accept"),
                                        params.get("default-graph-uri", ()), params.get("named-graph-uri", ())))


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    pool: WorkerPool
    page: bytes
    log: Optional[Callable[[str], None]] = None
    cors: tuple[str, ...] = ()
    host_names: set[str] = set()
    any_ip: bool = False
    check: Callable[[str], Optional[Answer]]
    watch: Callable[[], None]

    def handle_error(self, request, client_address):
        import sys
        e = sys.exc_info()[1]
        if isinstance(e, (ConnectionError, TimeoutError)):
            return              # a client that went away or stalled: nothing to report
        if self.log:
            self.log(f"{client_address[0]} error: {type(e).__name__}: {e}")


def _query_page() -> bytes:
    from .query import named_queries
    from .serialize import PREFIXES
    page = importlib.resources.files("kg.data").joinpath("query_page.html").read_text(encoding="utf-8")
    named = [{"name": q.name, "description": q.description, "text": q.text,
              "params": [{"name": p.name, "type": p.type, "description": p.description} for p in q.params]}
             for q in named_queries().values()]
    # inside <script>: no "</" can close the element, whatever the queries' text holds
    data = json.dumps(named, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    return (page.replace("{{prefixes}}", html.escape(" ".join(f"{p}:" for p in PREFIXES)))
                .replace("{{named}}", data).encode("utf-8"))


def _fingerprint(path: Path) -> Optional[tuple]:
    """What changes when a store folder or a file is rewritten (names, sizes, times)."""
    try:
        st = path.stat()
        if not path.is_dir():
            return (st.st_ino, st.st_size, st.st_mtime_ns)
        with os.scandir(path) as it:
            files = sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in it if e.is_file())
        return (st.st_ino, st.st_mtime_ns, tuple(files))
    except OSError:
        return None


class SparqlServer:
    """The endpoint: ``with SparqlServer(source, port=0) as s: urlopen(s.url + "/sparql?query=…")``."""

    WATCH_EVERY = 1.0       # seconds between looks at the source on disk

    def __init__(self, source: Path | str, *, host: str = "127.0.0.1", port: int = 7878,
                 timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS, workers: int = 2,
                 memory_mb: int = DEFAULT_MEMORY_MB, cors: Iterable[str] = (), allow_service: Iterable[str] = (),
                 allow_hosts: Iterable[str] = (), log=None):
        self.source = Path(source)
        self.log = log
        self.allow_service = frozenset(map(access.service_host, allow_service))
        cors = tuple(map(access.origin, cors))
        self._tmp: Optional[str] = None
        self._seen = _fingerprint(self.source)
        self._watched = time.monotonic()
        self._watch_lock = threading.Lock()
        store_path = self._prepare(self.source)
        self.pool = WorkerPool(store_path, max(1, workers), timeout, max_rows, memory_mb=memory_mb,
                               network=bool(self.allow_service))
        try:
            self.httpd = _HTTPServer((host, port), _Handler)
        except OSError as e:
            self.close()
            raise StoreError(f"cannot listen on {host}:{port}: {e.strerror or e}",
                             hint="choose another --port") from None
        self.httpd.pool, self.httpd.page, self.httpd.log = self.pool, _query_page(), log
        self.httpd.cors = tuple(cors)
        self.httpd.host_names, self.httpd.any_ip = access.host_names(host, allow_hosts)
        self.httpd.check, self.httpd.watch = self.check, self.watch
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
        tmp = tempfile.mkdtemp(prefix="kg-serve-")
        try:
            disk = ox.Store(tmp)
            disk.bulk_extend(mem)
            disk.flush()
            del disk
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self._tmp = tmp
        return tmp

    # -- what each query goes through before a worker sees it
    def check(self, query: str) -> Optional[Answer]:
        """The answer refusing ``query``, or None when it may run."""
        from .querylimits import check_query, service_host, service_targets
        from .serialize import PREFIXES
        try:
            check_query(query)
        except QueryError as e:
            return _error(400, f"Query refused: {e}")
        for target in service_targets(query, PREFIXES):
            host = service_host(target)
            if host is None or host not in self.allow_service:
                what = f"SERVICE <{target}>" if target else "SERVICE with a variable or relative endpoint"
                return _error(403, f"{what} refused: this endpoint does not query other servers "
                                   "(start kg serve with --allow-service HOST to allow one).")
        return None

    def watch(self) -> None:
        """Reopen the source when it changed on disk (looked at once a second at most)."""
        now = time.monotonic()
        if now - self._watched < self.WATCH_EVERY or not self._watch_lock.acquire(blocking=False):
            return
        try:
            self._watched = now
            seen = _fingerprint(self.source)
            if seen == self._seen or seen is None:
                return
            self._seen = seen
            old = self._tmp
            try:
                path = self._prepare(self.source)
            except Exception as e:     # a file half written, a store being rebuilt: say so, keep serving
                self._seen = None
                if self.log:
                    self.log(f"{self.source} changed on disk but cannot be read yet ({e}); "
                             "serving what was loaded before")
                return
            self.pool.reopen(path)
            if old and old != self._tmp:
                shutil.rmtree(old, ignore_errors=True)
            if self.log:
                self.log(f"{self.source} changed on disk: reopened")
        finally:
            self._watch_lock.release()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

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
