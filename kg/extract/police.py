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
from typing import Optional

from ..model import Doc
from . import register
from ._units import STATION_KINDS, Ref, resolve_units
from .homecity import HomeCities, Votes, remote_sentence, votes
from .places import PlaceRules, find_places

NAMED_KINDS = STATION_KINDS + ("分局",)
NAMED_FIRST = {k[0] for k in NAMED_KINDS}
CORPS = re.compile(r"(?:新疆生产建设兵团|新疆兵团|兵团)(第[一二三四五六七八九十]{1,3}师)([\u4e00-\u9fff]{2,4}?(?:垦区|市))?$")
ORDINAL = re.compile(r"第?[一二三四五六七八九十\d]{1,3}(?=[中大支]队)|第[一二三四五六七八九十\d]{1,3}")   # 第一中队, 第3大队
STATION_STOP = set("的了到在至往和与及、各该本全其原")
NAME_TAIL_STOP = set("向去回进入给被把将为是找送报赴来对叫到往至")   # a verb or preposition right before 派出所
# words before 派出所 that are not a station's name (辖区派出所, 推送到对应派出所)
GENERIC_NAMES = {"辖区", "属地", "当地", "各地", "基层", "所在", "附近", "全市", "全县", "全区", "对应",
                 "报告", "相关", "所属", "就近", "联系", "通知", "前往", "赶到", "来到", "走进", "城区"}


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
        self.kinds_re = re.compile("|".join(self.kinds))
        # the same lists by first character, in the same order (the first that fits wins)
        self.depts_at = _by_first(self.depts, lambda d: d[0])
        self.kinds_at = _by_first(self.kinds, lambda k: k)
        self.homes = HomeCities(self.item_votes, self.gaz, resources.items)
        self.corps = {}
        for r in resources.table("corps_divisions"):
            code = next((d.code for d in self.gaz.by_name(r["city"]) if d.level == "county"), None)
            self.corps[r["division"]] = code
        self._votes: dict[tuple, Votes] = {}
        self._bounds: dict[str, frozenset[int]] = {}    # word starts of short windows (station names)

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
    def parse(self, doc: Doc, places: Optional[dict[int, tuple[int, str]]] = None) -> list[Ref]:
        """Unit references of the item, in text order (``places``: :meth:`places` of ``doc``,
        when the caller has them already)."""
        text = doc.text
        if places is None:
            places = self.places(doc)
        refs: list[Ref] = []
        for m in self.head_re.finditer(text):
            if refs and m.start() < refs[-1].end:
                continue
            ref = self._corps(text, m) or self._head(text, m, places, refs)
            if ref is None:
                continue
            refs.append(ref)
            if ref.kind in ("ministry", "province", "bureau", "branch", "corps"):
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

    def _corps(self, text: str, m: re.Match) -> Optional[Ref]:
        """A bureau of the Production and Construction Corps (新疆兵团第X师某垦区公安局): named
        as written under the corps' full name, policing the city its division governs."""
        if m.group() != "公安局":
            return None
        found = CORPS.search(text, max(0, m.start() - 20), m.start())
        if found is None:
            return None
        canonical = "新疆生产建设兵团" + found.group(1) + (found.group(2) or "") + "公安局"
        ref = Ref(found.start(), m.end(), "corps", place=self.corps.get(found.group(1)), rule="unit.corps")
        ref.aliases = {text[found.start():m.end()], found.group(1) + (found.group(2) or "") + "公安局"} - {canonical}
        ref.name = canonical
        return ref

    def _sub_at(self, text: str, pos: int, places, after_unit: bool) -> Optional[tuple[int, str, Optional[str]]]:
        """A sub-unit name starting at ``pos``: (end, canonical department+kind, place code)."""
        for dept, canon in self.depts_at.get(text[pos:pos + 1], ()):
            if text.startswith(dept, pos):
                p = pos + len(dept)
                ordm = ORDINAL.match(text, p, p + 5)
                if ordm:
                    p = ordm.end()
                kind = next((k for k in self.kinds_at.get(text[p:p + 1], ()) if text.startswith(k, p)), None)
                if kind:
                    return p + len(kind), canon + (ordm.group() if ordm else "") + kind, None
        for n in ((5, 4, 3, 2) if after_unit else (3, 2)):
            # a place or station name: 铜梁大队, 方岩派出所, 花街中队; right after a bureau
            # also a branch named after a zone (宁波市公安局高新分局)
            if text[pos + n:pos + n + 1] not in NAMED_FIRST:
                continue                    # no kind after it: nothing below applies
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

    def _bureau_dept(self, text: str, pos: int) -> Optional[tuple[int, str, None]]:
        """A department of the ministry or a provincial department named a 局 (公安厅刑侦局)."""
        for dept, canon in self.depts_at.get(text[pos:pos + 1], ()):
            if text.startswith(dept, pos) and text[pos + len(dept):pos + len(dept) + 1] == "局":
                return pos + len(dept) + 1, canon + "局", None
        return None

    def _subs(self, text: str, idx: int, refs: list[Ref], places) -> None:
        pos = refs[idx].end
        while True:
            found = self._sub_at(text, pos, places, after_unit=True)
            if not found and refs[idx].kind in ("ministry", "province"):
                found = self._bureau_dept(text, pos)
            if not found or (refs[idx].kind == "sub" and found[1].endswith(("派出所", "分局"))):
                return          # a station is a bureau's, never a squad's (大队会同城关派出所)
            end, sub, code = found
            refs.append(Ref(pos, end, "sub", parent=refs[idx], sub=sub, jurisdiction=code, rule="unit.sub.chain"))
            idx, pos = len(refs) - 1, end

    def _standalone(self, text: str, refs: list[Ref], places) -> None:
        """Sub-units named on their own (刑侦大队, 方岩派出所, 广州市反诈中心)."""
        taken = [(r.start, r.end) for r in refs]
        for m in self.kinds_re.finditer(text):
            # a start before ``reach`` overlaps a unit already taken
            reach = max((e for s, e in taken if s < m.end()), default=0)
            for n in (8, 7, 6, 5, 4, 2, 3):
                pos = m.start() - n
                if pos < reach:
                    continue
                found = self._sub_at(text, pos, places, after_unit=False)
                if found and n == 2 and pos - 1 >= reach and self._longer_name(text, pos - 1, m.end(), places):
                    pos, found = pos - 1, self._sub_at(text, pos - 1, places, after_unit=False)
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

    def _longer_name(self, text: str, pos: int, end: int, places) -> bool:
        """Whether a station's name is the three characters from ``pos`` rather than the last
        two (观音桥派出所, not 音桥): words start at ``pos`` and not one later (会同|城关,
        所长|方岩, 时|松陵 keep two), and no place ends at its first character (永康方岩)."""
        if pos + 1 in places or text[pos:pos + 2] in GENERIC_NAMES:
            return False
        found = self._sub_at(text, pos, places, after_unit=False)
        if found is None or found[0] != end:
            return False
        lo = max(0, pos - 3)
        window = text[lo:pos + 3]
        bounds = self._bounds.get(window)
        if bounds is None:
            from ..segment import tokenize
            bounds = frozenset(s for _, s, _ in tokenize(window))
            if len(self._bounds) > 4096:
                self._bounds.clear()
            self._bounds[window] = bounds
        return pos - lo in bounds and pos - lo + 1 not in bounds

    # ------------------------------------------------------------ home city
    def item_votes(self, doc: Doc, refs: Optional[list[Ref]] = None,
                   places: Optional[dict[int, tuple[int, str]]] = None) -> Votes:
        """Home-city votes of the item (``refs`` and ``places``: its :meth:`parse` and
        :meth:`places`, when the caller has them). Remembered by what they depend on (text,
        title, sentences and the item's own place mentions), so the units extractor, the
        home-city extractor and the page's evidence compute them once per item."""
        key = _votes_key(doc)
        got = self._votes.get(key)
        if got is None:
            if places is None:
                places = self.places(doc)
            if refs is None:
                refs = self.parse(doc, places)
            units = [(r.start, r.place, r.remote) for r in refs
                     if r.place and r.kind in ("bureau", "branch", "police", "corps")]
            got = votes(doc, self.gaz, [(s, e, c) for e, (s, c) in places.items()], units)
            if len(self._votes) > 256:
                self._votes.clear()
            self._votes[key] = got
        return got


