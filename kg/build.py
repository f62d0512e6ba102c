"""Build a knowledge graph from article files: read, extract, write ``kg.ttl`` and ``graph.html``.

A broken article never stops a build: its file and the reason are recorded in the report
and the others go on. The library reports progress through a callback; it never prints.
"""
from __future__ import annotations

import os
import time
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

from .errors import KGError, StoreError
from .ingest import article_id, read_article
from .inputs import InputFile, scan_inputs
from .serialize import atomic_paths, remove_stale_temporaries
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
    kept: list[str] = field(default_factory=list)       # in the store, not among the inputs (no --prune)
    lost: int = 0                # articles read whose extraction failed
    outputs_kept: bool = False   # most articles were lost: the previous outputs were left in place
    phases: dict[str, float] = field(default_factory=dict)    # seconds: read, extract, validate, write, html

    @property
    def ok(self) -> bool:
        return self.articles > 0 and not self.mostly_lost

    @property
    def mostly_lost(self) -> bool:
        """More than half of the articles that were read could not be extracted."""
        return self.lost * 2 > self.lost + self.articles


def read_articles(files: Sequence[Path | InputFile], report: BuildReport, max_bytes: Optional[int] = None
                  ) -> list[Article]:
    """Decode the files (unreadable ones go into ``report.skipped``); each article's id comes
    from its file's key (:func:`kg.ingest.article_id`), which no two files share."""
    articles = []
    used_ids: dict[str, str] = {}
    for f in files:
        path, key = (f.path, f.key) if isinstance(f, InputFile) else (Path(f), Path(f).name)
        try:
            article = read_article(path, article_id_=article_id(key), max_bytes=max_bytes)
        except KGError as e:
            report.skipped.append((str(path), f"{e.message} ({e.hint})" if e.hint else e.message))
            continue
        if article.id in used_ids:      # only the same key twice (a caller's list): one article
            report.skipped.append((str(path), f"is the same article as {used_ids[article.id]}, read once"))
            continue
        used_ids[article.id] = str(path)
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
          validate: bool = True, max_article_bytes: Optional[int] = None, prune: bool = False,
          confirm_prune: Optional[Callable[[int, int], bool]] = None, follow_links: bool = False) -> BuildReport:
    """Build ``out_dir/kg.ttl`` (and ``graph.html``) from every ``.txt`` under ``inputs``.

    With ``store`` the graph is kept in that store folder and only new or changed articles
    are extracted; ``jobs`` worker processes or a Dask ``scheduler`` (``tcp://…`` or
    ``local``) extract in parallel. The output is the same in every mode. ``validate=False``
    skips the SHACL check. A file over ``max_article_bytes`` (default ``kg.ingest.MAX_BYTES``)
    is skipped unread. Symbolic links leading out of the input folders are followed only
    with ``follow_links``.

    Nothing is lost to a mistake: a build that reads no article changes neither the store
    nor the outputs; articles of the store that are not among the inputs are kept (and
    stay in kg.ttl) unless ``prune``, which needs every input to be readable in full (and,
    to remove more than :data:`PRUNE_ASK` of the store, ``confirm_prune(n, stored)``); and
    when most articles that were read could not be extracted, the previous outputs are kept
    (``report.outputs_kept``) and ``report.ok`` is false.
    """
    t0 = time.perf_counter()
    report = BuildReport()
    _check_out_dir(Path(out_dir))
    scan = scan_inputs(inputs, follow_links=follow_links)
    report.skipped.extend(scan.skipped)
    if prune and scan.incomplete:
        raise KGError("--prune removes from the store the articles missing from the inputs, but these "
                      "could not be read in full: " + ", ".join(scan.incomplete[:5]),
                      hint="fix the paths; nothing was changed")
    articles = read_articles(scan.files, report, max_article_bytes)
    report.phases["read"] = time.perf_counter() - t0
    if not articles:             # nothing read: nothing changes, neither the store nor the outputs
        report.seconds = time.perf_counter() - t0
        return report
    # The SHACL check runs in parts (each article's own nodes where it is extracted, then the
    # shared nodes, kg.checksplit) unless the shapes need the whole graph here; the HTML is
    # made from the articles' parts of its view.
    parts = _Parts(check=validate and _split_check(), view=html)
    full = validate and not parts.check
    if store is not None:
        present = {article_id(f.key) for f in scan.files}     # found, whether or not they could be read
        graph = _in_store(articles, store, report, pipeline, jobs, scheduler, progress, full, parts,
                          present if prune else None, " ".join(map(str, inputs)), confirm_prune)
    else:
        graph = _collect(articles, report, pipeline, jobs, scheduler, progress, full, parts)
    # "extract": running (or waiting for) the extraction, the store written meanwhile on its own
    # thread; "load": waiting for that thread to finish after the last article
    report.phases["extract"] = time.perf_counter() - t0 - report.phases["read"] - report.phases.get("load", 0.0)
    if "load" in report.phases:
        report.phases["load"] = report.phases.pop("load")     # listed after extract
    if report.mostly_lost and (Path(out_dir) / "kg.ttl").exists():
        report.outputs_kept = True       # never replace a good graph by what is left of a failed build
    elif report.articles:
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
    remove_stale_temporaries(out, OUTPUT_NAMES)     # left by a build that was killed


