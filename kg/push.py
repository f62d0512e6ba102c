"""Send a graph to any SPARQL 1.1 Graph Store Protocol endpoint, graph by graph, resumably.

From a store, every named graph (each article, the crime-type scheme) is sent with its own
``PUT ?graph=<iri>``; from a file, the whole graph goes to ``--graph`` (or the endpoint's
default graph). A small state file remembers, per endpoint, the hash of each graph as it
was sent, so a second push sends only what changed, and a push that was interrupted resumes
where it stopped. Article graphs removed from the store are deleted on the server only with
``delete`` (``kg push --delete``).
"""
from __future__ import annotations

import hashlib
import html
import json
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional
from urllib.parse import quote, urlsplit, urlunsplit

import pyoxigraph as ox

from .errors import StoreError
from .serialize import atomic_path
from .store import ARTICLE_GRAPH_PREFIX

Progress = Callable[[int, int, str], None]
STATE_FILE = "fraudkg-push.json"


@dataclass
class PushReport:
    sent: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)     # sent before, gone from the source, not deleted
    triples: int = 0
    seconds: float = 0.0


def default_state_path(source: Path) -> Path:
    return source / STATE_FILE if source.is_dir() else source.with_name(source.name + ".push.json")


def _graphs(source: Path, graph: Optional[str]) -> Iterator[tuple[Optional[str], list]]:
    """(target graph IRI or None for the default graph, triples) for each graph to send."""
    if source.is_dir() and graph is None:
        from .store import GraphStore, iter_article_graphs
        gs = GraphStore(source, read_only=True)
        for g, quads in iter_article_graphs(gs):
            yield g, [q.triple for q in quads]
        return
    if source.is_dir():
        from .store import GraphStore
        yield graph, list(GraphStore(source, read_only=True).ox_triples())
        return
    from .query import load_store
    yield graph, list({q.triple for q in load_store(source)})


def _body(triples: list) -> tuple[bytes, str]:
    # Turtle with full IRIs and no prefixes: Virtuoso 7 keeps the backslash of an escaped
    # character in a prefixed name (fkgr:unit\/…) as part of the IRI
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    data = ox.serialize(ordered, format=ox.RdfFormat.TURTLE)
    return data, hashlib.sha256(data).hexdigest()


class GraphStoreClient:
    """PUT and DELETE of graphs on a Graph Store Protocol endpoint (``…/store`` for Oxigraph,
    ``…/sparql-graph-crud-auth`` for Virtuoso). With a user name, it answers the server's
    challenge with HTTP Digest or Basic authentication, whichever the server asks for
    (Virtuoso's authenticated endpoint asks for Digest)."""

    def __init__(self, endpoint: str, user: Optional[str] = None, password: Optional[str] = None,
                 timeout: float = 120.0):
        self.endpoint, self.timeout = endpoint.rstrip("?"), timeout
        handlers = []
        if user is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, self.endpoint, user, password or "")
            handlers = [urllib.request.HTTPDigestAuthHandler(passwords),
                        urllib.request.HTTPBasicAuthHandler(passwords)]
        self.opener = urllib.request.build_opener(*handlers)

    def _url(self, graph: Optional[str]) -> str:
        sep = "&" if "?" in self.endpoint else "?"
        return f"{self.endpoint}{sep}default" if graph is None else f"{self.endpoint}{sep}graph={quote(graph, safe='')}"

    def request(self, method: str, graph: Optional[str], body: Optional[bytes] = None) -> int:
        headers = {"Content-Type": "text/turtle; charset=utf-8"} if body is not None else {}
        req = urllib.request.Request(self._url(graph), data=body, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=self.timeout) as resp:
                return resp.status
        except urllib.error.HTTPError as e:
            if method == "DELETE" and e.code == 404:
                return e.code
            message = server_message(e)
            raise StoreError(f"{method} of {graph or 'the default graph'} refused: HTTP {e.code} {e.reason}"
                             + (f": {message}" if message else ""), path=self.endpoint,
                             hint=_HINTS.get(e.code, "is it a Graph Store Protocol endpoint?")) from None
        except (urllib.error.URLError, OSError, ValueError) as e:
            raise StoreError(f"cannot reach the endpoint: {getattr(e, 'reason', e)}", path=self.endpoint) from None


_HINTS = {401: "check --user and --password",
          403: "the user may not write graphs there: on Virtuoso, grant it SPARQL_UPDATE",
          404: "check the endpoint URL: Oxigraph's is …/store, Virtuoso's …/sparql-graph-crud-auth",
          405: "the endpoint does not accept writes: is it read-only?"}


