"""Deterministic, atomic writing of graphs.

Triples are sorted before writing and handed to pyoxigraph's serialiser (fast, streams in
the given order), so the same graph always gives the same bytes. Files are written to a
temporary name beside the target and renamed into place: a build killed mid-write leaves
the previous file intact.
"""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

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


def _sort_key(t: tuple) -> tuple:
    return tuple((type(x).__name__, str(x), getattr(x, "language", None) or "",
                  str(getattr(x, "datatype", "") or "")) for x in t)


def sorted_triples(triples: Iterable[tuple]) -> list[tuple]:
    return sorted(set(triples), key=_sort_key)


@contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """A temporary path beside ``path`` that replaces it only when the block succeeds.

    A failure to write (disk full, no permission) raises :class:`KGError` naming ``path``;
    the previous file is left as it was.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise KGError(f"cannot write: {e.strerror or e}", path=str(path)) from None
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())     # mkstemp makes it 0600; give it a new file's mode
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise KGError(f"cannot write: {e.strerror or e}", path=str(path),
                          hint="the previous file is unchanged") from None
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def turtle_bytes(triples: Iterable[tuple]) -> bytes:
    ox_triples = [ox.Triple(*(to_ox(x) for x in t)) for t in sorted_triples(triples)]
    return ox.serialize(ox_triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def write_turtle(triples: Iterable[tuple], path: Path | str) -> None:
    """Write triples as sorted Turtle, atomically."""
    data = turtle_bytes(triples)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
