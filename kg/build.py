"""Build a knowledge graph from article files: read, extract, write ``kg.ttl`` and ``graph.html``.

A broken article never stops a build: its file and the reason are recorded in the report
and the others go on. The library reports progress through a callback; it never prints.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

from rdflib.namespace import RDF

from .errors import KGError
from .ingest import iter_input_files, read_article
from .model import ENTITY_TYPES
from .pipeline import ArticleResult, Pipeline, Resources

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

    @property
    def ok(self) -> bool:
        return self.articles > 0


def extract_files(files: Sequence[Path], pipeline: Pipeline, report: BuildReport,
                  progress: Optional[Progress] = None) -> list[ArticleResult]:
    """Run the pipeline over files one by one; failures go into ``report.skipped``."""
    results = []
    used_ids: set[str] = set()
    for n, path in enumerate(files):
        if progress:
            progress(n, len(files), str(path))
        try:
            article = read_article(path)
            if article.id in used_ids:   # same stem in two folders: keep both, distinctly
                article = read_article(path, article_id_=f"{article.id}_{article.content_hash[:8]}")
            used_ids.add(article.id)
            results.append(pipeline(article))
        except KGError as e:
            report.skipped.append((str(path), e.message))
        except MemoryError:
            report.skipped.append((str(path), "too large to process in memory"))
        except Exception as e:  # a bug in an extractor must not lose the other articles
            report.skipped.append((str(path), f"internal error while extracting ({type(e).__name__}: {e}); "
                                              "please report it with this file"))
    if progress:
        progress(len(files), len(files), "")
    return results


def graph_triples(results: Iterable[ArticleResult], resources: Resources) -> set[tuple]:
    """The union of every article's triples, plus the crime-type scheme."""
    from .ontology import scheme_triples
    from .rdf import article_triples
    triples: set[tuple] = set(scheme_triples())
    for r in results:
        triples |= article_triples(r, resources)
    return triples


def summarize(triples: set[tuple], report: BuildReport) -> None:
    from .ns import FKG
    types = {FKG[t]: t for t in ENTITY_TYPES}
    seen: dict[object, str] = {}
    for s, p, o in triples:
        if p == RDF.type and o in types:
            # an entity with several scored classes counts once, as the first of ENTITY_TYPES
            prev = seen.get(s)
            if prev is None or ENTITY_TYPES.index(types[o]) < ENTITY_TYPES.index(prev):
                seen[s] = types[o]
    report.entities = Counter(seen.values())
    report.cases = sum(1 for s, p, o in triples if p == RDF.type and o == FKG.Case)
    report.triples = len(triples)


def build(inputs: Sequence[Path | str], out_dir: Path | str, *, html: bool = True,
          progress: Optional[Progress] = None, pipeline: Optional[Pipeline] = None) -> BuildReport:
    """Build ``out_dir/kg.ttl`` (and ``graph.html``) from every ``.txt`` under ``inputs``."""
    from .serialize import write_turtle
    t0 = time.perf_counter()
    report = BuildReport()
    files, skipped = iter_input_files(inputs)
    report.skipped.extend(skipped)
    pipeline = pipeline or Pipeline.default(Resources())
    results = extract_files(files, pipeline, report, progress)
    report.articles = len(results)
    report.items = sum(len(r.docs) for r in results)
    if not results:
        report.seconds = time.perf_counter() - t0
        return report
    triples = graph_triples(results, pipeline.resources)
    summarize(triples, report)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    write_turtle(triples, out / "kg.ttl")
    report.outputs.append(str(out / "kg.ttl"))
    if html:
        from .viz import write_html
        write_html(triples, out / "graph.html")
        report.outputs.append(str(out / "graph.html"))
    report.seconds = time.perf_counter() - t0
    return report
