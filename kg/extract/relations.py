"""Relations of people: worksFor, livesIn, originPlace, arrestedIn.

Read from the mentions the earlier extractors left (people from ``persons``, places,
police units) and the few characters between them:

- ``worksFor``: an officer and the unit written just before the title
  (``XX派出所民警王明``); failing that the unit named before the officer in the sentence, or
  the item's only unit.
- ``livesIn``: a victim right after a place (``XX镇的王女士``, ``XX县居民王女士``,
  ``家住XX的王女士``); a company victim and the place in its name; ``辖区居民王女士`` and
  the area of the unit that received the report.
- ``originPlace``: ``XX籍(男子)王某``, ``XX的王某`` for suspects, shared along ``王某和李某``.
- ``arrestedIn``: a suspect in a sentence of arrest (抓获, 落网…) and the place after
  在/赴/前往 in it or in the two sentences before (not the home city there).

Every link carries the rule id and the sentence as evidence. Group relations (memberOf,
basedIn, a group's origin and arrest) belong to the groups extractor.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

from ..model import Doc, Link, Mention
from . import register

# What may stand between a place (or unit) and the person it goes with.
GAP_LIVES = re.compile(r"[县市区州旗镇乡]?(?:的|辖区|居民|市民|村民|民|群众|老人|家住|一名|一位|一|农民|工人|个体户|个体工商户|店主|商户|经营户|"
                       r"[初高][一二三]|[大中小]?学生|高中生|初中生|退休|职工|员工|教师|司机|女子|男子|青年|小伙|"
                       r"宝妈|网民|业主)*")
# 在X经营一家饭店的王先生: the victim works or lives at the place written after 在.
GAP_AT = re.compile(r"(?:经营|开了?|开设|工作|上班|打工|务工|居住|生活|做生意)[^，,。；;！？\n]{0,10}的")
GAP_ORIGIN = re.compile(r"籍(?:男子|女子|人员|犯罪嫌疑人|嫌疑人|人)?|的|")
GAP_WORKS = re.compile(r"[\s、]*")
RESIDENT = re.compile(r"(?:(?:辖区|本地|当地)(?:居民|群众|市民|村民)|[，,、：:]居民)$")
LOCAL_RESIDENT = re.compile(r"(?:辖区|本地|当地)(?:居民|群众|市民|村民)$")
ARREST = re.compile(r"抓获|抓捕|抓到|擒获|缉拿|落网|归案|押解|刑事拘留|刑拘")
TOWARDS = re.compile(r"(?:在|赴|奔赴|远赴|前往|到|于|至|抵达|转战|辗转)$")
LEVEL_RANK = {"country": 1, "province": 2, "prefecture": 3, "county": 4, "township": 5, "area": 5}
BUREAU = re.compile(r"公安(?:分局|局)?$")
AND = re.compile(r"^[、和与及]$")
LIST_GAP = re.compile(r"[、和与及]|以及")
OFFICER_TITLE = re.compile(r"(?:实习学警|见习民警|民警|辅警|学警|交警|巡警|特警|刑警|警官|警长|教导员|所长|副所长|"
                           r"副?局长|副?政委|大队长|支队长|中队长|队长|组长|主任)[\s：:]?$")


@register("relations", requires=("Place", "PoliceUnit", "PoliceOfficer", "Suspect", "Victim", "home_city", "links"),
          assigns=("links",))
def make_relations(resources):
    def relations(doc: Doc) -> Doc:
        return doc.add(links=_dedupe(_links(doc, _home_chain(doc, resources))))
    return relations


def _links(doc: Doc, home: set[str]) -> Iterable[Link]:
    people = sorted((m for m in doc.mentions if m.label in ("Victim", "Suspect", "PoliceOfficer")),
                    key=lambda m: m.start)
    places = sorted((m for m in doc.labelled("Place") if m.key), key=lambda m: m.start)
    units = sorted((m for m in doc.labelled("PoliceUnit") if m.key), key=lambda m: m.start)
    yield from _works_for(doc, [m for m in people if m.label == "PoliceOfficer"], units)
    yield from _lives_in(doc, [m for m in people if m.label == "Victim"], places, units)
    suspects = [m for m in people if m.label == "Suspect"]
    yield from _origin(doc, suspects, places)
    yield from _arrested(doc, suspects, places, home)


def _link(doc: Doc, subject: Mention, predicate: str, obj: str, rule: str, pos: int) -> Link:
    sent = doc.sentence_at(pos) if doc.sentences else None
    start, end = (sent.start, sent.end) if sent else (subject.start, subject.end)
    start, end = min(start, subject.start), max(end, subject.end)
    return Link(subject.key, predicate, obj, rule, start, end)


def _dedupe(links: Iterable[Link]) -> list[Link]:
    """One link per (subject, predicate): the first rule that found it wins for that object;
    livesIn/originPlace keep one object, worksFor/arrestedIn may keep several."""
    out, seen, single = [], set(), {}
    for l in links:
        if (l.subject, l.predicate, l.object) in seen:
            continue
        if l.predicate in ("livesIn", "originPlace"):
            if (l.subject, l.predicate) in single:
                continue
            single[(l.subject, l.predicate)] = l
        seen.add((l.subject, l.predicate, l.object))
        out.append(l)
    return out


def _same_sentence(doc: Doc, a: int, b: int) -> bool:
    return not doc.sentences or doc.sentence_at(a).index == doc.sentence_at(b).index


def _ending_before(mentions: list[Mention], pos: int, gap: re.Pattern, text: str, limit: int = 8) -> Optional[Mention]:
    """The mention ending closest before ``pos`` whose gap to ``pos`` matches ``gap``."""
    best = None
    for m in mentions:
        if m.end <= pos and pos - m.end <= limit and gap.fullmatch(text[m.end:pos]):
            if best is None or m.end > best.end or (m.end == best.end and m.start > best.start):
                best = m
    return best


# ------------------------------------------------------------------ worksFor
def _works_for(doc: Doc, officers: list[Mention], units: list[Mention]) -> Iterable[Link]:
    text, by_key = doc.text, {}
    for m in officers:
        by_key.setdefault(m.key, []).append(m)
    unit_keys = {u.key for u in units}
    heads = _list_heads(text, officers)
    for key, ms in by_key.items():
        found = False
        for m in ms:
            title = OFFICER_TITLE.search(text, max(0, heads.get(m.start, m.start) - 8), heads.get(m.start, m.start))
            if title is None:
                continue
            unit = _ending_before(units, title.start(), GAP_WORKS, text, limit=2)
            rule = "relation.worksFor.title"
            if unit is None and "局长" in title.group() and BUREAU.search(text, max(0, title.start() - 4), title.start()):
                county = text[max(0, title.start() - 5):title.start()].rstrip("局分").endswith(("区公安", "县公安"))
                unit, rule = _nearest_bureau(units, m, county), "relation.worksFor.bureau_chief"
            if unit is not None:
                found = True
                yield _link(doc, m, "worksFor", unit.key, rule, m.start)
        if found:
            continue
        for m in ms:
            near = _near_unit(doc, m, units)
            if near is not None:
                found = True
                yield _link(doc, m, "worksFor", near.key, "relation.worksFor.nearby", m.start)
                break
        if not found and len(unit_keys) == 1:
            yield _link(doc, ms[0], "worksFor", next(iter(unit_keys)), "relation.worksFor.only_unit", ms[0].start)
        elif not found:
            starts = {u.start for u in units}
            before = [u.key for u in units if u.end <= ms[0].start and u.end not in starts]   # not 市局 of 市局XX所
            if before:     # the unit the story is about: named most often before, the most specific
                best = max(set(before), key=lambda k: (before.count(k), len(k), k))
                yield _link(doc, ms[0], "worksFor", best, "relation.worksFor.earlier", ms[0].start)


def _list_heads(text: str, officers: list[Mention]) -> dict[int, int]:
    """Start of each officer listed after another (民警王明、李强和张伟) -> start of the first
    name of its list, whose title and unit it shares."""
    heads: dict[int, int] = {}
    prev = None
    for m in sorted(officers, key=lambda m: m.start):
        if prev is not None and prev.end < m.start and LIST_GAP.fullmatch(text, prev.end, m.start):
            heads[m.start] = heads.get(prev.start, prev.start)
        prev = m
    return heads


def _nearest_bureau(units: list[Mention], m: Mention, county: bool) -> Optional[Mention]:
    """The bureau named closest to ``m`` (公安局长王明 heads it): a district or county one
    after 区/县公安局局长, the city's otherwise."""
    bureaus = [u for u in units if u.key.endswith(("公安局", "分局"))]
    level = [u for u in bureaus if u.key.endswith(("分局", "区公安局", "县公安局")) == county]
    return min(level or bureaus, key=lambda u: abs(u.start - m.start), default=None)


