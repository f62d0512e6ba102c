"""The home city of a news item: the city whose police the item reports on.

Evidence is weighed as votes for cities (a county-level city or county counts as itself, a
district as its city): police units named with their place (3, the title counts double),
datelines (本报宁波讯, 5), places named in the text (1 each). Units and places in a sentence
that says they only helped or directed (在X的协助下, 当地警方, 赶赴X) count a fifth. An item
with strong evidence of its own (a unit or dateline) keeps its own city; otherwise the page's
evidence decides, so the short items of a newspaper page share the city of the page.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Optional

from ..model import Doc
from . import register

MUNICIPALITIES = ("110000", "120000", "310000", "500000")
REMOTE = re.compile(r"协助|配合|支持|统一指挥|指导|督办|帮助|赶赴|远赴|奔赴|前往|抓获|押解|窝点|盘踞|锁定|籍")
DATELINE = re.compile(r"(?:本报|网|日|社)(?:讯|电)")


@dataclass(frozen=True)
class Votes:
    """Weighted votes for home-city place codes; ``strong`` ones came from units/datelines."""

    weights: tuple[tuple[str, float], ...] = ()
    strong: frozenset[str] = frozenset()

    def best(self) -> Optional[str]:
        if not self.weights:
            return None
        return sorted(self.weights, key=lambda kv: (-kv[1], kv[0]))[0][0]


def city_of(gaz, code: str) -> Optional[str]:
    """The home-city code a place stands for: a district gives its city, a county-level city
    or county itself, a prefecture or municipality itself; provinces and townships none."""
    if code.startswith("XX") or code not in gaz:
        return None
    d = gaz.get(code)
    if d.level == "prefecture" or code in MUNICIPALITIES:
        return code
    if d.level == "county":
        if d.name.endswith("区") and d.parent:
            return d.parent
        return code
    return None


def remote_sentence(text: str, start: int, doc: Doc) -> bool:
    """True when the sentence around ``start`` casts the place or unit as helping, directing
    or as the scene of an arrest far away rather than as the reporting police."""
    sent = doc.sentence_at(start)
    return bool(REMOTE.search(text[sent.start:sent.end]))


def votes(doc: Doc, gaz, places: list[tuple[int, int, str]], units: list[tuple[int, str, bool]]) -> Votes:
    """Votes of one item: ``places`` as (start, end, code), ``units`` as (start, place code,
    remote) for units named with their place."""
    w: Counter[str] = Counter()
    strong: set[str] = set()
    title_end = len(doc.title) if doc.title and doc.text.startswith(doc.title) else 0
    for start, code, remote in units:
        city = city_of(gaz, code)
        if city:
            weight = 3.0 * (2 if start < title_end else 1) * (0.2 if remote else 1)
            w[city] += weight
            if not remote:
                strong.add(city)
    for start, end, code in places:
        city = city_of(gaz, code)
        if city:
            w[city] += 0.2 if remote_sentence(doc.text, start, doc) else 1.0
    m = DATELINE.search(doc.text, title_end, title_end + 80)
    if m:   # 本报宁波讯, 新华社北京3月1日电, 重庆法治报…本报讯: places before the dateline
        for s, e, code in places:
            city = city_of(gaz, code)
            if city and title_end <= s < m.start():
                w[city] += 5
                strong.add(city)
    return Votes(tuple(sorted(w.items())), frozenset(strong))


def choose(item: Votes, page: Votes) -> Optional[str]:
    """The item's own city when its evidence is strong, else the page's, else its own."""
    own = item.best()
    if own and own in item.strong:
        return own
    return page.best() or own


def combine(parts: list[Votes]) -> Votes:
    total: Counter[str] = Counter()
    strong: set[str] = set()
    for v in parts:
        total.update(dict(v.weights))
        strong |= v.strong
    return Votes(tuple(sorted(total.items())), frozenset(strong))


class HomeCities:
    """Home cities of items, with the page's evidence computed once per article."""

    def __init__(self, item_votes: Callable[[Doc], Votes]):
        self.item_votes = item_votes
        self._pages: dict[str, Votes] = {}

    def page(self, doc: Doc) -> Votes:
        key = doc.article.content_hash + doc.article.id
        if key not in self._pages:
            from ..ingest import split_items
            if len(self._pages) > 64:
                self._pages.clear()
            self._pages[key] = combine([self.item_votes(d) for d in split_items(doc.article)])
        return self._pages[key]

    def home(self, doc: Doc) -> Optional[str]:
        return choose(self.item_votes(doc), self.page(doc))


@register("home_city")
def make_home_city(resources):
    from .police import UnitParser
    parser = UnitParser(resources)

    def home_city(doc: Doc) -> Doc:
        code = parser.homes.home(doc)
        return doc.replace(home_city=f"Place/{code}" if code else None)
    return home_city