def _scheme_triples() -> set[tuple]:
    from .ontology import scheme_triples
    return scheme_triples()


@dataclass(frozen=True)
class _Parts:
    """What each article's worker adds to its section: its SHACL check, its part of the view."""

    check: bool = False
    view: bool = False


def _split_check() -> bool:
    from .checksplit import checker
    return checker().ok


def _extract(articles: Sequence[Article], report: BuildReport, pipeline: Optional[Pipeline], jobs: int,
             scheduler: Optional[str], progress: Optional[Progress], full: bool, parts: _Parts = _Parts()):
    """Outcomes of the articles that could be extracted; failures go into ``report.skipped``."""
    from .parallel import extract
    total = len(articles)
    for n, outcome in enumerate(extract(articles, pipeline=pipeline, jobs=jobs, scheduler=scheduler, full=full,
                                        check=parts.check, view=parts.view)):
        if progress:
            progress(n, total, outcome.path)
        if outcome.retried and outcome.error is None:
            report.warnings.append((outcome.path, "the worker process extracting it died; it was extracted "
                                                  "again in a fresh process"))
        if outcome.error is not None:
            report.skipped.append((outcome.path, outcome.error))
            report.lost += 1
            continue
        report.articles += 1
        yield outcome
    if progress:
        progress(total, total, "")


@dataclass
class _Graph:
    """What the outputs are made of: every article's section of kg.ttl, its SHACL check and
    its part of the explorer's view when asked for, and (when the SHACL check needs the whole
    graph) every article's N-Triples."""

    parts: _Parts = _Parts()
    sections: list = field(default_factory=list)       # kg.sections.Section
    ntriples: list[bytes] = field(default_factory=list)
    checks: list = field(default_factory=list)         # kg.checksplit.ArticleCheck, by section
    check_lines: set = field(default_factory=set)      # their lines for the shared pass, each once
    views: list = field(default_factory=list)          # kg.analysis.view_parts of each article

    def add(self, section, ntriples: bytes, check=None, view=None) -> None:
        self.sections.append(section)
        if ntriples:
            self.ntriples.append(ntriples)
        if self.parts.check:     # articles repeat the lines of the shared nodes they name
            self.check_lines.update(check.lines.split(b"\n"))
            self.checks.append(replace(check, lines=b""))
        if self.parts.view:
            self.views.append(view)


def _collect(articles: Sequence[Article], report: BuildReport, pipeline: Optional[Pipeline], jobs: int,
             scheduler: Optional[str], progress: Optional[Progress], full: bool, parts: _Parts = _Parts()) -> _Graph:
    graph = _Graph(parts)
    for o in _extract(articles, report, pipeline, jobs, scheduler, progress, full, parts):
        graph.add(o.section, o.ntriples, o.check, o.view)
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