def server_message(error: urllib.error.HTTPError, limit: int = 200) -> str:
    """The text of an error response on one line: an HTML page's title and text without
    markup, cut at ``limit`` characters."""
    try:
        raw = error.read(20_000).decode("utf-8", "replace")
    except OSError:
        return ""
    if re.search(r"<(html|body|head|title|h1|p)\b", raw, re.IGNORECASE):
        raw = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", raw)
        raw = html.unescape(re.sub(r"(?s)<[^>]*>", " ", raw))
    text = " ".join(raw.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _load_state(path: Path) -> dict:
    """The state file: {endpoint and graph: {graph IRI or "": sha256 of what was sent}}; a file
    of any other shape is refused (its entries would decide what is deleted on the server)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as e:
        raise StoreError(f"cannot read the push state file: {getattr(e, 'strerror', None) or e}", path=str(path),
                         hint="delete it (the next push sends every graph again) or give another --state") from None
    try:
        state = json.loads(text)
    except ValueError as e:
        state = e
    if not (isinstance(state, dict) and all(
            isinstance(k, str) and isinstance(v, dict) and all(
                isinstance(g, str) and isinstance(h, str) and _SHA256.fullmatch(h) for g, h in v.items())
            for k, v in state.items())):
        raise StoreError("is not a FraudKG push state file (a JSON object of endpoints, each mapping graph "
                         "IRIs to SHA-256 hashes)", path=str(path),
                         hint="delete it (the next push sends every graph again) or give another --state")
    return state


_SHA256 = re.compile(r"[0-9a-f]{64}")


def check_endpoint(endpoint: str) -> str:
    """``endpoint`` if it is an http(s) URL without a user name or password in it; else a
    :class:`StoreError` (which never repeats the password)."""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"the endpoint must be an http:// or https:// URL, not {_without_password(endpoint)!r}")
    if parts.username is not None or parts.password is not None:
        raise StoreError(f"the endpoint URL holds credentials: {_without_password(endpoint)}",
                         hint="give the user with --user and the password in KG_PUSH_PASSWORD, not in the URL "
                              "(it would be printed and stored in the state file)")
    return endpoint


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    user, _, host = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=f"{user.split(':', 1)[0]}:***@{host}"))


def _save_state(path: Path, state: dict) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(state, ensure_ascii=False, indent=0, sort_keys=True), encoding="utf-8")


def push(source: Path | str, endpoint: str, *, graph: Optional[str] = None, user: Optional[str] = None,
         password: Optional[str] = None, state_path: Optional[Path | str] = None, force: bool = False,
         progress: Optional[Progress] = None, delete: bool = False) -> PushReport:
    """Send ``source`` (a store folder or an RDF file) to ``endpoint``; only changed graphs are sent.

    Article graphs sent before that are no longer in ``source`` are deleted on the server
    only with ``delete`` (else listed in ``report.stale``); graphs that are not FraudKG article
    graphs are never deleted."""
    t0 = time.perf_counter()
    check_endpoint(endpoint)
    source = Path(source)
    state_path = Path(state_path) if state_path else default_state_path(source)
    state = _load_state(state_path)
    key = f"{endpoint} {graph or ''}"
    sent: dict = {} if force else dict(state.get(key, {}))
    client, report = GraphStoreClient(endpoint, user, password), PushReport()
    graphs = list(_graphs(source, graph))
    last_save = time.monotonic()
    try:
        for n, (g, triples) in enumerate(graphs):
            if progress:
                progress(n, len(graphs), g or "default graph")
            body, digest = _body(triples)
            name = g or ""
            if sent.get(name) == digest:
                report.unchanged.append(name)
                continue
            client.request("PUT", g, body)
            sent[name] = digest
            report.sent.append(name)
            report.triples += len(triples)
            if time.monotonic() - last_save > 2:
                state[key] = sent
                _save_state(state_path, state)
                last_save = time.monotonic()
        present = {g or "" for g, _ in graphs}
        for name in sorted(set(sent) - present):
            if not delete or not name.startswith(ARTICLE_GRAPH_PREFIX):
                report.stale.append(name)
                continue
            client.request("DELETE", name)
            del sent[name]
            report.deleted.append(name)
    finally:
        state[key] = sent
        _save_state(state_path, state)
    if progress:
        progress(len(graphs), len(graphs), "")
    report.seconds = time.perf_counter() - t0
    return report
