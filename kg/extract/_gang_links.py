"""Links of a criminal group: ``originPlace`` (X籍), ``basedIn`` (盘踞在, 在X实施, 窝点, where
the gang itself acts), ``arrestedIn`` (the places of an arrest sentence, lists included),
``memberOf`` (leaders, backbones, people named in the description, recruiters and people
arrested with the group) — read from the sentences that speak of the group."""
from __future__ import annotations

import re

from ..model import Doc, Link, Mention, unique_links
from ._gangs import GroupMention, GroupRules, _chain, _places_in, most_specific

UNIT_AFTER = re.compile(r"[市省县区]?(?:公安|警方|市局|分局|县局|派出所)")
DEN_WORDS = re.compile(r"窝点|现场|据点|老巢|大本营")
ADVICE = re.compile(r"^[^，,。]{0,8}(?:提醒|提示|温馨提示|小贴士)")


def _sentences_of(doc: Doc, gms: list[GroupMention], another: re.Pattern,
                  others: list[int] = ()) -> list[tuple[int, int]]:
    """Sentences that speak of a group: those with its mentions and the sentences after
    them through the paragraphs that follow (the arrests are often told paragraphs after the
    gang is described) up to one that opens another story (``another``), gives advice or
    brings in a new victim, stopping where another group is mentioned (``others``)."""
    spans = []
    first_para = doc.text.rfind("\n", 0, gms[0].start) + 1 if gms else 0
    victims = {v.key for v in doc.labelled("Victim") if first_para <= v.start < gms[-1].end} if gms else set()
    new_victims = [v.start for v in doc.labelled("Victim") if v.key not in victims]
    reach: dict[int, int] = {}          # paragraph end -> where the reading stops
    for gm in gms:
        s = doc.sentence_at(gm.start)
        spans.append((s.start, s.end))
        first_end = doc.text.find("\n", s.end)
        if first_end not in reach:
            para_end = first_end
            while para_end >= 0:
                nxt = doc.text.find("\n", para_end + 1)
                nxt = len(doc.text) if nxt < 0 else nxt
                para = doc.text[para_end + 1:nxt].strip()
                if another.search(para) or ADVICE.match(para) or any(para_end < v < nxt for v in new_victims):
                    break
                para_end = nxt if nxt < len(doc.text) else -1
            reach[first_end] = len(doc.text) if para_end < 0 else para_end
        para_end = reach[first_end]
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
    told_in = _sentences_of(doc, gms, rules.another, others)
    links += _described_members(doc, key, gms, rules, suspects)
    links += _recruiters_and_bases(doc, key, told_in, rules, suspects, resources)
    links += _arrests(doc, key, gms, told_in, rules, suspects, resources)
    links += _preceding_members(doc, key, first, suspects)
    return _deepest(unique_links(links), key, resources)


def _described_members(doc: Doc, key: str, gms: list[GroupMention], rules: GroupRules,
                       suspects: list[Mention]) -> list[Link]:
    """Leaders (以X为首), people the description names (甲某等6人…团伙) and the ranks told in
    its sentence (以赵某为首，钱某、孙某为骨干成员，…的团伙)."""
    links = []
    sent = doc.sentence_at(gms[0].start)
    for g in gms:
        if g.leader_span:
            for s in suspects:
                if g.leader_span[0] <= s.start and s.end <= g.leader_span[1] and s.key:
                    links.append(Link(s.key, "memberOf", key, "group.leader", sent.start, sent.end))
        g_sent = doc.sentence_at(g.start)
        for s in suspects:
            if g.start <= s.start and s.end <= g.end and s.key:
                links.append(Link(s.key, "memberOf", key, "group.named_in", g_sent.start, g_sent.end))
    for s0, e0 in sorted({(doc.sentence_at(g.start).start, doc.sentence_at(g.start).end) for g in gms}):
        for m in rules.ranks.finditer(doc.text, s0, e0):
            links += [Link(s.key, "memberOf", key, "group.ranks", s0, e0) for s in suspects
                      if m.start() <= s.start and s.end <= m.end() and s.key]
    return links


def _recruiters_and_bases(doc: Doc, key: str, told_in: list[tuple[int, int]], rules: GroupRules,
                          suspects: list[Mention], resources) -> list[Link]:
    """The recruiter (男子赵某在某区某商城附近招集人员) is a member and where he recruits a
    base; where the gang itself acts (仍在巴州城区持续粘贴小广告), outside arrests and police
    clauses, is a base."""
    links = []
    for s0, e0 in told_in:
        for m in rules.recruit.finditer(doc.text, s0, e0):
            clause = max([s0] + [doc.text.rfind(c, s0, m.start()) + 1 for c in "，,；;"])
            who = [s for s in suspects if clause <= s.start and s.end <= m.start() and s.key]
            if not who:
                continue
            links.append(Link(who[-1].key, "memberOf", key, "group.recruiter", s0, e0))
            at = doc.text.find("在", who[-1].end, m.start())
            if at >= 0:
                for p in most_specific(_chain(doc.text, _places_in(doc, at + 1, m.start()), at + 1), resources):
                    links.append(Link(key, "basedIn", p, "group.recruiter_base", s0, e0))
        if rules.arrest.search(doc.text, s0, e0):
            continue
        for m in rules.based.finditer(doc.text, s0, e0):
            if m.group() != "在" or POLICE_WORDS.search(doc.text, s0, m.start()):
                continue
            for p in most_specific(_chain(doc.text, _places_in(doc, m.end(), e0), m.end()), resources):
                links.append(Link(key, "basedIn", p, "group.acts_in", s0, e0))
    return links