def _in_store(articles: Sequence[Article], store: Path | str, report: BuildReport, pipeline: Optional[Pipeline],
              jobs: int, scheduler: Optional[str], progress: Optional[Progress], full: bool, parts: "_Parts",
              prune: Optional[set[str]], inputs: str,
              confirm_prune: Optional[Callable[[int, int], bool]] = None) -> "_Graph":
    """:func:`_build_store`, its faults (a full disk, a damaged store) named with what to do."""
    try:
        return _build_store(articles, store, report, pipeline, jobs, scheduler, progress, full, parts, prune,
                            confirm_prune)
    except StoreError as e:     # opening it: name the inputs in the command that rebuilds it
        if e.hint and "INPUTS" in e.hint:
            e.hint = e.hint.replace("INPUTS", inputs)
        err = e
    except (OSError, RuntimeError) as e:
        from .store import store_fault
        err = store_fault(e, store, inputs)
        if err is None:
            raise
    # raised out here, without the frames that hold the store open: a caller that keeps the
    # error (a test runner, a notebook) must not keep the store locked
    raise err.with_traceback(None)


def _check_store_changes(gs, fingerprint: str, current: dict, present: set[str], prune: bool,
                         confirm_prune: Optional[Callable[[int, int], bool]]) -> None:
    """Stop before anything is changed when a build would lose articles it cannot extract again
    (after a change of code), or when ``prune`` would remove more than :data:`PRUNE_ASK` of the
    store's articles and ``confirm_prune(to remove, stored)`` says no."""
    from .store import LAYOUT
    stored = gs.article_hashes()
    if stored and (gs.fingerprint() != fingerprint or gs._meta().get("layout") != LAYOUT):   # all would go
        others = sorted(g for g in stored if g not in current and (not prune or g in present))
        if others:        # they would have to be extracted again, from files not given or not readable
            raise StoreError(f"the store was built by another version of the extraction and holds "
                             f"{len(others)} article(s) that this build cannot extract again: their files are "
                             f"not among the inputs or could not be read (such as <{others[0]}>)",
                             path=str(gs.path), hint="give their folders too, or add --prune to drop those that "
                                                     "are gone; nothing was changed")
    gone = [g for g in stored if g not in current and g not in present] if prune else []
    if gone and len(gone) > PRUNE_ASK * len(stored) and confirm_prune is not None \
            and not confirm_prune(len(gone), len(stored)):
        raise StoreError(f"--prune would remove {len(gone)} of the {len(stored)} articles in the store "
                         f"({100 * len(gone) / len(stored):.0f}%), more than {PRUNE_ASK:.0%}",
                         path=str(gs.path), hint="check the inputs; to remove them, run again with --yes. "
                                                 "Nothing was changed")


# --prune asks before removing more than this share of the store's articles
PRUNE_ASK = 0.05


