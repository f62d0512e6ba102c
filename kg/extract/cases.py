"""Cases: one ``CaseFrame`` per story of an item, assembled from the sentences that tell it.

The item is cut into stories (:mod:`kg.extract.stories`); each story with someone to anchor
it (a victim, a group or a suspect) and something that happened becomes a case with its
victims, suspects, groups, the units that handled it, its crime type (the modus operandi of
its sentences), the sums lost and recovered, its date and counts, and an evidence row for
every fact. A story of several gangs told in one breath (打掉了…宾阳籍诈骗团伙, …娄底籍诈骗
团伙) gives one case per gang. Statistics become :class:`~kg.model.Figure` s
(:mod:`kg.extract.figures`).
"""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Optional

from ..model import CaseFrame, Doc, Entity, Mention, entity_key
from . import register
from .crimetypes import MIN_SCORE, choose, scores
from .figures import CaseRules, counts_in, figures_of
from .money import as_amount
from .stories import Story, split_stories

Evidence = tuple[str, str, int, int]


def _in(story: Story, doc: Doc, *labels: str) -> list[Mention]:
    return [m for m in doc.labelled(*labels) if story.covers(m)]


def _keys(mentions: list[Mention]) -> tuple[list[str], list[Evidence]]:
    keys, ev = [], []
    for m in mentions:
        if m.key and m.key not in keys:
            keys.append(m.key)
            ev.append((m.label, m.key, m.start, m.end))
    return keys, ev


LEAD_WEIGHT = 0.3         # cues of headings and lead-in paragraphs count less than the story's own


def story_type(doc: Doc, story: Story) -> tuple[str, Optional[Mention]]:
    """Crime type of a story from its cues, with the strongest cue as evidence."""
    cues = _in(story, doc, "CrimeCue")
    core = story.core()
    text = "".join(doc.text[s:e] for s, e in story.spans)
    own = [m for m in cues if any(s <= m.start < e for s, e in core)]
    total = scores(own)
    weight = LEAD_WEIGHT if max(total.values(), default=0.0) >= MIN_SCORE else 1.0
    for label, value in scores([m for m in cues if m not in own]).items():
        total[label] = total.get(label, 0.0) + weight * value
    label = choose(total, text)
    best = max((m for m in cues if m.get("type") == label), key=lambda m: float(m.get("weight")), default=None)
    return label, best


def pick_lost(money: list[Mention]) -> Optional[Mention]:
    """What the victims lost: the surest stated loss (a total first, then the largest);
    else the case's total (涉案金额); else a total of payments the cue of which is a
    clause away."""
    lost = [m for m in money if m.get("role") == "lost" and m.get("rank") != "0"]
    if lost:
        top = max(int(m.get("rank")) for m in lost)
        sure = [m for m in lost if int(m.get("rank")) == top]
        totals = [m for m in sure if m.get("total") == "1"]
        return max(totals or sure, key=lambda m: Decimal(m.get("value")))
    involved = [m for m in money if m.get("role") == "involved" and m.get("rank") != "0"]
    if involved:
        return max(involved, key=lambda m: Decimal(m.get("value")))
    # a total of the payments told a clause earlier (转入对方账户…，共计5.8万元)
    totals = [m for m in money if m.get("role") == "lost" and m.get("total") == "1"]
    return max(totals, key=lambda m: Decimal(m.get("value")), default=None)


def pick_recovered(money: list[Mention], saved: bool = False, victims: bool = False) -> Optional[Mention]:
    """What was recovered, stopped or saved; in a story where the police stopped the payment
    (``saved``), what the victim was about to pay counts when nothing else is said; in a
    story of victims (``victims``), what was frozen."""
    rec = [m for m in money if m.get("role") == "recovered" and m.get("rank") != "0"]
    if not rec and saved:
        rec = [m for m in money if m.get("role") == "attempted"]
    if not rec and victims:
        # the victim's money frozen in the fraudsters' account is stopped from leaving (止付)
        rec = [m for m in money if m.get("role") == "frozen" and m.get("rank") != "0"]
    return max(rec, key=lambda m: Decimal(m.get("value")), default=None)


