"""Crime type of a story, chosen by its modus operandi (weighted cues), not by the first
keyword of the article.

The extractor marks every cue of ``kg/data/crime_cues.tsv`` as a ``CrimeCue`` mention
(attrs ``type`` and ``weight``); :func:`classify` sums the cues of a span — a story, a
group's description — and returns one label of the SKOS scheme.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Optional

from ..model import Doc, Mention
from . import register
from ._prefilter import Prefilter

MIN_SCORE = 2.0           # a type needs this much evidence to beat the generic labels
MAX_HITS = 3              # one cue counts at most this often in a span
OTHER_FRAUD = "其他电信网络诈骗"
OTHER_CRIME = "其他犯罪"
FRAUD_WORDS = re.compile(r"诈骗|骗子|被骗|受骗|骗走|骗取|骗局|反诈|电诈|涉诈|劝阻|预警|境外电话")


@dataclass(frozen=True)
class CrimeCue:
    id: str
    label: str
    pattern: re.Pattern
    weight: float


def load_cues(rows: list[dict[str, str]], labels: Optional[Iterable[str]] = None) -> list[CrimeCue]:
    """Compiled rows of ``crime_cues.tsv``; with ``labels``, reject a label not in the scheme."""
    known = set(labels) if labels is not None else None
    cues = []
    for r in rows:
        if known is not None and r["label"] not in known:
            raise ValueError(f"kg/data/crime_cues.tsv row {r['id']}: unknown crime type {r['label']!r}")
        cues.append(CrimeCue(r["id"], r["label"], re.compile(r["pattern"]), float(r["weight"])))
    return cues


def cue_mentions(text: str, cues: list[CrimeCue], prefilter: Optional[Prefilter] = None) -> list[Mention]:
    """A ``CrimeCue`` mention for every cue match in ``text``; ``prefilter`` (of the cues'
    patterns) skips the cues that cannot match: the same mentions in half the time."""
    out = []
    may_match = prefilter.may_match(text) if prefilter else [True] * len(cues)
    for cue, maybe in zip(cues, may_match):
        if not maybe:
            continue
        for m in cue.pattern.finditer(text):
            out.append(Mention(m.start(), m.end(), m.group(), "CrimeCue", f"crime.{cue.id}",
                               attrs=(("cue", cue.id), ("type", cue.label), ("weight", str(cue.weight)))))
    return out


def scores(mentions: Iterable[Mention]) -> dict[str, float]:
    """Sum of cue weights per crime type, each cue counted at most ``MAX_HITS`` times."""
    seen: Counter = Counter()
    total: dict[str, float] = defaultdict(float)
    for m in mentions:
        cue = m.get("cue")
        if seen[cue] >= MAX_HITS:
            continue
        seen[cue] += 1
        total[m.get("type")] += float(m.get("weight"))
    return dict(total)


def choose(score: dict[str, float], text: str) -> str:
    """The best-scoring type, or the generic fraud / other-crime label when none is clear."""
    if score:
        label, best = max(sorted(score.items()), key=lambda kv: kv[1])
        if best >= MIN_SCORE:
            return label
    return OTHER_FRAUD if FRAUD_WORDS.search(text) else OTHER_CRIME


def classify(text: str, cues: list[CrimeCue]) -> str:
    """Crime type of a piece of text on its own (a group's description, a test sentence)."""
    return choose(scores(cue_mentions(text, cues)), text)


def classify_span(doc: Doc, start: int, end: int) -> str:
    """Crime type of ``doc.text[start:end]`` from the ``CrimeCue`` mentions already in ``doc``."""
    inside = [m for m in doc.labelled("CrimeCue") if start <= m.start and m.end <= end]
    return choose(scores(inside), doc.text[start:end])


@register("crime_types", assigns=("CrimeCue",))
def make_crime_types(resources):
    from ..ontology import crime_types
    cues = load_cues(resources.table("crime_cues"), crime_types())
    prefilter = Prefilter([c.pattern.pattern for c in cues])

    def crime_type_cues(doc: Doc) -> Doc:
        return doc.add(mentions=cue_mentions(doc.text, cues, prefilter))
    return crime_type_cues
