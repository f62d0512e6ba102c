"""Which patterns of a cue table can match a text at all, told by one pass over the text.

A table of cues is many regular expressions searched over every news item
(``crime_cues.tsv`` has 38); each search visits every character of the item and most
find nothing. Most patterns are alternatives that each open with fixed words
(``刷单|刷信誉|刷好评``, ``冒充(?:公安|警察)|自称…``): a text that contains none of a
pattern's opening words cannot match it. One Aho-Corasick pass finds which opening words
the text contains, and only the patterns that may match need searching. A pattern with
an alternative that opens with anything but a literal (a class, a group, an anchor, an
escape) has no opening words and is always searched.
"""
from __future__ import annotations

import re
from typing import Iterator, Optional, Sequence

from ahocorasick_rs import AhoCorasick

_META = frozenset(".^$*+?{}[]()|\\")
_QUANTIFIERS = frozenset("*+?{")


class Prefilter:
    """The opening words of some patterns, to tell quickly which of them may match a text."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self._openings = [openings(p) for p in patterns]
        words = sorted({w for o in self._openings if o for w in o})
        self._automaton = AhoCorasick(words) if words else None

    def may_match(self, text: str) -> list[bool]:
        """For each pattern, in order: False when it cannot match anywhere in ``text``."""
        found: set[str] = set()
        if self._automaton is not None:
            # overlapping: a word inside another one found (公安 in 冒充公安) counts too
            found = set(self._automaton.find_matches_as_strings(text, overlapping=True))
        return [o is None or not found.isdisjoint(o) for o in self._openings]


def openings(pattern: str) -> Optional[frozenset[str]]:
    """The literal words one of which opens every match of ``pattern``, or None when an
    alternative of it opens with something else. An alternative that opens with a group
    (``(?:提升|提高)额度``) opens with the openings of the group's alternatives."""
    words: set[str] = set()
    for alternative in _alternatives(pattern):
        group = _leading_group(alternative)
        inner = openings(group) if group is not None else None
        if inner is not None:
            words |= inner
            continue
        word = _literal_prefix(alternative)
        if not word:
            return None
        words.add(word)
    return frozenset(words)


def _syntax(pattern: str) -> Iterator[tuple[int, str, int]]:
    """(position, character, depth) of each ``(``, ``)`` and ``|`` of ``pattern`` that is
    syntax: not escaped, not inside a class; depth counts the groups open before it."""
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2                              # the escaped character is no syntax
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern.startswith("^", i + 1):
                i += 1
            if pattern.startswith("]", i + 1):
                i += 1                          # []…] and [^]…]: that ] is a member
        elif c == "(":
            yield i, c, depth
            depth += 1
        elif c == ")":
            depth -= 1
            yield i, c, depth
        elif c == "|":
            yield i, c, depth
        i += 1


def _alternatives(pattern: str) -> list[str]:
    """``pattern`` split at its top-level ``|`` (not inside a group or a class)."""
    cuts = [i for i, c, depth in _syntax(pattern) if c == "|" and depth == 0]
    return [pattern[s + 1:e] for s, e in zip([-1] + cuts, cuts + [len(pattern)])]


def _leading_group(alternative: str) -> Optional[str]:
    """What is inside the group ``alternative`` opens with, when that group is plain
    (``(…)``, ``(?:…)``, ``(?P<name>…)``) and no quantifier makes it optional."""
    m = re.match(r"\((?:\?:|\?P<\w+>|(?!\?))", alternative)    # not (?=…), (?i), (?P=…)…
    if m is None:
        return None
    end = next((i for i, c, depth in _syntax(alternative) if c == ")" and depth == 0), None)
    if end is None or alternative[end + 1:end + 2] in _QUANTIFIERS:
        return None
    return alternative[m.end():end]


def _literal_prefix(alternative: str) -> str:
    """The characters ``alternative`` opens with before any syntax; a quantifier after them
    makes the last one optional, so it is left out."""
    n = 0
    while n < len(alternative) and alternative[n] not in _META:
        n += 1
    if n < len(alternative) and alternative[n] in _QUANTIFIERS:
        n -= 1
    return alternative[:n]
