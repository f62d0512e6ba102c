"""Numbers and sums of money as Chinese news writes them: ``5.3万元``, ``一百多元``,
``两三百元``, ``2100余万元``, ``百万余元``, ``3万至5万元``, ``超3.2亿元``, ``9524.15``.

Pure functions, no data files: :func:`parse_number` reads one numeral (Arabic, Chinese or
mixed, with 十/百/千/万/亿 units) and :func:`find_amounts` finds every sum of money in a text
with its value in yuan, its qualifier and its span.

Qualifiers (what the text says about the exact figure):

- ``atLeast``: 余, 多, 几, 以上, 超, 超过, 逾, 上 (``上百元``), and ranges (``3万至5万``,
  ``两三百``) whose value is the lower bound (the upper one is kept as ``high``);
- ``about``: 约, 大约, 左右, 上下, 许, 来 (``十来万``);
- ``atMost``: 不到, 不足, 以内, 以下, 未满, and 近/将近/接近 — "nearly" means the figure was
  approached from below, so the stated number is an upper bound;
- ``exact`` otherwise.
"""
from __future__ import annotations

import decimal

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Iterator, Optional

from .errors import KGError

DIGITS = {"零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "俩": 2, "三": 3, "叁": 3,
          "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
          "九": 9, "玖": 9}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
VAGUE = "余多几来"           # markers inside a numeral: 十余万, 1000多万, 十几, 十来万

_CN = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)
_NUM_CHARS = f"0-9０-９.．{_CN}{VAGUE}"
# a comma inside a numeral only as a thousands separator (1,360元); elsewhere it parts two figures
NUMERAL = re.compile(rf"(?:\d{{1,3}}(?:,\d{{3}})+(?![0-9])|[0-9０-９{_CN}])[{_NUM_CHARS}]*")

PREFIX_QUAL = (("大约", "about"), ("约", "about"), ("将近", "atMost"), ("接近", "atMost"),
               ("近", "atMost"), ("超过", "atLeast"), ("超", "atLeast"), ("逾", "atLeast"),
               ("不到", "atMost"), ("不足", "atMost"), ("未满", "atMost"), ("上", "atLeast"))
SUFFIX_QUAL = (("以上", "atLeast"), ("余", "atLeast"), ("多", "atLeast"), ("左右", "about"),
               ("上下", "about"), ("许", "about"), ("以内", "atMost"), ("以下", "atMost"))
_SUFFIX_WORDS = tuple(word for word, _ in SUFFIX_QUAL)
CURRENCY = ("元人民币", "块钱", "元钱", "元", "块", "圆")
RANGE_JOIN = ("至", "到", "-", "－", "~", "～", "—")
# what a bare 万/亿 numeral must not be followed by to count as money (counters of things)
COUNTERS = re.compile(r"[人名起个台部张次条户家辆件位笔份只套间元块余多]|人次|余人|多人")


class NumberError(KGError):
    """Text that is not a numeral (the only error the public parsers raise)."""


@dataclass(frozen=True)
class ParsedAmount:
    """A sum of money found in text: value in yuan, qualifier, span (end exclusive)."""

    value: Decimal
    qualifier: str
    text: str
    start: int
    end: int
    high: Optional[Decimal] = None    # upper bound of a range
    has_currency: bool = True         # 元/块 written (bare 万/亿 and cents figures have none)


def _to_ascii(s: str) -> str:
    return "".join(chr(ord(c) - 0xFEE0) if "０" <= c <= "９" or c == "．" else c for c in s)


def _small(section: str) -> Decimal:
    """A numeral below 万: ``3.2``, ``2100``, ``二十五``, ``三千五``, ``3千``, ``百``."""
    if not section:
        return Decimal(0)
    s = _to_ascii(section).replace(",", "").replace("，", "")
    if re.fullmatch(r"\d+(\.\d+)?", s):
        return Decimal(s)
    total, digit, last_unit = Decimal(0), None, None
    i = 0
    while i < len(s):
        m = re.match(r"\d+(\.\d+)?", s[i:])
        if m:
            digit = Decimal(m.group())
            i += m.end()
            continue
        c = s[i]
        if c in DIGITS:
            digit = Decimal(DIGITS[c]) if digit is None or DIGITS[c] != 0 else digit
            if DIGITS[c] == 0:
                last_unit = None      # 一千零五: the 五 is units, not hundreds
        elif c in SMALL_UNITS:
            unit = SMALL_UNITS[c]
            total += (digit if digit is not None else Decimal(1)) * unit
            digit, last_unit = None, unit
        else:
            raise NumberError(f"not a numeral: {section!r}")
        i += 1
    if digit is not None:
        # 三千五 = 3500: a trailing digit right after a unit counts in the next lower unit
        total += digit * (Decimal(last_unit) / 10 if last_unit and last_unit >= 100 else 1)
    return total


