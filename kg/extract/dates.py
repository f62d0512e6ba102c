"""Dates of the item (``Date`` mentions): value, precision and whether the year is known.

The parsing is :func:`kg.dates.find_dates`; the article's date (year, or only month and day)
comes from a dateline at the top of the item or file when there is one, never from a guess.
"""
from __future__ import annotations

from datetime import date

from ..dates import ParsedDate, article_date, find_dates
from ..model import Doc, Mention
from . import register


def date_mentions(doc: Doc) -> list[Mention]:
    """A ``Date`` mention for every date of the item, resolved as far as the text allows."""
    y, m, d = article_date(doc.text)
    if y is None and m is None:
        y, m, d = article_date(doc.article.raw)
    if y is not None and m is not None:
        return [_mention(p) for p in find_dates(doc.text, ref=date(y, m, d))]
    return [_mention(p) for p in find_dates(doc.text, ref_year=y, ref_month_day=(m, d) if m else None)]


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
