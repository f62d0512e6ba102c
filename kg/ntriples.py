"""The N-Triples text of terms, exactly as pyoxigraph writes it.

The article writer (:mod:`kg.rdf`) builds each triple as a line of text, not as rdflib
terms: five to eight times faster. The text of a term is what pyoxigraph would write (same
escapes, same lexical forms), so a line means the same bytes whether it comes from the
writer or from a store, and lines can be compared, deduplicated and sorted as bytes
(:mod:`kg.serialize`). Terms are ``"<iri>"``, ``"\\"text\\"@zh"``, ``"\\"5\\"^^<…#integer>"``.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from rdflib import Literal
from rdflib.namespace import XSD

from .ns import FKG, FKGR

_FKGR = str(FKGR)

# Escapes exactly as pyoxigraph writes N-Triples, so that the text of a triple is the same
# whether it comes from this writer or from a store (lines are compared and sorted as text).
_ESCAPE = {i: f"\\u{i:04X}" for i in (*range(0x20), 0x7F, 0xFFFE, 0xFFFF)}
_ESCAPE.update({0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"})
# what needs an escape, or (">", "^") makes a line sort apart from its bytes (kg.serialize)
_SPECIAL = re.compile('[\x00-\x1f"\\\\\x7f\ufffe\uffff>^]')
_UNESCAPE = re.compile(r"\\(u[0-9A-F]{4}|.)")
_UNESCAPED = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


class Special(str):
    """A literal whose line :func:`kg.serialize.sort_ntriples` must place by its exact key."""

    __slots__ = ()


def term(node) -> str:
    """The N-Triples text of an rdflib IRI or literal."""
    if isinstance(node, Literal):
        lexical = str(node)
        text = f'"{escape(lexical)}"'
        if node.language:
            text = f"{text}@{node.language}"
        elif node.datatype:
            text = f"{text}^^<{node.datatype}>"
        return Special(text) if _SPECIAL.search(lexical) else text
    return f"<{node}>"


def value(nt: str) -> str:
    """``str()`` of the rdflib term whose N-Triples text is ``nt`` (IRI or lexical form)."""
    if nt[0] == "<":
        return nt[1:-1]
    text = nt[1:nt.rindex('"')]
    if "\\" not in text:
        return text
    return _UNESCAPE.sub(lambda m: chr(int(m.group(1)[1:], 16)) if len(m.group(1)) == 5 else _UNESCAPED[m.group(1)],
                         text)


def escape(text: str) -> str:
    # str.translate looks every character up: check first, it is rarely needed
    return text.translate(_ESCAPE) if _SPECIAL.search(text) else text


def plain(text: str) -> str:
    if _SPECIAL.search(text):
        return Special(f'"{text.translate(_ESCAPE)}"')
    return f'"{text}"'


def zh(text: str) -> str:
    if _SPECIAL.search(text):
        return Special(f'"{text.translate(_ESCAPE)}"@zh')
    return f'"{text}"@zh'


_INTEGER = f"^^<{XSD.integer}>"


@lru_cache(maxsize=65536)
def integer(n: int) -> str:
    return f'"{int(n)}"{_INTEGER}'


_DECIMALS: dict[tuple, tuple[str, str]] = {}
_DECIMAL = f"<{XSD.decimal}>"


def decimal(x) -> str:
    """An xsd:decimal literal in the lexical form a pyoxigraph store keeps (``66000.0`` is stored,
    and read back, as ``66000``), so a graph reads the same from a store as from a build."""
    return _decimal(x)[0]


def decimal_lexical(x) -> str:
    """rdflib's lexical form of ``Decimal(x)`` (what assertion IRIs hash, as they always did)."""
    return _decimal(x)[1]


def _decimal(x) -> tuple[str, str]:
    # keyed by type and text: 1.0, Decimal("1.0") and Decimal("1.00") are equal but print apart
    key = (type(x), str(x))
    found = _DECIMALS.get(key)
    if found is None:
        import pyoxigraph as ox
        lexical = str(Literal(Decimal(x), datatype=XSD.decimal))
        store = ox.Store()
        store.add(ox.Quad(ox.NamedNode(_FKGR), ox.NamedNode(_FKGR), ox.Literal(lexical, datatype=ox.NamedNode(str(XSD.decimal)))))
        stored = next(iter(store)).object.value
        found = (f'"{stored}"^^{_DECIMAL}', lexical)
        if len(_DECIMALS) < 65536:
            _DECIMALS[key] = found
    return found


def date(value: str) -> str:
    return term(date_literal(value))


@lru_cache(maxsize=None)
def fkg(name: str) -> str:
    """``<fkg:name>`` (a misspelt name raises AttributeError, as ``FKG[name]`` does)."""
    return f"<{FKG[name]}>"


def iri(node) -> str:
    """``<iri>`` of an rdflib IRI."""
    return f"<{node}>"


def date_literal(value: str) -> Literal:
    """A date as printed (2024-03-05, 2024-03, 2024) as an xsd:date, gYearMonth or gYear literal,
    one without its year (--03-05, --03) as an xsd:gMonthDay or gMonth; anything else as a plain
    literal."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=XSD.gYear)
    if re.fullmatch(r"--\d{2}-\d{2}", value):      # a day whose year the text does not give
        return Literal(value, datatype=XSD.gMonthDay)
    if re.fullmatch(r"--\d{2}", value):
        return Literal(value, datatype=XSD.gMonth)
    return Literal(value)
