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
        self.homes = HomeCities(self.item_votes)

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
            if text[max(0, hs - 2):hs - 1] in ("全", "各", "该", "外", "本", "两", "、", "（", "("):
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
        for n in (3, 2):   # a place or station name: 铜梁大队, 方岩派出所, 花街中队
            name = text[pos:pos + n]
            kind = next((k for k in ("派出所", "中队", "大队", "警务站", "警务室") if text.startswith(k, pos + n)), None)
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
            and not any(g in name for g in GENERIC_NAMES) and name[0] not in "镇乡街区县市")


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
    if r.kind == "sub":
        parent = r.parent
        if parent is None and (r.place or r.bare):
            got = bureau_of(gaz, r.place) if r.place else _home_bureau(gaz, home, r.bare)
            if got:
                return got[0] + r.sub, r.jurisdiction, {text[r.start:r.end]}, None
        if parent is None:
            same = next((p for p in reversed(done) if p.sub == r.sub and p.name), None)
            if same is not None:
                return same.name, same.jurisdiction, set(), same.parent
            parent = next((p for p in reversed(done) if p.kind in ("bureau", "branch") and p.name
                           and not p.remote), None)
        if parent is None or not parent.name:
            got = _home_bureau(gaz, home, "市") or _home_bureau(gaz, home, "县")
            return (got[0] + r.sub, r.jurisdiction, set(), None) if got else None
        return parent.name + r.sub, r.jurisdiction, set(), parent
    head = text[r.end - 3:r.end]
    got = bureau_of(gaz, r.place, head if head == "公安厅" else "") if r.place else _home_bureau(gaz, home, r.bare)
    if got is None:
        return None
    return got[0], got[1], got[2], r.parent


def resolve_units(doc: Doc, refs: list[Ref], gaz, home: Optional[str], places) -> Doc:
    """Canonical names, mentions, entities, ``partOf`` and ``jurisdiction`` links."""
    known_places = {e.key for e in doc.entities if e.type == "Place"}
    named_places = {m.get("code") for m in doc.mentions if m.label == "Place"}
    mentions, entities, links, done = [], {}, [], []
    qualified: dict[int, str] = {}
    for r in refs:
        got = _canon(doc, r, gaz, home, places, done)
        if got is None:
            continue
        name, juris, aliases, parent = got
        r.name, r.jurisdiction = name, juris
        surface = doc.text[r.start:r.end]
        q = (qualified.get(id(r.parent), "") + surface) if r.parent is not None else surface
        if r.bare:
            q = name if r.kind != "sub" else q
        qualified[id(r)] = q
        key = f"PoliceUnit/{name}"
        own = {a for a in aliases | {surface, q} if not r.bare and r.kind != "local" and a != name}
        if r.kind == "sub":   # bare 反诈中心 is no name; 方岩派出所, 铜梁大队 carry a toponym
            named = r.place or r.jurisdiction or r.sub.endswith(("派出所", "警务站", "警务室"))
            own = ({surface} if named else set()) | ({q} - {surface} if r.parent is not None else set())
            own -= {name}
        ent = Entity(key, "PoliceUnit", name, frozenset(own))
        entities[key] = entities[key].merged(ent) if key in entities else ent
        mentions.append(Mention(r.start, r.end, surface, "PoliceUnit", r.rule, key,
                                (("canonical", name),) + ((("place", r.place),) if r.place else ())))
        sent = doc.sentence_at(r.start)
        if parent is not None and parent.name and parent.name != name:
            links.append(Link(key, "partOf", f"PoliceUnit/{parent.name}", "unit.partOf.chain", sent.start, sent.end))
        station_place = _station_township(gaz, r, named_places) if r.sub.endswith("派出所") else None
        jur = station_place or juris
        if jur and (station_place or r.kind != "sub" or gaz.get(jur).level != "township"):
            links.append(Link(key, "jurisdiction", f"Place/{jur}", "unit.jurisdiction", sent.start, sent.end))
            if f"Place/{jur}" not in known_places:
                d = gaz.get(jur)
                entities[f"Place/{jur}"] = Entity(f"Place/{jur}", "Place", d.name, frozenset(),
                                                  (("code", d.code), ("level", d.level)))
        done.append(r)
    links += _branch_links(doc, done)
    return doc.add(mentions=mentions, entities=list(entities.values()), links=_dedup(links))


def _station_township(gaz, r: Ref, named: set) -> Optional[str]:
    """The township a 派出所 is named after, when the item names that township as a place."""
    name = r.sub[:-3]
    for code in named:
        if code and code in gaz and gaz.get(code).level == "township":
            tn = gaz.get(code).name
            if tn.startswith(name) and len(tn) - len(name) <= 2:
                return code
    return None


def _branch_links(doc: Doc, refs: list[Ref]) -> list[Link]:
    """A district branch is part of its city's bureau when the item names that bureau."""
    names = {r.name for r in refs}
    out = []
    for r in refs:
        if "公安局" in r.name and r.name.endswith("分局") and r.kind != "sub":
            city_bureau = r.name[:r.name.index("公安局") + 3]
            if city_bureau in names:
                sent = doc.sentence_at(r.start)
                out.append(Link(f"PoliceUnit/{r.name}", "partOf", f"PoliceUnit/{city_bureau}",
                                "unit.partOf.branch", sent.start, sent.end))
    return out


def _dedup(links: list[Link]) -> list[Link]:
    seen, out = set(), []
    for l in links:
        if (l.subject, l.predicate, l.object) not in seen:
            seen.add((l.subject, l.predicate, l.object))
            out.append(l)
    return out
