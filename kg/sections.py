"""``kg.ttl`` in sections: the triples articles share, then each article's own, by article.

Sorting a whole graph before writing it costs time that grows with the graph, in one
process, after the extraction has finished. Most of a graph, though, belongs to one
article alone: a triple whose subject or object is one of the article's own IRIs (the
article, its items and sentences, mentions, assertions, cases, amounts, figures, people
and groups) is written by that article and no other. Each article's own triples are
therefore sorted and turned into Turtle by the worker that extracted them
(:func:`article_section`). Only the triples about shared nodes (places, police units,
organisations, rules, crime types), which many articles repeat, are merged and sorted
when the graph is assembled (:func:`write_turtle`), and they are few.

``kg.ttl`` is: the prefixes; the shared triples, sorted; then one section per article, under
a comment naming it, in the order of the article IRIs. The bytes depend only on the graph of each article, never
on the order in which articles were extracted, the number of processes, or whether an
article came from a store.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import re
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Optional

from .model import ENTITY_TYPES
from .ns import FKGR
from .serialize import ntriples_to_turtle, sort_ntriples, split_special

# the kinds of IRI that carry the article's id: fkgr:{kind}/{article id}/… (rdf.py mints them)
LOCAL_KINDS = ("article", "assertion", "mention", "case", "amount", "figure", "person", "group")
_ARTICLE_BASE = f"{FKGR}article/"


@dataclass(frozen=True)
class Section:
    """What one article contributes to ``kg.ttl``."""

    article: str          # the article's IRI: sections are written in this order
    turtle: bytes         # its own triples, sorted, as Turtle without the prefixes
    triples: int          # how many triples ``turtle`` holds
    shared: bytes         # N-Triples about shared nodes whose bytes sort as they are
    shared_special: bytes  # N-Triples about shared nodes placed by key (kg.serialize.sort_ntriples)
    types: bytes          # the rdf:type lines that the build summary counts


def local_prefixes(article: str) -> tuple[bytes, ...]:
    """How the N-Triples text of the article's own IRIs begins (``article`` is its IRI)."""
    if not article.startswith(_ARTICLE_BASE):
        raise ValueError(f"not an article IRI: {article}")
    seg = article[len(_ARTICLE_BASE):]
    own = [f"<{article}>", f"<{article}/"] + [f"<{FKGR}{kind}/{seg}/" for kind in LOCAL_KINDS if kind != "article"]
    return tuple(p.encode("utf-8") for p in own)


def split_local(lines: bytes, article: str) -> tuple[bytes, bytes]:
    """N-Triples lines parted into the article's own (subject or object one of its IRIs) and
    the others. IRIs hold no spaces, so a line's object starts after its second space."""
    own = local_prefixes(article)
    local, shared = [], []
    for line in lines.split(b"\n"):
        if not line:
            continue
        if line.startswith(own) or line.startswith(own, line.index(b" ", line.index(b" ") + 1) + 1):
            local.append(line)
        else:
            shared.append(line)
    return _lines(local), _lines(shared)


def _lines(lines: list[bytes]) -> bytes:
    return b"\n".join(lines) + b"\n" if lines else b""


def article_section(article: str, ntriples: bytes, special_from: int | None = None) -> Section:
    """The section of the article with IRI ``article`` whose triples are ``ntriples`` (as
    :func:`kg.rdf.article_ntriples` or a store writes them). ``ntriples[special_from:]`` are
    the lines to place by key; when it is None the lines are scanned for them."""
    if special_from is None:
        safe, special = split_special(ntriples)
    else:
        safe, special = ntriples[:special_from], ntriples[special_from:]
    local_safe, shared_safe = split_local(safe, article)
    local_special, shared_special = split_local(special, article)
    local_sorted, n = sort_ntriples(local_safe, local_special)
    return Section(article, turtle_body(ntriples_to_turtle(local_sorted)), n, shared_safe, shared_special,
                   b"".join(type_lines(ntriples)))


@lru_cache(maxsize=1)
def turtle_header() -> bytes:
    """The prefix lines that pyoxigraph writes at the head of every Turtle document of ours."""
    probe = b"<urn:x:s> <urn:x:p> <urn:x:o> .\n"
    text = ntriples_to_turtle(probe)
    return text[:text.rindex(b"<urn:x:s>")]


def turtle_body(turtle: bytes) -> bytes:
    """Turtle without its prefix lines (what is left is valid after any one header)."""
    if not turtle:
        return b""
    header = turtle_header()
    if not turtle.startswith(header):
        raise ValueError("pyoxigraph wrote Turtle that does not start with the expected prefixes")
    return turtle[len(header):]


