"""Resolution within an article: the page's home city, and one key per real thing.

Per-item resolution (该男子 → the suspect, 市公安局 → the item's city) happens in the
extractors; this module looks across the items of one page. Across articles nothing needs
doing here: keys are canonical (admin codes for places, fully qualified names for units),
so the same unit in ten articles is one node when the graphs are united.
"""
from __future__ import annotations

from collections import Counter
from typing import Optional

from .model import Article, Doc


def article_home_city(docs: tuple[Doc, ...]) -> Optional[str]:
    """The home city of a page: the one most of its text is about (longest items win ties)."""
    weight: Counter[str] = Counter()
    for d in docs:
        if d.home_city:
            weight[d.home_city] += len(d.text)
    if not weight:
        return None
    return sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def resolve_article(article: Article, docs: tuple[Doc, ...], resources=None):
    from .pipeline import ArticleResult
    home = article_home_city(docs)
    return ArticleResult(article=article, docs=docs, home_city=home)
