"""Read article files and turn each into clean news items with offsets to the original.

Three jobs, in order:

1. ``read_article`` decodes a file (UTF-8 with or without BOM, UTF-16 with BOM, GB18030)
   and refuses what is not an article (empty, binary) with an :class:`InputError` naming
   the file.
2. ``clean`` undoes OCR damage: line breaks inside sentences (newspaper columns), spaces
   inside words, full-width ASCII; every character kept remembers its offset in the file.
3. ``split_items`` cuts a newspaper page into its stories (headline + 本报讯 / byline
   blocks), and ``split_sentences`` cuts each story into sentences.
"""
from __future__ import annotations

import hashlib
import re
import statistics
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .errors import InputError
from .model import Article, Doc, Sentence

TERMINAL = "。！？!?；;…"
CLOSERS = "”’」』）)】"
MAX_BYTES = 64 * 1024 * 1024


# ----------------------------------------------------------------------------- reading

def _decode(data: bytes, path: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_chinese(text):
        return text, "gb18030"
    # Mostly UTF-8 with some damage: keep what can be read, mark the rest.
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad > max(16, len(text) // 20):
        raise InputError(f"not UTF-8 or GB18030 text ({utf8_error.reason} at byte {utf8_error.start})",
                         path=path, hint="convert it to UTF-8")
    return text, "utf-8-with-errors"


def _looks_chinese(text: str) -> bool:
    sample = text[:4000]
    han = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff")
    return han >= max(1, len(sample.strip()) // 10)


def article_id(path: Path) -> str:
    """A stable IRI-safe identifier for a file: its stem with unsafe characters replaced."""
    stem = unicodedata.normalize("NFC", path.stem)
    safe = re.sub(r"[^\w.-]+", "_", stem).strip("_") or "article"
    return safe


def read_article(path: Path | str, *, article_id_: str | None = None) -> Article:
    """Decode one file into an :class:`Article`, or raise :class:`InputError` saying why not."""
    path = Path(path)
    where = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"file is {size // (1024 * 1024)} MB, more than the {MAX_BYTES // (1024 * 1024)} MB "
                             "limit for one article", path=where, hint="split it into articles")
        data = path.read_bytes()
    except InputError:
        raise
    except IsADirectoryError:
        raise InputError("is a folder, not a file", path=where) from None
    except PermissionError:
        raise InputError("cannot be read: permission denied", path=where) from None
    except OSError as e:
        raise InputError(f"cannot be read: {e.strerror or e}", path=where) from None
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("is a binary file (contains NUL bytes), not text", path=where)
    text, encoding = _decode(data, where)
    if not text.strip():
        raise InputError("is empty" if not text else "contains only white space", path=where)
    return Article(
        id=article_id_ or article_id(path),
        source_file=path.name,
        path=where,
        raw=text,
        content_hash=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
    )


# ----------------------------------------------------------------------------- cleaning

@dataclass(frozen=True)
class Line:
    text: str
    offsets: tuple[int, ...]   # offset in raw of every character of text

    @property
    def stripped(self) -> str:
        return self.text.strip()


def _is_cjk(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"


def _char_norm(c: str) -> str:
    """Full-width ASCII to ASCII (one character to one character, so offsets hold)."""
    o = ord(c)
    if 0xFF01 <= o <= 0xFF5E:
        return chr(o - 0xFEE0)
    if c in "\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff":
        return " "
    return c


def _lines(raw: str) -> list[Line]:
    out, start = [], 0
    for m in re.finditer(r"\r\n|\r|\n", raw + "\n"):
        seg = raw[start:m.start()]
        chars, offs = [], []
        for i, c in enumerate(seg):
            n = _char_norm(c)
            if n == "\t":
                n = " "
            if unicodedata.category(n) in ("Cc", "Cf") and n != " ":
                continue
            chars.append(n)
            offs.append(start + i)
        # trim both ends
        while chars and chars[0] == " ":
            chars.pop(0); offs.pop(0)
        while chars and chars[-1] == " ":
            chars.pop(); offs.pop()
        out.append(Line("".join(chars), tuple(offs)))
        start = m.end()
        if start > len(raw):
            break
    return out


def _squeeze_spaces(line: Line) -> Line:
    """Drop spaces between CJK characters (OCR noise); keep one space elsewhere."""
    chars, offs = [], []
    t = line.text
    for i, c in enumerate(t):
        if c == " ":
            prev = chars[-1] if chars else ""
            nxt = next((x for x in t[i + 1:] if x != " "), "")
            if prev == " " or not prev or not nxt:
                continue
            if _is_cjk(prev) or _is_cjk(nxt) or prev in "，。、：；！？“”,.:;!?()（）" or nxt in "，。、：；！？“”,.:;!?()（）":
                continue
        chars.append(c)
        offs.append(line.offsets[i])
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
    # a line of two to four short names separated by spaces (孙波 俞敏 孙其伟)
    parts = t.split()
    return 2 <= len(parts) <= 5 and all(2 <= len(p) <= 3 and all(_is_cjk(c) for c in p) for p in parts)


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
    cur_text, cur_offs = "", ()
    open_para = False

    def flush():
        nonlocal cur_text, cur_offs, open_para
        if cur_text.strip():
            kind = "byline" if _is_byline(cur_text) else ("heading" if _is_heading(cur_text, width) else "para")
            out.append(Block(cur_text, cur_offs, kind))
        cur_text, cur_offs, open_para = "", (), False

    for line, is_by in zip(lines, bylines):
        t = line.text
        if not t:
            if open_para:
                continue          # a blank line inside a broken paragraph (OCR)
            flush()
            continue
        if is_by and not open_para:
            flush()
            out.append(Block(t, line.offsets, "byline"))
            continue
        if open_para:
            cur_text += t
            cur_offs += line.offsets
        else:
            flush()
            cur_text, cur_offs = t, line.offsets
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
    docs = []
    for n, s in enumerate(order):
        e = order[n + 1] if n + 1 < len(order) else len(bl)
        part = bl[s:e]
        if not any(b.kind == "para" for b in part):
            continue
        docs.append(_make_doc(article, len(docs), part))
    if not docs:  # only headings: keep them as one item rather than lose the article
        docs.append(_make_doc(article, 0, bl))
    return docs


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


# ----------------------------------------------------------------------------- files

def iter_input_files(inputs: Iterable[Path | str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Every ``.txt`` file under the inputs, sorted; and (path, reason) for inputs skipped."""
    files: set[Path] = set()
    skipped: list[tuple[str, str]] = []
    for inp in inputs:
        p = Path(inp)
        if not p.exists() and not p.is_symlink():
            skipped.append((str(p), "does not exist"))
            continue
        if p.is_file():
            files.add(p)
            continue
        if not p.is_dir():
            skipped.append((str(p), "is not a file or folder (broken link?)"))
            continue
        seen_dirs: set[tuple[int, int]] = set()
        stack = [p]
        while stack:
            d = stack.pop()
            try:
                st = d.stat()
            except OSError as e:
                skipped.append((str(d), f"cannot be read: {e.strerror or e}"))
                continue
            if (st.st_dev, st.st_ino) in seen_dirs:
                skipped.append((str(d), "symbolic link loop, skipped"))
                continue
            seen_dirs.add((st.st_dev, st.st_ino))
            try:
                entries = sorted(d.iterdir())
            except OSError as e:
                skipped.append((str(d), f"cannot be listed: {e.strerror or e}"))
                continue
            for c in entries:
                if c.is_dir():
                    stack.append(c)
                elif c.suffix.lower() == ".txt":
                    if c.is_file():
                        files.add(c)
                    else:
                        skipped.append((str(c), "broken link or not a regular file"))
    return sorted(files, key=lambda x: (x.name, str(x))), skipped