def parse_number(text: str) -> tuple[Decimal, bool]:
    """Value of one numeral and whether it was vague (余/多/几/来 inside, as in ``十余万``).

    Raises :class:`NumberError` (a :class:`~kg.errors.KGError`) and nothing else when
    ``text`` is not a numeral or its value is beyond what a decimal can hold.

    >>> parse_number("2100余万")
    (Decimal('21000000'), True)
    """
    try:
        return _parse_number(text)
    except (ArithmeticError, RecursionError):    # decimal.InvalidOperation, Overflow: absurd numerals
        raise NumberError(f"not a usable numeral: {text[:40]!r}") from None


def _parse_number(text: str) -> tuple[Decimal, bool]:
    vague = any(c in VAGUE for c in text)
    s = "".join(c for c in text if c not in VAGUE)
    if not s:
        raise NumberError(f"not a numeral: {text!r}")
    total, rest = Decimal(0), s
    for unit_char in ("亿", "億", "万", "萬"):
        if unit_char in rest:
            head, _, rest = rest.partition(unit_char)
            # 万 inside the 亿 section: 一亿二千万 → the head before 亿 holds no 万
            mult = BIG_UNITS[unit_char]
            value = _parse_number(head)[0] if any(u in head for u in "万萬") else _small(head)
            total += (value if head else Decimal(1)) * mult
    total += _colloquial_tail(s, rest)
    return _normal(total), vague


def _colloquial_tail(whole: str, rest: str) -> Decimal:
    """The part after the last 万/亿; ``两万五`` ends in a bare digit worth thousands."""
    if not rest:
        return Decimal(0)
    before = whole[: len(whole) - len(rest)]
    if before and before[-1] in BIG_UNITS and len(rest) == 1 and rest in DIGITS:
        return Decimal(DIGITS[rest]) * BIG_UNITS[before[-1]] / 10
    return _small(rest)


def _normal(d: Decimal) -> Decimal:
    """Drop trailing zeros without scientific notation (``Decimal('5.30E+4')`` → 53000)."""
    d = d.normalize()
    if d != d.to_integral():
        return d
    with decimal.localcontext() as ctx:   # enough digits for any integer the text may hold
        ctx.prec = max(ctx.prec, d.adjusted() + 2)
        return d.quantize(Decimal(1))


def _range_split(num: str) -> Optional[tuple[str, str]]:
    """``两三百`` → (``两百``, ``三百``): two adjacent different Chinese digits are a range."""
    for i in range(len(num) - 1):
        a, b = num[i], num[i + 1]
        if a in DIGITS and b in DIGITS and DIGITS[a] and DIGITS[b] == DIGITS[a] + 1:
            return num[:i + 1] + num[i + 2:], num[:i] + num[i + 1:]
    return None


def amount_of(num: str) -> tuple[Decimal, Optional[Decimal], bool]:
    """(low, high, vague) of a numeral that may be a range like ``两三百``."""
    split = _range_split(num)
    if split:
        return parse_number(split[0])[0], parse_number(split[1])[0], True
    value, vague = parse_number(num)
    return value, None, vague


def _prefix(text: str, pos: int) -> tuple[str, int]:
    for word, qual in PREFIX_QUAL:
        if text.startswith(word, pos - len(word)) and pos - len(word) >= 0:
            return qual, pos - len(word)
    return "", pos


def _suffix(text: str, pos: int, quals: list[str]) -> int:
    if not text.startswith(_SUFFIX_WORDS, pos):
        return pos                        # most numerals: one test, not one for each word
    for word, qual in SUFFIX_QUAL:
        if text.startswith(word, pos):
            quals.append(qual)
            return pos + len(word)
    return pos


