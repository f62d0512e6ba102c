"""Checks a SPARQL query's text before any engine parses it, and runs the engine where a
deep query cannot crash it.

pyoxigraph parses and evaluates by recursion on the machine stack: a query nested a few
thousand brackets deep, or a long chain of operators or OPTIONALs, overflows the stack and
the process dies with a segmentation fault, not an exception. So queries past a nesting
depth and a size are refused here, from a light lexer that skips strings, IRIs and comments
as SPARQL's own grammar does, and queries run on a thread whose stack is large enough for
the biggest query that passes (:func:`call_with_stack`). The same lexer finds ``SERVICE``
clauses, which make the engine send requests to other servers (see :func:`service_targets`).
"""
from __future__ import annotations

import re
import threading
from typing import Callable, Iterator, Optional, TypeVar
from urllib.parse import urlsplit

from .errors import QueryError

MAX_DEPTH = 64              # brackets of any kind; pyoxigraph needs 190 [ ] on an 8 MB stack
MAX_BYTES = 100_000         # a chain of n operators costs about n kB of stack
STACK_BYTES = 256 << 20     # reserved, not used: the kernel maps pages as recursion reaches them

_T = TypeVar("_T")

# One token per match, in SPARQL's own order of precedence: long strings before short ones,
# an IRI only where IRIREF matches (else "<" is less-than), a word keeps its "\#" escapes
# and ends at a dot (so that "?o.SERVICE" is seen as two words, as the parser sees it).
_SKIPPED = r"""
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*(?:'''|\Z) | \"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|\Z)
              | '(?:[^'\\\n]|\\.)*(?:'|\Z) | "(?:[^"\\\n]|\\.)*(?:"|\Z))
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<open>[({\[])
  | (?P<close>[)}\]])
"""
_TOKEN = re.compile(r"(?P<space>\s+)" + _SKIPPED + r"""
  | (?P<word>(?:[^\s(){}\[\]<>"'\#\\,;.=!&|+*/^]|\\.)+)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)
# The same rules for counting brackets, where a search skips the rest (an escape such as
# "\#" in a name is taken whole, so that it does not start a comment).
_STRUCTURE = re.compile(r"(?P<escape>\\.)" + _SKIPPED, re.VERBOSE | re.DOTALL)


def tokens(text: str) -> Iterator[tuple[str, str]]:
    """(kind, text) of each token but spaces and comments."""
    for m in _TOKEN.finditer(text):
        if m.lastgroup not in ("space", "comment"):
            yield m.lastgroup, m.group()


def check_query(text: str, *, max_depth: int = MAX_DEPTH, max_bytes: int = MAX_BYTES) -> None:
    """Raise :class:`QueryError` when a query is larger or nested deeper than the limits."""
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise QueryError(f"query too large: {size:,} bytes, the limit is {max_bytes:,}",
                         hint="split it, or move long VALUES lists into the graph")
    depth = 0
    for m in _STRUCTURE.finditer(text):
        kind = m.lastgroup
        if kind == "open":
            depth += 1
            if depth > max_depth:
                raise QueryError(f"query nested too deeply: more than {max_depth} levels of brackets",
                                 hint="flatten the query")
        elif kind == "close":
            depth -= 1


def service_targets(text: str, prefixes: Optional[dict[str, str]] = None) -> list[Optional[str]]:
    """The endpoint of each ``SERVICE`` clause in a query: its IRI, or None when it is a
    variable or a name that cannot be resolved here (a relative IRI, an unknown prefix)."""
    if "service" not in text.lower():     # pyoxigraph reads no escapes outside strings and IRIs
        return []
    declared = dict(prefixes or {})
    toks = list(tokens(text))
    out: list[Optional[str]] = []
    for i, (kind, tok) in enumerate(toks):
        if kind != "word":
            continue
        word = tok.upper()
        if word == "PREFIX" and i + 2 < len(toks) and toks[i + 2][0] == "iri":
            declared[toks[i + 1][1].rstrip(":")] = toks[i + 2][1][1:-1]
        elif word == "SERVICE":
            j = i + 1
            if j < len(toks) and toks[j][1].upper() == "SILENT":
                j += 1
            out.append(_resolve(toks[j] if j < len(toks) else ("other", ""), declared))
    return out


def _resolve(token: tuple[str, str], prefixes: dict[str, str]) -> Optional[str]:
    kind, text = token
    if kind == "iri":
        iri = text[1:-1]
    elif kind == "word" and ":" in text and "\\" not in text and not text.startswith(("?", "$")):
        prefix, _, local = text.partition(":")
        if prefix not in prefixes:
            return None
        iri = prefixes[prefix] + local
    else:
        return None
    return iri if urlsplit(iri).scheme else None


def service_host(iri: Optional[str]) -> Optional[str]:
    """The host (lower case) an endpoint IRI names, or None."""
    if not iri:
        return None
    try:
        return urlsplit(iri).hostname
    except ValueError:
        return None


def call_with_stack(fn: Callable[..., _T], *args, stack_bytes: int = STACK_BYTES, **kwargs) -> _T:
    """``fn(*args, **kwargs)`` on a thread with a large stack; its result or its exception."""
    box: dict = {}

    def target() -> None:
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as e:    # handed to the caller's thread unchanged
            box["error"] = e

    old = threading.stack_size(stack_bytes)
    try:
        t = threading.Thread(target=target, name="kg-query", daemon=True)
        t.start()
    finally:
        threading.stack_size(old)
    t.join()
    if "error" in box:
        raise box["error"]
    return box["value"]
