"""Canonical names and links of police units (the second half of :mod:`kg.extract.police`).

A :class:`Ref` is one unit mention as the grammar found it: its head, the place in its name
or the bare 市/县/州/省 before it, the unit it is written under. :func:`resolve_units` turns
refs into fully qualified names (``<county>公安局``, ``<city>公安局<district>分局``,
``<unit><department><kind>``), mentions, entities, ``partOf`` and ``jurisdiction`` links.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..model import Doc, Entity, Link, Mention, unique_links
from .homecity import MUNICIPALITIES, city_of
from .places import qualified_names

STATION_KINDS = ("派出所", "警务站", "警务室", "中队", "大队")


@dataclass
class Ref:
    """One unit mention before canonicalisation."""

    start: int
    end: int
    kind: str                      # ministry/province/bureau/branch/police/sub/local
    place: Optional[str] = None    # code of the place in its name
    bare: str = ""                 # 市/县/州/省 of a bare 市公安局
    parent: Optional["Ref"] = None  # the unit it is part of, when written next to it
    sub: str = ""                  # department + kind of a sub-unit
    rule: str = ""
    name: str = ""                 # canonical, once resolved
    jurisdiction: Optional[str] = None
    remote: bool = False
    aliases: set[str] = field(default_factory=set)


def _is_district(d) -> bool:
    return d.level == "county" and d.name.endswith("区") and d.parent is not None


def _short(d) -> str:
    return next((a for a in d.aliases if 2 <= len(a) < len(d.name)), d.name)


def bureau_of(gaz, code: str, head: str = "") -> Optional[tuple[str, str, set[str]]]:
    """(canonical name, jurisdiction code, extra aliases) of the bureau policing ``code``."""
    d = gaz.get(code)
    if code.startswith("XX"):
        return (d.name + "警方", code, set()) if head not in ("公安厅",) else None
    if d.level == "province":
        if head == "公安厅":
            return d.name + "公安厅", code, set()
        return (d.name + "公安局", code, set()) if code in MUNICIPALITIES else None
    if head == "公安厅":
        return None
    if d.level == "prefecture":
        return d.name + "公安局", code, set()
    if d.level == "county":
        if _is_district(d):
            city = gaz.get(d.parent).name
            return (f"{city}公安局{d.name}分局", code,
                    {f"{city}公安局{_short(d)}分局", f"{d.name}公安分局", f"{city}{d.name}公安局"})
        return d.name + "公安局", code, set()
    return None


def _home_bureau(gaz, home: Optional[str], bare: str) -> Optional[tuple[str, str, set[str]]]:
    if not home:
        return None
    d = gaz.get(home)
    if bare == "省":
        prov = gaz.chain(home)[-1]
        return bureau_of(gaz, prov.code, "公安厅")
    fits = {"市": d.name.endswith("市"), "县": d.name.endswith("县") or d.name.endswith("旗"),
            "州": d.name.endswith("州")}
    return bureau_of(gaz, home) if fits.get(bare) else None


def _local_place(doc: Doc, r: Ref, places, home: Optional[str], gaz) -> Optional[str]:
    """The place whose police 当地警方 means: the last city named before it nearby."""
    sent = doc.sentence_at(r.start)
    prev = doc.sentence_at(max(0, sent.start - 1))
    best = None
    for end, (start, code) in places.items():
        city = city_of(gaz, code)
        if prev.start <= start < r.start and city and city != home and (best is None or start > best[0]):
            best = (start, code)
    return best[1] if best else None


def _context_unit(r: Ref, done: list[Ref]) -> Optional[Ref]:
    """The bureau or branch a bare sub-unit belongs to: the nearest one named before it,
    else the first one named after it (an item is usually about one unit)."""
    units = _units_of(done)
    before = [p for p in units if p.start < r.start]
    if before:
        return max(before, key=lambda p: p.start)
    after = [p for p in units if p.start > r.start]
    return min(after, key=lambda p: p.start) if after else None


def _sentence_unit(doc: Doc, r: Ref, done: list[Ref]) -> Optional[Ref]:
    """The bureau or branch named last before a bare sub-unit in its own sentence
    (澧县公安局接报后，刑侦大队…): it is that unit's, whatever unit the item named before."""
    sent = doc.sentence_at(r.start)
    units = [p for p in _units_of(done) if sent.start <= p.start < r.start]
    return max(units, key=lambda p: p.start) if units else None