def write_turtle(sections: Iterable[Section], extra_shared: bytes, out: BinaryIO) -> int:
    """Write ``kg.ttl`` to ``out``: prefixes, the shared triples of every section and of
    ``extra_shared`` (N-Triples, such as the crime-type scheme) merged and sorted, then the
    sections by article IRI. Returns how many triples were written."""
    sections = sorted(sections, key=lambda s: s.article)
    extra_safe, extra_special = split_special(extra_shared)
    shared, n = sort_ntriples(b"".join([extra_safe, *(s.shared for s in sections)]),
                              b"".join([extra_special, *(s.shared_special for s in sections)]))
    out.write(turtle_header())
    out.write(b"\n# Shared by the articles: places, police units, organisations, rules, crime types\n\n")
    out.write(turtle_body(ntriples_to_turtle(shared)))
    del shared
    for s in sections:
        out.write(f"\n# Article <{s.article}>\n\n".encode("utf-8"))
        out.write(s.turtle)
        n += s.triples
    return n


# ---------------------------------------------------------------- build summary
_TYPE_TAIL = b"> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/fraudkg/ontology#"
_TYPE_LINE = re.compile(rb"<([^<>\n]*)" + re.escape(_TYPE_TAIL) + rb"(" + "|".join((*ENTITY_TYPES, "Case", "NewsItem")).encode()
                        + rb")> \.")


def type_lines(ntriples: bytes) -> Iterator[bytes]:
    """The ``rdf:type`` lines of N-Triples that give an entity type, ``fkg:Case`` or
    ``fkg:NewsItem``, found by their fixed middle part (a regular expression scanning every
    ``<`` of a few hundred MB takes 20 s; ``bytes.find`` well under 1)."""
    pos = ntriples.find(_TYPE_TAIL)
    while pos != -1:
        start = ntriples.rfind(b"\n", 0, pos) + 1
        end = ntriples.find(b"\n", pos)
        end = len(ntriples) if end == -1 else end
        if _TYPE_LINE.fullmatch(ntriples, start, end):
            yield ntriples[start:end] + b"\n"
        pos = ntriples.find(_TYPE_TAIL, end)


def type_matches(types: bytes) -> Iterator[re.Match]:
    """(subject IRI, type name) matches of lines from :func:`type_lines`."""
    return _TYPE_LINE.finditer(types)


# ---------------------------------------------------------------- kept beside a store
class SectionCache:
    """Each stored article's section, kept in a folder beside the store (``fraudkg-sections``)
    so that a build need not read unchanged articles back from the store to write kg.ttl
    (reading 5,595 graphs back cost as much as extracting them).

    An entry is used only when its key matches: the article's content hash and the
    fingerprint of the code that wrote it (extraction, sections, serialisation, pyoxigraph).
    Entries are written after the store has committed the article; any entry that cannot be
    read, or does not match, is a miss, and the build reads the store instead.
    """

    def __init__(self, folder: Path, extraction_fingerprint: str):
        self.folder = folder
        self.fingerprint = hashlib.sha256((extraction_fingerprint + code_fingerprint()).encode("utf-8")).hexdigest()

    def _file(self, graph: str) -> Path:
        return self.folder / (hashlib.sha1(graph.encode("utf-8")).hexdigest() + ".section")

    def get(self, graph: str, content_hash: str) -> Optional[Section]:
        try:
            key, fields = marshal.loads(self._file(graph).read_bytes())
            section = Section(*fields)
        except (OSError, ValueError, EOFError, TypeError):
            return None
        return section if key == (self.fingerprint, content_hash) and section.article == graph else None

    def put(self, graph: str, content_hash: str, section: Section) -> None:
        self.folder.mkdir(exist_ok=True)
        fields = (section.article, section.turtle, section.triples, section.shared, section.shared_special,
                  section.types)
        # renamed into place but not synced: after a crash an entry may be empty or cut short,
        # which reads as a miss
        target = self._file(graph)
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(marshal.dumps(((self.fingerprint, content_hash), fields)))
        os.replace(tmp, target)

    def drop(self, graph: str) -> None:
        self._file(graph).unlink(missing_ok=True)

    def clear(self) -> None:
        if self.folder.is_dir():
            shutil.rmtree(self.folder)


def code_fingerprint() -> str:
    """What, beside the extraction code, decides a section's bytes: the code this module
    imports and pyoxigraph's version."""
    import pyoxigraph as ox
    from .fingerprint import fingerprint
    return fingerprint(("kg.sections",), data_dirs=(), salt=ox.__version__)
