"""Cutting a news item into stories: the paragraphs that tell one incident or investigation.

A story opens with the paragraph that brings in a new victim (or a new gang when the story
already has one, or after 另/此外, or after a subheading); paragraphs without anyone new
continue it. Advice (警方提醒…) ends the stories of an item; paragraphs of statistics
(全市破获案件502起) belong to no story and become figures; paragraphs before the first story
that name nobody lead into it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Doc, Mention

LIST_ITEM = re.compile(r"^(?:[0-9]+[、.．]|[（(]?[一二三四五六七八九十]+[)）、])")
HEADING_END = re.compile(r"[。！？!?；;”\"…]$")
SENTENCE_END = re.compile(r"[。！？!?；;]")


@dataclass
class Paragraph:
    start: int
    end: int
    heading: bool = False
    stats: bool = False
    victims: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()          # keys of groups first described here
    anchors: tuple[str, ...] = ()         # victims, described groups and suspects here
    refs: bool = False                    # 该团伙, 她…: it speaks of someone told before


@dataclass
class Story:
    spans: list[tuple[int, int]] = field(default_factory=list)
    victims: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    headings: list[tuple[int, int]] = field(default_factory=list)   # titles and subheadings
    leads: list[tuple[int, int]] = field(default_factory=list)      # paragraphs that lead in
    anchors: list[str] = field(default_factory=list)                # everyone named so far

    def in_heading(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.headings)

    def core(self) -> list[tuple[int, int]]:
        """The story's own paragraphs (not the headings and leads before it)."""
        return [sp for sp in self.spans if sp not in self.headings and sp not in self.leads]

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]

    def covers(self, m: Mention) -> bool:
        return any(s <= m.start and m.end <= e for s, e in self.spans)


def paragraphs(doc: Doc) -> list[Paragraph]:
    """The item's paragraphs (lines), with who is named in each."""
    out, pos = [], 0
    for line in doc.text.split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        if not line.strip():
            continue
        inside = [m for m in doc.mentions if s <= m.start and m.end <= e and m.key]
        victims = tuple(dict.fromkeys(m.key for m in inside if m.label == "Victim"))
        groups = tuple(dict.fromkeys(m.key for m in inside if m.label == "CriminalGroup"
                                     and m.get("specific") == "1"))
        suspects = tuple(dict.fromkeys(m.key for m in inside if m.label == "Suspect"))
        short = len(line) <= 30 if "," not in line else len(line) <= 24
        heading = line.strip() == doc.title.strip() or short and (
            not HEADING_END.search(line.strip())
            or LIST_ITEM.match(line.strip()) is not None and not SENTENCE_END.search(line))   # 四、斩断“信息链”
        refs = any(m.label in ("CriminalGroup", "PersonRef") for m in inside)
        out.append(Paragraph(s, e, heading, False, victims, groups, victims + groups + suspects, refs))
    return out


def split_stories(doc: Doc, rules) -> tuple[list[Story], list[Paragraph]]:
    """Stories of the item and its paragraphs of statistics."""
    stories: list[Story] = []
    stats: list[Paragraph] = []
    lead: list[tuple[int, int]] = []
    current: Story | None = None
    advice = False
    headings: list[tuple[int, int]] = []
    for p in paragraphs(doc):
        text = doc.text[p.start:p.end]
        if rules.reminder.search(text):
            advice = True
            current = None
            continue
        if advice and (LIST_ITEM.match(text) or not p.anchors):
            continue
        advice = False
        if p.heading:
            # a heading opens a section: what led in before it belongs to the section before
            after_heading = bool(lead) and lead[-1] in headings
            lead = lead + [(p.start, p.end)] if current is None and after_heading else [(p.start, p.end)]
            current = None
            headings.append((p.start, p.end))
            continue
        if not p.anchors and not p.refs and rules.is_stats(text, in_story=current is not None):
            p.stats = True
            stats.append(p)
            continue
        if current is not None and not p.anchors and not p.refs and (
                rules.re["new_incident"].search(text) or rules.new_story.search(text)):
            current, lead = None, []      # 今年6月，某地发生一起…: an incident nobody anchors
            continue
        if current is None or _opens_story(current, p, text, rules):
            if not p.anchors:
                lead.append((p.start, p.end))
                continue
            told = _told_before(stories, p)
            if told is not None:          # the same victim again after a subheading
                current = told
                current.spans += lead + [(p.start, p.end)]
                current.headings += [h for h in lead if h in headings]
            else:
                current = Story(spans=lead + [(p.start, p.end)], headings=[h for h in lead if h in headings],
                                leads=[sp for sp in lead if sp not in headings])
                stories.append(current)
            lead = []
        else:
            current.spans.append((p.start, p.end))
        current.victims += [v for v in p.victims if v not in current.victims]
        current.groups += [g for g in p.groups if g not in current.groups]
        current.anchors += [a for a in p.anchors if a not in current.anchors]
    return stories, stats


def _told_before(stories: list[Story], p: Paragraph) -> Story | None:
    """The earlier story whose victims and groups are all this paragraph names."""
    if not (p.victims or p.groups):
        return None
    for st in reversed(stories):
        if set(p.victims) <= set(st.victims) and set(p.groups) <= set(st.groups):
            return st
    return None


def _opens_story(current: Story, p: Paragraph, text: str, rules) -> bool:
    new_victims = [v for v in p.victims if v not in current.victims]
    known_here = any(v in current.victims for v in p.victims)
    new_groups = [g for g in p.groups if g not in current.groups]
    if not (current.victims or current.groups):
        # a story of suspects alone: a victim joins it unless another story is announced
        return bool(new_victims and rules.new_story.search(text))
    if new_victims and not known_here:
        return True
    if new_groups and (current.groups or rules.new_story.search(text) or rules.date_lead(text)):
        return True
    new_people = [a for a in p.anchors if a not in current.anchors]
    return bool(rules.new_story.search(text) and (new_victims or new_groups or new_people))
