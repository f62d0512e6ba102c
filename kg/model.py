"""The document model every stage reads and extends.

Data flows one way: files → :class:`Article` → :class:`Doc` (one per news item) with
:class:`Mention`, :class:`Link`, :class:`CaseFrame` and :class:`Figure` added by the
extractors → entities, relations and cases in RDF.  Everything here is a frozen dataclass:
an extractor returns a new ``Doc`` with more annotations (``doc.add(...)``) instead of
mutating the one it was given, so a pipeline run is easy to reason about and to test.

Offsets: ``Doc.text`` is the cleaned text of one news item (OCR line breaks and stray
spaces removed); ``Doc.offsets[i]`` is the position in ``Article.raw`` of ``Doc.text[i]``,
so every annotation can be traced to the characters of the original file.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Iterable, Iterator, Optional

# The seven entity types of the contract, in the scorer's order of precedence.
ENTITY_TYPES = ("PoliceUnit", "CriminalGroup", "Victim", "Suspect", "PoliceOfficer", "Place", "Organization")

# Relations between entities (fkg: local names).
RELATIONS = ("partOf", "jurisdiction", "locatedIn", "originPlace", "basedIn",
             "arrestedIn", "memberOf", "livesIn", "worksFor")


@dataclass(frozen=True)
class Article:
    """One input file, decoded; ``raw`` is the text every offset points into."""

    id: str              # stable, IRI-safe identifier (the file stem, made unique)
    source_file: str     # the file's name, as the scorer reads it
    path: str            # where it was read from
    raw: str             # decoded text of the whole file
    content_hash: str    # sha256 of the file's bytes
    encoding: str = "utf-8"
    # what reading had to repair (bytes replaced, markup removed…), for the build summary
    notes: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int           # in Doc.text
    end: int


@dataclass(frozen=True)
class Mention:
    """A span of ``Doc.text`` that names something, with the rule that found it.

    ``key`` is the canonical entity key (see :func:`entity_key`) once known; ``attrs`` holds
    extractor-specific facts as sorted ``(name, value)`` pairs (role, code, canonical name…).
    """

    start: int
    end: int
    text: str
    label: str           # an ENTITY_TYPES member, or a helper label such as "Money", "Date", "Pronoun"
    rule: str            # id of the rule that produced it
    key: Optional[str] = None
    attrs: tuple[tuple[str, str], ...] = ()

    def get(self, name: str, default: Optional[str] = None) -> Optional[str]:
        for k, v in self.attrs:
            if k == name:
                return v
        return default


@dataclass(frozen=True)
class Entity:
    """What a key stands for: type, canonical label, other names, and typed facts."""

    key: str
    type: str                                  # an ENTITY_TYPES member
    label: str
    aliases: frozenset[str] = frozenset()
    attrs: tuple[tuple[str, str], ...] = ()    # e.g. ("code", "330784"), ("level", "county")

    def get(self, name: str, default: Optional[str] = None) -> Optional[str]:
        for k, v in self.attrs:
            if k == name:
                return v
        return default

    def merged(self, other: "Entity") -> "Entity":
        """The same entity known under more names (first label wins, aliases unite)."""
        aliases = self.aliases | other.aliases | ({other.label} - {self.label})
        attrs = dict(other.attrs)
        attrs.update(dict(self.attrs))
        return replace(self, aliases=frozenset(aliases - {self.label}), attrs=tuple(sorted(attrs.items())))


@dataclass(frozen=True)
class Link:
    """A relation between two entity keys, with the span of text that supports it."""

    subject: str
    predicate: str       # a RELATIONS member
    object: str
    rule: str
    start: int           # evidence span in Doc.text (usually the sentence)
    end: int


def unique_links(links: Iterable[Link]) -> list[Link]:
    """The first link of each (subject, predicate, object), in order: the first rule that
    found a relation keeps its evidence."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for l in links:
        if (l.subject, l.predicate, l.object) not in seen:
            seen.add((l.subject, l.predicate, l.object))
            out.append(l)
    return out


