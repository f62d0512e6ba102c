"""Dates of the item (``Date`` mentions): value, precision and whether the year is known.

The parsing is :func:`kg.dates.find_dates`; the article's year comes from a dateline at the
top of the file when there is one, never from a guess.
"""
from __future__ import annotations

from ..dates import ParsedDate, article_year, find_dates
from ..model import Doc, Mention
from . import register


def date_mentions(doc: Doc) -> list[Mention]:
    """A ``Date`` mention for every date of the item, resolved as far as the text allows."""
    year = article_year(doc.text) or article_year(doc.article.raw)
    return [_mention(d) for d in find_dates(doc.text, ref_year=year)]


def _mention(d: ParsedDate) -> Mention:
    kind = "relative" if d.relative else "absolute"
    attrs = {"value": d.value, "precision": d.precision, "resolved": "1" if d.resolved else "0",
             "relative": d.relative}
    return Mention(d.start, d.end, d.text, "Date", f"date.{kind}", attrs=tuple(sorted(attrs.items())))


@register("dates", assigns=("Date",))
def make_dates(resources):
    def dates(doc: Doc) -> Doc:
        return doc.add(mentions=date_mentions(doc))
    return dates
