"""Documents → RDF triples with provenance.

Each article becomes a set of triples of its own: its entities (typed, labelled, with the
places' administrative chain), relations, cases, and the mentions, sentences and assertions
that say where every fact came from. The whole graph is the union of those sets, so an
article can be added, replaced or removed on its own, and IRIs are derived from canonical
keys, so the same unit or place is one node everywhere.

The writer builds N-Triples lines directly (:func:`article_ntriples`, terms from
:mod:`kg.ntriples`): that is what a store loads and what worker processes hand back, and it
costs a fraction of building rdflib terms.
:func:`article_triples` gives the same triples as rdflib terms for SHACL, views and tests.
"""
from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from typing import Optional
from urllib.parse import quote

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from . import ntriples as nt
from .model import Amount, CaseFrame, Doc, Entity, Link, Mention
from .ns import FKG, FKGR, FKGRULE, GEO

Triple = tuple  # (subject, predicate, object) of rdflib terms

TYPE_PATH = {
    "PoliceUnit": "unit", "CriminalGroup": "group", "Victim": "person", "Suspect": "person",
    "PoliceOfficer": "person", "Place": "place", "Organization": "org",
}
PLACE_CLASS = {
    "country": FKG.Country, "province": FKG.Province, "prefecture": FKG.Prefecture,
    "county": FKG.County, "township": FKG.Township, "area": FKG.Area,
}
EXTRA_CLASSES = {
    "Suspect": (FKG.Person,), "PoliceOfficer": (FKG.Person,),
}
AMOUNT_PROPS = {
    "lost": FKG.amountLost, "recovered": FKG.amountRecovered, "involved": FKG.amountInvolved,
    "frozen": FKG.amountFrozen, "seized": FKG.amountSeized,
}
# what an IRI path cannot hold as is (RFC 3987: delimiters, controls, private use, non-characters)
_UNSAFE = re.compile("[\\s<>\"{}|\\\\^`#?%\\[\\]\x00-\x20\x7f-\x9f\ue000-\uf8ff\ufdd0-\ufdef\ufff0-\uffff"
                     + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(1, 15))
                     + "\U000E0000-\U000E0FFF\U000F0000-\U0010FFFF]")
_FKGR = str(FKGR)


def _seg(text: str) -> str:
    """An IRI path segment: readable (Chinese stays as is), with unsafe characters escaped."""
    return _UNSAFE.sub(lambda m: quote(m.group(), safe=""), text) if _UNSAFE.search(text) else text


def _entity_path(key: str) -> str:
    type_, _, rest = key.partition("/")
    return f"{TYPE_PATH.get(type_, type_.lower())}/{_seg(rest)}"


def entity_iri(key: str) -> URIRef:
    return URIRef(_FKGR + _entity_path(key))


def article_iri(article_id: str) -> URIRef:
    return FKGR[f"article/{_seg(article_id)}"]


def item_iri(article_id: str, item: int) -> URIRef:
    return FKGR[f"article/{_seg(article_id)}/item/{item}"]


def sentence_iri(article_id: str, start: int, end: int) -> URIRef:
    return FKGR[f"article/{_seg(article_id)}/sentence/{start}-{end}"]


def case_iri(article_id: str, case_id: str) -> URIRef:
    return FKGR[f"case/{_seg(article_id)}/{_seg(case_id)}"]


def rule_iri(rule: str) -> URIRef:
    return FKGRULE[_seg(rule)]


def _hash(*parts) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:12]


