"""Criminal groups: each specific gang the story describes, named in the text's own words.

A group noun (团伙, 犯罪集团, …) opens a description that reaches back to a determiner or
the verb acting on it (``打掉了在QQ上冒充老板…的广西宾阳籍诈骗团伙``). A description is a
new group when it is specific (一个…, 以X为首, X籍, or police act on it in the sentence)
and not a statistic (``等10个…团伙``) or generic talk (``诈骗团伙层出不穷``); ``该团伙`` and
bare mentions refer back to the group told last. The label is the description with function
words dropped and the origin (X籍) first; when it says nothing of the scheme, the story's
own ``以…为由/名义`` phrase is put in front. Mentions of one group that share their
distinctive words are merged.

Descriptions of one gang told in several words (headline, lead, body) are one group unless
listed together, in another story or section, or differing in origin, leader or crime
(:func:`cluster`). Gangs without a group noun come from :mod:`._gang_nameless`; the links
(``originPlace``, ``basedIn``, ``arrestedIn``, ``memberOf``) from :mod:`._gang_links`; the
shared rules and mention type live in :mod:`._gangs`.
"""
from __future__ import annotations

import re
from typing import Optional

from ..model import Doc, Entity, Link, Mention, entity_key
from . import register
from ._gang_links import group_links
from ._gang_nameless import told_by_reference, gathered, unnamed_crew
from ._gangs import GENERIC_WORDS, GroupMention, GroupRules, _places_in, core

HARD_STOP = re.compile(r"[，,。；;：:！？!?（(\n]")
WINDOW = 48
SECTION = re.compile(r"\n\s*(?:案例|案件)?[（(]?[一二三四五六七八九十0-9]+[)）、.．：:]|\n\s*案例[一二三四五六七八九十0-9]")
AGAIN = re.compile(r"又|另一|再次|再度|还(?:打掉|摧毁|捣毁|端掉|破获)")
COUNT_AFTER = re.compile(r"[0-9两二三四五六七八九十]+[个伙]")


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
    if any(s.start == pos + 1 for s in doc.labelled("Suspect")):
        return "", ()      # 以某省籍赵某…为首: the origin of the people, not of the group
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
    if COUNT_AFTER.match(text, head.end()):
        return None        # 深挖“黑吃黑”团伙2个: a count, not one group
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
    extra = [g for g in gathered(doc, rules)
             if not any(f.start <= g.start < f.end for f in found)]   # …等5人组成的…团伙: the same
    return sorted(found + extra, key=lambda g: g.start)


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
        gm.modus = (m.start(1), m.end(1))


def cluster(doc: Doc, mentions: list[GroupMention], rules: GroupRules) -> list[GroupMention]:
    """Give every mention a key: new specific groups, merged when their cores overlap;
    references to the group told last."""
    groups: list[GroupMention] = []
    for gm in mentions:
        if gm.specific and not gm.refers or (gm.specific and gm.origin):
            _enrich(doc, gm, rules)
            same = next((g for g in groups if _same(g.label, gm.label)
                         and not _another(doc, g, gm, mentions, rules)), None)
            if same is None and groups and _told_again(doc, groups[-1], gm, mentions, rules):
                same = groups[-1]
            if same is not None:
                if _rank(gm) > _rank(same):
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
    if not groups:
        told = told_by_reference(doc, mentions)
        if told is not None:
            for gm in mentions:
                gm.key = id(told)
            mentions = sorted(mentions + [told], key=lambda g: g.start)
            groups.append(told)
            told.key = id(told)
    if not groups:
        crew = unnamed_crew(doc, rules)
        if crew is not None:
            mentions = sorted(mentions + [crew], key=lambda g: g.start)
            groups.append(crew)
            crew.key = id(crew)
    by_id = {id(g): g for g in groups}
    for g in groups:
        g_key = entity_key("CriminalGroup", g.label, scope=doc.article.id)
        for gm in mentions:
            if gm.key == id(g):
                gm.key = g_key
        g.key = g_key
    return [gm for gm in mentions if isinstance(gm.key, str)] if by_id else []