def handling_units(doc: Doc, story: Story, rules: CaseRules, home_bureau: Optional[str]) -> list[Mention]:
    """Units that took part; the home city's bureau when only 警方/民警 are named."""
    out = []
    units = _in(story, doc, "PoliceUnit")
    starts = {m.start for m in units}
    for m in units:
        if m.end in starts:
            continue          # 铁岭市公安局|西丰县局|反诈中心: the parents inside a chained name
        if story.in_heading(m.start) or rules.passive_unit(doc.text, m.start, m.end) or _statistic(doc, m, rules):
            continue          # … or it only reports statistics (今年以来，XX警方共劝阻…)
        out.append(m)
    core = story.core()
    if any(any(s <= m.start < e for s, e in core) for m in out):
        # the units of the lead-in only count when the story itself names none
        out = [m for m in out if any(s <= m.start < e for s, e in core)]
    if not out and home_bureau:
        text = "".join(doc.text[s:e] for s, e in story.spans)
        hit = rules.police.search(text)
        if hit:
            off = next(s for s, e in story.spans if rules.police.search(doc.text[s:e]))
            m2 = rules.police.search(doc.text, off)
            out.append(Mention(m2.start(), m2.end(), m2.group(), "PoliceUnit", "case.home_bureau", home_bureau))
    return out


def telling_first(doc: Doc, story: Story, units: list[Mention], people: set[str], money: list[Mention],
                  rules: CaseRules) -> list[Mention]:
    """The units' mentions with, for each unit, the one whose sentence best says it handled
    this case first: a sentence naming one of the case's people or sums of money and an action
    (接警, 止付, 抓获…) before one naming only them, before one with only an action, before
    the first mention (an analyst reads it to trust the fact; a sentence of boilerplate about
    the bureau's resolve says nothing of this case); a unit named only where it neither acts
    nor meets the case's people, or only in the lead-in, takes the sentence where the police
    act on them. Units keep
    the order they first appear in."""
    named = {doc.sentence_at(m.start).index for m in doc.mentions if m.key in people}
    named |= {doc.sentence_at(m.start).index for m in money}

    def score(m: Mention) -> int:
        sent = doc.sentence_at(m.start)
        acted = bool(rules.re["acted"].search(doc.text[sent.start:sent.end]))
        return 2 * (sent.index in named) + acted

    best: dict[str, Mention] = {}
    for m in units:
        if m.key not in best or score(m) > score(best[m.key]):
            best[m.key] = m
    telling = _police_acting(doc, story, named, rules)
    core = story.core()
    for key, m in best.items():
        lead_only = not any(s <= m.start < e for s, e in core)
        if telling is not None and (score(m) == 0 or score(m) < 2 and lead_only):
            # named only in a sentence about the bureau at large: its officers acting in a
            # sentence of this case (民警…抓获了某某) say it better
            best[key] = replace(telling, key=key)
    return sorted(best.values(), key=lambda m: min(u.start for u in units if u.key == m.key))


def _police_acting(doc: Doc, story: Story, named: set[int], rules: CaseRules) -> Optional[Mention]:
    """The police word (民警, 警方, 该局…) of the first sentence of the story's own paragraphs that
    names one of the case's people or sums and tells the police acting."""
    for s, e in story.core():
        hits = sorted([*rules.police.finditer(doc.text, s, e), *rules.re["unit_ref"].finditer(doc.text, s, e)],
                      key=lambda h: h.start())
        for hit in hits:
            sent = doc.sentence_at(hit.start())
            if sent.index in named and rules.re["acted"].search(doc.text[sent.start:sent.end]):
                return Mention(hit.start(), hit.end(), hit.group(), "PoliceUnit", "case.evidence.police")
    return None


# a date that is not when the story happened: a dateline (12月1日讯), the start of a period
# (2023年以来, 从9月中旬起), the end of one (截至11月底, 5月3日至9日), the day a reporter was told
NOT_INCIDENT_AFTER = re.compile(r"^(?:[上中下]旬|初|底)?(?:讯|电|消息|以来|至今|起)")
NOT_INCIDENT_BEFORE = re.compile(r"(?:截至|截止|截止到|至|到|[—\-－~～]|记者)$")


