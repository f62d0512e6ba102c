"""Dates as Chinese news writes them, with their precision, resolved only as far as the
text allows.

- absolute: ``2023年10月24日`` (day), ``2023年10月`` (month), ``2019年`` (year), also in
  Chinese numerals (``二〇二三年十月二十四日``);
- month-day: ``10月24日`` takes its year from the nearest earlier date of the text that has
  one, else from the article's year (a dateline); without either it stays ``--10-24``;
- relative to the article: ``今年3月``, ``去年5月15日``, ``前年`` resolve against the
  article's year when it is known, else keep month-day (``--03``);
- relative to the story: ``当晚``, ``当天``, ``次日`` take the previous date; ``近日``,
  ``日前``, ``昨日`` have no date unless the article's own date is known.

Years are never invented: an unresolved date keeps ``resolved=False`` and an XSD-style
partial value (``--10-24`` gMonthDay, ``--10`` gMonth, ``---24`` gDay).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Iterator, Optional

from .numbers import DIGITS, NumberError, parse_number

_N = r"[0-9〇零一二两三四五六七八九十]"
DATE = re.compile(
    rf"(?P<rel>今年|去年|前年|明年|同年|当年)?"
    rf"(?:(?P<y>[12][0-9]{{3}}|[一二][〇零一二三四五六七八九]{{3}})年)?"
    rf"(?:(?P<m>{_N}{{1,3}})(?:[—\-－~至到]{_N}{{1,3}})?月(?:份)?(?:(?P<d>{_N}{{1,3}})[日号])?)?"
)
# DATE can match the empty string, so scanning with it visits every character; a match with a
# year or month starts with a relative word or a numeral, so the scan skips to those (the same
# matches: where DATE_AT does not apply, DATE matches empty and consumes nothing).
DATE_AT = re.compile(rf"(?=今年|去年|前年|明年|同年|当年|{_N})(?:{DATE.pattern})")
DAY_ONLY = re.compile(rf"(?<![月0-9〇零一二三四五六七八九十])(?P<d>[0-9]{{1,2}})日(?!讯|电)")
STORY_RELATIVE = {"当晚": 0, "当天": 0, "当日": 0, "同日": 0, "当夜": 0, "当天上午": 0,
                  "次日": 1, "第二天": 1, "翌日": 1, "隔天": 1}
ARTICLE_RELATIVE = {"近日": None, "日前": None, "前不久": None, "今天": 0, "今日": 0,
                    "昨日": -1, "昨天": -1, "前天": -2}
YEAR_OFFSET = {"今年": 0, "去年": -1, "前年": -2, "明年": 1}
DATELINE = re.compile(r"(?P<y>[12][0-9]{3})[年\-/.](?P<m>[0-9]{1,2})[月\-/.](?P<d>[0-9]{1,2})日?(?:讯|电|消息)?")
# a dateline without its year (中国某某网1月27日讯): the article's month and day
DATELINE_MD = re.compile(r"(?<![0-9年])(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})日(?:讯|电)")


@dataclass(frozen=True)
class ParsedDate:
    """A date in text: ``value`` is ISO (``2023-10-24``, ``2023-10``, ``2023``) when resolved,
    else a partial XSD form (``--10-24``) or empty for 近日-like words."""

    value: str
    precision: str          # day / month / year
    resolved: bool
    text: str
    start: int
    end: int
    relative: str = ""      # the relative word (今年, 当晚, 近日…) when there is one


def _num(s: str) -> int:
    if s.isdigit():
        return int(s)
    if len(s) == 4 and all(c in DIGITS for c in s):            # 二〇二三: digit by digit
        return int("".join(str(DIGITS[c]) for c in s))
    return int(parse_number(s)[0])


def _exists(y: Optional[int], m: int, d: int) -> bool:
    """Whether day ``d`` of month ``m`` exists (in year ``y``; in a leap year when unknown)."""
    try:
        date(y if y is not None else 2000, m, d)
    except ValueError:
        return False
    return True


def _value(y: Optional[int], m: Optional[int], d: Optional[int]) -> tuple[str, str, bool]:
    precision = "day" if d else "month" if m else "year"
    if m and d and not _exists(y, m, d):     # 31日 read into a month that has no 31st: the day alone
        return f"---{d:02d}", precision, False
    if y is not None:
        parts = [f"{y:04d}"] + ([f"{m:02d}"] if m else []) + ([f"{d:02d}"] if m and d else [])
        return "-".join(parts), precision, True
    if m and d:
        return f"--{m:02d}-{d:02d}", precision, False
    if m:
        return f"--{m:02d}", precision, False
    return (f"---{d:02d}" if d else ""), precision, False


def article_year(text: str) -> Optional[int]:
    """The article's own year from a dateline near the top (``2023年10月24日讯``), if any."""
    m = DATELINE.search(text[:200])
    return int(m.group("y")) if m else None


