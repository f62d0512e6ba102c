"""Build a knowledge graph from article files: read, extract, write ``kg.ttl`` and ``graph.html``.

A broken article never stops a build: its file and the reason are recorded in the report
and the others go on. The library reports progress through a callback; it never prints.
"""
from __future__ import annotations

import os
import time
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

from .errors import KGError
from .ingest import iter_input_files, read_article
from .serialize import atomic_path
from .model import ENTITY_TYPES, Article
from .pipeline import Pipeline

Progress = Callable[[int, int, str], None]   # (done, total, current file)


@dataclass
class BuildReport:
    """What a build did: the summary a user sees at the end."""

    articles: int = 0
    items: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    entities: Counter = field(default_factory=Counter)
    cases: int = 0
    triples: int = 0
    seconds: float = 0.0
    outputs: list[str] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)    # (file, what reading repaired)
    violations: list = field(default_factory=list)                   # kg.validate.Violation
    # with a store: article graph IRIs by what the build did with them
    store: Optional[str] = None
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)    # seconds: read, extract, validate, write, html

    @property
    def ok(self) -> bool:
        return self.articles > 0


def read_articles(files: Sequence[Path], report: BuildReport, max_bytes: Optional[int] = None) -> list[Article]:
    """Decode the files (unreadable ones go into ``report.skipped``); ids made unique."""
    articles = []
    used_ids: set[str] = set()
    for path in files:
        try:
            article = read_article(path, max_bytes=max_bytes)
            if article.id in used_ids:   # same stem in two folders: keep both, distinctly
                article = read_article(path, article_id_=f"{article.id}_{article.content_hash[:8]}",
                                       max_bytes=max_bytes)
        except KGError as e:
            report.skipped.append((str(path), f"{e.message} ({e.hint})" if e.hint else e.message))
            continue
        used_ids.add(article.id)
        report.warnings.extend((str(path), note) for note in article.notes)
        articles.append(article)
    return articles


def extraction_fingerprint(names: Sequence[str] = ()) -> str:
    """A hash of the code and data that decide what an article extracts to (and the pipeline)."""
    from .fingerprint import extraction_fingerprint as fp
    return fp(tuple(names))


def build(inputs: Sequence[Path | str], out_dir: Path | str, *, html: bool = True,
          progress: Optional[Progress] = None, pipeline: Optional[Pipeline] = None,
          store: Optional[Path | str] = None, jobs: int = 1, scheduler: Optional[str] = None,
          validate: bool = True, max_article_bytes: Optional[int] = None) -> BuildReport:
    """Build ``out_dir/kg.ttl`` (and ``graph.html``) from every ``.txt`` under ``inputs``.

    With ``store`` the graph is kept in that store folder and only new or changed articles
    are extracted; ``jobs`` worker processes or a Dask ``scheduler`` (``tcp://…`` or
    ``local``) extract in parallel. The output is the same in every mode. ``validate=False``
    skips the SHACL check. A file over ``max_article_bytes`` (default ``kg.ingest.MAX_BYTES``)
    is skipped unread.
    """
    t0 = time.perf_counter()
    report = BuildReport()
    _check_out_dir(Path(out_dir))
    files, skipped = iter_input_files(inputs)
    report.skipped.extend(skipped)
    articles = read_articles(files, report, max_article_bytes)
    report.phases["read"] = time.perf_counter() - t0
    full = validate or html      # the SHACL check and the HTML need every triple in this process
    if store is not None:
        graph = _build_store(articles, store, report, pipeline, jobs, scheduler, progress, full)
    else:
        graph = _collect(articles, report, pipeline, jobs, scheduler, progress, full)
    # "extract": running (or waiting for) the extraction, the store written meanwhile on its own
    # thread; "load": waiting for that thread to finish after the last article
    report.phases["extract"] = time.perf_counter() - t0 - report.phases["read"] - report.phases.get("load", 0.0)
    if "load" in report.phases:
        report.phases["load"] = report.phases.pop("load")     # listed after extract
    if report.articles:
        _write_outputs(graph, Path(out_dir), report, html, validate)
    report.seconds = time.perf_counter() - t0
    return report