@dataclass(frozen=True)
class Amount:
    value: Decimal       # yuan
    role: str            # lost / recovered / involved / frozen / seized / rewarded / other
    qualifier: str       # exact / atLeast / about / atMost
    text: str
    start: int
    end: int
    kind: str = ""       # money kept from the fraudsters: returned / stopped / prevented / avoided


@dataclass(frozen=True)
class CaseFrame:
    """One incident or investigation told as a story in a news item."""

    id: str                                   # unique within the article
    crime_type: str                           # a crime-type label of the SKOS scheme
    victims: tuple[str, ...] = ()             # entity keys
    suspects: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    handled_by: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    amounts: tuple[Amount, ...] = ()
    amount_lost: Optional[Decimal] = None
    amount_recovered: Optional[Decimal] = None
    date: Optional[str] = None                # ISO date, year-month or year
    date_precision: Optional[str] = None
    counts: tuple[tuple[str, int], ...] = ()  # ("suspectsArrested", 64), …
    start: int = 0                            # span of the story in Doc.text
    end: int = 0
    rule: str = "case.story"
    # (field, value, start, end): the span that supports each fact, e.g. ("victim", key, 10, 13)
    evidence: tuple[tuple[str, str, int, int], ...] = ()


@dataclass(frozen=True)
class Figure:
    """A statistic reported by a unit (全市破获案件502起), not a case."""

    measure: str
    value: Decimal
    unit: str
    period: Optional[str]
    reporter: Optional[str]   # PoliceUnit key
    area: Optional[str]       # Place key
    start: int
    end: int
    rule: str
    kind: Optional[str] = None   # of a sum kept from the fraudsters: returned / stopped / prevented / avoided


@dataclass(frozen=True)
class Doc:
    """One news item of an article with everything the extractors found in it."""

    article: Article
    item: int
    title: str
    text: str
    offsets: tuple[int, ...]                  # len(text) + 1 entries; the last is the end
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    entities: tuple[Entity, ...] = ()
    links: tuple[Link, ...] = ()
    cases: tuple[CaseFrame, ...] = ()
    figures: tuple[Figure, ...] = ()
    home_city: Optional[str] = None           # Place key

    # -- building ---------------------------------------------------------------------
    def add(self, *, mentions: Iterable[Mention] = (), entities: Iterable[Entity] = (),
            links: Iterable[Link] = (), cases: Iterable[CaseFrame] = (),
            figures: Iterable[Figure] = (), **changes) -> "Doc":
        """A copy with more annotations (entities with a known key are merged)."""
        ents = {e.key: e for e in self.entities}
        for e in entities:
            ents[e.key] = ents[e.key].merged(e) if e.key in ents else e
        return replace(
            self,
            mentions=self.mentions + tuple(mentions),
            entities=tuple(ents.values()),
            links=self.links + tuple(links),
            cases=self.cases + tuple(cases),
            figures=self.figures + tuple(figures),
            **changes,
        )

    def replace(self, **changes) -> "Doc":
        return replace(self, **changes)

    # -- reading ----------------------------------------------------------------------
    def entity(self, key: str) -> Optional[Entity]:
        for e in self.entities:
            if e.key == key:
                return e
        return None

    def labelled(self, *labels: str) -> Iterator[Mention]:
        return (m for m in self.mentions if m.label in labels)

    def sentence_at(self, pos: int) -> Sentence:
        """The sentence containing position ``pos`` of ``text`` (the last one past the end)."""
        lo, hi = 0, len(self.sentences) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.sentences[mid].start <= pos:
                lo = mid
            else:
                hi = mid - 1
        return self.sentences[lo]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in ``article.raw`` of ``text[start:end]`` (end exclusive)."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1


def entity_key(type_: str, name: str, scope: Optional[str] = None) -> str:
    """Canonical key of an entity: global for places, units and organisations, scoped to
    one news item (``scope``) for people and groups, who are not merged across articles."""
    return f"{type_}/{scope}/{name}" if scope else f"{type_}/{name}"
