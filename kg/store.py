"""The persistent graph store: pyoxigraph's on-disk store, one named graph per article.

Layout of a store folder (a RocksDB database that ``oxigraph serve-read-only`` can open too):

- each article's triples in the named graph of its IRI (:func:`kg.rdf.article_iri`); the
  graph holds the article's ``fkg:contentHash``, which is what incremental builds compare;
- the crime-type scheme in the graph ``fkgc:scheme``;
- ``fraudkg-store.json`` beside the database: the fingerprint of the extraction code that
  filled it (a change of code means every article must be extracted again);
- ``fraudkg-sections/`` beside the database: each article's section of ``kg.ttl``
  (:class:`kg.sections.SectionCache`), so that unchanged articles need not be read back.

Queries see the union of all graphs (``use_default_graph_as_union``), which is the graph a
plain build writes to ``kg.ttl``.

Consistency when a build is killed: an article's ``fkg:contentHash`` triple is its commit
record. Articles are written in batches (:meth:`GraphStore.put_articles`): their old graphs
are dropped, their triples other than the hash are bulk-loaded (pyoxigraph's bulk loader
builds the index files directly, about three times faster than transactions, but is not
atomic), and then the hashes of the whole batch are added in one transaction. A kill before
that transaction leaves the batch's articles without a hash, possibly in part; the next
build sees no hash, so it drops and loads them again. An article that carries its hash is
always whole. The fingerprint file is written only after the graphs of an older code version
have been dropped.
"""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence

import pyoxigraph as ox
from rdflib import URIRef

from .errors import StoreError
from .ns import FKG, FKGC, FKGR, RDF
from .serialize import FORMATS, PREFIXES, atomic_path, sort_ntriples, to_ox

FINGERPRINT_FILE = "fraudkg-store.json"
SECTIONS_FOLDER = "fraudkg-sections"       # kg.sections.SectionCache
ARTICLE_GRAPH_PREFIX = str(FKGR["article/"])
SCHEME_GRAPH = FKGC.scheme
_NT = ox.RdfFormat.N_TRIPLES
_NQ = ox.RdfFormat.N_QUADS

__all__ = ["GraphStore", "is_store", "iter_article_graphs", "open_store", "to_quads"]


def to_quads(triples: Iterable[tuple], graph: URIRef) -> list[ox.Quad]:
    """rdflib triples as pyoxigraph quads in ``graph``."""
    g = ox.NamedNode(str(graph))
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in triples]


def is_store(path: Path | str) -> bool:
    """Whether ``path`` is a folder holding a store (or an empty folder that may become one)."""
    p = Path(path)
    return p.is_dir() and ((p / "CURRENT").is_file() or not any(p.iterdir()))