def _check_out_dir(out: Path) -> None:
    """Fail before extracting, not after, when the output folder cannot be made or written."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise KGError(f"cannot create the output folder: {e.strerror or e}", path=str(out),
                      hint="choose another --out") from None
    if not os.access(out, os.W_OK):
        raise KGError("cannot write to the output folder: permission denied", path=str(out),
                      hint="choose another --out")


def _scheme_triples() -> set[tuple]:
    from .ontology import scheme_triples
    return scheme_triples()


def _extract(articles: Sequence[Article], report: BuildReport, pipeline: Optional[Pipeline], jobs: int,
             scheduler: Optional[str], progress: Optional[Progress], full: bool):
    """Outcomes of the articles that could be extracted; failures go into ``report.skipped``."""
    from .parallel import extract
    total = len(articles)
    for n, outcome in enumerate(extract(articles, pipeline=pipeline, jobs=jobs, scheduler=scheduler, full=full)):
        if progress:
            progress(n, total, outcome.path)
        if outcome.error is not None:
            report.skipped.append((outcome.path, outcome.error))
            continue
        report.articles += 1
        yield outcome
    if progress:
        progress(total, total, "")


@dataclass
class _Graph:
    """What the outputs are made of: every article's section of kg.ttl, and (when the SHACL
    check or the HTML needs the whole graph) every article's N-Triples."""

    sections: list = field(default_factory=list)       # kg.sections.Section
    ntriples: list[bytes] = field(default_factory=list)

    def add(self, section, ntriples: bytes) -> None:
        self.sections.append(section)
        if ntriples:
            self.ntriples.append(ntriples)


def _collect(articles: Sequence[Article], report: BuildReport, pipeline: Optional[Pipeline], jobs: int,
             scheduler: Optional[str], progress: Optional[Progress], full: bool) -> _Graph:
    graph = _Graph()
    for o in _extract(articles, report, pipeline, jobs, scheduler, progress, full):
        graph.add(o.section, o.ntriples)
    return graph


def _scheme_ntriples() -> bytes:
    import pyoxigraph as ox
    from .serialize import to_ox
    return ox.serialize([ox.Triple(*map(to_ox, t)) for t in _scheme_triples()], format=ox.RdfFormat.N_TRIPLES)


# Articles go to the store in batches of this many, or of this many bytes of N-Triples
# (kg.store.GraphStore.put_articles: a bulk load per batch, then the batch's hashes at once).
STORE_BATCH_ARTICLES = 256
STORE_BATCH_BYTES = 16 << 20


def _store_batches(outcomes: Iterable) -> Iterable[list]:
    batch, size = [], 0
    for outcome in outcomes:
        batch.append(outcome)
        size += len(outcome.ntriples)
        if len(batch) >= STORE_BATCH_ARTICLES or size >= STORE_BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _load_batch(gs, batch: list) -> list[Optional[str]]:
    """Store a batch of extracted articles; per article, None or why the store refused it.
    Runs on the store's writer thread."""
    from .rdf import article_iri
    errors = gs.put_articles([(str(article_iri(o.article_id)), o.ntriples) for o in batch])
    return [e and f"{e}; please report it with this file" for e in errors]


