"""Gangs the text forms without a group noun: a suspect who gathers others (赵某纠集钱某、孙某),
named people acting together (X、Y等人利用…), a gang only referred to (该犯罪团伙) and an
unnamed crew taken down together (擒获4名盗窃嫌疑人)."""
from __future__ import annotations

import re
from typing import Optional

from ..model import Doc, Mention
from ._gangs import LIST_SEP, GroupMention, GroupRules

QUOTED = re.compile(r"[“\"]([^”\"]{2,6})[”\"]")


def gathered(doc: Doc, rules: GroupRules) -> list[GroupMention]:
    """A gang the text forms without naming it: 赵某纠集钱某、孙某 (the one who gathered the
    others and those gathered). Labelled by its first member, its size and the headline's
    quoted word for the scheme (“引流”) when there is one."""
    suspects = sorted((m for m in doc.labelled("Suspect") if m.key), key=lambda m: m.start)
    by_end = {m.end: m for m in suspects}
    out = []
    for g in rules.gather.finditer(doc.text):
        first = by_end.get(g.start())
        if first is None:
            continue
        names, pos = [first], g.end()
        for m in suspects:
            if m.start == pos:
                names.append(m)
                pos = m.end + (1 if doc.text[m.end:m.end + 1] in LIST_SEP else 0)
        if len(names) >= 2:
            out.append(_gathered_group(doc, names, names[-1].end))
    # 甲某、乙某、丙某等人利用“资产解冻”为幌子进行诈骗: named people acting together
    i = 0
    while i < len(suspects):
        run = [suspects[i]]
        while i + len(run) < len(suspects) and suspects[i + len(run)].start == run[-1].end + 1 \
                and doc.text[run[-1].end] in LIST_SEP:
            run.append(suspects[i + len(run)])
        together = rules.together.match(doc.text, run[-1].end)
        if together and (len(run) >= 2 or together.group("n")):     # 等人: how many is not said
            out.append(_gathered_group(doc, run, together.end(), counted=bool(together.group("n"))))
        i += len(run)
    return out


def told_by_reference(doc: Doc, mentions: list[GroupMention]) -> Optional[GroupMention]:
    """该犯罪团伙 with no gang described before: the gang of the people named beside the
    first such reference (掌握了该团伙的活动规律，锁定丁某等四名犯罪嫌疑人)."""
    suspects = sorted((m for m in doc.labelled("Suspect") if m.key), key=lambda m: m.start)
    for gm in mentions:
        if not gm.refers:
            continue
        sent = doc.sentence_at(gm.start)
        names = [m for m in suspects if sent.start <= m.start < sent.end]
        if len(names) >= 2:
            told = _gathered_group(doc, names, names[-1].end, counted=False)
            told.rule = "group.referred"
            return told
    return None


def _gathered_group(doc: Doc, names: list[Mention], end: int, counted: bool = True) -> GroupMention:
    first = names[0]
    n = len(dict.fromkeys(m.key for m in names))
    sent = doc.sentence_at(first.start)
    quoted = QUOTED.search(doc.text, sent.start, sent.end) or QUOTED.search(doc.title or "")
    size = f"{n}人" if counted else ""
    label = f"{first.text}等{size}{quoted.group(1) if quoted else ''}团伙"
    gm = GroupMention(first.start, end, doc.text[first.start:end], label, True, False,
                      rule="group.gathered")
    gm.leader_span = (first.start, names[-1].end)
    return gm


CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九十")} | {"两": 2}


def unnamed_crew(doc: Doc, rules: GroupRules) -> Optional[GroupMention]:
    """A crew nobody names, taken down together (擒获4名盗窃嫌疑人, 这伙人): a gang of a story
    that names no suspect, labelled by the first place, the crew's size and its crime
    (盗窃摩托车) when the text writes one."""
    if any(m.key for m in doc.labelled("Suspect")):
        return None
    for m in rules.crew.finditer(doc.text):
        raw = m.group("n")
        n = int(raw) if raw.isdigit() else CN_DIGITS.get(raw, 0)
        sent = doc.sentence_at(m.start())
        if n < 2 or not rules.arrest.search(doc.text, sent.start, sent.end):
            continue
        if n < 3 and not rules.crew_ref.search(doc.text):
            continue
        deeds = [d.group() for d in rules.crew_deed.finditer(doc.text)]
        deed = max(deeds, key=len, default="")
        places = sorted(doc.labelled("Place"), key=lambda p: p.start)
        label = (places[0].text if places else "") + f"{n}人{deed}团伙"
        return GroupMention(m.start(), m.end(), m.group(), label, True, False, rule="group.unnamed")
    return None