def _near_unit(doc: Doc, m: Mention, units: list[Mention]) -> Optional[Mention]:
    """The unit named last before ``m`` in its sentence or the one before."""
    if not doc.sentences:
        return None
    first = max(0, doc.sentence_at(m.start).index - 1)
    before = [u for u in units if u.end <= m.start and doc.sentence_at(u.start).index >= first]
    return before[-1] if before else None


# ------------------------------------------------------------------ livesIn
def _lives_in(doc: Doc, victims: list[Mention], places: list[Mention], units: list[Mention]) -> Iterable[Link]:
    text = doc.text
    for m in victims:
        place = _ending_before(places, m.start, GAP_LIVES, text, limit=6)
        if place is not None and not re.search(r"[，,。；]", text[place.end:m.start]):
            yield _link(doc, m, "livesIn", place.key, "relation.livesIn.before", m.start)
            continue
        place = _ending_before(places, m.start, GAP_AT, text, limit=16)
        if place is not None and text[place.start - 1:place.start] == "在":
            yield _link(doc, m, "livesIn", place.key, "relation.livesIn.works_at", m.start)
            continue
        inside = [p for p in places if m.start <= p.start and p.end <= m.end]
        if inside:
            yield _link(doc, m, "livesIn", inside[-1].key, "relation.livesIn.in_name", m.start)
            continue
        if RESIDENT.search(text, max(0, m.start - 6), m.start):
            area = _unit_area(doc, m, places, units, LOCAL_RESIDENT.search(text, max(0, m.start - 6), m.start))
            if area is not None:
                yield _link(doc, m, "livesIn", area, "relation.livesIn.unit_area", m.start)