def incident_date(doc: Doc, story: Story) -> Optional[Mention]:
    """When the story's incident happened: the earliest date its own paragraphs give (the
    incident comes before the report, the arrest and the thank-you visit), else the earliest of
    its lead-in; a date whose month is known, resolved or not (7月30日晚 → --07-30), before a
    bare year."""
    dates = [m for m in _in(story, doc, "Date") if _ymd(m.get("value") or "")[:2] != (None, 0)
             and not story.in_heading(m.start)
             and not NOT_INCIDENT_AFTER.match(doc.text[m.end:m.end + 4])
             and not NOT_INCIDENT_BEFORE.search(doc.text[max(0, m.start - 3):m.start])]
    core = story.core()
    dates = [m for m in dates if any(s <= m.start < e for s, e in core)] or dates
    # a bare year is background (在2012年至2018年期间…) unless the story gives no month
    dates = [m for m in dates if m.get("precision") != "year"] or dates
    years = {_ymd(m.get("value"))[0] for m in dates} - {None}
    latest = max(years, default=0)

    def order(m: Mention) -> tuple:
        y, mo, d = _ymd(m.get("value"))
        # a date without its year is taken to be in the latest year the story names
        return (latest if y is None else y), mo, d, m.start
    return min(dates, key=order, default=None)


def _ymd(value: str) -> tuple[Optional[int], int, int]:
    """(year or None, month or 0, day or 0) of an ISO or partial XSD date (2023-07, --07-30)."""
    if value.startswith("--"):
        parts = value[2:].split("-")
        if value.startswith("---") or not parts[0]:
            return None, 0, int(parts[-1] or 0)
        return None, int(parts[0]), int(parts[1]) if len(parts) > 1 else 0
    parts = [int(p) for p in value.split("-") if p]
    return (parts[0] if parts else None), (parts[1] if len(parts) > 1 else 0), (parts[2] if len(parts) > 2 else 0)


def assemble(doc: Doc, story: Story, n: int, rules: CaseRules, home_bureau: Optional[str],
             only_group: Optional[Mention] = None) -> Optional[CaseFrame]:
    """The case a story tells, or None when nobody anchors it or nothing happened."""
    victims, ev_v = _keys([m for m in _in(story, doc, "Victim", "PersonRef") if m.key and m.key.startswith("Victim/")])
    suspects, ev_s = _keys([m for m in _in(story, doc, "Suspect", "PersonRef") if m.key and m.key.startswith("Suspect/")])
    group_ms = [only_group] if only_group else _in(story, doc, "CriminalGroup")
    groups, ev_g = _keys(group_ms)
    if not (victims or suspects or groups):
        return None
    money = [] if only_group is not None else [m for m in _in(story, doc, "Money") if not _statistic(doc, m, rules)]
    text = "".join(doc.text[s:e] for s, e in story.spans)
    lost, rec = pick_lost(money), pick_recovered(money, bool(rules.re["saved"].search(text)), bool(victims))
    if rec is None and lost is not None and lost.get("role") == "lost" and rules.re["full_recovery"].search(text):
        rec = lost                      # 最终将被骗资金成功追回: all of it
    core = story.core()
    own = "".join(doc.text[s:e] for s, e in core)
    own_money = [m for m in money if any(s <= m.start < e for s, e in core)]
    if not (groups or suspects or pick_lost(own_money) or pick_recovered(own_money) or rules.incident.search(own)):
        return None         # a victim who only speaks at a ceremony is no case
    if only_group is not None:
        desc_cues = [m for m in doc.labelled("CrimeCue")
                     if only_group.start <= m.start and m.end <= only_group.end]
        ctype = choose(scores(desc_cues), text)
        cue = max(desc_cues, key=lambda m: float(m.get("weight")), default=None)
    else:
        ctype, cue = story_type(doc, story)
    units, ev_u = _keys(telling_first(doc, story, handling_units(doc, story, rules, home_bureau),
                                      set(victims + suspects + groups), money, rules))
    evidence = ev_v + ev_s + ev_g + [("handledBy", k, s, e) for _, k, s, e in ev_u]
    evidence = [(f if f in ("handledBy",) else _field(f), k, s, e) for f, k, s, e in evidence]
    if cue is not None:
        evidence.append(("crimeType", ctype, cue.start, cue.end))
    for name, m in (("amountLost", lost), ("amountRecovered", rec)):
        if m is not None:
            evidence.append((name, str(Decimal(m.get("value"))), m.start, m.end))
    date = incident_date(doc, story)
    if date is not None:
        evidence.append(("date", date.get("value"), date.start, date.end))
    place = incident_place(doc, story, victims, groups, [(k, s, e) for _, k, s, e in ev_u])
    if place is not None:
        evidence.append(("place", *place))
    counts = counts_in(doc, story.spans, rules)
    evidence += [(name, str(v), s, e) for name, v, s, e in counts]
    return CaseFrame(
        id=f"{doc.item}-{n}", crime_type=ctype, victims=tuple(victims), suspects=tuple(suspects),
        groups=tuple(groups), handled_by=tuple(units), places=(place[0],) if place else (),
        amounts=_case_amounts(money, rec),
        amount_lost=Decimal(lost.get("value")) if lost else None,
        amount_recovered=Decimal(rec.get("value")) if rec else None,
        date=date.get("value") if date else None, date_precision=date.get("precision") if date else None,
        counts=tuple(sorted({(name, v) for name, v, _, _ in counts})),
        start=story.start, end=story.end, rule="case.story" if only_group is None else "case.group",
        evidence=tuple(evidence))


