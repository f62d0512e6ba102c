"""Counts and reported figures: ``抓获犯罪嫌疑人64名`` in a story is a count of its case;
``全市破获案件502起`` in a paragraph of statistics is a :class:`~kg.model.Figure` reported by
a unit for an area and a period. The patterns are the rows of ``kg/data/case_cues.tsv``.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Optional

from ..model import Doc, Figure

AMOUNT_MEASURES = {"recovered": "amountRecovered", "frozen": "amountFrozen", "lost": "amountLost",
                   "involved": "amountInvolved", "seized": "amountSeized"}
# a sum kept from the fraudsters is reported by its kind: a 劝阻 total or a 止付 total is not
# money returned to anyone
KIND_MEASURES = {"returned": "amountReturned", "stopped": "amountStopped",
                 "prevented": "amountPrevented", "avoided": "amountLossAvoided"}
# counts a case carries (fkg properties); a detention count stands for the arrests
CASE_MEASURES = {"suspectsArrested": "suspectsArrested", "suspectsDetained": "suspectsArrested",
                 "victimCount": "victimCount", "casesSolved": "casesSolved"}
DATE_LEAD = re.compile(r"^(?:今年|去年|前年)?(?:[0-9]{4}年)?[0-9]{1,2}月|^[0-9]{4}年|^(?:近日|日前|当天|当晚)")
MONEY = re.compile(r"[0-9.]+(?:万|亿)?(?:余|多)?元")


class CaseRules:
    """The rows of ``case_cues.tsv`` by kind, compiled."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        self.counts: list[tuple[str, str, str, re.Pattern]] = []
        kinds: dict[str, list[str]] = {}
        for r in rows:
            if r["kind"] == "count":
                self.counts.append((r["id"], r["measure"], r["unit"], re.compile(r["pattern"])))
            else:
                kinds.setdefault(r["kind"], []).append(f"(?:{r['pattern']})")
        self.re = {k: re.compile("|".join(v)) for k, v in kinds.items()}
        self.reminder, self.new_story = self.re["reminder"], self.re["new_story"]
        self.police, self.incident = self.re["police"], self.re["incident"]

    def is_stats(self, text: str, in_story: bool = False) -> bool:
        """A paragraph of statistics: counts, or sums over a scope (全市, 累计…); inside a
        story only with a scope word (else 抓获犯罪嫌疑人87名 is the story's own count)."""
        scope = self.re["stats"].search(text)
        if in_story and not scope:
            return False
        if any(p.search(text) for _, _, _, p in self.counts):
            return True
        return bool(scope and MONEY.search(text))

    def date_lead(self, text: str) -> bool:
        return bool(DATE_LEAD.match(text))

    def passive_unit(self, text: str, start: int, end: int) -> bool:
        """The unit at ``text[start:end]`` only supervised, commended, reported or spoke."""
        stops = "，,。；;！？!?\n"
        lo = max(0, start - 12)
        clause_start = max([lo] + [i + 1 for i in range(lo, start) if text[i] in stops])
        if re.search(r"(?:接到|收到|根据|来自)(?:一条|一份)?$", text[clause_start:start]):
            return True       # 接到一条广州市反诈中心紧急预警: the unit only sent the warning
        hi = min(len(text), end + 24)
        clause_end = min([hi] + [i for i in range(end, hi) if text[i] in stops])
        return bool(self.re["not_handling"].search(text[clause_start:clause_end]))


def _number(s: str) -> Decimal:
    return Decimal(s.replace("万", "")) * (10000 if "万" in s else 1)


def count_matches(text: str, offset: int, rules: CaseRules) -> list[tuple[str, str, Decimal, int, int]]:
    """(rule id, measure, value, start, end) of every count in ``text`` (offsets + ``offset``)."""
    out, taken = [], []
    for rid, measure, _, pat in rules.counts:
        for m in pat.finditer(text):
            if any(s < m.end() and m.start() < e for s, e, ms in taken if ms == measure):
                continue
            n = next(g for g in (m.groupdict().get("n"), m.groupdict().get("n2")) if g)
            taken.append((m.start(), m.end(), measure))
            out.append((rid, measure, _number(n), offset + m.start(), offset + m.end()))
    return sorted(out, key=lambda t: t[3])


def counts_in(doc: Doc, spans: list[tuple[int, int]], rules: CaseRules) -> list[tuple[str, int, int, int]]:
    """Counts of a story: (measure, n, start, end), the first of each measure."""
    seen, out = set(), []
    for s, e in spans:
        for _, measure, value, ms, me in count_matches(doc.text[s:e], s, rules):
            measure = CASE_MEASURES.get(measure, "")
            if measure and measure not in seen and value == value.to_integral():
                seen.add(measure)
                out.append((measure, int(value), ms, me))
    return out


def _period(text: str, rules: CaseRules) -> Optional[str]:
    m = rules.re["period"].search(text)
    return m.group() if m else None


def figures_of(doc: Doc, paragraphs, rules: CaseRules, bureau: Optional[str]) -> list[Figure]:
    """Figures of the statistics paragraphs: counts and sums with the role of their cue."""
    out: list[Figure] = []
    units = list(doc.labelled("PoliceUnit"))
    for p in paragraphs:
        for sent in (s for s in doc.sentences if p.start <= s.start and s.end <= p.end):
            text = doc.text[sent.start:sent.end]
            period = _period(text, rules) or _period(doc.text[p.start:p.end], rules)
            reporter = next((u.key for u in units if sent.start <= u.start < sent.end), None) or \
                next((u.key for u in reversed(units) if u.start < sent.start), None) or bureau
            area = doc.home_city if re.search(r"全市|我市|全区|全县|全州|本市", text) else None
            for rid, measure, value, s, e in count_matches(text, sent.start, rules):
                unit = next(u for r, _, u, _ in rules.counts if r == rid)
                out.append(Figure(measure, value, unit, period, reporter, area, s, e, f"figure.{rid}"))
            for m in doc.labelled("Money"):
                if sent.start <= m.start < sent.end and m.get("role") in AMOUNT_MEASURES:
                    role, kind = m.get("role"), m.get("kind")
                    measure = KIND_MEASURES.get(kind, AMOUNT_MEASURES[role]) if role == "recovered" \
                        else AMOUNT_MEASURES[role]
                    out.append(Figure(measure, Decimal(m.get("value")), "yuan", period, reporter, area,
                                      m.start, m.end, f"figure.money.{role}", kind))
    return out
