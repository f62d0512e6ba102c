"""Read article files and turn each into clean news items with offsets to the original.

Three jobs, in order:

1. ``read_article`` decodes a file (:mod:`kg.decode`: UTF-8, UTF-16, GB18030, Big5) and
   refuses what is not an article (empty, binary, too large) with an :class:`InputError`
   naming the file; what it had to repair is listed in ``Article.notes``.
2. ``blocks`` undoes OCR damage: line breaks inside sentences (newspaper columns), spaces
   inside words, full-width ASCII, pasted HTML and traditional characters
   (:mod:`kg.textview`); every character kept remembers its offset in the file.
3. ``split_items`` cuts a newspaper page into its stories (headline + 本报讯 / byline
   blocks), and ``split_sentences`` cuts each story into sentences.
"""
from __future__ import annotations

import errno
import hashlib
import re
import stat
import statistics
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Sequence

from .decode import decode
from .errors import InputError
from .inputs import iter_input_files  # noqa: F401  (part of this module's API)
from .model import Article, Doc, Sentence
from .textview import count_traditional, has_entities, has_markup, view

TERMINAL = "。！？!?；;…"
CLOSERS = "”’」』）)】"
# A newspaper page is ~10 kB; a file over this is a dump of many articles. Measured: a 1.9 MB
# page builds in 26 s with 600 MB of memory; the graph of one MB of text is ~170,000 triples,
# all held for sorting and the SHACL check, so a 50 MB file would need ~15 GB. Larger files
# are skipped unread with a hint to split them (``kg build --max-article-mb`` raises the limit).
MAX_BYTES = 2 * 1024 * 1024


# ----------------------------------------------------------------------------- reading

def article_id(path: Path) -> str:
    """A stable IRI-safe identifier for a file: its stem with unsafe characters replaced."""
    stem = unicodedata.normalize("NFC", path.stem)
    safe = re.sub(r"[^\w.-]+", "_", stem).strip("_") or "article"
    return safe


def read_article(path: Path | str, *, article_id_: str | None = None, max_bytes: int | None = None) -> Article:
    """Decode one file into an :class:`Article`, or raise :class:`InputError` saying why not.

    What had to be repaired (bad bytes, another encoding, HTML, traditional characters) is
    listed in ``Article.notes``. A file over ``max_bytes`` (default :data:`MAX_BYTES`;
    ``kg build --max-article-mb``) is refused before it is read.
    """
    path = Path(path)
    where = str(path)
    data = _read_bytes(path, where, MAX_BYTES if max_bytes is None else max_bytes)
    text, encoding, notes = decode(data, where)
    if not text.strip():
        raise InputError("is empty" if not text else "contains only white space", path=where,
                         hint="remove it or put the article's text in it")
    return Article(
        id=article_id_ or article_id(path),
        source_file=path.name,
        path=where,
        raw=text,
        content_hash=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        notes=notes + _content_notes(text),
    )


def _mb(n: float) -> str:
    return f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{n / 2**10:.0f} kB"


def _read_bytes(path: Path, where: str, max_bytes: int) -> bytes:
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise InputError("is a folder, not a file", path=where)
        if not stat.S_ISREG(st.st_mode):
            raise InputError("is not a regular file (a pipe, socket or device)", path=where)
        if st.st_size > max_bytes:
            raise InputError(f"is {_mb(st.st_size)}, more than the {_mb(max_bytes)} limit for one article",
                             path=where, hint="split it into articles, or raise the limit with --max-article-mb: "
                                              "one MB of text needs about 300 MB of memory")
        with open(path, "rb") as f:
            return f.read(max_bytes + 1)
    except InputError:
        raise
    except PermissionError:
        raise InputError("cannot be read: permission denied", path=where) from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise InputError("is a symbolic link loop", path=where) from None
        raise InputError(f"cannot be read: {e.strerror or e}", path=where) from None


