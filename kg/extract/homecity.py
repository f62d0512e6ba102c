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
from typing import Callable, Optional, Sequence, Union

from ..model import Article, Doc
from . import register

MUNICIPALITIES = ("110000", "120000", "310000", "500000")
REMOTE = re.compile(r"协助|配合|支持|统一指挥|指导|督办|帮助|赶赴|远赴|奔赴|前往|抓获|押解|窝点|盘踞|锁定|籍")
TALK = {"city": ("我市", "本市", "市公安局", "市局"), "county": ("我县", "本县", "县公安局", "县局"),
        "province": ("省公安厅", "全省", "我省")}
DATELINE = re.compile(r"(?:本报[\u4e00-\u9fff]{0,4}?|网|日|社)(?:讯|电)")


@dataclass(frozen=True)
class Votes:
    """Weighted votes for home-city place codes; ``strong`` ones came from units/datelines."""

    weights: tuple[tuple[str, float], ...] = ()
    strong: frozenset[str] = frozenset()
    talk: frozenset[str] = frozenset()     # "city", "county", "province": how the text speaks

    def best(self, gaz=None) -> Optional[str]:
        """The best-supported city; with ``gaz``, cities that do not fit how the text speaks
        (我市 → not a county; 省公安厅 → not a municipality) count a third."""
        if not self.weights:
            return None
        weights = [(c, w * (1 if gaz is None or _fits(gaz, c, self.talk) else 0.3)) for c, w in self.weights]
        return sorted(weights, key=lambda kv: (-kv[1], kv[0]))[0][0]


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
    listed = _in_lists(doc.text, places)
    for start, end, code in places:
        city = city_of(gaz, code)
        if city:
            w[city] += 0.2 if start in listed or remote_sentence(doc.text, start, doc) else 1.0
    m = DATELINE.search(doc.text, title_end, title_end + 80)
    if m:   # 本报宁波讯, 新华社北京3月1日电, 重庆法治报…本报讯: places before the dateline
        for s, e, code in places:
            city = city_of(gaz, code)
            if city and title_end <= s and e <= m.end():
                w[city] += 5
                strong.add(city)
    talk = {k for k, words in TALK.items() if any(t in doc.text for t in words)}
    return Votes(tuple(sorted(w.items())), frozenset(strong), frozenset(talk))


def _fits(gaz, code: str, talk: frozenset[str]) -> bool:
    """Whether a city fits how the text speaks of its home: 市公安局/我市 mean a city, 县公安局/
    我县 a county, 省公安厅/全省 a city inside a province (not 北京, 上海, 天津, 重庆)."""
    name = gaz.get(code).name
    if "province" in talk and code in MUNICIPALITIES:
        return False
    if "city" in talk and "county" not in talk:
        return not name.endswith(("县", "旗"))
    if "county" in talk and "city" not in talk:
        return name.endswith(("县", "旗"))
    return True


def _in_lists(text: str, places: list[tuple[int, int, str]]) -> set[int]:
    """Starts of places named in a list of three or more (广西宾阳、广东电白、湖南双峰…):
    a survey of places, not the home of the story."""
    spans = sorted(places)
    out: set[int] = set()
    run = spans[:1]
    for prev, cur in zip(spans, spans[1:]):
        if text[prev[1]:cur[0]] in ("", "、", "和", "及", "与", ","):
            run.append(cur)
            continue
        if sum(1 for a, b in zip(run, run[1:]) if text[a[1]:b[0]] != "") >= 2:
            out.update(p[0] for p in run)
        run = [cur]
    if sum(1 for a, b in zip(run, run[1:]) if text[a[1]:b[0]] != "") >= 2:
        out.update(p[0] for p in run)
    return out


def choose(item: Votes, page: Union[Votes, Callable[[], Votes]], gaz=None) -> Optional[str]:
    """The item's own city when its evidence is strong, else the page's, else its own
    (``page`` may be a function giving the page's votes: called only when they are needed)."""
    own = item.best(gaz)
    if own and own in item.strong:
        return own
    if callable(page):
        page = page()
    return page.best(gaz) or own


def combine(parts: list[Votes]) -> Votes:
    total: Counter[str] = Counter()
    strong: set[str] = set()
    talk: set[str] = set()
    for v in parts:
        total.update(dict(v.weights))
        strong |= v.strong
        talk |= v.talk
    return Votes(tuple(sorted(total.items())), frozenset(strong), frozenset(talk))


class HomeCities:
    """Home cities of items, with the page's evidence computed once per article.

    ``items`` gives the news items of an article (:func:`kg.ingest.split_items` unless the
    caller already has them, as :meth:`kg.pipeline.Resources.items` does)."""

    def __init__(self, item_votes: Callable[[Doc], Votes], gaz=None,
                 items: Optional[Callable[[Article], Sequence[Doc]]] = None):
        self.item_votes = item_votes
        self.gaz = gaz
        self._items = items
        self._pages: dict[Article, Votes] = {}

    def page(self, doc: Doc) -> Votes:
        key = doc.article          # its text, not only its hash: test articles share a hash
        got = self._pages.get(key)
        if got is None:
            if self._items is None:
                from ..ingest import split_items
                items: Sequence[Doc] = split_items(doc.article)
            else:
                items = self._items(doc.article)
            if len(self._pages) > 64:
                self._pages.clear()
            got = self._pages[key] = combine([self.item_votes(d) for d in items])
        return got

    def home(self, doc: Doc) -> Optional[str]:
        return choose(self.item_votes(doc), lambda: self.page(doc), self.gaz)


@register("home_city", requires=("Place",), assigns=("home_city",))
def make_home_city(resources):
    from .police import unit_parser
    parser = unit_parser(resources)      # the one police_units uses: its caches serve both

    def home_city(doc: Doc) -> Doc:
        code = parser.homes.home(doc)
        return doc.replace(home_city=f"Place/{code}" if code else None)
    return home_city