class GraphStore:
    """A FraudKG store folder opened for reading or writing (one writer at a time)."""

    def __init__(self, path: Optional[Path | str], *, read_only: bool = False):
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        if path is None:     # in memory: what a build without --store collects its articles in
            self.ox = ox.Store()
            return
        try:
            if read_only:
                if not (self.path / "CURRENT").is_file():
                    raise StoreError("is not a FraudKG store", path=str(self.path),
                                     hint="create one with `kg build ... --store DIR`")
                self.ox = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self.ox = ox.Store(str(self.path))
        except OSError as e:
            hint = "is another build writing to it?" if "lock" in str(e).lower() else None
            raise StoreError(f"cannot open the store: {e}", path=str(self.path), hint=hint) from None

    # ------------------------------------------------------------------ articles
    def article_graphs(self) -> list[str]:
        """IRIs of the article graphs in the store, sorted."""
        return sorted(g.value for g in self.ox.named_graphs()
                      if isinstance(g, ox.NamedNode) and g.value.startswith(ARTICLE_GRAPH_PREFIX))

    def article_hashes(self) -> dict[str, str]:
        """Article graph IRI → the content hash of the file it was extracted from."""
        p = ox.NamedNode(str(FKG.contentHash))
        out = {}
        for q in self.ox.quads_for_pattern(None, p, None, None):
            g = q.graph_name
            if isinstance(g, ox.NamedNode) and g.value == getattr(q.subject, "value", None):
                out[g.value] = q.object.value
        return out

    def put_article(self, graph: URIRef | str, triples: bytes | Iterable[tuple]) -> None:
        """Replace the named graph ``graph`` with ``triples`` (N-Triples bytes or rdflib triples):
        drop, then one atomic load. Invalid N-Triples raise ``SyntaxError`` and add nothing."""
        self.remove_graph(graph)
        if isinstance(triples, (bytes, str)):
            self.ox.load(triples, format=_NT, to_graph=ox.NamedNode(str(graph)))
        else:
            self.ox.extend(to_quads(triples, graph))

    def put_articles(self, articles: Sequence[tuple[str, bytes]]) -> list[Optional[str]]:
        """Replace the graphs of several articles, given as (graph IRI, N-Triples holding the
        article's ``fkg:contentHash``): bulk-load everything but the hashes, then add the hashes
        in one transaction (see the module notes). Returns, per article, None or why its
        triples were refused; a refused article is left out and the others are stored."""
        bodies, hashes = [], []
        for graph, ntriples in articles:
            self.remove_graph(graph)
            body, hash_line = (_to_nquads(part, graph) for part in _split_hash(graph, ntriples))
            if body is None or hash_line is None:     # not in the form a bulk load needs
                return self._put_each(articles)
            bodies.append(body)
            hashes.append(hash_line)
        try:
            self.ox.bulk_load(b"".join(bodies), format=_NQ)
            self.ox.load(b"".join(hashes), format=_NQ)
        except SyntaxError:               # which article? drop what was loaded, then one by one
            for graph, _ in articles:
                self.remove_graph(graph)
            return self._put_each(articles)
        return [None] * len(articles)

    def _put_each(self, articles: Sequence[tuple[str, bytes]]) -> list[Optional[str]]:
        errors: list[Optional[str]] = []
        for graph, ntriples in articles:
            try:
                self.put_article(graph, ntriples)
                errors.append(None)
            except SyntaxError as e:
                errors.append(f"its triples are not valid RDF ({e})")
        return errors

    def remove_graph(self, graph: URIRef | str) -> None:
        g = ox.NamedNode(str(graph))
        if self.ox.contains_named_graph(g):
            self.ox.remove_graph(g)

    def put_scheme(self, triples: Iterable[tuple]) -> None:
        self.put_article(SCHEME_GRAPH, triples)

    # ------------------------------------------------------------------ fingerprint
    def fingerprint(self) -> Optional[str]:
        f = self.path / FINGERPRINT_FILE
        try:
            return json.loads(f.read_text(encoding="utf-8")).get("extraction")
        except (OSError, ValueError):
            return None

    def ensure_fingerprint(self, fingerprint: str) -> bool:
        """Make the store's code fingerprint ``fingerprint``; True when articles had to be dropped."""
        if self.fingerprint() == fingerprint:
            return False
        graphs = self.article_graphs()
        for g in graphs:
            self.remove_graph(g)
        self.ox.flush()
        with atomic_path(self.path / FINGERPRINT_FILE) as tmp:
            tmp.write_text(json.dumps({"extraction": fingerprint}) + "\n", encoding="utf-8")
        return bool(graphs)

    # ------------------------------------------------------------------ reading
    def ox_triples(self) -> set[ox.Triple]:
        """The union of every graph, as pyoxigraph triples (duplicates across graphs merged)."""
        return {q.triple for q in self.ox.quads_for_pattern(None, None, None, None)}

    def sorted_ntriples(self) -> tuple[bytes, int]:
        """The union of every graph as N-Triples in :func:`kg.serialize.sorted_triples` order
        (each graph dumped by pyoxigraph, lines sorted as bytes); (text, number of triples)."""
        graphs = list(self.ox.named_graphs()) + [ox.DefaultGraph()]
        return sort_ntriples(b"".join(self.ox.dump(format=_NT, from_graph=g) for g in graphs))

    def graphs_ntriples(self, graphs: Iterable[str]) -> bytes:
        """The triples of the named graphs ``graphs`` as N-Triples, one graph after the other."""
        return b"".join(self.ox.dump(format=_NT, from_graph=ox.NamedNode(g)) for g in graphs)

    def subjects_of_type(self, cls: URIRef) -> set[str]:
        """IRIs (or blank node ids) of the subjects with ``rdf:type cls`` in any graph."""
        return {q.subject.value for q in self.ox.quads_for_pattern(None, ox.NamedNode(str(RDF.type)),
                                                                   ox.NamedNode(str(cls)), None)}

    def export(self, fmt: str, out: Optional[Path | str] = None) -> bytes:
        """Serialise the store: ``ttl``/``nt``/``jsonld`` as the union graph (sorted), ``nq``/``trig``
        with the named graphs. Written atomically to ``out`` when given; returns the bytes."""
        rdf_format = FORMATS.get(fmt)
        if rdf_format is None:
            raise StoreError(f"unknown export format {fmt!r}", hint="use ttl, nt, nq, trig or jsonld")
        if rdf_format == ox.RdfFormat.TURTLE:
            data = self.kg_ttl()
        elif rdf_format.supports_datasets:
            quads = sorted(self.ox.quads_for_pattern(None, None, None, None), key=_quad_key)
            data = ox.serialize(quads, format=rdf_format, prefixes=PREFIXES) if rdf_format != ox.RdfFormat.N_QUADS \
                else ox.serialize(quads, format=rdf_format)
        else:
            triples = ox.parse(self.sorted_ntriples()[0], format=_NT)
            kwargs = {"prefixes": PREFIXES} if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD) else {}
            data = ox.serialize(triples, format=rdf_format, **kwargs)
        if out is not None:
            with atomic_path(out) as tmp:
                tmp.write_bytes(data)
        return data

    def kg_ttl(self) -> bytes:
        """The union of the graphs as Turtle, laid out as a build writes ``kg.ttl``
        (:mod:`kg.sections`): the same bytes as the build that filled the store."""
        from .sections import article_section, write_turtle
        articles = self.article_graphs()
        own = set(articles)
        others = [g for g in self.ox.named_graphs() if g.value not in own] + [ox.DefaultGraph()]
        out = io.BytesIO()
        write_turtle((article_section(g, self.graphs_ntriples([g])) for g in articles),
                     b"".join(self.ox.dump(format=_NT, from_graph=g) for g in others), out)
        return out.getvalue()

    def flush(self) -> None:
        if not self.read_only and self.path is not None:
            self.ox.flush()

    def __len__(self) -> int:
        return len(self.ox)