def _units_of(done: list[Ref]) -> list[Ref]:
    return [p for p in done if p.kind in ("bureau", "branch", "police") and p.name and not p.remote
            and "公安局" in p.name]


def _canon(doc: Doc, r: Ref, gaz, home, places, done: list[Ref]):
    """(name, jurisdiction, aliases, parent ref) of one reference, or None."""
    text = doc.text
    if r.kind == "ministry":
        return "公安部", None, {"中华人民共和国公安部"}, None
    if r.kind == "corps":
        return r.name, r.place, set(r.aliases), None
    if r.kind == "local":
        code = _local_place(doc, r, places, home, gaz)
        r.remote = True
        got = bureau_of(gaz, code) if code else None
        return (got[0], got[1], set(), None) if got else None
    if r.kind != "sub":
        head = text[r.end - 3:r.end]
        if r.kind == "police" and r.place and gaz.get(r.place).level == "province" \
                and r.place not in MUNICIPALITIES and not r.place.startswith(("71", "81", "82")):
            head = "公安厅"            # 湖北警方, 湖南公安: a province's police is its department
        got = bureau_of(gaz, r.place, head if head == "公安厅" else "") if r.place \
            else _home_bureau(gaz, home, r.bare)
        return (got[0], got[1], got[2], r.parent) if got else None
    if text[max(0, r.start - 2):r.start] == "国家":
        return None        # 国家反诈中心: the ministry's, usually an app's name
    parent = r.parent
    if parent is None and (r.place or r.bare):
        got = bureau_of(gaz, r.place) if r.place else _home_bureau(gaz, home, r.bare)
        if got is None:
            return None
        # 市交巡警总队 is the city bureau's: link it to that bureau, named or not
        implied = Ref(r.start, r.start, "bureau", place=got[1], name=got[0], jurisdiction=got[1])
        return got[0] + r.sub, r.jurisdiction, {text[r.start:r.end]}, implied
    if parent is None and not r.sub.endswith(("支队", "总队")):
        parent = _sentence_unit(doc, r, done)   # a 支队 is a city's: the county named before is not its
    if parent is None:
        same = next((p for p in done if p.sub == r.sub and p.name), None)
        if same is not None:
            return same.name, same.jurisdiction, set(), same.parent
        parent = _context_unit(r, done)
    if parent is None or not parent.name:
        got = _home_bureau(gaz, home, "市") or _home_bureau(gaz, home, "县")
        return (got[0] + r.sub, r.jurisdiction, set(), None) if got else None
    return parent.name + r.sub, r.jurisdiction, set(), parent


def _aliases(r: Ref, name: str, surface: str, q: str, aliases: set[str]) -> set[str]:
    """Other names of a unit: the forms that carry their own toponym, never bare ones."""
    if r.kind == "sub":   # bare 反诈中心 is no name; 方岩派出所, 铜梁大队 carry a toponym
        named = r.place or r.jurisdiction or r.sub.endswith(("派出所", "警务站", "警务室"))
        own = ({surface} if named else set()) | ({q} - {surface} if r.parent is not None else set())
    elif r.kind == "corps":
        own = set(aliases)
    elif r.bare or r.kind == "local":
        own = set()
    else:
        own = aliases | {surface, q}
    return own - {name}


def _order(r: Ref) -> int:
    """Resolution order: bureaus, then sub-units rooted in a named unit or place, then bare
    sub-units (刑侦大队), which join what was resolved before them."""
    if r.kind != "sub":
        return 0
    while r.parent is not None:
        r = r.parent
    return 1 if r.kind != "sub" or r.place or r.bare else 2


