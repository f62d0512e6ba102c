"""Police units by grammar: [place] + head (公安局, 分局, 警方…) + sub-units (派出所, 大队…).

Every unit gets a fully qualified canonical name, so one unit is one node in every article:
a county or county-level city's bureau is ``<county>公安局``, a district's is the branch
``<city>公安局<district>分局``, a sub-unit is ``<its unit><department><kind>``
(``永康市公安局刑侦大队``). Bare forms (市公安局, 我市警方, 市局, 刑侦大队, 反诈中心, XX派出所)
are qualified with the item's home city or the unit named just before them. Links: ``partOf``
from a sub-unit or branch to its unit (when that unit is named in the item), ``jurisdiction``
to the place a unit polices.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..model import Doc, Entity, Link, Mention
from . import register
from .homecity import HomeCities, Votes, city_of, remote_sentence, votes
from .places import PlaceRules, find_places

STATION_KINDS = ("派出所", "警务站", "警务室", "中队", "大队")
NAMED_KINDS = STATION_KINDS + ("分局",)
STATION_STOP = set("的了到在至往和与及、各该本全其原")
# words before 派出所 that are not a station's name (辖区派出所, 推送到对应派出所)
GENERIC_NAMES = {"辖区", "属地", "当地", "各地", "基层", "所在", "附近", "全市", "全县", "全区", "对应",
                 "报告", "相关", "所属", "就近", "联系", "通知", "前往", "赶到", "来到", "走进", "城区"}


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


class UnitParser:
    """The grammar tables, the gazetteer and the home-city inference, built once."""

    def __init__(self, resources):
        self.gaz = resources.gazetteer
        self.rules = PlaceRules(resources)
        heads = sorted(resources.table("unit_patterns"), key=lambda r: -len(r["head"]))
        self.head_kind = {r["head"]: (r["kind"], r["id"]) for r in heads}
        self.head_re = re.compile("|".join(re.escape(r["head"]) for r in heads))
        rows = resources.table("unit_suffixes")
        self.depts = sorted(((r["dept"], r["canonical"]) for r in rows if r["dept"]), key=lambda x: -len(x[0]))
        self.kinds = sorted((r["kind"] for r in rows if r["kind"]), key=len, reverse=True)
        self.homes = HomeCities(self.item_votes, self.gaz)

    # ------------------------------------------------------------ places in the item
    def places(self, doc: Doc) -> dict[int, tuple[int, str]]:
        """end offset -> (start, code) of the item's place mentions (or found afresh)."""
        ms = [m for m in doc.mentions if m.label == "Place" and m.get("code")]
        if ms:
            return {m.end: (m.start, m.get("code")) for m in ms}
        return {h.end: (h.start, h.code) for h in find_places(doc.text, self.gaz, self.rules)}

    def place_before(self, text: str, pos: int, places) -> Optional[tuple[int, str]]:
        """The place whose name ends at ``pos`` (also a county/township written in full that
        the place extractor left out, e.g. inside a unit's name)."""
        if pos in places:
            return places[pos]
        if text[pos - 1:pos] in ("市", "州", "县") and pos - 1 in places:   # 黔西南州, 宁波市 after 宁波
            return places[pos - 1]
        named = {c for _, c in places.values()}
        for n in (5, 4, 3, 2):
            cands = self.gaz.by_name(text[max(0, pos - n):pos]) if pos >= n else []
            cands = [d for d in cands if d.level != "township" and (n > 2 or d.code in named)]
            if cands:   # prefer the division the item names elsewhere (江北 → its 江北区)
                return pos - n, next((d.code for d in cands if d.code in named), cands[0].code)
        return None

    # ------------------------------------------------------------ parsing
    def parse(self, doc: Doc) -> list[Ref]:
        text, places = doc.text, self.places(doc)
        refs: list[Ref] = []
        for m in self.head_re.finditer(text):
            if refs and m.start() < refs[-1].end:
                continue
            ref = self._head(text, m, places, refs)
            if ref is None:
                continue
            refs.append(ref)
            if ref.kind in ("ministry", "province", "bureau", "branch"):
                self._subs(text, len(refs) - 1, refs, places)
        self._standalone(text, refs, places)
        refs.sort(key=lambda r: r.start)
        for r in refs:
            r.remote = remote_sentence(text, r.start, doc) and text[max(0, r.start - 3):r.start].find("在") >= 0
        return refs

    def _head(self, text: str, m: re.Match, places, refs: list[Ref]) -> Optional[Ref]:
        head = m.group()
        kind, rule = self.head_kind[head]
        hs, he = m.start(), m.end()
        if head == "公安" and text[he:he + 1] in ("局", "厅", "部", "分", "机", "干", "民", "派"):
            return None
        if kind == "ministry":
            start = hs - 7 if text[max(0, hs - 7):hs] == "中华人民共和国" else hs
            return Ref(start, he, "ministry", rule=rule)
        found = self.place_before(text, hs, places)
        if head in ("县局", "市局") and hs + 1 in places:   # 西丰县局: the 县 is the place's
            found = places[hs + 1]
        if found:
            start, code = found
            # a chain of places (山东省淄博市高青县): start at the first of them
            while start in places and places[start][1] in [d.code for d in self.gaz.chain(code)]:
                start = places[start][0]
            parent = next((r for r in refs if r.end == start and r.kind != "police"), None)
            return Ref(start, he, kind, place=code, parent=parent, rule=rule + ".place")
        if text[max(0, hs - 2):hs] == "当地" and kind == "police":
            return Ref(hs - 2, he, "local", rule=rule + ".local")
        before = text[max(0, hs - 1):hs]
        if before in ("市", "县", "州", "省") and kind in ("bureau", "province", "police"):
            if text[max(0, hs - 2):hs - 1] in ("全", "各", "该", "外", "两"):
                return None
            if kind == "police" and text[max(0, hs - 2):hs - 1] != "我":
                return None
            start = hs - 2 if text[max(0, hs - 2):hs - 1] == "我" else hs - 1
            return Ref(start, he, kind, bare=before, rule=rule + ".bare")
        if head in ("市局", "县局") and text[max(0, hs - 1):hs] not in "全各该":
            return Ref(hs, he, "bureau", bare=head[0], rule=rule + ".bare")
        return None

    def _sub_at(self, text: str, pos: int, places, after_unit: bool) -> Optional[tuple[int, str, Optional[str]]]:
        """A sub-unit name starting at ``pos``: (end, canonical department+kind, place code)."""
        for dept, canon in self.depts:
            if text.startswith(dept, pos):
                p = pos + len(dept)
                ordm = re.match(r"第[一二三四五六七八九十\d]{1,3}", text[p:p + 5])
                if ordm:
                    p += ordm.end()
                kind = next((k for k in self.kinds if text.startswith(k, p)), None)
                if kind:
                    return p + len(kind), canon + (ordm.group() if ordm else "") + kind, None
        for n in ((5, 4, 3, 2) if after_unit else (3, 2)):
            # a place or station name: 铜梁大队, 方岩派出所, 花街中队; right after a bureau
            # also a branch named after a zone (宁波市公安局高新分局)
            name = text[pos:pos + n]
            kind = next((k for k in NAMED_KINDS if text.startswith(k, pos + n)), None)
            if kind == "分局" and (not after_unit or pos + n in places or self.gaz.by_name(name)):
                continue   # 椒江分局 is a district's branch: the head grammar qualifies it
            if kind not in ("派出所", "分局") and n > 3:
                continue
            if kind and len(name) == n and _is_name(name) and (after_unit or kind == "派出所"):
                code = next((c for s, c in places.values() if text[s:s + n] == name and s != pos
                             and self.gaz.get(c).level in ("county", "prefecture")), None)
                return pos + n + len(kind), name + kind, None if kind == "派出所" else code
        return None

    def _subs(self, text: str, idx: int, refs: list[Ref], places) -> None:
        pos = refs[idx].end
        while True:
            found = self._sub_at(text, pos, places, after_unit=True)
            if not found:
                return
            end, sub, code = found
            refs.append(Ref(pos, end, "sub", parent=refs[idx], sub=sub, jurisdiction=code, rule="unit.sub.chain"))
            idx, pos = len(refs) - 1, end

    def _standalone(self, text: str, refs: list[Ref], places) -> None:
        """Sub-units named on their own (刑侦大队, 方岩派出所, 广州市反诈中心)."""
        taken = [(r.start, r.end) for r in refs]
        for m in re.finditer("|".join(self.kinds), text):
            for n in (8, 7, 6, 5, 4, 2, 3):
                pos = m.start() - n
                if pos < 0 or any(s < m.end() and pos < e for s, e in taken):
                    continue
                found = self._sub_at(text, pos, places, after_unit=False)
                if found and found[0] == m.end() and text[pos:pos + 2] not in GENERIC_NAMES:
                    place = self.place_before(text, pos, places)
                    start = place[0] if place else pos
                    bare = text[pos - 1:pos] if not place and pos and text[pos - 1] in "市县州" else ""
                    if bare and text[max(0, pos - 2):pos - 1] in ("全", "各", "该", "外"):
                        bare = ""
                    start -= len(bare)
                    refs.append(Ref(start, found[0], "sub", sub=found[1], jurisdiction=found[2], bare=bare,
                                    place=place[1] if place else None, rule="unit.sub.alone"))
                    self._subs(text, len(refs) - 1, refs, places)
                    taken.extend((r.start, r.end) for r in refs[-1:] + [refs[-1]])
                    taken.append((start, found[0]))
                    break

    # ------------------------------------------------------------ home city
    def item_votes(self, doc: Doc) -> Votes:
        places = self.places(doc)
        refs = self.parse(doc)
        units = [(r.start, r.place, r.remote) for r in refs
                 if r.place and r.kind in ("bureau", "branch", "police")]
        return votes(doc, self.gaz, [(s, e, c) for e, (s, c) in places.items()], units)