def _build_store(articles: Sequence[Article], path: Path | str, report: BuildReport, pipeline: Optional[Pipeline],
                 jobs: int, scheduler: Optional[str], progress: Optional[Progress], full: bool) -> _Graph:
    """Bring the store up to date with ``articles``; the sections (and N-Triples when
    ``full``) of every article of the build: extracted ones as their workers wrote them,
    unchanged ones from the graphs in the store."""
    from .extract import DEFAULT_PIPELINE
    from .rdf import article_iri
    from .sections import SectionCache, article_section
    from .store import SECTIONS_FOLDER, GraphStore
    gs = GraphStore(path)
    fingerprint = extraction_fingerprint(pipeline.names if pipeline else DEFAULT_PIPELINE)
    cache = SectionCache(Path(path) / SECTIONS_FOLDER, fingerprint)
    if gs.ensure_fingerprint(fingerprint):
        cache.clear()
    stored = gs.article_hashes()
    current = {str(article_iri(a.id)): a for a in articles}
    todo = [a for g, a in current.items() if stored.get(g) != a.content_hash]
    unchanged = [g for g in current if stored.get(g) == current[g].content_hash]
    for g in sorted(set(stored) - set(current)):
        gs.remove_graph(g)
        cache.drop(g)
        report.removed.append(g)
    gs.put_scheme(_scheme_ntriples())
    graph = _Graph()
    for g in unchanged:      # their sections from the cache, else (and their triples) from the store
        section = cache.get(g, stored[g])
        nt = gs.graphs_ntriples([g]) if full or section is None else b""
        if section is None:
            section = article_section(g, nt)
            cache.put(g, stored[g], section)
        graph.add(section, nt if full else b"")
    # The store is written on a thread of its own: pyoxigraph releases the GIL while it loads,
    # so storing one batch overlaps extracting the next (on another core). Batches are stored
    # in order; their results are read back in order as they finish (freeing their N-Triples).
    pending: deque = deque()

    def settle(wait: bool) -> None:
        while pending and (wait or pending[0][1].done()):
            batch, done = pending.popleft()
            for outcome, error in zip(batch, done.result()):
                g = str(article_iri(outcome.article_id))
                if error is not None:
                    report.articles -= 1
                    report.skipped.append((outcome.path, error))
                    continue
                (report.updated if g in stored else report.added).append(g)
                cache.put(g, current[g].content_hash, outcome.section)
                graph.add(outcome.section, outcome.ntriples if full else b"")

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-store") as writer:
        for batch in _store_batches(_extract(todo, report, pipeline, jobs, scheduler, progress, True)):
            pending.append((batch, writer.submit(_load_batch, gs, batch)))
            settle(wait=False)
        t = time.perf_counter()
        settle(wait=True)
        report.phases["load"] = time.perf_counter() - t      # waiting for the writer after extraction
    report.unchanged = unchanged
    report.articles += len(unchanged)
    gs.flush()
    report.store = str(path)
    return graph


def summarize(types: bytes, report: BuildReport) -> None:
    """Entity counts by type, cases and news items, from the graph's ``rdf:type`` lines
    (:func:`kg.sections.type_lines`; a shared node's lines may come from several articles)."""
    from .sections import type_matches
    seen: dict[bytes, str] = {}
    rank = {t: i for i, t in enumerate(ENTITY_TYPES)}
    cases: set[bytes] = set()
    items: set[bytes] = set()
    for m in type_matches(types):
        t = m.group(2).decode()
        if t == "Case":
            cases.add(m.group(1))
        elif t == "NewsItem":
            items.add(m.group(1))
        else:   # an entity with several scored classes counts once, as the first of ENTITY_TYPES
            prev = seen.get(m.group(1))
            if prev is None or rank[t] < rank[prev]:
                seen[m.group(1)] = t
    report.entities = Counter(seen.values())
    report.cases = len(cases)
    report.items = len(items)


def _write_outputs(graph: _Graph, out: Path, report: BuildReport, html: bool, validate: bool = True) -> None:
    """kg.ttl (:func:`kg.sections.write_turtle`), the SHACL check and graph.html (these two on
    rdflib triples, parsed only when asked for)."""
    from .sections import write_turtle
    from .serialize import parse_ntriples
    summarize(b"".join(s.types for s in graph.sections), report)
    scheme = _scheme_ntriples()
    triples = None
    if validate or html:
        t = time.perf_counter()
        triples = parse_ntriples(b"".join([scheme, *graph.ntriples]))
        graph.ntriples.clear()
        report.phases["parse"] = time.perf_counter() - t
    if validate:
        t = time.perf_counter()
        from .validate import validate as shacl_validate
        report.violations = shacl_validate(triples)
        report.phases["validate"] = time.perf_counter() - t
    t = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    with atomic_path(out / "kg.ttl") as tmp, open(tmp, "wb") as f:
        report.triples = write_turtle(graph.sections, scheme, f)
    graph.sections.clear()
    report.outputs.append(str(out / "kg.ttl"))
    report.phases["write"] = time.perf_counter() - t
    if html:
        t = time.perf_counter()
        from .viz import write_html
        write_html(triples, out / "graph.html")
        report.outputs.append(str(out / "graph.html"))
        report.phases["html"] = time.perf_counter() - t
