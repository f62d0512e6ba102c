"""Criminal groups: each specific gang the story describes, named in the text's own words.

A group noun (团伙, 犯罪集团, …) opens a description that reaches back to a determiner or
the verb acting on it (``打掉了在QQ上冒充老板…的广西宾阳籍诈骗团伙``). A description is a
new group when it is specific (一个…, 以X为首, X籍, or police act on it in the sentence)
and not a statistic (``等10个…团伙``) or generic talk (``诈骗团伙层出不穷``); ``该团伙`` and
bare mentions refer back to the group told last. The label is the description with function
words dropped and the origin (X籍) first; when it says nothing of the scheme, the story's
own ``以…为由/名义`` phrase is put in front. Mentions of one group that share their
distinctive words are merged.

Links: ``originPlace`` (X籍), ``basedIn`` (盘踞在, 在X实施, 窝点), ``arrestedIn`` (the place
the police went to in an arrest sentence), ``memberOf`` (the leader of 以X为首 and suspects
arrested with the group).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..model import Doc, Entity, Link, Mention, entity_key, unique_links
from . import register

HARD_STOP = re.compile(r"[，,。；;：:！？!?（(\n]")
GENERIC_WORDS = re.compile(r"犯罪|诈骗|团伙|集团|恶势力|电信|网络|涉诈|电诈|特大|组织|窝点|黑恶|跨境|跨省|团队|职业")
WINDOW = 48
UNIT_AFTER = re.compile(r"[市省县区]?(?:公安|警方|市局|分局|县局|派出所)")
DEN_WORDS = re.compile(r"窝点|现场|据点|老巢|大本营")


class GroupRules:
    """The patterns of ``group_patterns.tsv``, one compiled regex per kind."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        kinds: dict[str, list[str]] = {}
        for r in rows:
            kinds.setdefault(r["kind"], []).append(f"(?:{r['pattern']})")
        self.re = {k: re.compile("|".join(v)) for k, v in kinds.items()}

    def __getattr__(self, kind: str) -> re.Pattern:
        try:
            return self.__dict__["re"][kind]
        except KeyError:
            raise AttributeError(kind) from None


@dataclass
class GroupMention:
    start: int             # of the description
    end: int               # of the group noun
    desc: str
    label: str
    specific: bool
    refers: bool
    origin: tuple[Mention, ...] = ()      # Place mentions of X籍
    based: tuple[Mention, ...] = ()       # Place mentions where it operates
    leader_span: Optional[tuple[int, int]] = None
    key: Optional[str] = None             # while clustering: id() of the group it names
    rule: str = "group.description"
    den: bool = False
    aliases: set = field(default_factory=set)


def core(label: str) -> str:
    """What distinguishes a group's label: the label without generic group words."""
    return GENERIC_WORDS.sub("", label)


def _desc_start(text: str, start: int, head_start: int, rules: GroupRules) -> tuple[int, bool]:
    """Where the description before a group noun begins, and whether a 该-like word opens it."""
    floor = max(start, head_start - WINDOW)
    for m in HARD_STOP.finditer(text, floor, head_start):
        floor = m.end()
    pre = text[floor:head_start]
    best, refers = floor, False
    for m in rules.start.finditer(pre):
        if m.end() <= len(pre) and floor + m.end() > best:
            # 以…为首 and 籍 descriptions keep their opening words
            best = floor + m.end()
            refers = bool(rules.refer.fullmatch(m.group()))
    return best, refers


def _places_in(doc: Doc, start: int, end: int) -> list[Mention]:
    return [m for m in doc.labelled("Place") if start <= m.start and m.end <= end and m.key]


def most_specific(places: list[Mention], resources) -> list[str]:
    """Keys of ``places`` without those written right before a place inside them
    (广东东莞 → 东莞; 义乌、金华 keeps both)."""
    gaz = getattr(resources, "gazetteer", None) if resources is not None else None
    places = sorted(places, key=lambda p: p.start)
    out = []
    for i, p in enumerate(places):
        nxt = places[i + 1] if i + 1 < len(places) else None
        if nxt is not None and gaz is not None and nxt.start == p.end and nxt.key != p.key:
            try:
                if gaz.is_within(nxt.key.partition("/")[2], p.key.partition("/")[2]):
                    continue
            except Exception:
                pass
        out.append(p.key)
    return list(dict.fromkeys(out))