def resolve_units(doc: Doc, refs: list[Ref], gaz, home: Optional[str], places) -> Doc:
    """Canonical names, mentions, entities, ``partOf`` and ``jurisdiction`` links.

    Bureaus and branches are resolved first, so a bare sub-unit can join the unit the item
    is about even when that unit is named after it."""
    out = _Out(doc, gaz)
    done: list[Ref] = []
    qualified: dict[int, str] = {}
    short: dict[str, Ref] = {}              # 智侦中心 of "…智慧侦查中心(以下简称:智侦中心)"
    for r in sorted(refs, key=lambda r: (_order(r), r.start)):
        named = _short_form_of(doc.text, r, done) if r.kind == "sub" and r.parent is None else None
        named = named or (short.get(doc.text[r.start:r.end]) if r.kind == "sub" and r.parent is None else None)
        if named is not None:
            short[doc.text[r.start:r.end]] = named
            r.name, r.jurisdiction = named.name, named.jurisdiction
            out.unit(r, named.name, set())
            done.append(r)
            continue
        got = _canon(doc, r, gaz, home, places, done)
        if got is None:
            continue
        name, juris, aliases, parent = got
        r.name, r.jurisdiction = name, juris
        surface = doc.text[r.start:r.end]
        q = qualified.get(id(r.parent), "") + surface if r.parent is not None else surface
        qualified[id(r)] = name if r.bare and r.kind != "sub" else q
        own = _aliases(r, name, surface, q, aliases)
        if r.kind == "sub" and parent is not None and name == parent.name + r.sub:
            # 南京市公安局鼓楼分局刑警大队: the sub-unit under each full name of its unit
            up = out.entities.get(f"PoliceUnit/{parent.name}")
            own |= {a + r.sub for a in (up.aliases if up else ()) if "公安" in a} - {name}
        out.unit(r, name, own)
        if parent is not None and parent.name and parent.name != name \
                and (parent in done or parent is r.parent or f"PoliceUnit/{parent.name}" in out.entities):
            # a parent only implied by the canonical name (西湖区北山派出所 → …西湖区分局) is
            # no entity of its own: the text does not write it
            out.link(r.start, name, "partOf", f"PoliceUnit/{parent.name}", "unit.partOf.chain")
        station = _station_township(gaz, r, out.named_places) if r.kind == "sub" else None
        jur = station or juris
        if jur and (station or r.kind != "sub" or gaz.get(jur).level != "township") \
                and (not r.bare or _named_on_page(doc, gaz.get(jur))):
            out.jurisdiction(r.start, name, jur)
        done.append(r)
    done.sort(key=lambda r: r.start)
    out.links += _branch_links(doc, done)
    out.links += _county_links(doc, done, gaz, out.links)
    return out.doc()


SHORT_FORM = re.compile(r"[(（](?:以下|下文)?(?:简称|下称)[:：]?$")


def _short_form_of(text: str, r: Ref, done: list[Ref]) -> Optional[Ref]:
    """The unit a bare sub-unit in brackets right after it abbreviates (XX支队智慧侦查中心
    (以下简称:智侦中心)), or None."""
    m = SHORT_FORM.search(text, max(0, r.start - 8), r.start)
    if m is None or text[r.end:r.end + 1] not in (")", "）"):
        return None
    return next((p for p in done if p.end == m.start() and p.name), None)


class _Out:
    """Mentions, entities and links being collected for one item."""

    def __init__(self, doc: Doc, gaz):
        self.d, self.gaz = doc, gaz
        self.known_places = {e.key for e in doc.entities if e.type == "Place"}
        self.named_places = {m.get("code") for m in doc.mentions if m.label == "Place"}
        self.mentions: list[Mention] = []
        self.entities: dict[str, Entity] = {}
        self.links: list[Link] = []

    def entity(self, ent: Entity) -> None:
        k = ent.key
        self.entities[k] = self.entities[k].merged(ent) if k in self.entities else ent

    def unit(self, r: Ref, name: str, aliases: set[str]) -> None:
        key = f"PoliceUnit/{name}"
        written = (("written", "own"),) if r.kind == "bureau" and r.parent is None and name.endswith("分局") \
            else (("written", "branch"),) if r.kind == "branch" or (r.kind != "sub" and r.parent) else ()
        self.entity(Entity(key, "PoliceUnit", name, frozenset(aliases), written))
        attrs = (("canonical", name),) + ((("place", r.place),) if r.place else ())
        self.mentions.append(Mention(r.start, r.end, self.d.text[r.start:r.end], "PoliceUnit", r.rule, key, attrs))

    def link(self, pos: int, name: str, pred: str, obj: str, rule: str) -> None:
        sent = self.d.sentence_at(pos)
        self.links.append(Link(f"PoliceUnit/{name}", pred, obj, rule, sent.start, sent.end))

    def jurisdiction(self, pos: int, name: str, code: str) -> None:
        self.link(pos, name, "jurisdiction", f"Place/{code}", "unit.jurisdiction")
        if f"Place/{code}" not in self.known_places:
            d = self.gaz.get(code)
            self.entity(Entity(f"Place/{code}", "Place", d.name, frozenset(qualified_names(self.gaz, code)),
                               (("code", d.code), ("level", d.level))))

    def doc(self) -> Doc:
        return self.d.add(mentions=self.mentions, entities=list(self.entities.values()), links=unique_links(self.links))


