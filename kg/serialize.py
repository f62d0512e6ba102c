"""Deterministic, atomic writing of graphs.

Triples are sorted before writing and handed to pyoxigraph's serialiser (fast, streams in
the given order), so the same graph always gives the same bytes. The order is that of
:func:`sorted_triples` (each term by kind, text, language, datatype); :func:`sort_ntriples`
reaches the same order on N-Triples text by sorting byte strings, without a Python key per
triple. Files are written to a temporary name beside the target and renamed into place: a
build killed mid-write leaves the previous file intact.
"""
from __future__ import annotations

import bisect
import logging
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Optional

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from .errors import KGError
from .ns import FKG, FKGC, FKGR, FKGRULE, GEO

PREFIXES = {
    "fkg": str(FKG),
    "fkgc": str(FKGC),
    "fkgr": str(FKGR),
    "fkgrule": str(FKGRULE),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "geo": str(GEO),
}

FORMATS = {
    "ttl": ox.RdfFormat.TURTLE, "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML, "rdf": ox.RdfFormat.RDF_XML,
}


def to_ox(term):
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term) -> URIRef | Literal | BNode:
    """A pyoxigraph term as an rdflib term (the inverse of :func:`to_ox`)."""
    if isinstance(term, ox.NamedNode):
        # what URIRef(value) makes, without its check for characters that an IRI pyoxigraph
        # has parsed cannot hold
        return str.__new__(URIRef, term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value) if dt == _XSD_STRING else Literal(term.value, datatype=URIRef(dt))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox_triples(triples: Iterable) -> set[tuple]:
    """pyoxigraph triples (or quads) as a set of rdflib triples (each distinct term converted once)."""
    cache: dict = {}

    def conv(t):
        r = cache.get(t)
        if r is None:
            r = cache[t] = from_ox(t)
        return r

    return {(conv(t.subject), conv(t.predicate), conv(t.object)) for t in triples}