def _origin(doc: Doc, start: int, end: int) -> tuple[str, tuple[Mention, ...]]:
    """The X籍 phrase of a description (text, place keys)."""
    m = re.search("籍", doc.text[start:end])
    if not m:
        return "", ()
    pos = start + m.start()
    places = sorted(_places_in(doc, start, pos), key=lambda p: p.start)
    run, cur = [], pos
    for p in reversed(places):
        if p.end == cur:
            run.insert(0, p)
            cur = p.start
    if not run:
        return "", ()
    return doc.text[run[0].start:pos + 1], tuple(run)


def describe(doc: Doc, head: re.Match, rules: GroupRules) -> Optional[GroupMention]:
    """The group mention whose noun is ``head``, or None for statistics."""
    text = doc.text
    sent = doc.sentence_at(head.start())
    pre = text[max(sent.start, head.start() - 16):head.start()]
    if rules.serve_to.search(pre) or (rules.serve_for.search(pre) and rules.serve_what.search(text[head.end():head.end() + 4])):
        return None        # 为诈骗团伙提供银行卡, 卖给诈骗团伙: the gang is a customer, not the one described
    start, refers = _desc_start(text, sent.start, head.start(), rules)
    desc = text[start:head.end()]
    before = text[max(sent.start, start - 8):start]
    if rules.plural.search(before[-6:] + desc[:len(desc) - len(head.group())]):
        return None
    bare = core(rules.strip.sub("", desc))
    if not refers and (not bare and re.search(r"一[个伙]?$", text[max(0, start - 2):start]) or bare == "一"):
        return None        # 被一犯罪团伙骗走…: an unnamed group, neither new nor told before
    origin_text, origin = _origin(doc, start, head.end())
    leader = rules.leader.search(desc)
    body = desc.replace(origin_text, "") if origin_text else desc
    label = origin_text.replace("、", "") + rules.strip.sub("", body)
    content = core(rules.strip.sub("", body))
    clause_s = max(sent.start, head.start() - 30)
    clause = text[clause_s:min(sent.end, head.end() + 12)]
    sentence = text[sent.start:sent.end]
    determiner = re.search(r"一个|一伙|一支|一起", text[max(sent.start, start - 4):head.start()])
    specific = bool(leader or origin or (content and (determiner or rules.event.search(sentence))))
    if specific and not (leader or origin or determiner) and rules.generic.search(clause):
        specific = False
    based: list[Mention] = []
    for m in rules.based.finditer(desc):
        based += _places_in(doc, start + m.end(), head.end())
    if head.group().endswith("窝点"):                       # 捣毁上海诈骗窝点
        based += _places_in(doc, start, head.end())
    gm = GroupMention(start, head.end(), desc, label, specific, refers or not content,
                      origin, tuple(dict.fromkeys(based)))
    gm.den = head.group().endswith("窝点")
    if leader:
        gm.leader_span = (start + leader.start(1), start + leader.end(1))
    return gm


def find_groups(doc: Doc, rules: GroupRules) -> list[GroupMention]:
    """Group mentions in text order; each gets the key of the group it names or refers to."""
    found: list[GroupMention] = []
    last_end = -1
    for head in rules.head.finditer(doc.text):
        if head.start() < last_end:
            continue
        gm = describe(doc, head, rules)
        if gm is None:
            continue
        last_end = head.end()
        found.append(gm)
    return found


def _enrich(doc: Doc, gm: GroupMention, rules: GroupRules) -> None:
    """Put the story's own 以…为由 phrase in front of a label that names no scheme."""
    has_cue = any(gm.start <= m.start < gm.end for m in doc.labelled("CrimeCue"))
    if has_cue or gm.origin or gm.leader_span or re.search(r"[“\"]", gm.desc):
        return
    para_start = doc.text.rfind("\n", 0, gm.start) + 1
    prev_para = doc.text.rfind("\n", 0, max(0, para_start - 1)) + 1
    m = None
    for m in rules.modus.finditer(doc.text, prev_para, gm.end):
        pass
    if m:
        phrase = rules.strip.sub("", m.group(1))
        head = GENERIC_WORDS.findall(gm.label)
        gm.label = phrase + "".join(head[-3:]) if head else phrase + gm.label
        gm.rule = "group.description.modus"