def _votes_key(doc: Doc) -> tuple:
    """What :meth:`UnitParser.item_votes` depends on: an item with place mentions is parsed
    with them, one without is parsed with places found afresh (which depend on its text only)."""
    placed = tuple((m.start, m.end, m.get("code")) for m in doc.mentions if m.label == "Place" and m.get("code"))
    return doc.text, doc.title, doc.sentences, placed or None


def _by_first(items, word) -> dict[str, tuple]:
    out: dict[str, list] = {}
    for item in items:
        out.setdefault(word(item)[0], []).append(item)
    return {c: tuple(v) for c, v in out.items()}


def _is_name(name: str) -> bool:
    """A plausible station or squad name: Chinese, no particles, not generic, not cut off
    after an admin suffix (街镇 of 新街镇)."""
    return (all("\u4e00" <= c <= "\u9fff" and c not in STATION_STOP for c in name)
            and not any(g in name for g in GENERIC_NAMES) and name[0] not in "镇乡街区县市"
            and not (len(name) == 2 and name[1] in "镇乡")    # 安镇 cut from 长安镇
            and name[-1] not in NAME_TAIL_STOP)                # 即向派出所, 要去派出所


def unit_parser(resources) -> UnitParser:
    """The :class:`UnitParser` of ``resources``: police_units and home_city share it."""
    return resources.shared("unit_parser", UnitParser)


@register("police_units", requires=("Place",), assigns=("PoliceUnit", "Place", "links"))
def make_police_units(resources):
    parser = unit_parser(resources)

    def police_units(doc: Doc) -> Doc:
        places = parser.places(doc)
        refs = parser.parse(doc, places)
        parser.item_votes(doc, refs, places)    # before resolve_units fills in the refs
        if not refs:
            return doc
        home = parser.homes.home(doc)
        return resolve_units(doc, refs, parser.gaz, home, places)
    return police_units
