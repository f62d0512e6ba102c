"""Places: gazetteer names in the text, disambiguated by the places around them.

One pass (:meth:`Gazetteer.find_all`) finds every name; each hit then gets the
candidate whose enclosing places are named nearby (江北 after 宁波 is 宁波市江北区, after 重庆
it is 重庆市江北区) and is kept only with evidence that it names a place here: a full name, a
province or prefecture, an enclosing place named in the item, a cue around it (家住, 籍, 警方),
the same division named in full elsewhere. Names that are also ordinary words need strong
evidence (``place_stopwords``); roads and estates named after places are not places
(``place_cues``). Townships count only with their county in context and not when they are
only part of a police unit's name. Development zones are recognised by grammar
(``zone_suffixes``) and keyed by name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

from ..model import Doc, Entity, Link, Mention
from . import register

HIGH_LEVELS = ("country", "province", "prefecture")
TOWNSHIP_SUFFIXES = ("街道办事处", "街道", "镇", "乡", "苏木")
# What follows 中国 when the text names the country (not 中国银行 or a website's 中国某省网).
CHINA_NAMED = ("内地", "大陆", "台湾", "香港", "澳门", "籍", "公民", "警方", "政府", "境内", "最大", "首个", "第一")
MOTION = ("前往", "赶往", "逃往", "逃至", "逃到", "赴", "来自", "家住", "住在", "返回")
CHINESE_POLICE = re.compile(r"公安局|公安分局|派出所|公安厅")
CITY_TALK = ("我市", "本市", "市公安局", "市委", "市政府")   # the text is about a city it does not name


@dataclass(frozen=True)
class PlaceHit:
    """An accepted place mention: ``text[start:end]`` names division ``code``."""

    start: int
    end: int
    surface: str
    code: str
    rule: str


class PlaceRules:
    """The cue and stop-word tables, as sets."""

    def __init__(self, resources) -> None:
        self.never = {r["word"] for r in resources.table("place_stopwords") if r["policy"] == "never"}
        self.strong = {r["word"] for r in resources.table("place_stopwords") if r["policy"] == "strong"}
        cues: dict[str, list[str]] = {}
        for r in resources.table("place_cues"):
            cues.setdefault(r["kind"], []).append(r["word"])
        self.before = tuple(cues.get("before", ()))
        self.after = tuple(cues.get("after", ()))
        self.not_after = tuple(cues.get("not_after", ()))
        self.inside_unit = tuple(cues.get("inside_unit", ()))
        # surnames that are also prepositions (向永康, 于义乌) do not mark a person's name
        self.surnames = {r["surname"] for r in resources.table("surnames")
                         if r.get("tier") == "common"} - set("向于经自在从到")
        # national organisations whose name opens with a place name (兴业银行 is no 兴业县)
        self.org_names: dict[str, tuple[str, ...]] = {}
        for r in resources.table("org_names"):
            for name in [r["canonical"], *filter(None, r["aliases"].split("|"))]:
                self.org_names.setdefault(name[:2], ())
                self.org_names[name[:2]] += (name,)
        zones = sorted(resources.table("zone_suffixes"), key=lambda r: -len(r["suffix"]))
        self.zones = [(r["suffix"], r["canonical"], r["id"]) for r in zones]

    def in_org_name(self, text: str, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` opens the name of a known organisation (兴业银行)."""
        return any(len(n) > end - start and text.startswith(n, start)
                   for n in self.org_names.get(text[start:start + 2], ()))

    def road_after(self, text: str, end: int) -> bool:
        rest = text[end:end + 4]
        return rest.startswith(self.not_after) and not rest.startswith("街道")


@lru_cache(maxsize=8192)
def _ancestors(gaz, code: str) -> tuple[str, ...]:
    return tuple(d.code for d in gaz.chain(code)[1:])


def _anchors(gaz, hits, rules: PlaceRules) -> set[str]:
    """Codes named unambiguously (one candidate, full name or a high-level short name), with
    their ancestors: the context that decides what the ambiguous names mean."""
    out: set[str] = set()
    for h in hits:
        if len(h.candidates) != 1 or h.surface in rules.never or h.surface in rules.strong:
            continue
        d = gaz.get(h.candidates[0])
        if d.level == "township":
            continue
        if h.is_full_name or d.level in HIGH_LEVELS:
            out.add(d.code)
            out.update(_ancestors(gaz, d.code))
    return out


@lru_cache(maxsize=4)
def _page_anchors(gaz, rules: PlaceRules, page_text: str) -> frozenset[str]:
    """:func:`_anchors` of a whole page, computed once per page rather than once per item
    (every item of a page shares it; scanning the page per item made long pages quadratic)."""
    return frozenset(_anchors(gaz, gaz.find_all(page_text), rules))