def _split_hash(graph: str, ntriples: bytes) -> tuple[bytes, bytes]:
    """An article's N-Triples parted into (every line but its content hash, the hash line)."""
    head = f"<{graph}> <{FKG.contentHash}> ".encode("utf-8")
    if ntriples.startswith(head):
        start = 0
    else:
        start = ntriples.find(b"\n" + head) + 1
        if start == 0:
            return ntriples, b""
    end = ntriples.find(b"\n", start) + 1 or len(ntriples)
    return ntriples[:start] + ntriples[end:], ntriples[start:end]


def _to_nquads(ntriples: bytes, graph: str) -> Optional[bytes]:
    """N-Triples lines as written by pyoxigraph or kg.rdf (each ending in " .\n"; a newline in
    a literal is escaped) as N-Quads in ``graph``; None for text not in that form."""
    if not ntriples:
        return b""
    if not ntriples.endswith(b" .\n") or ntriples.count(b"\n") != ntriples.count(b" .\n"):
        return None
    return ntriples.replace(b" .\n", f" <{graph}> .\n".encode("utf-8"))


def _quad_key(q: ox.Quad) -> tuple:
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))


def open_store(path: Path | str, *, read_only: bool = False) -> GraphStore:
    """Open the store folder ``path`` (created when writing)."""
    return GraphStore(path, read_only=read_only)


def iter_article_graphs(store: GraphStore) -> Iterator[tuple[str, list[ox.Quad]]]:
    """Every graph of the store (scheme first, then articles by IRI) with its quads."""
    names = [str(SCHEME_GRAPH)] if store.ox.contains_named_graph(ox.NamedNode(str(SCHEME_GRAPH))) else []
    for g in names + store.article_graphs():
        yield g, list(store.ox.quads_for_pattern(None, None, None, ox.NamedNode(g)))