def article_date(text: str) -> tuple[Optional[int], Optional[int], Optional[int]]:
    """(year, month, day) of the article from a dateline near the top, as far as it goes:
    ``2023年10月24日讯`` gives all three, ``12月1日讯`` month and day, nothing gives Nones."""
    m = DATELINE.search(text[:200])
    if m:
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        return (y, mo, d) if 1 <= mo <= 12 and _exists(y, mo, d) else (y, None, None)
    m = DATELINE_MD.search(text[:200])
    if m and 1 <= int(m.group("m")) <= 12 and _exists(None, int(m.group("m")), int(m.group("d"))):
        return None, int(m.group("m")), int(m.group("d"))
    return None, None, None


def find_dates(text: str, ref: Optional[date] = None, ref_year: Optional[int] = None,
               ref_month_day: Optional[tuple[int, int]] = None) -> list[ParsedDate]:
    """Every date of ``text`` in order; ``ref`` (article date) or ``ref_year`` resolve
    relative dates, earlier dates of the text resolve month-days and 当晚-like words; an
    article date without its year (``ref_month_day``) still gives 昨日 its month and day."""
    ref_year = ref.year if ref else ref_year
    out: list[ParsedDate] = []
    for hit in _scan(text):
        pd = _resolve(hit, out, ref, ref_year, ref_month_day)
        out.append(replace(pd, text=text[pd.start:pd.end]))
    return out


def _scan(text: str) -> Iterator[tuple[str, int, int, Optional[str], Optional[int], Optional[int], Optional[int]]]:
    """(kind, start, end, relative word, y, m, d) in text order."""
    hits = []
    for m in DATE_AT.finditer(text):
        if not (m.group("y") or m.group("m")):
            continue
        try:
            y = _num(m.group("y")) if m.group("y") else None
            mo = _num(m.group("m")) if m.group("m") else None
            d = _num(m.group("d")) if m.group("d") else None
        except (NumberError, ValueError):
            continue
        if (mo is not None and not 1 <= mo <= 12) or (d is not None and not 1 <= d <= 31):
            continue
        hits.append(("abs", m.start(), m.end(), m.group("rel"), y, mo, d))
    taken = [(h[1], h[2]) for h in hits]
    for m in DAY_ONLY.finditer(text):
        if not any(s <= m.start() < e for s, e in taken):
            hits.append(("day", m.start(), m.end(), None, None, None, int(m.group("d"))))
    for table in (STORY_RELATIVE, ARTICLE_RELATIVE):
        for word in sorted(table, key=len, reverse=True):
            for m in re.finditer(word, text):
                if not any(s <= m.start() < e for s, e in taken):
                    hits.append(("rel", m.start(), m.end(), word, None, None, None))
                    taken.append((m.start(), m.end()))
    return iter(sorted(hits, key=lambda h: h[1]))


def _resolve(hit, earlier: list[ParsedDate], ref: Optional[date], ref_year: Optional[int],
             ref_month_day: Optional[tuple[int, int]] = None) -> ParsedDate:
    kind, s, e, rel, y, m, d = hit
    text_span = (s, e)
    prev = next((p for p in reversed(earlier) if p.resolved or p.value), None)
    if kind == "rel" and rel in STORY_RELATIVE:
        return _shift(prev, STORY_RELATIVE[rel], rel, text_span)
    if kind == "rel":
        off = ARTICLE_RELATIVE[rel]
        if ref is not None and off is not None:
            return ParsedDate((ref + timedelta(days=off)).isoformat(), "day", True, rel, s, e, rel)
        if ref_month_day is not None and off is not None:
            # a leap year, so that the day before 3月1日 may be 2月29日; the year stays unknown
            day = date(2000, *ref_month_day) + timedelta(days=off)
            return ParsedDate(f"--{day.month:02d}-{day.day:02d}", "day", False, rel, s, e, rel)
        return ParsedDate("", "day", False, rel, s, e, rel)
    if rel in YEAR_OFFSET and y is None:
        y = ref_year + YEAR_OFFSET[rel] if ref_year is not None else None
    elif rel in ("同年", "当年") and y is None and prev and prev.resolved:
        y = int(prev.value[:4])
    if kind == "day" and prev is not None and prev.precision in ("day", "month"):
        y, m = _year_month(prev)
    if y is None and m is not None and not rel:
        y = _year_before(earlier, ref_year)
    value, precision, resolved = _value(y, m, d)
    return ParsedDate(value, precision, resolved, "", s, e, rel or "")


def _year_month(p: ParsedDate) -> tuple[Optional[int], Optional[int]]:
    """Year (if resolved) and month of a day- or month-precision date."""
    if p.resolved:
        return int(p.value[:4]), int(p.value[5:7])
    return None, int(p.value[2:4])


def _year_before(earlier: list[ParsedDate], ref_year: Optional[int]) -> Optional[int]:
    for p in reversed(earlier):
        if p.resolved:
            return int(p.value[:4])
    return ref_year


def _shift(prev: Optional[ParsedDate], days: int, word: str, span: tuple[int, int]) -> ParsedDate:
    s, e = span
    if prev is None or prev.precision != "day" or not prev.value:
        return ParsedDate("", "day", False, word, s, e, word)
    if prev.resolved:
        v = (date.fromisoformat(prev.value) + timedelta(days=days)).isoformat()
        return ParsedDate(v, "day", True, word, s, e, word)
    if days == 0:
        return ParsedDate(prev.value, "day", False, word, s, e, word)
    return ParsedDate("", "day", False, word, s, e, word)
