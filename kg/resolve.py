"""Resolution within an article: the page's home city, and links between its news items.

Per-item resolution (该男子 → the suspect, 市公安局 → the item's city) happens in the
extractors; this module looks across the items of one page: the page's home city, and the
``partOf`` / ``locatedIn`` links whose two ends are named in different items (a branch in one
story, its city bureau in another). Across articles nothing needs doing here: keys are
canonical (admin codes for places, fully qualified names for units), so the same unit in ten
articles is one node when the graphs are united.
"""
from __future__ import annotations

from collections import Counter
from typing import Optional

from .model import Article, Doc, Entity, Link


def article_home_city(docs: tuple[Doc, ...]) -> Optional[str]:
    """The home city of a page: the one most of its text is about (longest items win ties)."""
    weight: Counter[str] = Counter()
    for d in docs:
        if d.home_city:
            weight[d.home_city] += len(d.text)
    if not weight:
        return None
    return sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _entities_by_key(docs: tuple[Doc, ...], type_: str) -> dict[str, Entity]:
    out: dict[str, Entity] = {}
    for d in docs:
        for e in d.entities:
            if e.type == type_ and e.key not in out:
                out[e.key] = e
    return out


def _first_mention(doc: Doc, key: str) -> Optional[int]:
    return next((m.start for m in doc.mentions if m.key == key), None)


def unit_links_across_items(docs: tuple[Doc, ...]) -> tuple[Doc, ...]:
    """``partOf`` from a unit to the unit whose name is the longest proper prefix of its own,
    when that unit is named only in another item of the page (a district's bureau only when
    the text calls it a branch, as in the item-level rule)."""
    units = _entities_by_key(docs, "PoliceUnit")
    # a district's bureau written only as its own (荣昌区公安局, never 分局) is not linked
    branch = {e.key for d in docs for e in d.entities if e.get("written") == "branch"}
    own_bureau = {e.key for d in docs for e in d.entities if e.get("written") == "own"} - branch
    out = []
    for d in docs:
        here = {e.key for e in d.entities if e.type == "PoliceUnit"}
        linked = {l.subject for l in d.links if l.predicate == "partOf"}
        links, ents = [], []
        for key in sorted(here - linked - own_bureau):
            name = units[key].label
            whole = max((u.label for k, u in units.items() if k != key and name.startswith(u.label)),
                        key=len, default=None)
            pos = _first_mention(d, key)
            if whole is None or pos is None or f"PoliceUnit/{whole}" in here:
                continue
            sent = d.sentence_at(pos)
            links.append(Link(key, "partOf", f"PoliceUnit/{whole}", "unit.partOf.page", sent.start, sent.end))
            ents.append(units[f"PoliceUnit/{whole}"])
        out.append(d.add(links=links, entities=ents) if links else d)
    return tuple(out)


def place_links_across_items(docs: tuple[Doc, ...], gazetteer) -> tuple[Doc, ...]:
    """``locatedIn`` from a place to the nearest enclosing place named anywhere on the page,
    when that is neither its gazetteer parent nor already linked in its own item."""
    places = _entities_by_key(docs, "Place")
    codes = {e.get("code"): k for k, e in places.items() if e.get("code") and e.get("code") in gazetteer}
    out = []
    for d in docs:
        linked = {l.subject for l in d.links if l.predicate == "locatedIn"}
        links, ents = [], []
        for e in d.entities:
            code = e.get("code")
            if e.type != "Place" or e.key in linked or not code or code not in gazetteer:
                continue
            anc = [a.code for a in gazetteer.chain(code)[1:]]
            nearest = next((a for a in anc if a in codes), None)
            pos = _first_mention(d, e.key)
            if nearest is None or nearest == anc[0] or pos is None:
                continue
            sent = d.sentence_at(pos)
            links.append(Link(e.key, "locatedIn", codes[nearest], "place.locatedIn.page", sent.start, sent.end))
            ents.append(places[codes[nearest]])
        out.append(d.add(links=links, entities=ents) if links else d)
    return tuple(out)


def resolve_article(article: Article, docs: tuple[Doc, ...], resources=None):
    """The page's home city and the links between its items, as an ``ArticleResult``."""
    from .pipeline import ArticleResult
    if len(docs) > 1:
        docs = unit_links_across_items(docs)
        if resources is not None:
            docs = place_links_across_items(docs, resources.gazetteer)
    home = article_home_city(docs)
    return ArticleResult(article=article, docs=docs, home_city=home)