def _build_store(articles: Sequence[Article], path: Path | str, report: BuildReport, pipeline: Optional[Pipeline],
                 jobs: int, scheduler: Optional[str], progress: Optional[Progress], full: bool,
                 parts: _Parts = _Parts(), prune: Optional[set[str]] = None,
                 confirm_prune: Optional[Callable[[int, int], bool]] = None) -> _Graph:
    """Bring the store up to date with ``articles``; the sections (and N-Triples when
    ``full``) of every article of the store: extracted ones as their workers wrote them,
    unchanged ones (and those kept) from the store. With ``prune`` (the ids of every input
    file found, read or not), the articles whose files are gone are removed."""
    from .extract import DEFAULT_PIPELINE
    from .parallel import article_parts
    from .rdf import article_iri
    from .sections import SectionCache, article_section
    from .store import SECTIONS_FOLDER, GraphStore
    gs = GraphStore(path)
    fingerprint = extraction_fingerprint(pipeline.names if pipeline else DEFAULT_PIPELINE)
    cache = SectionCache(Path(path) / SECTIONS_FOLDER, fingerprint)
    current = {str(article_iri(a.id)): a for a in articles}
    present = set() if prune is None else {str(article_iri(i)) for i in prune}
    _check_store_changes(gs, fingerprint, current, present, prune is not None, confirm_prune)
    if gs.ensure_fingerprint(fingerprint):
        cache.clear()
    stored = gs.article_hashes()
    todo = [a for g, a in current.items() if stored.get(g) != a.content_hash]
    unchanged = [g for g in current if stored.get(g) == current[g].content_hash]
    # without --prune nothing goes: articles whose files are not among the inputs are kept
    gone = sorted(g for g in gs.known_articles() - set(current) if prune is not None and g not in present)
    gs.remove_articles(gone)
    for g in gone:
        cache.drop(g)
        if g in stored:
            report.removed.append(g)
    for g in sorted(set(stored) - set(current) - set(gone)):
        unchanged.append(g)
        report.kept.append(g)
    gs.put_scheme(_scheme_ntriples())
    graph = _Graph(parts)
    for g in unchanged:      # their sections from the cache, else (and their triples) from the store
        section = cache.get(g, stored[g])
        nt = gs.article_ntriples(g) if full or section is None or parts.check or parts.view else b""
        if section is None:
            section = article_section(g, nt)
            cache.put(g, stored[g], section)
        graph.add(section, nt if full else b"", *article_parts(g, nt, parts.check, parts.view))
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
                    report.lost += 1
                    report.skipped.append((outcome.path, error))
                    continue
                (report.updated if g in stored else report.added).append(g)
                cache.put(g, current[g].content_hash, outcome.section)
                graph.add(outcome.section, outcome.ntriples if full else b"", outcome.check, outcome.view)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-store") as writer:
        for batch in _store_batches(_extract(todo, report, pipeline, jobs, scheduler, progress, True, parts)):
            pending.append((batch, writer.submit(_load_batch, gs, batch)))
            settle(wait=False)
        t = time.perf_counter()
        settle(wait=True)
        report.phases["load"] = time.perf_counter() - t      # waiting for the writer after extraction
    report.unchanged = [g for g in unchanged if g in current]
    report.articles += len(report.unchanged)
    gs.flush()
    report.store = str(path)
    return graph


def _check_parts(graph: _Graph) -> list:
    """The violations of the whole graph from the articles' checks (kg.checksplit)."""
    from .checksplit import checker, section_triples
    from .validate import _order
    sections = graph.sections
    lines = b"\n".join(graph.check_lines) + b"\n"
    graph.check_lines.clear()
    return sorted(checker().shared(graph.checks, [s.article for s in sections],
                                   lambda i: section_triples(sections[i].turtle), lines), key=_order)


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
    """kg.ttl (:func:`kg.sections.write_turtle`), the SHACL check (in parts, or on the whole
    graph parsed into rdflib terms when the shapes need it) and graph.html (from the view)."""
    from .sections import write_turtle
    from .serialize import parse_ntriples
    summarize(b"".join(s.types for s in graph.sections), report)
    scheme = _scheme_ntriples()
    if validate and graph.parts.check:
        t = time.perf_counter()
        report.violations = _check_parts(graph)
        report.phases["validate"] = time.perf_counter() - t
    elif validate:
        t = time.perf_counter()
        triples = parse_ntriples(b"".join([scheme, *graph.ntriples]))
        graph.ntriples.clear()
        report.phases["parse"] = time.perf_counter() - t
        t = time.perf_counter()
        from .validate import validate as shacl_validate
        report.violations = shacl_validate(triples)
        del triples
        report.phases["validate"] = time.perf_counter() - t
    t = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    names = OUTPUT_NAMES if html else OUTPUT_NAMES[:1]
    # both files are written, then both switched: never a new graph beside an old page
    with atomic_paths(*(out / n for n in names)) as tmps:
        with open(tmps[0], "wb") as f:
            report.triples = write_turtle(graph.sections, scheme, f)
        graph.sections.clear()
        report.phases["write"] = time.perf_counter() - t
        if html:
            t = time.perf_counter()
            from .analysis import view_from_parts, view_parts
            from .viz import write_html
            view = view_from_parts([view_parts(_scheme_triples()), *graph.views])
            graph.views.clear()
            write_html(view, tmps[1])
            report.phases["html"] = time.perf_counter() - t
    report.outputs.extend(str(out / n) for n in names)
    if not html and (out / OUTPUT_NAMES[1]).exists():
        report.warnings.append((str(out / OUTPUT_NAMES[1]), "is left from an earlier build (this one made no page): "
                                                            "it does not show the new kg.ttl"))


OUTPUT_NAMES = ("kg.ttl", "graph.html")