def _rank(gm: GroupMention) -> tuple:
    """Which of two descriptions of one gang names it best: with its leaders, with its
    origin, then the one that says most."""
    return gm.rule not in ("group.gathered", "group.referred"), bool(gm.leader_span), bool(gm.origin), len(core(gm.label))


def _told_again(doc: Doc, group: GroupMention, gm: GroupMention, mentions: list[GroupMention],
                rules: GroupRules) -> bool:
    """A news item tells one gang in several words (the headline's 一诈骗团伙, the lead's
    跨省电信诈骗团伙, the body's 以X为首的…团伙): a new description is the gang told last
    unless it is listed beside it in one sentence, opens another story, or differs in
    origin, leader or kind of crime."""
    told = [m for m in mentions if m.key == id(group)]
    sent = doc.sentence_at(gm.start).index
    if any(doc.sentence_at(m.start).index == sent for m in told) or _another(doc, group, gm, mentions, rules):
        return False
    if group.origin and gm.origin and not {p.key for p in group.origin} & {p.key for p in gm.origin}:
        return False
    if group.leader_span and gm.leader_span and \
            doc.text[slice(*group.leader_span)] != doc.text[slice(*gm.leader_span)]:
        return False
    a, b = _kind(doc, group), _kind(doc, gm)
    return not (a and b and a != b)


def _another(doc: Doc, group: GroupMention, gm: GroupMention, mentions: list[GroupMention],
             rules: GroupRules) -> bool:
    """The description opens another story (另/此外…), a new section of a round-up (案例二),
    or tells a gang taken down again (又打掉一个…)."""
    para = doc.text.rfind("\n", 0, gm.start) + 1
    if rules.another.search(doc.text[para:gm.start].lstrip()):
        return True
    told = [m.end for m in mentions if m.key == id(group) and m.end <= gm.start]
    if told and SECTION.search(doc.text, max(told), gm.start):
        return True
    clause = max(para, *(doc.text.rfind(c, 0, gm.start) + 1 for c in "，,。；;"))
    return bool(AGAIN.search(doc.text, clause, gm.start + 1))


def _kind(doc: Doc, gm: GroupMention) -> Optional[str]:
    """The crime type a description itself shows strongly, if any."""
    from .crimetypes import MIN_SCORE, scores
    spans = [(gm.start, gm.end)] + ([gm.modus] if gm.modus else [])
    total = scores(m for m in doc.labelled("CrimeCue") if any(s <= m.start and m.end <= e for s, e in spans))
    label, best = max(sorted(total.items()), key=lambda kv: kv[1], default=(None, 0.0))
    return label if best >= MIN_SCORE else None


def _relabel(doc: Doc, group: GroupMention, ref: GroupMention) -> None:
    """该网络投资交易平台诈骗团伙 after 上海诈骗窝点: the fuller description names the group,
    with the places of the first one in front."""
    if len(core(ref.label)) <= len(core(group.label)) or ref.den and not group.den:
        return          # …藏匿在菲律宾等地的话务诈骗窝点: a part of the network, not its name
    places = "".join(p.text for p in _places_in(doc, group.start, group.end) if p.text not in ref.label)
    group.aliases.add(group.label)
    group.label = places + ref.label


def _same(a: str, b: str) -> bool:
    ca, cb = core(a), core(b)
    return bool(ca and cb and (ca in cb or cb in ca))


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


@register("groups", requires=("Place", "Suspect", "Victim", "CrimeCue"), assigns=("CriminalGroup", "links"))
def make_groups(resources):
    rules = GroupRules(resources.table("group_patterns"))

    def groups(doc: Doc) -> Doc:
        mentions, entities, links = group_annotations(doc, rules, resources)
        return doc.add(mentions=mentions, entities=entities, links=links)
    return groups
