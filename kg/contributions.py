"""Which article wrote which triple about a shared node: the record that lets a store keep
every triple once (:mod:`kg.store`) and still add and remove articles one by one.

A place, police unit, organisation or rule is described by every article that names it,
and not always in the same words (each adds the aliases it uses). The store keeps the facts
about such a node once, in the node's own graph, which holds the union of what the
articles in the store say about it. This record, an SQLite file beside the store
(``fraudkg-shared.sqlite``), remembers each article's part of that union, so that when an
article is replaced or removed, the graphs of the nodes it touched can be rebuilt from what
the other articles say.

Nodes whose graph must be rebuilt are marked *dirty* in the same transaction that changes
the record, and unmarked only after the store has rebuilt them: a build killed in between
leaves them marked, and the next write rebuilds them first.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Optional

from .errors import StoreError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS fact (article TEXT NOT NULL, node TEXT NOT NULL, line TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS fact_article ON fact (article);
CREATE INDEX IF NOT EXISTS fact_node ON fact (node);
CREATE TABLE IF NOT EXISTS dirty (node TEXT PRIMARY KEY);
"""


class Contributions:
    """The per-article record of shared-node facts (in memory when ``path`` is None)."""

    def __init__(self, path: Optional[Path]):
        self.path = path
        try:
            self.db = sqlite3.connect(str(path) if path is not None else ":memory:", isolation_level=None,
                                      check_same_thread=False)   # used by the build's store thread, one at a time
            self.db.executescript(_SCHEMA)
        except sqlite3.Error as e:
            raise StoreError(f"cannot open the record of shared facts: {e}", path=str(path),
                             hint="delete the store folder and build again") from None

    def replace(self, facts: dict[str, Iterable[tuple[str, str]]]) -> None:
        """Make each article's facts ``(node IRI, N-Triples line)`` those given (an article
        with no facts is removed); the nodes touched before or after are marked dirty."""
        with self._transaction():
            for article, rows in facts.items():
                rows = list(rows)
                self._mark_article(article)
                self.db.execute("DELETE FROM fact WHERE article = ?", (article,))
                self.db.executemany("INSERT INTO fact VALUES (?, ?, ?)", ((article, n, line) for n, line in rows))
                self.db.executemany("INSERT OR IGNORE INTO dirty VALUES (?)", {(n,) for n, _ in rows})

    def remove(self, articles: Iterable[str]) -> None:
        self.replace({a: () for a in articles})

    def _mark_article(self, article: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO dirty SELECT DISTINCT node FROM fact WHERE article = ?", (article,))

    def dirty(self) -> list[str]:
        return [n for (n,) in self.db.execute("SELECT node FROM dirty ORDER BY node")]

    def lines(self, nodes: Iterable[str]) -> dict[str, list[str]]:
        """Each node's distinct facts (a node no article describes any more maps to [])."""
        out: dict[str, list[str]] = {}
        for node in nodes:
            out[node] = [line for (line,) in self.db.execute(
                "SELECT DISTINCT line FROM fact WHERE node = ? ORDER BY line", (node,))]
        return out

    def clean(self, nodes: Iterable[str]) -> None:
        with self._transaction():
            self.db.executemany("DELETE FROM dirty WHERE node = ?", ((n,) for n in nodes))

    def article_lines(self, article: str) -> bytes:
        """The shared-node facts the article wrote, as N-Triples."""
        return "".join(line + " .\n" for (line,) in self.db.execute(
            "SELECT line FROM fact WHERE article = ? ORDER BY line", (article,))).encode("utf-8")

    def articles(self) -> set[str]:
        return {a for (a,) in self.db.execute("SELECT DISTINCT article FROM fact")}

    def clear(self) -> None:
        with self._transaction():
            self.db.execute("DELETE FROM fact")
            self.db.execute("DELETE FROM dirty")

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        except sqlite3.Error as e:
            raise StoreError(f"cannot update the record of shared facts: {e}", path=str(self.path)) from None