def _word_before(text: str, s: int) -> bool:
    """Whether the surname-like character before ``s`` ends an ordinary word (平安义乌: 安 ends
    平安, so 义乌 is no given name)."""
    from ..segment import word_freq
    return s >= 2 and word_freq(text[s - 2:s]) >= 100


def _domestic(gaz, codes, ctx: set[str]) -> list[str]:
    """Candidates without Taiwan's districts, unless Taiwan is in context (the mainland press
    means 永康市 by 永康, not 台南市永康区)."""
    return [c for c in codes if not c.startswith("71") or "710000" in ctx]


def _choose(gaz, hit, text: str, item_ctx: set[str], page_ctx: set[str], prev_code: Optional[str],
            last: Optional[dict[str, str]] = None, page_text: str = "") -> str:
    """The candidate best supported by the places around the hit (``last``: the division each
    name meant when last chosen in the item; a name repeated means the same place)."""
    if len(hit.candidates) == 1:
        only = gaz.get(hit.candidates[0])
        if only.level == "prefecture" and text[hit.end:hit.end + 2] in ("警方", "公安"):
            # 绍兴警方 on a page whose acting bureau is 绍兴市公安局: that city's police
            seat = next((c.code for c in gaz.children(only.code) if c.name in (hit.surface + "市", hit.surface + "县")
                         and (c.name + "公安局" in text or c.name + "公安局" in page_text)), None)
            if seat is not None:
                return seat
        return hit.candidates[0]
    again = {last.get(gaz.get(c).name) for c in hit.candidates} if last else set()
    taiwan = "710000" in item_ctx or "710000" in page_ctx
    # 黑山警方, 黑山 in a report of Chinese police: the county, not the country of that name
    police = any(c.startswith("XX") for c in hit.candidates) and (
        text[hit.end:hit.end + 2] in ("警方", "公安", "县局") or CHINESE_POLICE.search(text) is not None)

    def score(i_code: tuple[int, str]) -> tuple:
        i, code = i_code
        anc = _ancestors(gaz, code)
        s = 0.0
        if prev_code and prev_code in anc:
            s += 4          # 兰州安宁: the enclosing place right before
        s += 3 * sum(1 for a in anc if a in item_ctx and gaz.get(a).level != "country") / max(1, len(anc))
        s += 1 if any(a in page_ctx for a in anc) else 0
        s += 0.5 if code in item_ctx else 0
        s += 2 if code in again else 0
        s -= 0.5 if gaz.get(code).historical else 0
        s -= 1 if code.startswith("71") and not taiwan else 0     # not in _domestic()
        s -= 1 if police and code.startswith("XX") and gaz.get(code).level == "country" else 0
        full = gaz.get(code).name
        s += 1 if len(full) > len(hit.surface) and (full in text or full in page_text) else 0   # 恩施 of 恩施市 named so
        return (s, -i)
    return max(enumerate(hit.candidates), key=score)[1]


def _evidence(gaz, hit, code: str, text: str, rules: PlaceRules, item_ctx: set[str],
              full_codes: set[str], prev_code: Optional[str], city_talk: bool = False) -> Optional[str]:
    """The rule that makes this hit a place, or None."""
    d = gaz.get(code)
    s, e = hit.start, hit.end
    if hit.surface == "中国" and text.startswith(CHINA_NAMED, e) and not rules.in_org_name(text, s, e):
        return "place.country.named"    # 中国内地籍, 中国台湾籍, 中国最大的…: the country itself
    if hit.surface in rules.never or rules.road_after(text, e) or rules.in_org_name(text, s, e):
        return None
    if code == "XX-中国" and _in_title(text, s):
        return None     # 《中华人民共和国反电信网络诈骗法》: a law's name, not the country named
    adjacent_parent = prev_code is not None and prev_code in _ancestors(gaz, code)
    unit_after = text[e:e + 3].startswith(("警方", "公安", "分局", "县局", "市局", "交警"))
    if hit.surface in rules.strong:
        if adjacent_parent or unit_after or (hit.is_full_name and len(hit.surface) > 2):
            return "place.strong.context"
        if d.level in HIGH_LEVELS and text[max(0, s - 2):s].endswith(MOTION):
            return "place.strong.motion"        # 逃往外省某市: a city someone goes to or comes from
        return None
    if d.level == "township" or (d.level == "area" and not code.startswith("XX")):
        if text[e:e + 4].startswith(rules.inside_unit):
            return None
        county = [a for a in _ancestors(gaz, code) if gaz.get(a).level in ("county", "prefecture")]
        if adjacent_parent or any(a in item_ctx for a in county):
            return "place.township.context"
        if len(hit.candidates) == 1 and text[max(0, s - 2):s].endswith(rules.before):
            return "place.township.unique"
        return None
    if hit.is_full_name:
        return "place.gazetteer.full"
    if d.level == "county" and text[e:e + 1] in ("县", "旗") and d.name.endswith(text[e]):
        return "place.short.suffixed"   # 景宁县 of 景宁畲族自治县 (not the 宁县 inside it)
    if text[e:e + 4].startswith(rules.inside_unit):
        return None   # 石门派出所, 玉林派出所: a station named after a township, not 石门县 or 玉林市
    if d.level in HIGH_LEVELS:
        return "place.gazetteer.short"
    if adjacent_parent:
        return "place.short.parent"
    if not unit_after and s >= 1 and text[s - 1] in rules.surnames and not _word_before(text, s):
        return None   # 王永康, 陈安宁: a given name after a surname, not a place
    if unit_after or text[e:e + 3].startswith(rules.after) or text[max(0, s - 2):s].endswith(rules.before):
        return "place.short.cue"
    if code in full_codes:
        return "place.short.named"
    if any(a in item_ctx and gaz.get(a).level in ("prefecture", "province")
           for a in _ancestors(gaz, code)[:1]):
        return "place.short.context"
    if (city_talk and d.name.endswith("市") and len(_domestic(gaz, hit.candidates, item_ctx)) == 1
            and len(text) > e and text[e] in "，。、；：！？”’）,.;:!?)\n"):
        # a county-level city no other division shares, ending a phrase, in a text that
        # speaks of 我市/市公安局: the city's own name in a slogan or a signature
        return "place.short.unique"
    return None


