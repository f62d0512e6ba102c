"""What a case's sentences say about it beyond who took part: when it happened (the
incident's date), where (fkg:occurredIn), and which sentence is the evidence that a unit
handled it. :mod:`kg.extract.cases` assembles the case and asks these questions of a story.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional

from ..model import Doc, Mention
from .figures import CaseRules
from .stories import Story


def _in(story: Story, doc: Doc, *labels: str) -> list[Mention]:
    return [m for m in doc.labelled(*labels) if story.covers(m)]


def telling_first(doc: Doc, story: Story, units: list[Mention], people: set[str], money: list[Mention],
                  rules: CaseRules) -> list[Mention]:
    """The units' mentions with, for each unit, the one whose sentence best says it handled
    this case first: a sentence naming one of the case's people or sums of money and an action
    (接警, 止付, 抓获…) before one naming only them, before one with only an action, before
    the first mention (an analyst reads it to trust the fact; a sentence of boilerplate about
    the bureau's resolve says nothing of this case); a unit named only where it neither acts
    nor meets the case's people, or only in the lead-in, takes the sentence where the police
    act on them. Units keep the order they first appear in."""
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


PLACE_NEAR = 16          # a place this many characters or fewer before a victim, in one clause, is theirs
CLAUSE_BREAK = re.compile(r"[，,。；;：:！？!?\n]")


def _leads_to(text: str, end: int, victim: int) -> bool:
    return end <= victim <= end + PLACE_NEAR and not CLAUSE_BREAK.search(text, end, victim)


PLACE_DEPTH = {"country": 0, "province": 1, "prefecture": 2, "county": 3, "township": 4, "area": 4}


def incident_place(doc: Doc, story: Story, victims: list[str], groups: list[str],
                   units: list[tuple[str, int, int]]) -> Optional[tuple[str, int, int]]:
    """Where the story's incident happened, with the span that says it: the most specific
    place written in the clause just before one of its victims (某县某街道的孙女士, 家住某区的;
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