def cluster(doc: Doc, mentions: list[GroupMention], rules: GroupRules) -> list[GroupMention]:
    """Give every mention a key: new specific groups, merged when their cores overlap;
    references to the group told last."""
    groups: list[GroupMention] = []
    for gm in mentions:
        if gm.specific and not gm.refers or (gm.specific and gm.origin):
            _enrich(doc, gm, rules)
            same = next((g for g in groups if _same(g.label, gm.label)), None)
            if same is not None:
                if len(core(gm.label)) > len(core(same.label)):
                    same.aliases.add(same.label)
                    same.label, same.origin = gm.label, same.origin or gm.origin
                else:
                    same.aliases.add(gm.label)
                same.based = tuple(dict.fromkeys(same.based + gm.based))
                gm.key = id(same)
            else:
                groups.append(gm)
                gm.key = id(gm)
        elif groups:
            gm.key = id(groups[-1])
            _relabel(doc, groups[-1], gm)
        elif rules.event.search(doc.text[doc.sentence_at(gm.end - 1).start:doc.sentence_at(gm.end - 1).end]) \
                and not rules.generic.search(doc.text[max(0, gm.start - 12):gm.end + 6]):
            _enrich(doc, gm, rules)
            if gm.rule.endswith("modus"):
                groups.append(gm)
                gm.key = id(gm)
    by_id = {id(g): g for g in groups}
    for g in groups:
        g_key = entity_key("CriminalGroup", g.label, scope=doc.article.id)
        for gm in mentions:
            if gm.key == id(g):
                gm.key = g_key
        g.key = g_key
    return [gm for gm in mentions if isinstance(gm.key, str)] if by_id else []


def _relabel(doc: Doc, group: GroupMention, ref: GroupMention) -> None:
    """该网络投资交易平台诈骗团伙 after 上海诈骗窝点: the fuller description names the group,
    with the places of the first one in front."""
    if len(core(ref.label)) <= len(core(group.label)):
        return
    places = "".join(p.text for p in _places_in(doc, group.start, group.end) if p.text not in ref.label)
    group.aliases.add(group.label)
    group.label = places + ref.label


def _same(a: str, b: str) -> bool:
    ca, cb = core(a), core(b)
    return bool(ca and cb and (ca in cb or cb in ca))


def _sentences_of(doc: Doc, gms: list[GroupMention], another: re.Pattern,
                  others: list[int] = ()) -> list[tuple[int, int]]:
    """Sentences that speak of a group: those with its mentions and the sentences after
    them to the end of the next paragraph (the arrest is often told in the paragraph after
    the gang is described) unless that one opens another story (``another``), stopping
    where another group is mentioned (``others``)."""
    spans = []
    for gm in gms:
        s = doc.sentence_at(gm.start)
        spans.append((s.start, s.end))
        para_end = doc.text.find("\n", s.end)
        if para_end >= 0:
            nxt = doc.text.find("\n", para_end + 1)
            nxt = len(doc.text) if nxt < 0 else nxt
            if not another.search(doc.text[para_end + 1:nxt].strip()):
                para_end = nxt
        para_end = len(doc.text) if para_end < 0 else para_end
        stop = min((o for o in others if o >= s.end), default=len(doc.text))
        for t in doc.sentences:
            if s.end <= t.start and t.end <= para_end and t.end <= stop:
                spans.append((t.start, t.end))
    return sorted(set(spans))


def group_links(doc: Doc, key: str, gms: list[GroupMention], rules: GroupRules, resources,
                others: list[int] = ()) -> list[Link]:
    """originPlace, basedIn, arrestedIn and memberOf links of one group."""
    links: list[Link] = []
    first = gms[0]
    sent = doc.sentence_at(first.start)
    for p in most_specific([m for g in gms for m in g.origin], resources):
        links.append(Link(key, "originPlace", p, "group.origin", sent.start, sent.end))
    for p in most_specific([m for g in gms for m in g.based], resources):
        links.append(Link(key, "basedIn", p, "group.based", sent.start, sent.end))
    suspects = list(doc.labelled("Suspect"))
    for g in gms:
        if g.leader_span:
            for s in suspects:
                if g.leader_span[0] <= s.start and s.end <= g.leader_span[1] and s.key:
                    links.append(Link(s.key, "memberOf", key, "group.leader", sent.start, sent.end))
    all_desc = [(g.start, g.end) for g in gms]
    for s0, e0 in _sentences_of(doc, gms, rules.another, others):
        sentence = doc.text[s0:e0]
        if not rules.arrest.search(sentence):
            continue
        where = [p for g in gms if g.den and s0 <= g.start < e0 for p in g.based]
        for m in rules.arrest_at.finditer(sentence):
            at = s0 + m.end()
            near = [p for p in _places_in(doc, at, e0) if not any(a <= p.start < b for a, b in all_desc)]
            where += [p for p in _chain(near, at) if not UNIT_AFTER.match(doc.text, p.end)]
        where = where or _implied_place(doc, s0, e0)
        places = most_specific(where, resources)
        for p in places:
            links.append(Link(key, "arrestedIn", p, "group.arrested", s0, e0))
            if DEN_WORDS.search(sentence):
                links.append(Link(key, "basedIn", p, "group.den", s0, e0))
        for s in suspects:
            if s0 <= s.start < e0 and s.key:
                links.append(Link(s.key, "memberOf", key, "group.arrested_with", s0, e0))
                links += [Link(s.key, "arrestedIn", p, "group.arrested_with", s0, e0) for p in places]
    links += _preceding_members(doc, key, first, suspects)
    return unique_links(links)