def _arrests(doc: Doc, key: str, gms: list[GroupMention], told_in: list[tuple[int, int]],
             rules: GroupRules, suspects: list[Mention], resources) -> list[Link]:
    """Where the group was arrested (and its dens, bases), and the people arrested with it."""
    links = []
    all_desc = [(g.start, g.end) for g in gms]
    for s0, e0 in told_in:
        sentence = doc.text[s0:e0]
        if not rules.arrest.search(sentence):
            continue
        where = [p for g in gms if g.den and s0 <= g.start < e0 for p in g.based]
        for m in rules.arrest_at.finditer(sentence):
            at = s0 + m.end()
            near = [p for p in _places_in(doc, at, e0) if not any(a <= p.start < b for a, b in all_desc)]
            where += [p for p in _chain(doc.text, near, at) if not UNIT_AFTER.match(doc.text, p.end)]
        where = where or _implied_place(doc, s0, e0)
        places = most_specific(where, resources)
        for p in places:
            links.append(Link(key, "arrestedIn", p, "group.arrested", s0, e0))
            if DEN_WORDS.search(sentence):
                links.append(Link(key, "basedIn", p, "group.den", s0, e0))
        for s in suspects:
            if s0 <= s.start < e0 and s.key:
                links.append(Link(s.key, "memberOf", key, "group.arrested_with", s0, e0))
                if len(places) == 1:        # of several places, which one was theirs is not said
                    links += [Link(s.key, "arrestedIn", p, "group.arrested_with", s0, e0) for p in places]
    return links


def _deepest(links: list[Link], key: str, resources) -> list[Link]:
    """A group's bases and arrest places without those that hold another one told in another
    sentence (远赴广东、贵州 in the lead, 在云南昭通、四川宜宾 in the story: the cities)."""
    gaz = getattr(resources, "gazetteer", None) if resources is not None else None
    if gaz is None:
        return links
    out = []
    for l in links:
        if l.subject == key and l.predicate in ("basedIn", "arrestedIn", "originPlace") \
                and l.rule not in ("group.based",):      # what the description says stays
            inner = [o.object for o in links if o.subject == key and o.predicate == l.predicate
                     and o.object != l.object and o.start != l.start]   # one list keeps all it names
            try:
                if any(gaz.is_within(i.partition("/")[2], l.object.partition("/")[2]) for i in inner):
                    continue
            except Exception:
                pass
        out.append(l)
    return out


SUPPORT = re.compile(r"在([^，,。]{2,12}?)(?:公安局|警方|公安机关)[^，,。]{0,6}(?:支持|配合|协助|帮助)")
LOCAL = re.compile(r"当地(?:警方|公安)")
POLICE_WORDS = re.compile(r"民警|警方|警力|专案组|公安|派出所|辅警")
AREA_AFTER = re.compile(r"(?:城区|市区|主城区|街头|街面)")


def _implied_place(doc: Doc, s0: int, e0: int) -> list[Mention]:
    """Where an arrest without a named place happened: the supporting police's city
    (在某市公安局大力支持下, this sentence or the one before), a place whose streets the
    police patrolled (某市城区巡逻民警) or, for 当地警方, the
    last place named before that is not part of a unit's name."""
    prev = doc.sentence_at(s0 - 1) if s0 > 0 else doc.sentence_at(s0)
    lo = prev.start if doc.text.find("\n", prev.end, s0) < 0 else s0
    for m in SUPPORT.finditer(doc.text, lo, e0):
        found = _places_in(doc, m.start(1), m.end(1) + 1)
        if found:
            return found[-1:]
    area = [p for p in _places_in(doc, lo, e0) if AREA_AFTER.match(doc.text, p.end)]
    if area:                        # 某市城区巡逻民警发现…将3名嫌疑人抓获
        return area[-1:]
    if LOCAL.search(doc.text, lo, e0):
        para = doc.text.rfind("\n", 0, s0) + 1
        before = [p for p in _places_in(doc, max(0, para - 400), s0) if not UNIT_AFTER.match(doc.text, p.end)]
        return before[-1:]
    return []


def _preceding_members(doc: Doc, key: str, first: GroupMention, suspects: list[Mention]) -> list[Link]:
    """Suspects traced in the sentence just before a gang is described (锁定了严某和王某。
    …一个家族式团伙在幕后操纵) are its members."""
    sent = doc.sentence_at(first.start)
    if sent.index == 0 or "\n" in doc.text[sent.start - 1:sent.start]:
        return []
    prev = doc.sentences[sent.index - 1]
    return [Link(s.key, "memberOf", key, "group.traced_members", prev.start, sent.end)
            for s in suspects if prev.start <= s.start < prev.end and s.key]
