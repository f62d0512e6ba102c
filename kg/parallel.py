"""Extraction jobs: articles → :class:`Outcome` (result and triples, or why it failed).

An outcome carries its article's section of ``kg.ttl`` (:mod:`kg.sections`: its own triples
already sorted and written as Turtle by the worker, the shared ones as N-Triples) and, when
asked for, all its triples as N-Triples bytes: cheap to pickle from a worker and loaded by
pyoxigraph in the parent without a Python object per triple.

Three ways to run the same job, all yielding outcomes in input order:

- in this process (:func:`run_serial`);
- in ``jobs`` local processes (:func:`run_processes`, ``concurrent.futures``);
- on a Dask cluster (:func:`run_dask`, ``--scheduler tcp://HOST:PORT`` or ``local``).

Workers receive whole :class:`Article` objects (the decoded text travels with them, so
remote workers need no shared file system) and build their :class:`Pipeline` once per
process. An article that makes an extractor fail becomes an outcome with an ``error``; it
never stops the others.
"""
from __future__ import annotations

import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Iterator, Optional, Sequence

from .errors import KGError
from .model import Article
from .pipeline import Pipeline, Resources

if TYPE_CHECKING:
    from .checksplit import ArticleCheck
    from .sections import Section

# One pipeline per worker process, keyed by the extractor names; filled lazily by the first
# article a worker sees (the worker-side cache that process pools and Dask need).
_WORKER_PIPELINES: dict[tuple[str, ...], Pipeline] = {}


@dataclass(frozen=True)
class Outcome:
    """What became of one article: its section of ``kg.ttl`` (sorted and written as Turtle
    where it was extracted), and its N-Triples when the caller needs the whole graph."""

    path: str
    article_id: str
    section: Optional["Section"] = None
    ntriples: bytes = b""     # every triple of the article (when extracted with full=True)
    timings: tuple = ()       # (extractor, seconds) pairs
    error: Optional[str] = None
    check: Optional["ArticleCheck"] = None   # the SHACL check of its own nodes (when asked for)
    view: Optional[tuple] = None             # its part of the explorer's view (kg.analysis.view_parts)
    retried: bool = False     # its worker process died, and it was extracted again in a fresh one

    @property
    def triples(self) -> set[tuple]:
        """The article's triples as rdflib terms (parsed on demand; needs full=True)."""
        from .serialize import parse_ntriples
        return parse_ntriples(self.ntriples) if self.ntriples else set()


def process_article(article: Article, pipeline: Pipeline, full: bool = True,
                    check: bool = False, view: bool = False) -> Outcome:
    """Extract one article and write its section of ``kg.ttl`` (and keep its N-Triples when
    ``full``, check its own nodes when ``check``, make its part of the explorer's view when
    ``view``); any failure becomes ``Outcome.error``."""
    from .rdf import article_iri, article_ntriples
    from .sections import article_section
    try:
        result = pipeline(article)
        ntriples, special_from = article_ntriples(result, pipeline.resources)
        iri = str(article_iri(article.id))
        section = article_section(iri, ntriples, special_from)
        checked, part = article_parts(iri, ntriples, check, view)
    except KGError as e:
        return Outcome(article.path, article.id, error=e.message)
    except MemoryError:
        return Outcome(article.path, article.id, error="too large to process in memory")
    except Exception as e:  # a bug in an extractor must not lose the other articles
        return Outcome(article.path, article.id,
                       error=f"internal error while extracting ({type(e).__name__}: {e}); "
                             "please report it with this file")
    return Outcome(article.path, article.id, section=section, ntriples=ntriples if full else b"",
                   timings=tuple(result.timings), check=checked, view=part)


def article_parts(iri: str, ntriples: bytes, check: bool, view: bool) -> tuple:
    """The SHACL check of the article's own nodes and its part of the explorer's view, each
    when asked for (None otherwise)."""
    if not (check or view):
        return None, None
    from .serialize import parse_ntriples
    triples = parse_ntriples(ntriples)
    checked = part = None
    if check:
        from .checksplit import checker
        checked = checker().article(iri, triples, ntriples)
    if view:
        from .analysis import view_parts
        part = view_parts(triples)
    return checked, part


def worker_pipeline(names: Optional[tuple[str, ...]]) -> Pipeline:
    """This process's pipeline for ``names`` (the default pipeline when None), built once."""
    key = names or ()
    if key not in _WORKER_PIPELINES:
        _WORKER_PIPELINES[key] = Pipeline(names, Resources()) if names else Pipeline.default(Resources())
    return _WORKER_PIPELINES[key]


def _work(article: Article, names: Optional[tuple[str, ...]], full: bool = True, check: bool = False,
          view: bool = False) -> Outcome:
    return process_article(article, worker_pipeline(names), full, check, view)


def run_serial(articles: Sequence[Article], pipeline: Pipeline, full: bool = True, check: bool = False,
               view: bool = False) -> Iterator[Outcome]:
    for a in articles:
        yield process_article(a, pipeline, full, check, view)


