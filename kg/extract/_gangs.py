"""What the group extractor's parts share: its rules, the group mention, labels' cores and
the places a group is told with."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..model import Doc, Mention

GENERIC_WORDS = re.compile(r"犯罪|诈骗|团伙|集团|恶势力|电信|网络|涉诈|电诈|特大|组织|窝点|黑恶|跨境|跨省|团队|职业")
LIST_SEP = "、和及与"


class GroupRules:
    """The patterns of ``group_patterns.tsv``, one compiled regex per kind."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        kinds: dict[str, list[str]] = {}
        for r in rows:
            kinds.setdefault(r["kind"], []).append(f"(?:{r['pattern']})")
        self.re = {k: re.compile("|".join(v)) for k, v in kinds.items()}

    def __getattr__(self, kind: str) -> re.Pattern:
        try:
            return self.__dict__["re"][kind]
        except KeyError:
            raise AttributeError(kind) from None


@dataclass
class GroupMention:
    start: int             # of the description
    end: int               # of the group noun
    desc: str
    label: str
    specific: bool
    refers: bool
    origin: tuple[Mention, ...] = ()      # Place mentions of X籍
    based: tuple[Mention, ...] = ()       # Place mentions where it operates
    leader_span: Optional[tuple[int, int]] = None
    key: Optional[str] = None             # while clustering: id() of the group it names
    rule: str = "group.description"
    den: bool = False
    aliases: set = field(default_factory=set)
    modus: Optional[tuple[int, int]] = None   # the story's 以…为由 phrase put into the label


def core(label: str) -> str:
    """What distinguishes a group's label: the label without generic group words."""
    return GENERIC_WORDS.sub("", label)


def _places_in(doc: Doc, start: int, end: int) -> list[Mention]:
    return [m for m in doc.labelled("Place") if start <= m.start and m.end <= end and m.key]


def most_specific(places: list[Mention], resources) -> list[str]:
    """Keys of ``places`` without those written right before a place inside them
    (广东东莞 → 东莞; 义乌、金华 keeps both)."""
    gaz = getattr(resources, "gazetteer", None) if resources is not None else None
    places = sorted({(p.start, p.end): p for p in places}.values(), key=lambda p: p.start)
    out = []
    for i, p in enumerate(places):
        nxt = places[i + 1] if i + 1 < len(places) else None
        if nxt is not None and gaz is not None and nxt.start == p.end and nxt.key != p.key:
            try:
                if gaz.is_within(nxt.key.partition("/")[2], p.key.partition("/")[2]):
                    continue
            except Exception:
                pass
        out.append(p.key)
    return list(dict.fromkeys(out))


def _chain(text: str, places: list[Mention], at: int) -> list[Mention]:
    """The places written one after another from ``at`` (赶赴广东省东莞市: both; the deeper
    is kept by :func:`most_specific`), and the places of a list (分赴湖南、江西、福建)."""
    out: list[Mention] = []
    for p in sorted(places, key=lambda p: (p.start, -p.end)):
        if not out and at <= p.start <= at + 2 or out and p.start == out[-1].end:
            out.append(p)
        elif out and p.start == out[-1].end + 1 and text[out[-1].end] in LIST_SEP:
            out.append(p)                     # 在云南昭通、四川宜宾等地: a list of places
        elif out and p.start > out[-1].end:
            break
    return out