def _in_title(text: str, pos: int) -> bool:
    """Whether ``pos`` is inside 《…》."""
    opened = text.rfind("《", max(0, pos - 30), pos)
    return opened >= 0 and "》" not in text[opened:pos] and "》" in text[pos:pos + 40]


def find_places(text: str, gaz, rules: PlaceRules, page_text: str = "") -> list[PlaceHit]:
    """Place mentions in ``text``, non-overlapping, longest first at each position."""
    hits = list(gaz.find_all(text))
    item_ctx = _anchors(gaz, hits, rules)
    page_ctx = _page_anchors(gaz, rules, page_text) if page_text else frozenset()
    ends: dict[int, str] = {}
    chosen: list[tuple[object, str]] = []
    last: dict[str, str] = {}
    for h in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        prev = _enclosing_before(text, h.start, ends)
        code = _choose(gaz, h, text, item_ctx, page_ctx, prev, last, page_text)
        if len(h.candidates) > 1:
            last[gaz.get(code).name] = code
        chosen.append((h, code))
        ends.setdefault(h.end, code)
    full_codes = {code for h, code in chosen if h.is_full_name}
    city_talk = any(w in text for w in CITY_TALK)
    out: list[PlaceHit] = []
    taken_until = -1
    for h, code in chosen:
        if h.start < taken_until:
            continue
        rule = _evidence(gaz, h, code, text, rules, item_ctx, full_codes, _enclosing_before(text, h.start, ends),
                         city_talk)
        if rule is None:
            continue
        # a longer accepted hit starting here wins (sorted longest first), so skip the rest
        out.append(PlaceHit(h.start, h.end, h.surface, code, rule))
        taken_until = h.end
    out.extend(_township_short_forms(text, gaz, rules, out))
    return sorted(out, key=lambda p: p.start)


def _enclosing_before(text: str, start: int, ends: dict[int, str]) -> Optional[str]:
    """The place named right before ``start``, also across a bureau's name (徐州市公安局鼓楼分局:
    the 鼓楼 of 徐州市)."""
    if start in ends:
        return ends[start]
    return ends.get(start - 3) if text[start - 3:start] == "公安局" else None


def _township_short_forms(text: str, gaz, rules: PlaceRules, found: list[PlaceHit]) -> list[PlaceHit]:
    """Townships of the counties named in the item, by short form (家住李渡, 往花街方向),
    only with a place cue around them: short township names are often also person names."""
    counties = {p.code for p in found if gaz.get(p.code).level == "county"}
    taken = [(p.start, p.end) for p in found]
    out = []
    for county in sorted(counties):
        for short, code in _short_townships(gaz, county):
            pos = text.find(short)
            while pos >= 0:
                end = pos + len(short)
                cue = (text[max(0, pos - 2):pos].endswith(rules.before) or
                       text[end:end + 2].startswith(("方向", "一带", "辖区", "境内", "附近")))
                # X街道 of an X镇 since renamed: the short form with another township suffix
                renamed = next((x for x in TOWNSHIP_SUFFIXES if text.startswith(x, end)), "")
                clash = any(s < end + len(renamed) and pos < e for s, e in taken)
                if (cue or renamed) and not clash and not text[end:end + 4].startswith(rules.inside_unit):
                    rule = "place.township.renamed" if renamed and not cue else "place.township.short"
                    end += len(renamed) if rule == "place.township.renamed" else 0
                    out.append(PlaceHit(pos, end, text[pos:end], code, rule))
                    taken.append((pos, end))
                pos = text.find(short, end)
    return out