PLACE_NEAR = 16          # a place this many characters or fewer before a victim, in one clause, is theirs
CLAUSE_BREAK = re.compile(r"[，,。；;：:！？!?\n]")


def _leads_to(text: str, end: int, victim: int) -> bool:
    return end <= victim <= end + PLACE_NEAR and not CLAUSE_BREAK.search(text, end, victim)


PLACE_DEPTH = {"country": 0, "province": 1, "prefecture": 2, "county": 3, "township": 4, "area": 4}


def incident_place(doc: Doc, story: Story, victims: list[str], groups: list[str],
                   units: list[tuple[str, int, int]]) -> Optional[tuple[str, int, int]]:
    """Where the story's incident happened, with the span that says it: the most specific
    place written in the clause just before one of its victims (永善县某街道的杨女士, 家住某区的;
    not inside a unit's name; elsewhere in the sentence it may be where the gang was found);
    else where a victim lives; else the area of the first unit credited with the case (the one
    that took the report; through its parent bureau), before where the gang was based; a case
    with no victim: where its group is based, else that area."""
    known = {e.key: e for e in doc.entities if e.type == "Place"}

    def depth(key: str) -> int:
        return PLACE_DEPTH.get(known[key].get("level") or "", 2)

    named = [m for m in doc.labelled("Place", "PoliceUnit", "Organization") if story.covers(m)]
    inside = [(m.start, m.end) for m in named if m.label != "Place"]
    at = [m.start for m in doc.mentions if m.key in victims and story.covers(m) and not story.in_heading(m.start)]
    found = [m for m in named if m.label == "Place" and m.key in known
             and any(_leads_to(doc.text, m.end, v) for v in at)
             and not any(s <= m.start and m.end <= e for s, e in inside)]
    if found:
        best = max(found, key=lambda m: (depth(m.key), -m.start))
        return best.key, best.start, best.end
    links = [l for l in doc.links if l.object in known]

    def linked(who: list[str], rel: str) -> Optional[tuple[str, int, int]]:
        link = next((l for l in links if l.subject in who and l.predicate == rel), None)
        return (link.object, link.start, link.end) if link else None

    def handler_area() -> Optional[tuple[str, int, int]]:
        # the first unit credited (the one that took the report), through its parents
        parent = {l.subject: l.object for l in doc.links if l.predicate == "partOf"}
        for key, s, e in units:
            seen = set()
            while key and key not in seen:
                seen.add(key)
                area = next((l.object for l in links if l.subject == key and l.predicate == "jurisdiction"), None)
                if area:
                    return area, s, e
                key = parent.get(key)
        return None

    steps = ((lambda: linked(victims, "livesIn")), handler_area, (lambda: linked(groups, "basedIn"))) if victims \
        else ((lambda: linked(groups, "basedIn")), handler_area)
    return next((found for step in steps if (found := step()) is not None), None)


# roles a case's fkg:MonetaryAmount may carry (ontology/shapes.ttl); prices, earnings and
# payments only threatened stay Money mentions
CASE_ROLES = ("lost", "recovered", "involved", "frozen", "seized", "rewarded")


