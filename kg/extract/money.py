"""Sums of money (``Money`` mentions) with the role each plays in the story.

Every amount that :func:`kg.numbers.find_amounts` finds becomes a ``Mention(label="Money")``
whose attrs hold ``value`` (yuan), ``qualifier``, ``role`` (lost / recovered / frozen /
involved / seized / rewarded / attempted / demanded / threshold / other), ``kind`` (for money kept from the
fraudsters: returned / stopped / prevented / avoided), ``rank`` (2 = a stated loss or recovery,
1 = a payment that was probably lost) and ``total`` (共/累计 said it sums several payments).

The role comes from the cue words of ``kg/data/amount_roles.tsv``: a cue right after the
amount (``50万元被全额止付``) wins; otherwise the nearest cue before it in its clause, then in
the sentence. A loss that was only attempted (试图/打算/险些) is no loss but ``attempted``:
what a victim was about to pay when the police stepped in is what they saved; cash
withdrawn on the way to the fraudster (取出2万元现金) is attempted too; what the fraudster asked
for (需支付800元) is ``demanded``, neither lost nor saved. A bound of a
category (损失3000元以上的案件) is a ``threshold``; a negative figure (负5万元) and an order of
magnitude (上千万元, 数万元) are ``other``: none is money anyone lost.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from ..model import Amount, Doc, Mention
from ..numbers import find_amounts
from . import register

CLAUSE_END = re.compile(r"[。；;！？!?\n,，：:]")
ATTEMPT = re.compile(r"试图|企图|准备|正要|打算|险些|差一点|差点|意图|欲将")
# a bound that sorts cases or victims (3000元以上的案件), not a sum of one story
THRESHOLD_AFTER = re.compile(r"^(?:的)?[^，,。；;]{0,6}?(?:案件|案|警情|受害人|群众)")
NEGATIVE = re.compile(r"(?:负|-|－|−)$")
# 被盗走手表、现金等,总价值8000余元: the worth of what was stolen, told a clause after the theft
STOLEN = re.compile(r"被盗|盗走|窃走|偷走|被偷|窃得|盗得|偷得")
WORTH = re.compile(r"价值(?:约|达|共计|共)?$")
# an order of magnitude, not a sum (上万元, 数万元, 上千万元): no amount, as the annotators read it
VAGUE = re.compile(r"^(?:上|数|几|成)[十百千万亿]")
TOTAL = re.compile(r"(?:共|累计|一共|总计|合计|共计|总共)[^，,。；]{0,8}$")
WINDOW = 40


@dataclass(frozen=True)
class RoleCue:
    id: str
    role: str
    kind: str
    side: str
    rank: int
    pattern: re.Pattern


def load_cues(rows: list[dict[str, str]]) -> list[RoleCue]:
    """Rows of ``amount_roles.tsv`` as compiled cues."""
    return [RoleCue(r["id"], r["role"], r["kind"], r["side"], int(r["rank"]), re.compile(r["pattern"]))
            for r in rows]


def _clause_start(text: str, pos: int, floor: int) -> int:
    start = max(floor, pos - WINDOW)
    for m in CLAUSE_END.finditer(text, start, pos):
        start = m.end()
    return start


ACTIONS = ("recovered", "frozen", "seized")
ACTION_GAP = 4      # 止付一笔被骗资金5万元: at most this many characters between action and loss


def _nearest(cues: list[RoleCue], window: str) -> Optional[tuple[RoleCue, int]]:
    """The before-cue whose match ends closest to the end of ``window``; an action
    (冻结, 返还…) earlier in the window wins over the noun it acts on (冻结涉案资金40万元),
    and over the loss it undoes right after it (追回被骗的6万元, 止付一笔被骗资金18万元)."""
    best: Optional[tuple[int, int, RoleCue]] = None
    action: Optional[tuple[int, int, RoleCue]] = None
    for cue in cues:
        if cue.side != "before":
            continue
        for m in cue.pattern.finditer(window):
            cand = (m.end(), m.end() - m.start(), cue)
            if best is None or cand[:2] > best[:2]:
                best = cand
            if cue.role in ACTIONS and (action is None or cand[:2] > action[:2]):
                action = cand
    if best is not None and action is not None and (
            best[2].role == "involved"
            or (best[2].role == "lost" and best[0] - best[1] - action[0] <= ACTION_GAP)):
        best = action
    return (best[2], best[0]) if best else None


def amount_role(cues: list[RoleCue], text: str, start: int, end: int,
                sentence_start: int = 0) -> tuple[str, int, str, str]:
    """(role, rank, rule id, kind) of the amount at ``text[start:end]``."""
    if NEGATIVE.search(text[max(0, start - 1):start]):
        return "other", 0, "negative", ""
    if VAGUE.match(text[start:end]):
        return "other", 0, "vague", ""
    after = text[end:end + 20]
    if text[start:end].endswith(("以上", "以下")) and THRESHOLD_AFTER.match(after):
        return "threshold", 0, "threshold", ""
    clause_start = _clause_start(text, start, sentence_start)
    for cue in cues:
        if cue.side == "after" and cue.pattern.search(after):
            if cue.role == "lost" and ATTEMPT.search(text[clause_start:start]):
                return "attempted", 1, "attempt", ""     # 差一点就把4万元转给了对方
            return cue.role, cue.rank, cue.id, cue.kind
    hit = _nearest(cues, text[clause_start:start])
    if ATTEMPT.search(text[clause_start:start]) and (hit is None or hit[0].role in ("lost", "other")):
        return "attempted", 1, "attempt", ""
    rank_penalty = 0
    if hit is None:
        hit = _nearest(cues, text[max(sentence_start, start - WINDOW):clause_start])
        rank_penalty = 1
    if hit is None:
        return "other", 0, "none", ""
    cue, _ = hit
    if cue.role == "other" and WORTH.search(text[clause_start:start]) \
            and STOLEN.search(text[sentence_start:clause_start]):
        return "lost", 2, "lost.stolen_worth", ""
    return cue.role, max(0, cue.rank - rank_penalty), cue.id, cue.kind


def money_mentions(doc: Doc, cues: list[RoleCue]) -> list[Mention]:
    """A ``Money`` mention for every amount in the item, with its role."""
    out = []
    for a in find_amounts(doc.text):
        sent_start = doc.sentence_at(a.start).start if doc.sentences else 0
        role, rank, rule, kind = amount_role(cues, doc.text, a.start, a.end, sent_start)
        total = bool(TOTAL.search(doc.text[max(sent_start, a.start - 12):a.start]))
        attrs = {"value": str(a.value), "qualifier": a.qualifier, "role": role,
                 "rank": str(rank), "total": "1" if total else "0"}
        if kind:
            attrs["kind"] = kind
        if a.high is not None:
            attrs["high"] = str(a.high)
        out.append(Mention(a.start, a.end, a.text, "Money", f"money.{rule}",
                           attrs=tuple(sorted(attrs.items()))))
    return out


def as_amount(m: Mention) -> Amount:
    """The :class:`Amount` a ``Money`` mention stands for."""
    return Amount(Decimal(m.get("value")), m.get("role", "other"), m.get("qualifier", "exact"),
                  m.text, m.start, m.end, m.get("kind", ""))


@register("money", assigns=("Money",))
def make_money(resources):
    cues = load_cues(resources.table("amount_roles"))

    def money(doc: Doc) -> Doc:
        return doc.add(mentions=money_mentions(doc, cues))
    return money