def _is_name(name: str) -> bool:
    """A plausible station or squad name: Chinese, no particles, not generic, not cut off
    after an admin suffix (街镇 of 新街镇)."""
    return (all("\u4e00" <= c <= "\u9fff" and c not in STATION_STOP for c in name)
            and not any(g in name for g in GENERIC_NAMES) and name[0] not in "镇乡街区县市"
            and not (len(name) == 2 and name[1] in "镇乡"))   # 安镇 cut from 长安镇


@register("police_units")
def make_police_units(resources):
    parser = UnitParser(resources)

    def police_units(doc: Doc) -> Doc:
        refs = parser.parse(doc)
        if not refs:
            return doc
        home = parser.homes.home(doc)
        return resolve_units(doc, refs, parser.gaz, home, parser.places(doc))
    return police_units


# ---------------------------------------------------------------- canonical names and links

MUNICIPALITIES = ("110000", "120000", "310000", "500000")


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
    units = [p for p in done if p.kind in ("bureau", "branch", "police") and p.name and not p.remote
             and "公安局" in p.name]
    before = [p for p in units if p.start < r.start]
    if before:
        return max(before, key=lambda p: p.start)
    after = [p for p in units if p.start > r.start]
    return min(after, key=lambda p: p.start) if after else None


def _canon(doc: Doc, r: Ref, gaz, home, places, done: list[Ref]):
    """(name, jurisdiction, aliases, parent ref) of one reference, or None."""
    text = doc.text
    if r.kind == "ministry":
        return "公安部", None, {"中华人民共和国公安部"}, None
    if r.kind == "local":
        code = _local_place(doc, r, places, home, gaz)
        r.remote = True
        got = bureau_of(gaz, code) if code else None
        return (got[0], got[1], set(), None) if got else None
    if r.kind != "sub":
        head = text[r.end - 3:r.end]
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
    for r in sorted(refs, key=lambda r: (_order(r), r.start)):
        got = _canon(doc, r, gaz, home, places, done)
        if got is None:
            continue
        name, juris, aliases, parent = got
        r.name, r.jurisdiction = name, juris
        surface = doc.text[r.start:r.end]
        q = qualified.get(id(r.parent), "") + surface if r.parent is not None else surface
        qualified[id(r)] = name if r.bare and r.kind != "sub" else q
        out.unit(r, name, _aliases(r, name, surface, q, aliases))
        if parent is not None and parent.name and parent.name != name:
            if parent not in done and parent is not r.parent:
                out.unit_entity(parent.name, parent.jurisdiction, r.start)
            out.link(r.start, name, "partOf", f"PoliceUnit/{parent.name}", "unit.partOf.chain")
        station = _station_township(gaz, r, out.named_places) if r.kind == "sub" else None
        jur = station or juris
        if jur and (station or r.kind != "sub" or gaz.get(jur).level != "township") \
                and (not r.bare or _named_on_page(doc, gaz.get(jur))):
            out.jurisdiction(r.start, name, jur)
        done.append(r)
    done.sort(key=lambda r: r.start)
    out.links += _branch_links(doc, done)
    return out.doc()


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
        self.entity(Entity(key, "PoliceUnit", name, frozenset(aliases)))
        attrs = (("canonical", name),) + ((("place", r.place),) if r.place else ())
        self.mentions.append(Mention(r.start, r.end, self.d.text[r.start:r.end], "PoliceUnit", r.rule, key, attrs))

    def unit_entity(self, name: str, juris: Optional[str], pos: int) -> None:
        self.entity(Entity(f"PoliceUnit/{name}", "PoliceUnit", name))
        if juris and _named_on_page(self.d, self.gaz.get(juris)):
            self.jurisdiction(pos, name, juris)

    def link(self, pos: int, name: str, pred: str, obj: str, rule: str) -> None:
        sent = self.d.sentence_at(pos)
        self.links.append(Link(f"PoliceUnit/{name}", pred, obj, rule, sent.start, sent.end))

    def jurisdiction(self, pos: int, name: str, code: str) -> None:
        self.link(pos, name, "jurisdiction", f"Place/{code}", "unit.jurisdiction")
        if f"Place/{code}" not in self.known_places:
            d = self.gaz.get(code)
            self.entity(Entity(f"Place/{code}", "Place", d.name, frozenset(), (("code", d.code), ("level", d.level))))

    def doc(self) -> Doc:
        return self.d.add(mentions=self.mentions, entities=list(self.entities.values()), links=_dedup(self.links))


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
    item names that unit (福州市公安局晋安分局 → 福州市公安局, 广州市反诈中心 → 广州市公安局)."""
    names = {r.name for r in refs}
    out = []
    for r in refs:
        whole = max((n for n in names if r.name.startswith(n) and n != r.name), key=len, default=None)
        if whole:
            sent = doc.sentence_at(r.start)
            out.append(Link(f"PoliceUnit/{r.name}", "partOf", f"PoliceUnit/{whole}",
                            "unit.partOf.name", sent.start, sent.end))
    return out


def _dedup(links: list[Link]) -> list[Link]:
    seen, out = set(), []
    for l in links:
        if (l.subject, l.predicate, l.object) not in seen:
            seen.add((l.subject, l.predicate, l.object))
            out.append(l)
    return out
