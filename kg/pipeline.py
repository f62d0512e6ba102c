"""The extraction pipeline: an article → its news items → extractors in order → a result.

Extractors are small callables registered by name (:func:`kg.extract.register`), like
spaCy's ``Language.factory``: each takes a :class:`Doc` and returns it with more
annotations. Shared read-only data (the gazetteer, cue-word lists) is loaded lazily, once,
by :class:`Resources` and handed to every extractor factory.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Callable, Optional, Sequence

from .errors import KGError
from .ingest import split_items
from .model import Article, Doc

Extractor = Callable[[Doc], Doc]


class Resources:
    """Lazily loaded, shared, read-only data for extractors (nothing is read at import)."""

    def __init__(self) -> None:
        self._tables: dict[str, list[dict[str, str]]] = {}
        self._shared: dict[str, object] = {}
        self._items: Optional[tuple[Article, tuple[Doc, ...]]] = None

    @cached_property
    def gazetteer(self):
        from .gazetteer import Gazetteer
        return Gazetteer.load()

    def table(self, name: str) -> list[dict[str, str]]:
        """Rows of ``kg/data/<name>.tsv`` (:func:`kg.tables.read_table`: checked, each
        knowing its file and line)."""
        if name not in self._tables:
            from .tables import read_table
            self._tables[name] = read_table(name)
        return self._tables[name]

    def shared(self, name: str, build: Callable[["Resources"], object]) -> object:
        """``build(self)``, made once per ``Resources``: one object (a parser and its caches)
        that several extractors use."""
        if name not in self._shared:
            self._shared[name] = build(self)
        return self._shared[name]

    def items(self, article: Article) -> tuple[Doc, ...]:
        """The news items of ``article`` (:func:`kg.ingest.split_items`), remembered for the
        article last asked for: the pipeline and extractors that weigh the whole page split it
        once. The docs are frozen, so sharing them is safe."""
        last = self._items              # one read: threads may share a pipeline
        if last is None or last[0] != article:
            last = self._items = (article, tuple(split_items(article)))
        return last[1]


@dataclass(frozen=True)
class ArticleResult:
    """Everything extracted from one article: its news items, fully annotated."""

    article: Article
    docs: tuple[Doc, ...]
    home_city: Optional[str] = None           # Place key of the page as a whole
    timings: tuple[tuple[str, float], ...] = field(default=(), compare=False)


class Pipeline:
    """Extractors applied in order to every news item of an article."""

    def __init__(self, names: Sequence[str], resources: Optional[Resources] = None, given: Sequence[str] = ()):
        """``names`` in order; each one's requirements must be added by one before it or be
        ``given`` (annotations the docs will already carry)."""
        from .extract import check_order, create
        self.resources = resources or Resources()
        self.names = tuple(names)
        check_order(self.names, given)
        self.steps: list[tuple[str, Extractor]] = [(n, create(n, self.resources)) for n in self.names]

    @classmethod
    def default(cls, resources: Optional[Resources] = None) -> "Pipeline":
        from .extract import DEFAULT_PIPELINE
        return cls(DEFAULT_PIPELINE, resources)

    def process_doc(self, doc: Doc, timings: Optional[dict[str, float]] = None) -> Doc:
        """``doc`` through every extractor; with ``timings``, add each one's seconds to it."""
        clock = time.perf_counter
        for name, step in self.steps:
            t0 = clock()
            doc = step(doc)
            if type(doc) is not Doc:     # spaCy's E005: a step that forgets to return the doc
                raise KGError(f"extractor {name!r} returned {type(doc).__name__}, not a Doc",
                              hint="an extractor must return the Doc it was given, with its annotations added")
            if timings is not None:
                timings[name] = timings.get(name, 0.0) + clock() - t0
        return doc

    def __call__(self, article: Article) -> ArticleResult:
        t0 = time.perf_counter()
        items = self.resources.items(article)
        timings = {"split_items": time.perf_counter() - t0, **{name: 0.0 for name in self.names}}
        docs = tuple(self.process_doc(d, timings) for d in items)
        from .resolve import resolve_article
        t0 = time.perf_counter()
        result = resolve_article(article, docs, self.resources)
        timings["resolve"] = time.perf_counter() - t0
        return replace(result, timings=tuple(timings.items()))

