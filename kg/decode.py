"""Bytes of a file → text, saying what was repaired; or an :class:`InputError` saying why not.

Accepted: UTF-8 (with or without BOM), UTF-16 (with BOM, or without one when the text is
plainly UTF-16), GB18030/GBK/GB2312, Big5. UTF-8 with a few damaged bytes is read with
each bad byte replaced by U+FFFD, and the notes say how many and on which lines.
"""
from __future__ import annotations

from typing import Optional

from .errors import InputError

# Magic numbers of the binary files people most often drop into a folder of articles.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"),
    (b"\x1f\x8b", "a gzip archive"), (b"\xd0\xcf\x11\xe0", "an old Office document (.doc/.xls)"),
    (b"{\\rtf", "an RTF document"), (b"\x7fELF", "a program"),
)
_DAMAGE_LIMIT = 0.05      # more bad bytes than this share of the non-ASCII bytes: not UTF-8


def decode(data: bytes, path: str) -> tuple[str, str, tuple[str, ...]]:
    """``(text, encoding, notes)`` for the bytes of one file; raises InputError when not text."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"is a binary file ({what}), not a text article", path=path,
                             hint="save the article as a .txt file")
    if data.startswith(b"\xef\xbb\xbf"):
        text, notes = _utf8(data[3:], path)
        return text, "utf-8-sig", notes
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", ()
        except UnicodeDecodeError as e:
            raise InputError(f"starts like UTF-16 but is not ({e.reason} at byte {e.start})", path=path,
                             hint="convert it to UTF-8") from None
    if b"\x00" in data[:8192]:
        guess = _utf16_without_bom(data)
        if guess is None:
            raise InputError("is a binary file (contains NUL bytes), not text", path=path)
        return guess, "utf-16", ("decoded as UTF-16 without a byte-order mark",)
    try:
        return data.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError:
        pass
    bad = _bad_utf8_bytes(data)
    non_ascii = sum(1 for b in data if b >= 0x80)
    if bad <= max(3, _DAMAGE_LIMIT * non_ascii):
        text, notes = _utf8(data, path)
        return text, "utf-8", notes
    mixed = _mixed(data)
    if mixed is not None:
        return mixed
    for enc in _legacy_order(data):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_chinese(text):
            name = {"gb18030": "GB18030/GBK", "big5": "Big5"}[enc]
            return text, enc, (f"decoded as {name} (not UTF-8)",)
    guess = _utf16_without_bom(data)
    if guess is not None:
        return guess, "utf-16", ("decoded as UTF-16 without a byte-order mark",)
    raise InputError(f"is not UTF-8, GB18030 or Big5 text ({bad} of {len(data)} bytes are not UTF-8)",
                     path=path, hint="convert it to UTF-8")


def _mixed(data: bytes) -> Optional[tuple[str, str, tuple[str, ...]]]:
    """Text whose lines are in different encodings (UTF-8 lines pasted among GBK or Big5
    ones), decoded line by line; None when the file is not of that kind. A line that decodes
    in none of them is read as UTF-8 with its bad bytes replaced."""
    lines = data.split(b"\n")
    utf8_chars = 0
    kinds: list[Optional[str]] = []
    for line in lines:
        try:
            line.decode("utf-8")
            kinds.append("utf-8")
            utf8_chars += sum(1 for b in line if b >= 0xC0)
        except UnicodeDecodeError:
            kinds.append(None)
    if utf8_chars < 3 or all(kinds):
        return None
    out, by_enc = [], {}
    for n, (line, kind) in enumerate(zip(lines, kinds), 1):
        if kind is None:
            for enc in _legacy_order(line):
                try:
                    text = line.decode(enc)
                except UnicodeDecodeError:
                    continue
                if _looks_chinese(text):
                    kind = enc
                    break
        if kind is None:
            text, kind = line.decode("utf-8", "replace"), "unreadable"
        elif kind == "utf-8":
            text = line.decode("utf-8")
        out.append(text)
        by_enc.setdefault(kind, []).append(n)
    if len(by_enc.get("unreadable", ())) * 2 > len(lines):
        return None
    names = {"gb18030": "GB18030/GBK", "big5": "Big5"}
    parts = [f"{_line_ranges(ns)} as {names[enc]}" for enc, ns in sorted(by_enc.items()) if enc in names]
    if "unreadable" in by_enc:
        parts.append(f"{_line_ranges(by_enc['unreadable'])} in no known encoding (bad bytes replaced by U+FFFD)")
    note = "mixed encodings, read line by line: " + "; ".join(parts) + "; the other lines as UTF-8"
    return "\n".join(out), "mixed", (note,)


def _line_ranges(numbers: list[int], limit: int = 10) -> str:
    """[3, 4, 5, 9] → "lines 3-5, 9"."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and runs[-1][1] == n - 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    shown = ", ".join(f"{a}-{b}" if b > a else str(a) for a, b in runs[:limit])
    more = f" and {len(runs) - limit} more" if len(runs) > limit else ""
    return ("line " if len(numbers) == 1 else "lines ") + shown + more


def _utf8(data: bytes, path: str) -> tuple[str, tuple[str, ...]]:
    """UTF-8 with every undecodable byte replaced by U+FFFD, and a note saying where."""
    text = data.decode("utf-8", errors="surrogateescape")
    if text.isascii() or not any("\udc80" <= c <= "\udcff" for c in text):
        return text, ()
    lines, bad, line = [], 0, 1
    out = []
    for c in text:
        if "\udc80" <= c <= "\udcff":
            bad += 1
            if not lines or lines[-1] != line:
                lines.append(line)
            out.append("\ufffd")
            continue
        if c == "\n":
            line += 1
        out.append(c)
    shown = ", ".join(map(str, lines[:10])) + (f" and {len(lines) - 10} more" if len(lines) > 10 else "")
    noun = "line" if len(lines) == 1 else "lines"
    return "".join(out), (f"{bad} byte{'s' if bad != 1 else ''} of invalid UTF-8 replaced by U+FFFD "
                          f"({noun} {shown}); the rest was read",)


def _bad_utf8_bytes(data: bytes) -> int:
    text = data.decode("utf-8", errors="surrogateescape")
    return sum(1 for c in text if "\udc80" <= c <= "\udcff")


def _legacy_order(data: bytes) -> tuple[str, ...]:
    """GB18030 first, unless the double-byte pairs look like Big5.

    In GB2312/GBK text nearly every trail byte is ≥ 0xA1; Big5's common characters have
    trail bytes 0x40–0x7E about a third of the time.
    """
    pairs = low = 0
    i, n = 0, min(len(data), 65536)
    while i < n - 1:
        b = data[i]
        if b < 0x80:
            i += 1
            continue
        pairs += 1
        low += data[i + 1] < 0xA1
        i += 2
    if pairs and low / pairs > 0.15:
        return ("big5", "gb18030")
    return ("gb18030", "big5")


def _utf16_without_bom(data: bytes) -> Optional[str]:
    """The text, when ``data`` is plainly UTF-16 (either byte order) without a BOM."""
    if len(data) % 2:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if all(map(_plain_char, text[:4096])) and (_looks_chinese(text) or text.isascii() and text.strip()):
            return text
    return None


def _plain_char(c: str) -> bool:
    """A character of Chinese or ASCII prose (binary read as UTF-16 is mostly other planes)."""
    o = ord(c)
    return (32 <= o < 127 or c in "\r\n\t" or 0x3400 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F or o in (0xB7, 0xD7))


def _looks_chinese(text: str) -> bool:
    sample = text[:4000]
    han = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff")
    return han >= max(1, len(sample.strip()) // 10)