def _content_notes(text: str) -> tuple[str, ...]:
    notes = []
    if has_markup(text):
        notes.append("HTML markup removed (tags, scripts and styles; entities decoded)")
    elif has_entities(text):
        notes.append("HTML entities decoded (&nbsp; &lt; …)")
    n = count_traditional(text)
    if n:
        notes.append(f"{n} traditional character{'s' if n != 1 else ''} read as simplified for matching")
    return tuple(notes)


# ----------------------------------------------------------------------------- cleaning

@dataclass(frozen=True)
class Line:
    text: str
    offsets: Sequence[int]   # offset in raw of every character of text

    @property
    def stripped(self) -> str:
        return self.text.strip()


def _is_cjk(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"


# Full-width ASCII to ASCII and odd spaces to a plain space: one character for one.
_NORM = {o: o - 0xFEE0 for o in range(0xFF01, 0xFF5F)}
_NORM.update({ord(c): " " for c in "\t\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff\ufffd"})


_NORM_CHARS = {chr(k): chr(v) if isinstance(v, int) else v for k, v in _NORM.items()}
_TO_NORM = re.compile("[" + re.escape("".join(_NORM_CHARS)) + "]")


def _char_norm(c: str) -> str:
    """Full-width ASCII to ASCII (one character to one character, so offsets hold)."""
    return c.translate(_NORM)


def _normalised(text: str) -> str:
    """``text.translate(_NORM)``, 10 times faster: ``str.translate`` looks up every
    character of CJK text in the dict, the regex finds the few that change."""
    return _TO_NORM.sub(lambda m: _NORM_CHARS[m.group()], text)


def _lines(raw: str) -> list[Line]:
    """The lines of the cleaned view of ``raw`` (see :mod:`kg.textview`), offsets into ``raw``."""
    text, offsets = view(raw)
    text = _normalised(text)
    out, start = [], 0
    for m in re.finditer(r"\r\n|\r|\n", text + "\n"):
        seg, offs = text[start:m.start()], offsets[start:m.start()]
        if not seg.isprintable():          # control and format characters go
            keep = [i for i, c in enumerate(seg) if c == " " or unicodedata.category(c) not in _DROP_CATS]
            seg = "".join(seg[i] for i in keep)
            offs = [offs[i] for i in keep]
        lead = len(seg) - len(seg.lstrip(" "))
        end = len(seg.rstrip(" "))
        out.append(Line(seg[lead:end] if end > lead else "", offs[lead:end] if end > lead else ()))
        start = m.end()
        if start > len(text):
            break
    return out


_DROP_CATS = ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn")
_PUNCT_NO_SPACE = set("，。、：；！？“”,.:;!?()（）")


def _squeeze_spaces(line: Line) -> Line:
    """Drop spaces between CJK characters (OCR noise); keep one space elsewhere."""
    t = line.text
    if " " not in t:
        return line
    chars: list[str] = []
    offs: list[int] = []
    pos = 0
    for m in re.finditer(r" +", t):
        chars.append(t[pos:m.start()])
        offs.extend(line.offsets[pos:m.start()])
        pos = m.end()
        prev = t[m.start() - 1] if m.start() else ""
        nxt = t[m.end()] if m.end() < len(t) else ""
        if not prev or not nxt or _is_cjk(prev) or _is_cjk(nxt) or prev in _PUNCT_NO_SPACE \
                or nxt in _PUNCT_NO_SPACE:
            continue
        chars.append(" ")
        offs.append(line.offsets[m.start()])
    chars.append(t[pos:])
    offs.extend(line.offsets[pos:])
    return Line("".join(chars), tuple(offs))


BYLINE = re.compile(r"^[□■▲●◆]?\s*[(（]?\s*(本报)?(通讯员|记者|见习记者|特约记者|实习生|编辑|责编|摄影?)[\s:：]")
BYLINE_END = re.compile(r"(通讯员|记者|摄影|摄)\s*[\u4e00-\u9fff]{2,3}(\s+摄)?\s*$")
NEWS_OPENER = re.compile(r"^[^。]{0,30}?(本报讯|[\u4e00-\u9fff]{1,8}网讯|\d{1,2}月\d{1,2}日电?讯|讯\s*[(（]\s*(本报)?(记者|通讯员))")


def _is_heading(text: str, width: int) -> bool:
    t = text.strip()
    if not t or len(t) >= max(8, int(width * 0.8)):
        return False
    last = t.rstrip(CLOSERS)[-1:] if t[-1] in CLOSERS else t[-1]
    return bool(last) and last not in TERMINAL + ",，、:"


def _is_byline(text: str) -> bool:
    t = text.strip()
    if not t or len(t) > 40:
        return False
    if BYLINE.match(t) or (BYLINE_END.search(t) and len(t) <= 20):
        return True
    # a line of two to five short names separated by spaces (孙波 俞敏 孙其伟), each starting
    # with a surname: 藏青蓝 携手 红领巾 话反诈 is a headline set in spaced words
    parts = t.split()
    names = _surnames()
    return 2 <= len(parts) <= 5 and all(
        2 <= len(p) <= 3 and all(_is_cjk(c) for c in p) and (not names or p[0] in names or p[:2] in names)
        for p in parts)


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    """Surnames of ``kg/data/surnames.tsv``."""
    from .tables import read_table
    return frozenset(r["surname"].strip() for r in read_table("surnames") if r["surname"].strip())


@dataclass(frozen=True)
class Block:
    """A paragraph (joined lines) or a heading line."""

    text: str
    offsets: tuple[int, ...]
    kind: str    # "para", "heading", "byline"


def blocks(raw: str) -> list[Block]:
    """Join the lines of a page into paragraphs, headings and bylines.

    A line is continued by the next one when it is about as long as the page's column
    width and does not end a sentence: that is how OCR of newspaper columns breaks lines.
    """
    raw_lines = _lines(raw)
    bylines = [_is_byline(l.text) for l in raw_lines]
    lines = [_squeeze_spaces(l) for l in raw_lines]
    lengths = [len(l.text) for l in lines if len(l.text) >= 6]
    width = int(statistics.median(lengths)) if lengths else 40
    width = min(width, 60)
    out: list[Block] = []
    cur_texts: list[str] = []
    cur_offs: list[int] = []
    open_para = False

    def flush():
        nonlocal open_para
        cur_text = "".join(cur_texts)
        if cur_text.strip():
            kind = "byline" if _is_byline(cur_text) else ("heading" if _is_heading(cur_text, width) else "para")
            out.append(Block(cur_text, tuple(cur_offs), kind))
        cur_texts.clear()
        cur_offs.clear()
        open_para = False

    for line, is_by in zip(lines, bylines):
        t = line.text
        if not t:
            if open_para:
                continue          # a blank line inside a broken paragraph (OCR)
            flush()
            continue
        if is_by and not open_para:
            flush()
            out.append(Block(t, tuple(line.offsets), "byline"))
            continue
        if not open_para:
            flush()
        cur_texts.append(t)
        cur_offs.extend(line.offsets)
        ends = t[-1] in TERMINAL or (t[-1] in CLOSERS and len(t) > 1 and t[-2] in TERMINAL)
        open_para = (len(t) >= width * 0.75 and not ends and len(t) >= 8
                     and not BYLINE_END.search(t[-12:]))
        if not open_para:
            flush()
    flush()
    return out


# ----------------------------------------------------------------------------- items

def split_items(article: Article) -> list[Doc]:
    """Cut a page into news items; an article with one story gives one item."""
    bl = blocks(article.raw)
    if not bl:
        return []
    starts = {0}
    ended = False          # the previous story closed with a byline
    for i, b in enumerate(bl):
        if i == 0:
            continue
        if b.kind == "para" and NEWS_OPENER.match(b.text):
            # a story begins at the headings (and byline) just before its 本报讯 opener
            j = i
            while j - 1 >= 0 and bl[j - 1].kind in ("heading", "byline") and i - j < 4 \
                    and not (bl[j - 1].kind == "byline" and j - 2 >= 0 and bl[j - 2].kind == "para"):
                j -= 1
            starts.add(j)
        elif b.kind == "heading" and bl[i - 1].kind != "heading" and (ended or _opens_with_byline(bl, i)):
            starts.add(i)
        if b.kind == "byline" or (b.kind == "para" and BYLINE_END.search(b.text[-12:])):
            ended = True
        elif b.kind == "para":
            ended = False
    order = sorted(starts)
    parts = [bl[s:(order[n + 1] if n + 1 < len(order) else len(bl))] for n, s in enumerate(order)]
    parts = [p for p in parts if any(b.kind == "para" for b in p)] or [bl]   # only headings: keep them
    return [_make_doc(article, n, p) for n, p in enumerate(q for part in parts for q in _bounded(part))]


# A story is a few thousand characters. A longer "item" (a dump with no structure, one
# endless line) is cut at sentence ends so that extractors work on story-sized pieces.
MAX_ITEM_CHARS = 8000


def _bounded(part: list[Block]) -> list[list[Block]]:
    """``part`` as runs of blocks of at most :data:`MAX_ITEM_CHARS` characters each."""
    if sum(len(b.text) + 1 for b in part) <= MAX_ITEM_CHARS:
        return [part]
    out: list[list[Block]] = []
    cur: list[Block] = []
    size = 0
    for b in part:
        for piece in _cut_block(b):
            if cur and size + len(piece.text) > MAX_ITEM_CHARS:
                out.append(cur)
                cur, size = [], 0
            cur.append(piece)
            size += len(piece.text) + 1
    if cur:
        out.append(cur)
    return out


def _cut_block(b: Block) -> list[Block]:
    """A block longer than an item, cut after its last sentence end (else comma, else anywhere)."""
    pieces, start, n = [], 0, len(b.text)
    while n - start > MAX_ITEM_CHARS:
        window = b.text[start:start + MAX_ITEM_CHARS]
        cut = MAX_ITEM_CHARS
        for stops in ("。！？!?；;", "，,、 "):
            pos = max(window.rfind(c) for c in stops)
            if pos >= MAX_ITEM_CHARS // 2:
                cut = pos + 1
                break
        pieces.append(Block(b.text[start:start + cut], b.offsets[start:start + cut], b.kind))
        start += cut
        while start < n and b.text[start] == " ":
            start += 1
    if start < n:
        pieces.append(Block(b.text[start:], b.offsets[start:], b.kind))
    return pieces


def _opens_with_byline(bl: list[Block], i: int) -> bool:
    """Headings at ``i`` followed by a byline: the top of a new story."""
    j = i
    while j < len(bl) and bl[j].kind == "heading" and j - i < 4:
        j += 1
    return j > i and j < len(bl) and bl[j].kind == "byline"


def _make_doc(article: Article, index: int, part: list[Block]) -> Doc:
    texts, offs = [], []
    for b in part:
        if texts:
            texts.append("\n")
            offs.append(b.offsets[0] if b.offsets else (offs[-1] if offs else 0))
        texts.append(b.text)
        offs.extend(b.offsets)
    text = "".join(texts)
    end = (offs[-1] + 1) if offs else 0
    title = next((b.text for b in part if b.kind == "heading"), "")
    doc = Doc(article=article, item=index, title=title, text=text, offsets=tuple(offs) + (end,))
    return doc.replace(sentences=tuple(split_sentences(text)))


SENT_END = re.compile(r"[。！？!?；;]+[”’」』）)】]*|…{1,2}[”’」』]*|\n")


def split_sentences(text: str) -> Iterator[Sentence]:
    """Sentences end at 。！？； (with closing quotes) and at paragraph breaks."""
    start, n = 0, 0
    for m in SENT_END.finditer(text):
        end = m.end() if m.group() != "\n" else m.start()
        if text[start:end].strip():
            s, e = _trim(text, start, end)
            yield Sentence(n, s, e)
            n += 1
        start = m.end()
    if text[start:].strip():
        s, e = _trim(text, start, len(text))
        yield Sentence(n, s, e)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \n":
        s += 1
    while e > s and text[e - 1] in " \n":
        e -= 1
    return s, e