def _unit_area(doc: Doc, m: Mention, places: list[Mention], units: list[Mention], local=True) -> Optional[str]:
    """The area of the first unit named before ``m`` in its sentence (辖区居民): the deepest
    place it polices or names, over a chain of units written together (XX市公安局XX分局)."""
    before = [u for u in units if u.end <= m.start and _same_sentence(doc, u.start, m.start)]
    if not before and not local:
        return None
    if not before:      # 辖区居民 in a sentence of its own: the unit named last before, else first
        earlier = [u for u in units if u.end <= m.start]
        first = earlier[-1] if earlier else (units[0] if units else None)
        if first is None:
            return None
        while True:     # back to the start of a chain written together (XX市公安局XX分局)
            prev = next((u for u in units if u.end == first.start), None)
            if prev is None:
                break
            first = prev
        before = [u for u in units if u.start >= first.start]
    chain = [before[0]]
    for u in before[1:]:
        if u.start <= chain[-1].end:
            chain.append(u)
    keys = {u.key for u in chain}
    areas = [l.object for l in doc.links if l.subject in keys and l.predicate == "jurisdiction"]
    areas += [p.key for p in places if chain[0].start <= p.start and p.end <= chain[-1].end]
    if not areas:
        return None
    return max(areas, key=lambda k: LEVEL_RANK.get((doc.entity(k).get("level") if doc.entity(k) else None) or "", 0))