def _case_amounts(money: list[Mention], rec: Optional[Mention]) -> tuple:
    out = []
    for m in money:
        a = as_amount(m)
        if m is rec and a.role not in CASE_ROLES:
            a = replace(a, role="recovered", kind="prevented")   # what a dissuaded victim was about to pay
        if a.role in CASE_ROLES:
            out.append(a)
    return tuple(out)


def _statistic(doc: Doc, m: Mention, rules: CaseRules) -> bool:
    """A sum in a sentence of statistics (今年以来，全市…共挽回) is not the story's, even when
    a stray line break cuts the sentence."""
    stops = [doc.text.rfind(c, 0, m.start) for c in "。！？!?；;"]
    start = max(stops) + 1
    return bool(rules.re["scope"].search(doc.text[start:m.start]))


def _field(label: str) -> str:
    return {"Victim": "victim", "PersonRef": "victim", "Suspect": "suspect",
            "CriminalGroup": "group", "PoliceUnit": "handledBy"}.get(label, label)


def home_bureau(doc: Doc, resources) -> tuple[Optional[str], list[Entity]]:
    """Key of the home city's public security bureau (and its entity when not yet declared)."""
    if not doc.home_city:
        return None, []
    code = doc.home_city.partition("/")[2]
    try:
        name = resources.gazetteer.get(code).name
    except Exception:
        return None, []
    label = f"{name}公安局"
    key = entity_key("PoliceUnit", label)
    if doc.entity(key) is not None:
        return key, []
    return key, [Entity(key, "PoliceUnit", label)]


def merge_group_and_victim(doc: Doc, stories: list[Story]) -> list[Story]:
    """A gang's story followed by one victim's story of the same kind of fraud is one case
    (the gang taken down, then how it cheated the victim)."""
    out: list[Story] = []
    for st in stories:
        prev = out[-1] if out else None
        if (prev is not None and len(prev.groups) == 1 and not prev.victims and st.victims
                and not st.groups and _own_score(doc, st, story_type(doc, prev)[0]) >= MIN_SCORE):
            prev.spans += st.spans
            prev.victims += st.victims
            continue
        out.append(st)
    return out


def _own_score(doc: Doc, story: Story, label: str) -> float:
    """How strongly the story's own paragraphs show the modus operandi ``label``."""
    core = story.core()
    own = [m for m in doc.labelled("CrimeCue") if any(s <= m.start and m.end <= e for s, e in core)]
    return scores(own).get(label, 0.0)


def doc_cases(doc: Doc, rules: CaseRules, resources) -> tuple[list[CaseFrame], list, list[Entity]]:
    """Cases, figures and any entity the cases need declared (the home bureau)."""
    stories, stats = split_stories(doc, rules)
    stories = merge_group_and_victim(doc, stories)
    bureau, extra = home_bureau(doc, resources)
    frames: list[CaseFrame] = []
    for story in stories:
        described = [m for m in _in(story, doc, "CriminalGroup") if m.get("specific") == "1"]
        distinct = list({m.key: m for m in described}.values())
        if len(distinct) > 1 and not story.victims and _one_sentence(doc, distinct):
            for g in distinct:
                c = assemble(doc, story, len(frames), rules, bureau, only_group=g)
                if c:
                    frames.append(c)
            continue
        c = assemble(doc, story, len(frames), rules, bureau)
        if c:
            frames.append(c)
    used = bureau is not None and any(bureau in c.handled_by for c in frames)
    figures = figures_of(doc, stats, rules, bureau)
    used = used or any(f.reporter == bureau for f in figures)
    return frames, figures, extra if used else []


def _one_sentence(doc: Doc, groups: list[Mention]) -> bool:
    return len({doc.sentence_at(m.start).index for m in groups}) == 1


@register("cases", requires=("CrimeCue", "Date", "Money", "PoliceUnit", "Victim", "Suspect", "PersonRef",
                    "CriminalGroup", "home_city", "Place", "Organization", "links"),
          assigns=("cases", "figures"))
def make_cases(resources):
    rules = CaseRules(resources.table("case_cues"))

    def cases(doc: Doc) -> Doc:
        frames, figures, entities = doc_cases(doc, rules, resources)
        return doc.add(cases=frames, figures=figures, entities=entities)
    return cases
