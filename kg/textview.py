"""A cleaned view of an article's raw text that still knows where every character came from.

Two repairs that change what the text *says* without moving it:

* HTML pasted in: tags and comments are dropped, ``<script>``/``<style>`` content with
  them, block tags become line breaks, entities (``&nbsp;`` ``&lt;`` ``&#x4e2d;``) become
  their character, which points at the ``&`` that began it.
* Traditional characters become simplified (OpenCC ``t2s``) one character for one, so the
  gazetteer and cue words match; the offset still points at the traditional character.

:func:`view` returns the text and, for each character, its position in the raw text.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Sequence

# Element names we treat as markup; anything else between < and > is left as text.
_BLOCK = ("address article aside blockquote body br dd div dl dt figcaption figure footer form h1 h2 h3 "
          "h4 h5 h6 head header hr html li main nav ol p pre section table tbody tfoot thead title tr ul").split()
_INLINE = ("a abbr b bdi bdo big cite code del em font i img input ins kbd label link mark meta "
           "q s samp small span strong sub sup td th time u var wbr center").split()
_DROP_CONTENT = ("script", "style", "noscript", "template")
_NAMES = "|".join(sorted(_BLOCK + _INLINE + list(_DROP_CONTENT), key=len, reverse=True))

_TAG = re.compile(rf"</?(?:{_NAMES})\b(?:[^<>\"']|\"[^\"]*\"|'[^']*')*/?>", re.I)
_MARKUP = re.compile(
    r"(?P<drop><(?P<dn>" + "|".join(_DROP_CONTENT) + r")\b[^>]*>.*?</(?P=dn)\s*>)"
    r"|(?P<comment><!--.*?(?:-->|\Z))"
    r"|(?P<doctype><!DOCTYPE[^>]*>)"
    rf"|(?P<tag></?(?P<tn>{_NAMES})\b(?:[^<>\"']|\"[^\"]*\"|'[^']*')*/?>)"
    r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)",
    re.I | re.S)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_BLOCK_SET = frozenset(_BLOCK)


def has_markup(raw: str) -> bool:
    """True when ``raw`` contains HTML tags (not just a stray ``<``)."""
    return bool(_TAG.search(raw))


def has_entities(raw: str) -> bool:
    return bool(_ENTITY.search(raw))


def strip_markup(raw: str) -> tuple[str, list[int]]:
    """``raw`` without HTML tags, comments and scripts, entities decoded; offsets into ``raw``.

    When the text has tags, its own line breaks are just white space (as in a browser) and
    block tags make the paragraphs; with entities only, line breaks are kept.
    """
    tags = has_markup(raw)
    out: list[str] = []
    offs: list[int] = []
    pos = 0

    def keep(s: int, e: int) -> None:
        seg = raw[s:e]
        if tags:
            seg = seg.replace("\r", " ").replace("\n", " ")
        out.append(seg)
        offs.extend(range(s, e))

    for m in _MARKUP.finditer(raw):
        kind = m.lastgroup                 # the outer group: drop, comment, doctype, tag, entity
        if kind in ("drop", "comment", "doctype", "tag") and not tags:
            continue                       # a look-alike in plain text: leave it
        keep(pos, m.start())
        pos = m.end()
        if kind == "entity":
            ch = html.unescape(m.group())
            if ch == m.group():            # unknown entity: keep it as written
                keep(m.start(), m.end())
                continue
            out.append(ch)
            offs.extend([m.start()] * len(ch))
        elif kind == "tag" and m.group("tn").lower() in _BLOCK_SET:
            out.append("\n")
            offs.append(m.start())
    keep(pos, len(raw))
    return "".join(out), offs


@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc
    except ImportError:  # optional at run time: without it traditional text is left as is
        return None
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def _char_t2s(c: str) -> str:
    conv = _t2s()
    out = conv.convert(c) if conv else c
    return out if len(out) == 1 else c


def to_simplified(text: str) -> str:
    """``text`` with traditional characters made simplified, one character for one.

    OpenCC converts phrase by phrase (so 著名 stays 著名 while 頭髮 becomes 头发); a line
    whose conversion changes its length falls back to character by character.
    """
    conv = _t2s()
    if conv is None or text.isascii():
        return text
    out = conv.convert(text)
    if len(out) == len(text) and _newlines(out) == _newlines(text):
        return out
    lines = text.split("\n")
    fixed = []
    for line in lines:
        c = conv.convert(line)
        fixed.append(c if len(c) == len(line) else "".join(_char_t2s(ch) for ch in line))
    return "\n".join(fixed)


def _newlines(s: str) -> list[int]:
    return [m.start() for m in re.finditer("\n", s)]


def count_traditional(text: str) -> int:
    """How many characters of ``text`` :func:`to_simplified` changes."""
    simp = to_simplified(text)
    if simp == text:
        return 0
    return sum(1 for a, b in zip(text, simp) if a != b)


def view(raw: str) -> tuple[str, Sequence[int]]:
    """The text to extract from and, for each of its characters, the position in ``raw``."""
    if "<" in raw or "&" in raw:
        text, offs = strip_markup(raw)
        if len(text) == len(raw) and text == raw:
            text, offs = raw, range(len(raw))
    else:
        text, offs = raw, range(len(raw))
    return to_simplified(text), offs
