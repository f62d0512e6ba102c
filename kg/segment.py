"""Word segmentation: the only module that imports jieba.

jieba keeps a global tokenizer and sets up logging at import; we keep a private
``jieba.Tokenizer`` instead, built on first use, with our own user dictionary
(``kg/data/segment_words.tsv``: police titles, honorifics, fraud vocabulary) so that
``警方`` or ``民警`` stay one word. Segmentation is slow (``jieba.cut`` ≈ 0.6 MB/s), so
extractors call it on short windows only, never on whole corpora.
"""
from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import Optional

__all__ = ["Segmenter", "default", "pos_tokenize", "tokenize", "word_freq"]


class Segmenter:
    """A lazily initialised private jieba tokenizer with the project's user dictionary."""

    def __init__(self, user_words: Optional[list[tuple[str, int]]] = None) -> None:
        self._user_words = user_words
        self._tok = None
        self._pos = None
        self._pos_seen: dict[str, tuple[tuple[str, str, int, int], ...]] = {}
        self._lock = threading.Lock()

    def _tokenizer(self):
        if self._tok is None:
            with self._lock:
                if self._tok is None:
                    self._tok = self._build()
        return self._tok

    def _build(self):
        import jieba  # heavy; imported on first use only
        tok = jieba.Tokenizer()
        log = logging.getLogger("jieba")
        level = log.level
        log.setLevel(logging.WARNING)      # jieba reports its cache loading at INFO
        try:
            tok.initialize()
        finally:
            log.setLevel(level)
        words = self._user_words if self._user_words is not None else _user_words()
        for word, freq in words:
            tok.add_word(word, freq=freq or None)
        return tok

    def tokenize(self, text: str) -> list[tuple[str, int, int]]:
        """``(word, start, end)`` for every word of ``text``; offsets index ``text``."""
        out: list[tuple[str, int, int]] = []
        pos = 0
        for word in self._tokenizer().cut(text, HMM=True):
            end = pos + len(word)
            if text[pos:end] != word:    # jieba never rewrites text; check it all the same
                raise ValueError(f"segmenter offsets drifted at {pos}: {word!r}")
            out.append((word, pos, end))
            pos = end
        return out

    def pos_tokenize(self, text: str) -> list[tuple[str, str, int, int]]:
        """``(word, flag, start, end)`` with jieba's part-of-speech flags (slow: short texts only;
        the same short texts recur, so the last few thousand are remembered)."""
        seen = self._pos_seen.get(text)
        if seen is None:
            seen = self._pos_tokenize(text)
            if len(self._pos_seen) >= 4096:
                self._pos_seen.clear()
            self._pos_seen[text] = seen
        return list(seen)

    def _pos_tokenize(self, text: str) -> tuple[tuple[str, str, int, int], ...]:
        if self._pos is None:
            tok = self._tokenizer()                # imports jieba itself before jieba.posseg
            self._pos = _pos_tokenizer(tok)
        out, pos = [], 0
        for pair in self._pos.cut(text, HMM=True):
            end = pos + len(pair.word)
            if text[pos:end] != pair.word:
                raise ValueError(f"segmenter offsets drifted at {pos}: {pair.word!r}")
            out.append((pair.word, pair.flag, pos, end))
            pos = end
        return tuple(out)

    def freq(self, word: str) -> int:
        """How often ``word`` occurs in jieba's dictionary (0 when it is not a word)."""
        return self._tokenizer().FREQ.get(word, 0) or 0


def _pos_tokenizer(tok):
    """A POS tokenizer over ``tok`` that reads jieba's dictionary tags once, not twice.

    Importing ``jieba.posseg`` builds a POS tokenizer over the default dictionary, reading
    the word tags of ``dict.txt`` (0.6 s); ``POSTokenizer(tok)`` would read the same file
    again. Our tokenizer uses that default dictionary, so its word-tag table is the same one.
    The table comes from :mod:`kg.cache` when it can (0.2 s): ``jieba.posseg`` is then
    imported without its own read and its default tokenizer is given the same table."""
    import sys

    import jieba
    if "jieba.posseg" not in sys.modules and tok.dictionary == jieba.dt.dictionary:
        _import_posseg_without_tags(jieba)
        import jieba.posseg
        jieba.posseg.dt.word_tag_tab = _word_tags(jieba, tok)
    import jieba.posseg
    default = getattr(jieba.posseg, "dt", None)
    if default is None or getattr(default, "word_tag_tab", None) is None \
            or default.tokenizer.dictionary != tok.dictionary:
        return jieba.posseg.POSTokenizer(tok)
    pos = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    pos.tokenizer = tok
    pos.word_tag_tab = dict(default.word_tag_tab)
    return pos


def _import_posseg_without_tags(jieba) -> None:
    """Import ``jieba.posseg`` with an empty dictionary file for its default tokenizer's tags
    (the caller fills them in)."""
    import io
    jieba.dt.get_dict_file = lambda: io.BytesIO()
    try:
        import jieba.posseg  # noqa: F401
    finally:
        del jieba.dt.get_dict_file


def _word_tags(jieba, tok) -> dict[str, str]:
    """Word -> part-of-speech tag of jieba's default dictionary, read as jieba reads it."""
    import os

    from .cache import cached

    def build() -> dict[str, str]:
        holder = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
        holder.load_word_tag(tok.get_dict_file())
        return holder.word_tag_tab

    try:
        st = os.stat(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"))
        key = f"{jieba.__version__}-{st.st_size}-{st.st_mtime_ns}"
    except (OSError, AttributeError):
        key = None
    return cached("jieba-word-tags", key, build)


def _user_words() -> list[tuple[str, int]]:
    from .tables import read_table
    return [(r["word"], int(r["freq"] or 0)) for r in read_table("segment_words")]


@lru_cache(maxsize=1)
def default() -> Segmenter:
    """The shared segmenter (built on the first call, not at import)."""
    return Segmenter()


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Segment ``text`` with the shared segmenter: ``[(word, start, end), ...]``."""
    return default().tokenize(text)


def pos_tokenize(text: str) -> list[tuple[str, str, int, int]]:
    """Segment ``text`` with part-of-speech flags: ``[(word, flag, start, end), ...]``."""
    return default().pos_tokenize(text)


def word_freq(word: str) -> int:
    """Dictionary frequency of ``word`` in the shared segmenter (0: not a word)."""
    return default().freq(word)