# ------------------------------------------------------------------ originPlace
def _origin(doc: Doc, suspects: list[Mention], places: list[Mention]) -> Iterable[Link]:
    text, prev = doc.text, None
    for m in suspects:
        place = _ending_before(places, m.start, GAP_ORIGIN, text, limit=7)
        if place is not None:
            yield _link(doc, m, "originPlace", place.key, "relation.originPlace.before", m.start)
            prev = (m, place)
            continue
        if prev and prev[0].end <= m.start and AND.match(text[prev[0].end:m.start]):
            yield _link(doc, m, "originPlace", prev[1].key, "relation.originPlace.coordinated", m.start)
            prev = (m, prev[1])
            continue
        prev = None
        native = _native_place(text, m, places, suspects)
        if native is not None:
            yield _link(doc, m, "originPlace", native.key, "relation.originPlace.native", m.start)


def _native_place(text: str, m: Mention, places: list[Mention], people: list[Mention]) -> Optional[Mention]:
    """The place of ``王某,男,现年29岁,山东省X县人,``: the last place of a chain ending in 人
    within the description after the name (no other person in between)."""
    end = min(len(text), m.end + 24)
    stop = re.search(r"[。；;]", text[m.end:end])
    end = m.end + stop.start() if stop else end
    found = None
    for p in places:
        if m.end <= p.start and p.end < end and text[p.end:p.end + 1] == "人" \
                and text[p.end + 1:p.end + 2] in ("，", ",", "。", "；", "、", ")", "）", ""):
            found = p
    if found is None or any(m.end <= o.start < found.start for o in people if o is not m):
        return None
    return found


# ------------------------------------------------------------------ arrestedIn
def _arrested(doc: Doc, suspects: list[Mention], places: list[Mention], home: set[str]) -> Iterable[Link]:
    if not doc.sentences:
        return
    text = doc.text
    for m in suspects:
        sent = doc.sentence_at(m.start)
        if not ARREST.search(text, sent.start, sent.end):
            continue
        place = _towards(text, places, sent.start, sent.end, set())
        rule = "relation.arrestedIn.sentence"
        for back in (1, 2):
            if place is not None or sent.index - back < 0:
                break
            prev = doc.sentences[sent.index - back]
            place = _towards(text, places, prev.start, prev.end, home)
            rule = "relation.arrestedIn.before"
        if place is not None:
            yield _link(doc, m, "arrestedIn", place.key, rule, m.start)


LIST_SEP = ("、", "和", "及")


def _towards(text: str, places: list[Mention], start: int, end: int, skip: set[str]) -> Optional[Mention]:
    """The last place in ``[start, end)`` written after 在/赴/前往… (a chain 广东东莞 gives 东莞)."""
    found = None
    for p in places:
        if start <= p.start and p.end <= end and p.key not in skip:
            if TOWARDS.search(text, max(start, p.start - 2), p.start):
                if found is not None and text[p.start - 1:p.start] in ("至", "到") \
                        and not re.search(r"[，,。；]", text[found.end:p.start]):
                    continue        # 在平舆县至驻马店市的公共汽车上: the route starts where it happened
                found = p
            elif found is not None and found.end == p.start:
                found = p                                # 赴广东东莞: the deeper place
    if found is not None and (text[found.end:found.end + 1] in LIST_SEP or text[found.start - 1:found.start] in LIST_SEP):
        return None     # 在云南昭通、四川宜宾等地抓获: which one is this person's is not said
    return found


def _home_chain(doc: Doc, resources) -> set[str]:
    """Keys of the places that are the home city, enclose it, or lie within it."""
    if not doc.home_city:
        return set()
    gaz, home = resources.gazetteer, doc.home_city.split("/", 1)[1]
    keys = {doc.home_city}
    try:
        keys |= {f"Place/{d.code}" for d in gaz.chain(home)}
    except KeyError:
        return keys
    for m in doc.labelled("Place"):
        code = (m.key or "").split("/", 1)[-1]
        try:
            if code in gaz and gaz.is_within(code, home):
                keys.add(m.key)
        except KeyError:
            continue
    return keys