@lru_cache(maxsize=1024)
def _short_townships(gaz, county: str) -> tuple[tuple[str, str], ...]:
    """(short form, code) of the townships of ``county`` whose short form (李渡 of 李渡街道)
    names no division other than townships."""
    out = []
    for child in gaz.children(county):
        if child.level != "township":
            continue
        short = next((child.name[:-len(s)] for s in TOWNSHIP_SUFFIXES if child.name.endswith(s)), None)
        if not short or len(short) < 2 or any(d.level != "township" for d in gaz.by_name(short)):
            continue
        out.append((short, child.code))
    return tuple(out)


def find_zones(text: str, places: list[PlaceHit], gaz, rules: PlaceRules) -> list[tuple[PlaceHit, PlaceHit]]:
    """Development zones named after a place right before them: (zone, its place)."""
    out = []
    for p in places:
        rest = text[p.end:p.end + 12]
        for suffix, canonical, rule in rules.zones:
            if rest.startswith(suffix) or rest.startswith("国家" + suffix):
                end = p.end + rest.index(suffix) + len(suffix)
                d = gaz.get(p.code)
                base = d.aliases[0] if d.aliases and len(d.aliases[0]) >= 2 else d.name
                name = base + canonical
                out.append((PlaceHit(p.start, end, text[p.start:end], name, f"place.zone.{rule}"), p))
                break
    return out


def _entity(gaz, hit: PlaceHit) -> Entity:
    d = gaz.get(hit.code)
    return Entity(key=f"Place/{d.code}", type="Place", label=d.name,
                  aliases=frozenset({hit.surface, *qualified_names(gaz, d.code)} - {d.name}),
                  attrs=(("code", d.code), ("level", d.level)))


@lru_cache(maxsize=4096)
def qualified_names(gaz, code: str) -> tuple[str, ...]:
    """Names that tell a county-level division from its namesakes elsewhere (南京市鼓楼区 and
    福州市鼓楼区): its city's name before its own, when another county bears the same name."""
    d = gaz.get(code)
    if d.level != "county" or not d.parent or d.parent not in gaz:
        return ()
    namesakes = [x for x in gaz.by_name(d.name) if x.level == "county" and x.name == d.name and not x.historical]
    up = gaz.get(d.parent)
    return (up.name + d.name,) if len(namesakes) > 1 and up.level in ("prefecture", "province") else ()


def place_links(doc: Doc, gaz, hits: Iterable[PlaceHit]) -> list[Link]:
    """``locatedIn`` to the nearest enclosing place named in the item, when that is not the
    gazetteer parent (which rdf.py writes anyway): 电白区 → 广东省 when 茂名市 is not named."""
    hits = list(hits)
    named = {h.code for h in hits}
    links, seen = [], set()
    for h in hits:
        if h.code in seen:
            continue
        seen.add(h.code)
        anc = _ancestors(gaz, h.code)
        nearest = next((a for a in anc if a in named), None)
        if nearest and anc and nearest != anc[0]:
            sent = doc.sentence_at(h.start)
            links.append(Link(f"Place/{h.code}", "locatedIn", f"Place/{nearest}",
                              "place.locatedIn.nearest", sent.start, sent.end))
    return links


@register("places", assigns=("Place", "links"))
def make_places(resources):
    gaz = resources.gazetteer
    rules = PlaceRules(resources)

    def places(doc: Doc) -> Doc:
        hits = find_places(doc.text, gaz, rules, doc.article.raw)
        mentions = [Mention(h.start, h.end, h.surface, "Place", h.rule, f"Place/{h.code}",
                            (("code", h.code), ("level", gaz.get(h.code).level)))
                    for h in hits]
        entities = [_entity(gaz, h) for h in hits]
        links = place_links(doc, gaz, hits)
        for zone, base in find_zones(doc.text, hits, gaz, rules):
            key = f"Place/{zone.code}"
            mentions.append(Mention(zone.start, zone.end, zone.surface, "Place", zone.rule, key,
                                    (("level", "area"),)))
            entities.append(Entity(key, "Place", zone.code, frozenset({zone.surface} - {zone.code}),
                                   (("level", "area"),)))
            sent = doc.sentence_at(zone.start)
            links.append(Link(key, "locatedIn", f"Place/{base.code}", zone.rule, sent.start, sent.end))
        return doc.add(mentions=mentions, entities=entities, links=links)
    return places