def _currency(text: str, pos: int) -> int:
    if not text.startswith(CURRENCY, pos):
        return pos
    for word in CURRENCY:
        if text.startswith(word, pos):
            return pos + len(word)
    return pos


def _clean_numeral(raw: str) -> str:
    """Strip trailing separators and 余/多 that belong after the unit (``75万余`` stays)."""
    return raw.rstrip(".．")


# a mantissa and an e just before a numeral: the numeral is an exponent (1e308元, 1.5E+3元)
_E_NOTATION = re.compile(r"[0-9０-９](?:[.．][0-9０-９]+)?[eEｅＥ][+\-＋－]?$")


def find_amounts(text: str, *, bare: bool = True) -> Iterator[ParsedAmount]:
    """Every sum of money in ``text``: numerals followed by 元/块, ranges, and (``bare``)
    numerals with 万/亿 or with cents (``9524.15``) that no counter word follows."""
    pos = 0
    while True:
        m = NUMERAL.search(text, pos)
        if not m:
            return
        if _E_NOTATION.search(text, max(0, m.start() - 40), m.start()):
            pos = m.end()        # the exponent of 1e308: no sum of money is written so
            continue
        found = _amount_at(text, m.start(), m.end(), bare)
        if found:
            yield found
            pos = found.end
        else:
            pos = m.end()


def _amount_at(text: str, start: int, end: int, bare: bool) -> Optional[ParsedAmount]:
    raw = _clean_numeral(text[start:end])
    end = start + len(raw)
    if not raw or raw[0] in BIG_UNITS:       # 万豪…, 亿元户: a unit alone is no numeral
        return None
    quals: list[str] = []
    high_raw = None
    if text.startswith(RANGE_JOIN, end):     # a range: 3万至5万元, 3至5万元
        for join in RANGE_JOIN:
            if text.startswith(join, end):
                m2 = NUMERAL.match(text, end + len(join))
                if m2:
                    high_raw = _clean_numeral(m2.group())
                    after = end + len(join) + len(high_raw)
                    if _currency(text, _suffix(text, after, [])) > after or high_raw[-1] in "万萬亿億":
                        break
                high_raw = None
    e = end + len(join) + len(high_raw) if high_raw else end
    e = _suffix(text, e, quals)
    cur_end = _currency(text, e)
    has_currency = cur_end > e
    e = _suffix(text, cur_end, quals)
    if not has_currency and not _bare_money(text, raw, e, bare):
        return None                          # most numerals (一个, 5名) are no money: not parsed
    qual0, s = _prefix(text, start)
    if qual0 and text[s:start] == "上" and raw[0] not in "百千万":
        qual0, s = "", start                 # 上百元 is "a hundred or more"; 账户上3万元 is not
    try:
        if high_raw:
            high, _ = parse_number(high_raw)
            low_raw = raw if any(u in raw for u in "万萬亿億") else raw + "".join(
                c for c in high_raw if c in "万萬亿億")
            value, vague = parse_number(low_raw)
        else:
            value, high, vague = amount_of(raw)
    except (NumberError, InvalidOperation):
        return None
    if vague or high is not None:
        quals.append("atLeast")
    qualifier = qual0 or (quals[0] if quals else "exact")
    return ParsedAmount(value, qualifier, text[s:e], s, e, high, has_currency)


def _bare_money(text: str, raw: str, end: int, bare: bool) -> bool:
    """A numeral without 元 is money only when it has 万/亿 or cents and no counter follows."""
    if not bare:
        return False
    if COUNTERS.match(text, end) or text.startswith(("年", "月", "日", "号", "时", "分", "%", "％"), end):
        return False
    ascii_raw = _to_ascii(raw)
    if not any(c.isdigit() or c in DIGITS for c in ascii_raw):
        return False                          # 千万不要…: no digit, no money
    if re.fullmatch(r"\d+\.\d\d", ascii_raw):
        return True
    return ascii_raw[-1:] in ("万", "萬", "亿", "億") or (
        any(c in raw for c in "万萬亿億") and raw[-1] in VAGUE)
