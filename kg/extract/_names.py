"""Finding Chinese personal names in text: surnames, honorifics, name boundaries.

Shared by the persons extractor (who is named) and its tests. Everything here works on
plain strings and offsets; roles are decided in :mod:`kg.extract.persons`.

A name is anchored on a surname from ``kg/data/surnames.tsv`` and written in one of the
forms the reports use: surname + honorific (``王女士``), surname + 某 (``王某``, ``王某某``,
``王某明``), a full name after a title (``民警王明宇``), or ``小王`` when the text gives the
full name. The end of a full name after a title is the hard part (``民警方俊挺带着…`` is
方俊挺, ``局长刘凯为组长`` is 刘凯): we decide between a one- and a two-character given
name from repetition in the item, stop characters, and jieba's dictionary.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Optional

HAN = re.compile(r"[\u4e00-\u9fff]")

# A surname right after one of these is a quantifier phrase, not a name (一位女士, 该某).
NOT_BEFORE = frozenset("一二两三四五六七八九十几这那该每某各此其名个多数0123456789０１２３４５６７８９")
# Characters that do not start a given name after a title (民警在…, 民警的…).
NOT_GIVEN_START = frozenset("的了在和与等将把被到也就都对从于及称跟给让由着过已曾再又还便随即所很最共们说是")
# Characters that end a name when they follow a one-character given name (刘凯为…, 高峰说…).
STOP_AFTER = frozenset("的了在和与等将把被为到也就都对向从于及称跟同给让由着过已曾正再又还便先随即所很最共们说是、，。：:；！？“”\"（）() ")
# Characters that never follow 某 as a given name (某地, 某平台 are not people).
NOT_AFTER_MOU = frozenset("些种个地市县镇区乡村省公平网处一天日年月号家店银单位部门人物事项的了在和与等将把被为到也就都对向从于及称跟给让由着过已曾正再又还便先随即所很最共们说是"
                          "均因系仍则竟却遂亦乃并皆才只刚另自以各本这那当非不没未无多每前后")
# Characters of NOT_AFTER_MOU that are also given names, right before (男 or 等.
GIVEN_NOUNS = frozenset("银平天月公家单")
# What may follow a 王某明 written only once: the name ends there (王某明为首, 王某明(男, 王某明、李某).
MOU_NAME_END = frozenset("、，,。；;：:（(）)为等和与及 ")

# Common surnames that are also prepositions: 嫌疑人于数日前… is no 于数.
PREPOSITION_SURNAMES = frozenset("于")

COMMON_WORD = 2000      # jieba frequency above which two characters are an ordinary word
WORD_AFTER = 200        # … and above which the two characters after a name form a word
NAME_AS_WORD = 1000     # … and above which a surname and one character said once are a word (高效)
MOU_WORD = 50           # … and above which the character after 某 starts a word (王某抓获)


@dataclass(frozen=True)
class Surnames:
    """The surname table: single and compound surnames with their tier."""

    tiers: dict[str, str]

    @classmethod
    def from_rows(cls, rows: list[dict[str, str]]) -> "Surnames":
        return cls({r["surname"]: r.get("tier") or "rare" for r in rows})

    def at(self, text: str, i: int) -> Optional[str]:
        """The surname that starts at ``text[i]`` (compound surnames first), or None."""
        two = text[i:i + 2]
        if len(two) == 2 and two in self.tiers:
            return two
        one = text[i:i + 1]
        return one if one and one in self.tiers else None

    def common(self, surname: str) -> bool:
        return self.tiers.get(surname) == "common"

    def ending_at(self, text: str, end: int) -> Optional[str]:
        """The surname that ends just before ``end`` (compound first), or None."""
        two = text[max(0, end - 2):end]
        if len(two) == 2 and two in self.tiers:
            return two
        one = text[end - 1:end] if end > 0 else ""
        return one if one and one in self.tiers else None


def is_han(ch: str) -> bool:
    return bool(ch) and HAN.match(ch) is not None


def quantified(text: str, start: int) -> bool:
    """True when the character before ``start`` makes a surname a quantifier (一位, 该)."""
    return start > 0 and text[start - 1] in NOT_BEFORE


def inside_word(text: str, start: int, freq: Callable[[str], int]) -> bool:
    """True when the surname at ``start`` ends a word begun before it (司 in 公司, 安 in 西安)."""
    return start > 0 and is_han(text[start - 1]) and freq(text[start - 1:start + 1]) >= COMMON_WORD


def full_name_at(text: str, i: int, surnames: Surnames, freq: Callable[[str], int],
                 tokenize: Optional[Callable[[str, int], list[tuple[str, int, int]]]] = None) -> Optional[int]:
    """End of the full name (surname + one or two characters) starting at ``i``, or None.

    ``freq`` gives a word's dictionary frequency (``kg.segment.word_freq``); ``tokenize``
    (words of a snippet with offsets from a given start) settles a name whose third
    character begins a word.
    """
    sur = surnames.at(text, i)
    if sur is None:
        return None
    g = i + len(sur)
    c1 = text[g:g + 1]
    if not is_han(c1) or c1 in NOT_GIVEN_START or c1 in ("某", "小"):
        return None
    repeated = text.count(text[i:g + 2]) >= 2
    if not surnames.common(sur) and (not repeated or freq(text[i:i + 2]) or freq(text[g:g + 2]) >= WORD_AFTER):
        return None                                 # 民警和家人…, 向骗子…: a rare surname needs support
    if len(sur) == 1 and freq(text[i:i + 2]) >= COMMON_WORD and not repeated:
        return None                                 # 民警经过…, 民警高度重视…
    if len(sur) == 1 and not repeated and freq(text[i:i + 2]) >= NAME_AS_WORD and freq(text[g + 1:g + 3]) >= WORD_AFTER:
        return None                                 # 民警高效追踪: an adverb before a verb, said once
    if sur in PREPOSITION_SURNAMES and not repeated and freq(text[g:g + 2]) >= WORD_AFTER:
        return None                                 # 嫌疑人于数日前: 于 governs 数日
    two, three = g + 1, g + 2
    c2 = text[g + 1:g + 2]
    if not is_han(c2) or c2 in STOP_AFTER:
        return two
    if repeated:
        return three                                # the full name repeats in the item
    if freq(text[g + 1:g + 3]) >= WORD_AFTER:
        return two                                  # 唐列出席: 出席 is a word
    if len(sur) == 2 and freq(text[g:g + 2]) >= WORD_AFTER:
        return two
    if tokenize is not None and any(s == g + 1 and e - s >= 2 for _, s, e in tokenize(text[i:i + 8], i)):
        return two                                  # 何磊接警后: jieba reads 接警 as one word
    return three


def mou_name_at(text: str, i: int, surnames: Surnames,
                freq: Callable[[str], int] = lambda w: 0,
                tokenize: Optional[Callable[[str, int], list[tuple[str, int, int]]]] = None) -> Optional[int]:
    """End of a ``王某`` / ``王某某`` / ``王某明`` name starting at ``i``, or None.

    The character after 某 belongs to the name when it is no function word, starts no word
    (``freq``, ``kg.segment.word_freq``, and ``tokenize``: in ``王某抓获``, ``王某指认`` the verb is
    not a given name), and the name is written the same way again or ends right after it
    (``王某明为首``, ``王某明(男``).
    """
    sur = surnames.at(text, i)
    if sur is None:
        return None
    m = i + len(sur)
    if text[m:m + 1] != "某":
        return None
    if text[m + 1:m + 2] == "某":
        return m + 2
    c = text[m + 1:m + 2]
    given_noun = c in GIVEN_NOUNS and text[m + 2:m + 3] in ("(", "（", "等")     # 王某银(男, 王某银等
    if not is_han(c) or (c in NOT_AFTER_MOU and not given_noun) or text[m + 2:m + 3] == "某" \
            or freq(text[m + 1:m + 3]) >= MOU_WORD:
        return m + 1
    if text.count(text[i:m + 2]) < 2 and text[m + 2:m + 3] not in MOU_NAME_END:
        return m + 1
    if tokenize is not None and any(s == m + 1 and e - s >= 2 for _, s, e in tokenize(text[i:i + 8], i)):
        return m + 1                                # 王某指认: jieba reads 指认 as one word
    return m + 2