def run_processes(articles: Sequence[Article], jobs: int, names: Optional[tuple[str, ...]] = None,
                  full: bool = True, check: bool = False, view: bool = False) -> Iterator[Outcome]:
    """Extract with ``jobs`` worker processes; outcomes come back in input order.

    A worker that dies (killed, out of memory, a crash in a library) breaks the pool. The
    articles that were being extracted when it died are each tried again alone, in a fresh
    process, once: one that kills that process too is skipped with a reason. The articles
    that had not started go on in a new pool. So a death loses at most the article that
    caused it, never the rest of the build.
    """
    import multiprocessing
    # forkserver/spawn: never fork a process that may hold threads (a server, a Dask client)
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    done: dict[int, Outcome] = {}
    todo = list(range(len(articles)))
    first = 0                      # the next outcome to hand back

    def ready() -> Iterator[Outcome]:
        nonlocal first
        while first in done:
            yield done.pop(first)
            first += 1

    while todo:
        started = ctx.RawArray("b", len(articles))      # set by a worker as it takes an article
        broken: list[int] = []
        with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=ctx, initializer=_start_worker,
                                 initargs=(names, started)) as pool:
            futures = []
            for i in todo:
                try:
                    futures.append((i, pool.submit(_work_at, i, pickle.dumps(articles[i], pickle.HIGHEST_PROTOCOL),
                                                   names, full, check, view)))
                except BrokenProcessPool:
                    broken.append(i)
            for i, f in futures:
                try:
                    done[i] = f.result()
                except BrokenProcessPool:
                    broken.append(i)
                yield from ready()
        if not broken:
            break
        suspects = [i for i in sorted(broken) if started[i]]
        todo = [i for i in sorted(broken) if not started[i]]
        if not suspects:               # the workers died before taking any article
            for i in todo:
                done[i] = Outcome(articles[i].path, articles[i].id, error="the worker processes died before "
                                  "extracting anything (out of memory?); run with --jobs 1")
            todo = []
        for i in suspects:
            done[i] = replace(_alone(ctx, articles[i], names, full, check, view), retried=True)
        yield from ready()
    yield from ready()


_STARTED = None      # in a worker: the shared flags of run_processes


def _start_worker(names: Optional[tuple[str, ...]], started) -> None:
    global _STARTED
    _STARTED = started
    worker_pipeline(names)


def _work_at(i: int, article: bytes, names: Optional[tuple[str, ...]], full: bool, check: bool = False,
             view: bool = False) -> Outcome:
    """Extract the pickled ``article``, flagged as taken first (its unpickling may be what kills)."""
    if _STARTED is not None:
        _STARTED[i] = 1
    return _work(pickle.loads(article), names, full, check, view)


def _alone(ctx, article: Article, names: Optional[tuple[str, ...]], full: bool, check: bool = False,
           view: bool = False) -> Outcome:
    """``article`` extracted again in a process of its own; an error outcome if that dies too."""
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=worker_pipeline, initargs=(names,)) as pool:
        try:
            return pool.submit(_work, article, names, full, check, view).result()
        except BrokenProcessPool:
            return Outcome(article.path, article.id,
                           error="the worker process died while extracting it, twice (out of memory, or a "
                                 "crash in a library); skipped")


def run_dask(articles: Sequence[Article], scheduler: str, jobs: int = 0, names: Optional[tuple[str, ...]] = None,
             full: bool = True, check: bool = False, view: bool = False) -> Iterator[Outcome]:
    """Extract on a Dask cluster: ``tcp://HOST:PORT`` of a running scheduler, or ``local``
    for a :class:`LocalCluster` of ``jobs`` worker processes (all cores when 0)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise KGError("Dask is not installed", hint="pip install 'fraudkg[dask]'") from None
    cluster = None
    try:
        if scheduler == "local":
            cluster = LocalCluster(n_workers=jobs or os.cpu_count() or 1, threads_per_worker=1,
                                   processes=True, dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout="10s")
    except OSError as e:
        raise KGError(f"cannot reach the Dask scheduler {scheduler}: {e}",
                      hint="start one with `dask scheduler` and `dask worker`, or use --scheduler local") from None
    try:
        futures = client.map(_work, list(articles), names=names, full=full, check=check, view=view, pure=False)
        for a, f in zip(articles, futures):
            try:
                yield f.result()
            except Exception as e:  # a lost worker, a killed task: that article only
                yield Outcome(a.path, a.id, error=f"the Dask task failed ({type(e).__name__}: {e})")
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def extract(articles: Sequence[Article], *, pipeline: Optional[Pipeline] = None, jobs: int = 1,
            scheduler: Optional[str] = None, full: bool = True, check: bool = False,
            view: bool = False) -> Iterator[Outcome]:
    """Outcomes of ``articles`` in input order, serially, with ``jobs`` processes or on Dask;
    ``full=False`` leaves out each article's N-Triples (its section is always there);
    ``check`` and ``view`` add its SHACL check and its part of the explorer's view."""
    names = pipeline.names if pipeline is not None else None
    if not articles:
        return iter(())
    if scheduler:
        return run_dask(articles, scheduler, jobs if jobs > 1 else 0, names, full, check, view)
    if jobs > 1 and len(articles) > 1:
        return run_processes(articles, min(jobs, len(articles)), names, full, check, view)
    return run_serial(articles, pipeline or Pipeline.default(Resources()), full, check, view)