# the IRIs the writer uses, looked up once (not at every triple)
A, LABEL, ALT = nt.iri(RDF.type), nt.iri(RDFS.label), nt.iri(SKOS.altLabel)
SUBJ, PRED, OBJ = nt.iri(RDF.subject), nt.iri(RDF.predicate), nt.iri(RDF.object)
PART_OF, DERIVED, LAT, LONG = nt.iri(DCTERMS.isPartOf), nt.iri(PROV.wasDerivedFrom), nt.iri(GEO.lat), nt.iri(GEO.long)
TRUE = nt.term(Literal(True))
_PLACE_CLASS = {k: nt.iri(v) for k, v in PLACE_CLASS.items()}
_EXTRA_CLASSES = {k: tuple(map(nt.iri, v)) for k, v in EXTRA_CLASSES.items()}
_AMOUNT_PROPS = {k: nt.iri(v) for k, v in AMOUNT_PROPS.items()}
_CASE_ROLES = (("victim", "victim", "victims"), ("suspect", "suspect", "suspects"),
               ("group", "criminalGroup", "groups"), ("handledBy", "handledBy", "handled_by"),
               ("place", "occurredIn", "places"))


class _ArticleWriter:
    """Collects the triples of one article as N-Triples lines."""

    def __init__(self, result, resources=None):
        self.result = result
        self.article = result.article
        self.aid = _seg(self.article.id)
        self.base = f"<{_FKGR}"
        self.a = f"{self.base}article/{self.aid}>"
        self.resources = resources
        self.out: set[str] = set()
        self.special: set[str] = set()      # lines whose object is a nt.Special literal
        self.entities: dict[str, Entity] = {}
        self._iris: dict[str, str] = {}
        self._sentences: dict[tuple, str] = {}
        self._rules: dict[str, str] = {}
        self._places: set[str] = set()

    def add(self, s: str, p: str, o: str) -> None:
        (self.special if type(o) is nt.Special else self.out).add(f"{s} {p} {o} .\n")

    def ent(self, key: str) -> str:
        iri = self._iris.get(key)
        if iri is None:
            iri = self._iris[key] = f"{self.base}{_entity_path(key)}>"
        return iri

    def item(self, item: int) -> str:
        return f"{self.base}article/{self.aid}/item/{item}>"

    # ---------------------------------------------------------------- provenance
    def sentence(self, doc: Doc, pos: int) -> str:
        sent = doc.sentence_at(pos)
        key = (doc.item, sent.index, sent.start, sent.end)
        iri = self._sentences.get(key)
        if iri is not None:
            return iri
        s, e = doc.source_span(sent.start, sent.end)
        iri = f"{self.base}article/{self.aid}/sentence/{s}-{e}>"
        self._sentences[key] = iri
        add, fkg = self.add, nt.fkg
        add(iri, A, fkg("Sentence"))
        add(iri, fkg("text"), nt.plain(doc.text[sent.start:sent.end]))
        add(iri, fkg("inArticle"), self.item(doc.item))
        add(iri, fkg("startOffset"), nt.integer(s))
        add(iri, fkg("endOffset"), nt.integer(e))
        add(iri, fkg("sentenceIndex"), nt.integer(sent.index))
        return iri

    def rule(self, rule: str) -> str:
        iri = self._rules.get(rule)
        if iri is None:
            iri = self._rules[rule] = f"<{FKGRULE}{_seg(rule)}>"
            self.add(iri, A, nt.fkg("Rule"))
            self.add(iri, LABEL, nt.plain(rule))
        return iri

    def assertion(self, doc: Doc, s: str, p: str, o: str, rule: str, start: int, end: int,
                  o_text: Optional[str] = None) -> None:
        """Reify one fact (rdf:Statement) with the sentence and span that support it."""
        src_s, src_e = doc.source_span(start, end)
        o_text = nt.value(o) if o_text is None else o_text
        iri = f"{self.base}assertion/{self.aid}/{_hash(nt.value(s), nt.value(p), o_text, src_s, src_e, rule)}>"
        add, fkg = self.add, nt.fkg
        add(iri, A, fkg("Assertion"))
        add(iri, SUBJ, s)
        add(iri, PRED, p)
        add(iri, OBJ, o)
        add(iri, fkg("inSentence"), self.sentence(doc, start))
        add(iri, fkg("startOffset"), nt.integer(src_s))
        add(iri, fkg("endOffset"), nt.integer(src_e))
        add(iri, fkg("rule"), self.rule(rule))
        add(iri, DERIVED, self.a)
        add(s, fkg("evidence"), iri)

    # ---------------------------------------------------------------- article
    def write(self) -> tuple[set[str], set[str]]:
        art, a = self.article, self.a
        self.add(a, A, nt.fkg("Article"))
        self.add(a, nt.fkg("sourceFile"), nt.plain(art.source_file))
        self.add(a, nt.fkg("contentHash"), nt.plain(art.content_hash))
        if self.result.home_city:
            self.add(a, nt.fkg("homeCity"), self.ent(self.result.home_city))
            self._place(self.result.home_city)
        for doc in self.result.docs:
            self._doc(doc)
        for key, ent in sorted(self.entities.items()):
            self._entity(ent)
        return self.out, self.special

    def _doc(self, doc: Doc) -> None:
        it = self.item(doc.item)
        add, fkg = self.add, nt.fkg
        add(it, A, fkg("NewsItem"))
        add(it, PART_OF, self.a)
        add(it, fkg("sourceFile"), nt.plain(self.article.source_file))
        add(it, fkg("itemIndex"), nt.integer(doc.item))
        if doc.title:
            add(it, fkg("title"), nt.plain(doc.title))
        if doc.home_city:
            add(it, fkg("homeCity"), self.ent(doc.home_city))
            self._place(doc.home_city)
        known = {e.key: e for e in doc.entities}
        for key, ent in known.items():
            self.entities[key] = self.entities[key].merged(ent) if key in self.entities else ent
        for m in doc.mentions:
            if m.key and m.key in known:
                self._mention(doc, m)
        for link in doc.links:
            if link.subject in known and link.object in known:
                self._link(doc, link)
        for case in doc.cases:
            self._case(doc, case)
        for fig in doc.figures:
            self._figure(doc, fig)

    def _mention(self, doc: Doc, m: Mention) -> None:
        ent = self.ent(m.key)
        s, e = doc.source_span(m.start, m.end)
        iri = f"{self.base}mention/{self.aid}/{s}-{e}-{_hash(m.key)[:6]}>"
        add, fkg = self.add, nt.fkg
        add(iri, A, fkg("Mention"))
        add(iri, fkg("denotes"), ent)
        add(iri, fkg("text"), nt.plain(m.text))
        add(iri, fkg("startOffset"), nt.integer(s))
        add(iri, fkg("endOffset"), nt.integer(e))
        add(iri, fkg("inSentence"), self.sentence(doc, m.start))
        add(iri, fkg("rule"), self.rule(m.rule))
        add(iri, DERIVED, self.a)
        add(ent, fkg("mentionedIn"), self.a)
        # Names come from Entity.aliases only: a bare form (市公安局) or a pronoun denotes the
        # entity here but is no name of it elsewhere, so it must not become an altLabel.

    def _link(self, doc: Doc, link: Link) -> None:
        s, o = self.ent(link.subject), self.ent(link.object)
        p = nt.fkg(link.predicate)
        self.add(s, p, o)
        self.assertion(doc, s, p, o, link.rule, link.start, link.end)
        self.add(s, nt.fkg("mentionedIn"), self.a)
        self.add(o, nt.fkg("mentionedIn"), self.a)

    # ---------------------------------------------------------------- entities
    def _entity(self, ent: Entity) -> None:
        iri = self.ent(ent.key)
        self.add(iri, A, nt.fkg(ent.type))
        for extra in _EXTRA_CLASSES.get(ent.type, ()):
            self.add(iri, A, extra)
        self.add(iri, LABEL, nt.zh(ent.label))
        for alias in sorted(ent.aliases):
            if alias != ent.label:
                self.add(iri, ALT, nt.zh(alias))
        kind = ent.get("kind")
        if kind == "person":
            self.add(iri, A, nt.fkg("Person"))
        elif kind == "organization" and ent.type != "Organization":
            self.add(iri, A, nt.fkg("Organization"))
        if ent.type == "Place":
            self._place(ent.key, ent)

    def _place(self, key: str, ent: Optional[Entity] = None) -> None:
        code = key.partition("/")[2]
        gaz = self.resources.gazetteer if self.resources is not None else None
        div = gaz.get(code) if gaz is not None and code in gaz else None   # Place/<name>: outside it
        iri = self.ent(key)
        if div is None:
            if ent is not None and ent.get("level") in PLACE_CLASS:
                self.add(iri, A, _PLACE_CLASS[ent.get("level")])
            return
        if key in self._places:      # a gazetteer place's triples depend on its key only
            return
        self._places.add(key)
        add = self.add
        add(iri, A, nt.fkg("Place"))
        add(iri, A, _PLACE_CLASS.get(div.level, nt.fkg("Place")))
        add(iri, LABEL, nt.zh(div.name))
        for alias in div.aliases:
            if alias != div.name:
                add(iri, ALT, nt.zh(alias))
        if not code.startswith("X") and "-" not in code:
            add(iri, nt.fkg("adminCode"), nt.plain(code))
        if div.lat is not None and div.lon is not None:
            add(iri, LAT, nt.decimal(Decimal(str(div.lat))))
            add(iri, LONG, nt.decimal(Decimal(str(div.lon))))
        if div.historical:
            add(iri, nt.fkg("historical"), TRUE)
            if div.successor:
                add(iri, nt.fkg("successor"), self.ent(f"Place/{div.successor}"))
        if div.parent:
            parent_key = f"Place/{div.parent}"
            add(iri, nt.fkg("locatedIn"), self.ent(parent_key))
            self._place(parent_key)

    # ---------------------------------------------------------------- cases
    def _case(self, doc: Doc, case: CaseFrame) -> None:
        iri = f"{self.base}case/{self.aid}/{_seg(case.id)}>"
        add, fkg = self.add, nt.fkg
        add(iri, A, fkg("Case"))
        add(iri, fkg("mentionedIn"), self.a)
        add(iri, fkg("mentionedIn"), self.item(doc.item))
        home = doc.home_city or self.result.home_city     # the cities written as fkg:homeCity above
        if home:
            add(iri, fkg("reportingCity"), self.ent(home))
        concept = nt.iri(crime_type_iri(case.crime_type))
        add(iri, fkg("crimeType"), concept)
        add(iri, LABEL, nt.zh(self._case_label(doc, case)))
        spans = {(f, v): (s, e) for f, v, s, e in case.evidence}
        default_span = (case.start, max(case.start + 1, min(case.end, case.start + 1)))

        def fact(prop, value, field_, val_key, value_text=None):
            add(iri, prop, value)
            s, e = spans.get((field_, val_key), default_span)
            self.assertion(doc, iri, prop, value, case.rule, s, e, value_text)

        for field_, prop, attr in _CASE_ROLES:
            for k in getattr(case, attr):
                fact(fkg(prop), self.ent(k), field_, k)
        fact(fkg("crimeType"), concept, "crimeType", case.crime_type)
        if case.amount_lost is not None:
            fact(fkg("amountLost"), nt.decimal(case.amount_lost), "amountLost", str(case.amount_lost),
                 nt.decimal_lexical(case.amount_lost))
        if case.amount_recovered is not None:
            fact(fkg("amountRecovered"), nt.decimal(case.amount_recovered), "amountRecovered", str(case.amount_recovered),
                 nt.decimal_lexical(case.amount_recovered))
        for role in ("involved", "frozen", "seized"):
            vals = [a.value for a in case.amounts if a.role == role]
            if vals:
                add(iri, _AMOUNT_PROPS[role], nt.decimal(max(vals)))
        for amt in case.amounts:
            self._amount(doc, iri, amt)
        if case.date:
            add(iri, fkg("date"), nt.term(nt.date_literal(case.date)))
            if case.date_precision:
                add(iri, fkg("datePrecision"), nt.plain(case.date_precision))
        for name, n in case.counts:
            add(iri, fkg(name), nt.integer(n))

    def _case_label(self, doc: Doc, case: CaseFrame) -> str:
        names = [self._label_of(k) for k in case.victims or case.groups or case.suspects]
        who = "、".join(n for n in names if n)
        return f"{who} {case.crime_type}案".strip() if who else f"{case.crime_type}案"

    def _label_of(self, key: str) -> str:
        ent = self.entities.get(key)
        return ent.label if ent else key.rpartition("/")[2]

    def _amount(self, doc: Doc, case: str, amt: Amount) -> None:
        s, e = doc.source_span(amt.start, amt.end)
        iri = f"{self.base}amount/{self.aid}/{s}-{e}-{amt.role}>"
        add, fkg = self.add, nt.fkg
        add(case, fkg("amount"), iri)
        add(iri, A, fkg("MonetaryAmount"))
        add(iri, fkg("value"), nt.decimal(amt.value))
        add(iri, fkg("amountRole"), nt.plain(amt.role))
        if amt.kind:
            add(iri, fkg("amountKind"), nt.plain(amt.kind))
        add(iri, fkg("qualifier"), nt.plain(amt.qualifier))
        add(iri, fkg("text"), nt.plain(amt.text))
        add(iri, fkg("startOffset"), nt.integer(s))
        add(iri, fkg("endOffset"), nt.integer(e))
        add(iri, fkg("inSentence"), self.sentence(doc, amt.start))

    def _figure(self, doc: Doc, fig) -> None:
        s, e = doc.source_span(fig.start, fig.end)
        iri = f"{self.base}figure/{self.aid}/{s}-{e}>"
        add, fkg = self.add, nt.fkg
        add(iri, A, fkg("ReportedFigure"))
        add(iri, fkg("measure"), nt.plain(fig.measure))
        add(iri, fkg("value"), nt.decimal(fig.value))
        add(iri, fkg("unit"), nt.plain(fig.unit))
        if fig.kind:
            add(iri, fkg("amountKind"), nt.plain(fig.kind))
        if fig.period:
            add(iri, fkg("period"), nt.plain(fig.period))
        if fig.reporter:
            add(iri, fkg("reportedBy"), self.ent(fig.reporter))
        if fig.area:
            add(iri, fkg("area"), self.ent(fig.area))
        add(iri, fkg("mentionedIn"), self.a)
        add(iri, fkg("inSentence"), self.sentence(doc, fig.start))
        add(iri, fkg("rule"), self.rule(fig.rule))


_CRIME_TYPES: dict[str, URIRef] = {}


def crime_type_iri(label: str) -> URIRef:
    """The SKOS concept whose prefLabel is ``label`` (read from the ontology, once)."""
    if not _CRIME_TYPES:
        from .ontology import crime_types
        _CRIME_TYPES.update(crime_types())
    try:
        return _CRIME_TYPES[label]
    except KeyError:
        raise ValueError(f"unknown crime type {label!r}") from None


def article_ntriples(result, resources=None) -> tuple[bytes, int]:
    """All triples extracted from one article as N-Triples (UTF-8, as pyoxigraph would write
    them; lines in no set order), and the offset from which the lines are those that
    :func:`kg.serialize.sort_ntriples` must place by their exact key (``special``).

    ``resources`` gives the gazetteer, used for the places' names, codes and chains."""
    plain, special = _ArticleWriter(result, resources).write()
    head = "".join(plain).encode("utf-8")
    return head + "".join(special).encode("utf-8"), len(head)


def article_triples(result, resources=None) -> set[Triple]:
    """All triples extracted from one article, as rdflib terms (its own named graph in a store)."""
    from .serialize import parse_ntriples
    return parse_ntriples(article_ntriples(result, resources)[0])