def _chain(places: list[Mention], at: int) -> list[Mention]:
    """The places written one after another from ``at`` (赶赴广东省东莞市: both; the deeper
    is kept by :func:`most_specific`)."""
    out: list[Mention] = []
    for p in sorted(places, key=lambda p: (p.start, -p.end)):
        if not out and at <= p.start <= at + 2 or out and p.start == out[-1].end:
            out.append(p)
        elif out and p.start > out[-1].end:
            break
    return out


SUPPORT = re.compile(r"在([^，,。]{2,12}?)(?:公安局|警方|公安机关)[^，,。]{0,6}(?:支持|配合|协助|帮助)")
LOCAL = re.compile(r"当地(?:警方|公安)")


def _implied_place(doc: Doc, s0: int, e0: int) -> list[Mention]:
    """Where an arrest without a named place happened: the supporting police's city
    (在广州市公安局大力支持下, this sentence or the one before) or, for 当地警方, the
    last place named before that is not part of a unit's name."""
    prev = doc.sentence_at(s0 - 1) if s0 > 0 else doc.sentence_at(s0)
    lo = prev.start if doc.text.find("\n", prev.end, s0) < 0 else s0
    for m in SUPPORT.finditer(doc.text, lo, e0):
        found = _places_in(doc, m.start(1), m.end(1) + 1)
        if found:
            return found[-1:]
    if LOCAL.search(doc.text, lo, e0):
        para = doc.text.rfind("\n", 0, s0) + 1
        before = [p for p in _places_in(doc, max(0, para - 400), s0) if not UNIT_AFTER.match(doc.text, p.end)]
        return before[-1:]
    return []


def _preceding_members(doc: Doc, key: str, first: GroupMention, suspects: list[Mention]) -> list[Link]:
    """Suspects traced in the sentence just before a gang is described (锁定了严某和王某。
    …一个家族式诈骗团伙在背后操作) are its members."""
    sent = doc.sentence_at(first.start)
    if sent.index == 0 or "\n" in doc.text[sent.start - 1:sent.start]:
        return []
    prev = doc.sentences[sent.index - 1]
    return [Link(s.key, "memberOf", key, "group.traced_members", prev.start, sent.end)
            for s in suspects if prev.start <= s.start < prev.end and s.key]


def group_annotations(doc: Doc, rules: GroupRules, resources=None) -> tuple[list[Mention], list[Entity], list[Link]]:
    """Mentions, entities and links of the criminal groups of one item."""
    gms = cluster(doc, find_groups(doc, rules), rules)
    mentions, entities, links = [], {}, []
    for gm in gms:
        attrs = (("description", gm.desc), ("specific", "1" if gm.specific and not gm.refers else "0"))
        mentions.append(Mention(gm.start, gm.end, doc.text[gm.start:gm.end], "CriminalGroup",
                                gm.rule if gm.specific else "group.reference", gm.key, attrs))
        if gm.key not in entities and gm.label and gm.key.endswith("/" + gm.label):
            entities[gm.key] = Entity(gm.key, "CriminalGroup", gm.label,
                                      frozenset(a for a in gm.aliases if a != gm.label))
    for key in entities:
        others = sorted(g.start for g in gms if g.key != key and g.key in entities)
        links += group_links(doc, key, [g for g in gms if g.key == key], rules, resources, others)
    return mentions, list(entities.values()), links


@register("groups", requires=("Place", "Suspect", "CrimeCue"), assigns=("CriminalGroup", "links"))
def make_groups(resources):
    rules = GroupRules(resources.table("group_patterns"))

    def groups(doc: Doc) -> Doc:
        mentions, entities, links = group_annotations(doc, rules, resources)
        return doc.add(mentions=mentions, entities=entities, links=links)
    return groups