def _named_on_page(doc: Doc, d) -> bool:
    """A unit resolved from a bare form (省公安厅, 市公安局) polices a place the page names."""
    return any(n in doc.article.raw for n in (d.name, *d.aliases) if len(n) >= 2)


def _station_township(gaz, r: Ref, named: set) -> Optional[str]:
    """The township a station or squad is named after (方岩派出所, 花街中队), when the item
    names that township as a place within the area of the unit above it."""
    kind = next((k for k in STATION_KINDS if r.sub.endswith(k)), None)
    name = r.sub[:-len(kind)] if kind else ""
    if not 2 <= len(name) <= 3:
        return None
    area, up = None, r.parent
    while up is not None and area is None:
        area, up = up.jurisdiction, up.parent
    for code in sorted(c for c in named if c and c in gaz):
        d = gaz.get(code)
        if d.level == "township" and d.name.startswith(name) and len(d.name) - len(name) <= 2:
            if area is None or gaz.is_within(code, area):
                return code
    return None


def _branch_links(doc: Doc, refs: list[Ref]) -> list[Link]:
    """A unit is part of the unit whose name is the longest proper prefix of its own, when the
    item names that unit (福州市公安局晋安分局 → 福州市公安局, 广州市反诈中心 → 广州市公安局).
    A district's bureau written only as a bureau of its own (荣昌区公安局, never 分局) is left
    alone: the text does not say it is a branch."""
    names = {r.name for r in refs}
    own = _written_as_own(refs)
    out = []
    for r in refs:
        whole = max((n for n in names if r.name.startswith(n) and n != r.name), key=len, default=None)
        if whole and r.name not in own:
            sent = doc.sentence_at(r.start)
            out.append(Link(f"PoliceUnit/{r.name}", "partOf", f"PoliceUnit/{whole}",
                            "unit.partOf.name", sent.start, sent.end))
    return out


def _county_links(doc: Doc, refs: list[Ref], gaz, links: list[Link]) -> list[Link]:
    """A county's bureau (靖远县公安局, 永康市公安局) is part of the bureau of its prefecture
    when the item names both (杭州市公安局…淳安县局…)."""
    by_place = {r.jurisdiction: r for r in refs
                if r.kind != "sub" and r.jurisdiction and r.name.endswith("公安局")}
    done = {(l.subject, l.object) for l in links if l.predicate == "partOf"}
    out = []
    for code, r in sorted(by_place.items(), key=lambda kv: kv[1].start):
        d = gaz.get(code) if code in gaz else None
        if d is None or d.level != "county" or _is_district(d) or not d.parent:
            continue
        up = by_place.get(d.parent)
        if up is None or (f"PoliceUnit/{r.name}", f"PoliceUnit/{up.name}") in done:
            continue
        sent = doc.sentence_at(r.start)
        out.append(Link(f"PoliceUnit/{r.name}", "partOf", f"PoliceUnit/{up.name}", "unit.partOf.county",
                        sent.start, sent.end))
    return out


def _written_as_own(refs: list[Ref]) -> set[str]:
    """Names of district bureaus the text writes as ``X区公安局`` and never as a branch."""
    own = {r.name for r in refs if r.kind == "bureau" and r.parent is None and r.name.endswith("分局")}
    branch = {r.name for r in refs if r.kind == "branch" or (r.kind != "sub" and r.parent)}
    return own - branch