def parse_ntriples(data: bytes) -> set[tuple]:
    """N-Triples as a set of rdflib triples. A literal whose text does not fit its datatype
    (``"2018-02-31"^^xsd:date``) is kept as it is, for the SHACL check to report; rdflib's
    logged traceback for it is kept off the user's terminal."""
    log = logging.getLogger("rdflib.term")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        return from_ox_triples(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    finally:
        log.setLevel(level)


def _sort_key(t: tuple) -> tuple:
    return tuple((type(x).__name__, str(x), getattr(x, "language", None) or "",
                  str(getattr(x, "datatype", "") or "")) for x in t)


def sorted_triples(triples: Iterable[tuple]) -> list[tuple]:
    return sorted(set(triples), key=_sort_key)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_TYPE_RANK = {ox.BlankNode: "B", ox.Literal: "L", ox.NamedNode: "U"}   # BNode < Literal < URIRef


def _term_key(x) -> str:
    """A string that sorts the pyoxigraph term ``x`` where :func:`sorted_triples` sorts its
    rdflib term (type name, text, language, datatype; ``\0`` separators keep prefixes first)."""
    if type(x) is not ox.Literal:
        return f"{_TYPE_RANK[type(x)]}{x.value}\0\0\0"
    lang = x.language or ""
    dt = x.datatype.value
    return f"L{x.value}\0{lang}\0{'' if lang or dt == _XSD_STRING else dt}\0"


def triple_key(t: ox.Triple) -> str:
    """The sort key of a pyoxigraph triple (or quad, graph ignored) in :func:`sorted_triples` order."""
    return _term_key(t.subject) + "\1" + _term_key(t.predicate) + "\1" + _term_key(t.object)


# N-Triples lines sort as bytes in sorted_triples order once four bytes are swapped with
# control bytes: an IRI's ">" and a literal's quotes become the lowest bytes (a shorter text
# sorts before a longer one that starts with it), the separating space the next, and "^" goes
# below "@", so that after a closing quote " " (plain) < "^^" (datatype) < "@" (language), as
# the key compares language before datatype. IRIs never contain these bytes, and a space
# inside a literal keeps its rank; a literal holding ">", "^" or an escape (or a blank node)
# could sort elsewhere, so such a line is placed by its exact key instead.
_SWAP = bytes.maketrans(b'>" ^\x01\x02\x03\x04', b'\x01\x02\x03\x04>" ^')
# a literal object holding ">", "^", an escape or a control byte; a blank node (never in an
# IRI, and no literal holds '> "' unescaped, so each match is on the line it names)
_RISKY = re.compile(rb'> "[^"\n]*?[\\>^\x00-\x1f]|> _:|\n_:|^_:')


def _line_key(line: bytes) -> str:
    return triple_key(next(iter(ox.parse(line, format=ox.RdfFormat.N_TRIPLES))))


def split_special(data: bytes) -> tuple[bytes, bytes]:
    """N-Triples lines (as pyoxigraph writes them) parted into those whose bytes sort in
    :func:`sorted_triples` order once swapped, and the others (literals with ">", "^" or an
    escape, blank nodes)."""
    pieces, risky, pos = [], [], 0
    for m in _RISKY.finditer(data):
        start = data.rfind(b"\n", 0, m.start() + 1) + 1 if data[m.start()] != 10 else m.start() + 1
        if start < pos:     # a second match on a line already taken
            continue
        end = data.find(b"\n", m.start() + 1)
        end = len(data) if end < 0 else end
        pieces.append(data[pos:start])
        risky.append(data[start:end + 1])
        pos = end + 1
    if not risky:
        return data, b""
    pieces.append(data[pos:])
    return b"".join(pieces), b"".join(risky)


def sort_ntriples(data: bytes, special: Optional[bytes] = None) -> tuple[bytes, int]:
    """N-Triples lines (as pyoxigraph writes them) deduplicated and sorted in
    :func:`sorted_triples` order; (the sorted N-Triples, how many triples). When the caller
    has parted the lines already (``special``: see :func:`split_special`), ``data`` is not
    scanned."""
    if special is None:
        data, special = split_special(data)
    risky = set(special.split(b"\n"))
    risky.discard(b"")
    lines = set(data.translate(_SWAP).split(b"\n"))
    del data
    lines.discard(b"")
    lines.difference_update(r.translate(_SWAP) for r in risky)     # a line given in both parts
    lines = sorted(lines)
    if risky:
        swapped_key = lambda line: _line_key(line.translate(_SWAP))   # noqa: E731
        merged, prev = [], 0
        for line in sorted(risky, key=_line_key):
            i = bisect.bisect_left(lines, _line_key(line), lo=prev, key=swapped_key)
            merged.extend(lines[prev:i])
            merged.append(line.translate(_SWAP))
            prev = i
        merged.extend(lines[prev:])
        lines = merged
    n = len(lines)
    lines.append(b"")
    return b"\n".join(lines).translate(_SWAP), n


def ntriples_to_turtle(sorted_nt: bytes) -> bytes:
    """Sorted N-Triples as Turtle with our prefixes, in the same order."""
    return ox.serialize(ox.parse(sorted_nt, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE,
                        prefixes=PREFIXES)


@contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """A temporary path beside ``path`` that replaces it only when the block succeeds.

    A failure to write (disk full, no permission) raises :class:`KGError` naming ``path``;
    the previous file is left as it was.
    """
    with atomic_paths(path) as (tmp,):
        yield tmp


@contextmanager
def atomic_paths(*paths: Path | str) -> Iterator[tuple[Path, ...]]:
    """Temporary paths beside ``paths`` that replace them all, one right after the other,
    only once every one of them is written and synced: files that belong together (kg.ttl
    and graph.html) are switched as a pair, or not at all.

    A temporary is named ``.NAME.PID.XXXXXXXX.tmp``: one left by a killed process is removed
    by :func:`remove_stale_temporaries`. A failure to write raises :class:`KGError` naming
    the file; the previous files are left as they were.
    """
    paths = tuple(Path(p) for p in paths)
    tmps: list[Path] = []
    try:
        try:
            for path in paths:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
                os.close(fd)
                tmps.append(Path(tmp))
        except OSError as e:
            raise KGError(f"cannot write: {e.strerror or e}", path=str(paths[len(tmps)])) from None
        yield tuple(tmps)
        for tmp, path in zip(tmps, paths):
            try:
                with open(tmp, "rb+") as f:
                    os.fsync(f.fileno())
                os.chmod(tmp, 0o666 & ~_umask())     # mkstemp makes it 0600; give it a new file's mode
            except OSError as e:
                raise KGError(f"cannot write: {e.strerror or e}", path=str(path),
                              hint="the previous file is unchanged") from None
        for tmp, path in zip(tmps, paths):
            os.replace(tmp, path)
    except BaseException as e:
        for tmp in tmps:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if isinstance(e, OSError):
            where = next((str(p) for p in paths if p.name in str(e.filename or "")), str(paths[0]))
            raise KGError(f"cannot write: {e.strerror or e}", path=where,
                          hint="the previous files are unchanged") from None
        raise


_TEMPORARY = re.compile(r"^\.+(?P<name>.+?)\.(?:(?P<pid>\d+)\.)?[^.]+\.tmp$")


def remove_stale_temporaries(folder: Path | str, names: Iterable[str]) -> list[Path]:
    """Delete the temporaries of :func:`atomic_paths` for the files ``names`` in ``folder``
    that a killed process left behind (those of a process still running are kept)."""
    removed = []
    names = set(names)
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    for f in entries:
        m = _TEMPORARY.match(f.name)
        if not m or not any(m.group("name") == n or m.group("name").startswith(n + ".") for n in names):
            continue
        pid = m.group("pid")
        if pid and _running(int(pid)):
            continue
        try:
            f.unlink()
            removed.append(f)
        except OSError:
            pass
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:      # exists, owned by another user
        return True
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
