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

from dataclasses import replace
from decimal import Decimal
from typing import Optional

from ..model import CaseFrame, Doc, Entity, Mention, entity_key
from . import register
from .casefacts import incident_date, incident_place, telling_first
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
