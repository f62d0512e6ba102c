"""Documents → RDF triples with provenance, and deterministic serialisation.

Each article becomes a set of triples of its own (:func:`article_triples`): its entities
(typed, labelled, with the places' administrative chain), relations, cases, and the
mentions, sentences and assertions that say where every fact came from. The whole graph is
the union of those sets, so an article can be added, replaced or removed on its own, and
IRIs are derived from canonical keys, so the same unit or place is one node everywhere.
"""
from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from typing import Iterable, Iterator, Optional
from urllib.parse import quote

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from .model import Amount, CaseFrame, Doc, Entity, Link, Mention
from .ns import FKG, FKGC, FKGR, FKGRULE, GEO

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
_UNSAFE = re.compile(r"[\s<>\"{}|\\^`#?%]")


def _seg(text: str) -> str:
    """An IRI path segment: readable (Chinese stays as is), with unsafe characters escaped."""
    return _UNSAFE.sub(lambda m: quote(m.group(), safe=""), text)


def entity_iri(key: str) -> URIRef:
    type_, _, rest = key.partition("/")
    return FKGR[f"{TYPE_PATH.get(type_, type_.lower())}/{_seg(rest)}"]


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


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _int(n: int) -> Literal:
    return Literal(int(n), datatype=XSD.integer)


def _dec(x: Decimal) -> Literal:
    return Literal(Decimal(x), datatype=XSD.decimal)


class _ArticleWriter:
    """Collects the triples of one article."""

    def __init__(self, result, resources=None):
        self.result = result
        self.article = result.article
        self.a = article_iri(self.article.id)
        self.resources = resources
        self.out: set[Triple] = set()
        self.entities: dict[str, Entity] = {}

    def add(self, s, p, o) -> None:
        self.out.add((s, p, o))

    # ---------------------------------------------------------------- provenance
    def sentence(self, doc: Doc, pos: int) -> URIRef:
        sent = doc.sentence_at(pos)
        s, e = doc.source_span(sent.start, sent.end)
        iri = sentence_iri(self.article.id, s, e)
        self.add(iri, RDF.type, FKG.Sentence)
        self.add(iri, FKG.text, Literal(doc.text[sent.start:sent.end]))
        self.add(iri, FKG.inArticle, item_iri(self.article.id, doc.item))
        self.add(iri, FKG.startOffset, _int(s))
        self.add(iri, FKG.endOffset, _int(e))
        self.add(iri, FKG.sentenceIndex, _int(sent.index))
        return iri

    def rule(self, rule: str) -> URIRef:
        iri = rule_iri(rule)
        self.add(iri, RDF.type, FKG.Rule)
        self.add(iri, RDFS.label, Literal(rule))
        return iri

    def assertion(self, doc: Doc, s, p, o, rule: str, start: int, end: int) -> None:
        """Reify one fact (rdf:Statement) with the sentence and span that support it."""
        src_s, src_e = doc.source_span(start, end)
        iri = FKGR[f"assertion/{_seg(self.article.id)}/{_hash(s, p, o, src_s, src_e, rule)}"]
        self.add(iri, RDF.type, FKG.Assertion)
        self.add(iri, RDF.subject, s)
        self.add(iri, RDF.predicate, p)
        self.add(iri, RDF.object, o)
        self.add(iri, FKG.inSentence, self.sentence(doc, start))
        self.add(iri, FKG.startOffset, _int(src_s))
        self.add(iri, FKG.endOffset, _int(src_e))
        self.add(iri, FKG.rule, self.rule(rule))
        self.add(iri, PROV.wasDerivedFrom, self.a)
        self.add(s, FKG.evidence, iri)

    # ---------------------------------------------------------------- article
    def write(self) -> set[Triple]:
        art, a = self.article, self.a
        self.add(a, RDF.type, FKG.Article)
        self.add(a, FKG.sourceFile, Literal(art.source_file))
        self.add(a, FKG.contentHash, Literal(art.content_hash))
        if self.result.home_city:
            self.add(a, FKG.homeCity, entity_iri(self.result.home_city))
            self._place(self.result.home_city)
        for doc in self.result.docs:
            self._doc(doc)
        for key, ent in sorted(self.entities.items()):
            self._entity(ent)
        return self.out

    def _doc(self, doc: Doc) -> None:
        it = item_iri(self.article.id, doc.item)
        self.add(it, RDF.type, FKG.NewsItem)
        self.add(it, DCTERMS.isPartOf, self.a)
        self.add(it, FKG.sourceFile, Literal(self.article.source_file))
        self.add(it, FKG.itemIndex, _int(doc.item))
        if doc.title:
            self.add(it, FKG.title, Literal(doc.title))
        if doc.home_city:
            self.add(it, FKG.homeCity, entity_iri(doc.home_city))
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
        ent = entity_iri(m.key)
        s, e = doc.source_span(m.start, m.end)
        iri = FKGR[f"mention/{_seg(self.article.id)}/{s}-{e}-{_hash(m.key)[:6]}"]
        self.add(iri, RDF.type, FKG.Mention)
        self.add(iri, FKG.denotes, ent)
        self.add(iri, FKG.text, Literal(m.text))
        self.add(iri, FKG.startOffset, _int(s))
        self.add(iri, FKG.endOffset, _int(e))
        self.add(iri, FKG.inSentence, self.sentence(doc, m.start))
        self.add(iri, FKG.rule, self.rule(m.rule))
        self.add(iri, PROV.wasDerivedFrom, self.a)
        self.add(ent, FKG.mentionedIn, self.a)
        # Names come from Entity.aliases only: a bare form (市公安局) or a pronoun denotes the
        # entity here but is no name of it elsewhere, so it must not become an altLabel.

    def _link(self, doc: Doc, link: Link) -> None:
        s, o = entity_iri(link.subject), entity_iri(link.object)
        p = FKG[link.predicate]
        self.add(s, p, o)
        self.assertion(doc, s, p, o, link.rule, link.start, link.end)
        for key in (link.subject, link.object):
            self.add(entity_iri(key), FKG.mentionedIn, self.a)

    # ---------------------------------------------------------------- entities
    def _entity(self, ent: Entity) -> None:
        iri = entity_iri(ent.key)
        self.add(iri, RDF.type, FKG[ent.type])
        for extra in EXTRA_CLASSES.get(ent.type, ()):
            self.add(iri, RDF.type, extra)
        self.add(iri, RDFS.label, zh(ent.label))
        for alias in sorted(ent.aliases):
            if alias != ent.label:
                self.add(iri, SKOS.altLabel, zh(alias))
        kind = ent.get("kind")
        if kind == "person":
            self.add(iri, RDF.type, FKG.Person)
        elif kind == "organization" and ent.type != "Organization":
            self.add(iri, RDF.type, FKG.Organization)
        if ent.type == "Place":
            self._place(ent.key, ent)

    def _place(self, key: str, ent: Optional[Entity] = None) -> None:
        iri = entity_iri(key)
        code = key.partition("/")[2]
        gaz = self.resources.gazetteer if self.resources is not None else None
        div = gaz.get(code) if gaz is not None and code in gaz else None   # Place/<name>: outside it
        if div is None:
            if ent is not None and ent.get("level") in PLACE_CLASS:
                self.add(iri, RDF.type, PLACE_CLASS[ent.get("level")])
            return
        self.add(iri, RDF.type, FKG.Place)
        self.add(iri, RDF.type, PLACE_CLASS.get(div.level, FKG.Place))
        self.add(iri, RDFS.label, zh(div.name))
        for alias in div.aliases:
            if alias != div.name:
                self.add(iri, SKOS.altLabel, zh(alias))
        if not code.startswith("X") and "-" not in code:
            self.add(iri, FKG.adminCode, Literal(code))
        if div.lat is not None and div.lon is not None:
            self.add(iri, GEO.lat, _dec(Decimal(str(div.lat))))
            self.add(iri, GEO.long, _dec(Decimal(str(div.lon))))
        if div.historical:
            self.add(iri, FKG.historical, Literal(True))
            if div.successor:
                self.add(iri, FKG.successor, entity_iri(f"Place/{div.successor}"))
        if div.parent:
            parent_key = f"Place/{div.parent}"
            self.add(iri, FKG.locatedIn, entity_iri(parent_key))
            self._place(parent_key)

    # ---------------------------------------------------------------- cases
    def _case(self, doc: Doc, case: CaseFrame) -> None:
        iri = case_iri(self.article.id, case.id)
        self.add(iri, RDF.type, FKG.Case)
        self.add(iri, FKG.mentionedIn, self.a)
        self.add(iri, FKG.mentionedIn, item_iri(self.article.id, doc.item))
        concept = crime_type_iri(case.crime_type)
        self.add(iri, FKG.crimeType, concept)
        label = self._case_label(doc, case)
        self.add(iri, RDFS.label, zh(label))
        spans = {(f, v): (s, e) for f, v, s, e in case.evidence}
        default_span = (case.start, max(case.start + 1, min(case.end, case.start + 1)))

        def fact(prop, value, field_, val_key):
            self.add(iri, prop, value)
            s, e = spans.get((field_, val_key), default_span)
            self.assertion(doc, iri, prop, value, case.rule, s, e)

        for field_, prop, keys in (("victim", FKG.victim, case.victims), ("suspect", FKG.suspect, case.suspects),
                                   ("group", FKG.criminalGroup, case.groups),
                                   ("handledBy", FKG.handledBy, case.handled_by),
                                   ("place", FKG.occurredIn, case.places)):
            for k in keys:
                fact(prop, entity_iri(k), field_, k)
        fact(FKG.crimeType, concept, "crimeType", case.crime_type)
        if case.amount_lost is not None:
            fact(FKG.amountLost, _dec(case.amount_lost), "amountLost", str(case.amount_lost))
        if case.amount_recovered is not None:
            fact(FKG.amountRecovered, _dec(case.amount_recovered), "amountRecovered", str(case.amount_recovered))
        for role in ("involved", "frozen", "seized"):
            vals = [a.value for a in case.amounts if a.role == role]
            if vals:
                self.add(iri, AMOUNT_PROPS[role], _dec(max(vals)))
        for amt in case.amounts:
            self._amount(doc, iri, amt)
        if case.date:
            self.add(iri, FKG.date, _date_literal(case.date))
            if case.date_precision:
                self.add(iri, FKG.datePrecision, Literal(case.date_precision))
        for name, n in case.counts:
            self.add(iri, FKG[name], _int(n))

    def _case_label(self, doc: Doc, case: CaseFrame) -> str:
        names = [self._label_of(k) for k in case.victims or case.groups or case.suspects]
        who = "、".join(n for n in names if n)
        return f"{who} {case.crime_type}案".strip() if who else f"{case.crime_type}案"

    def _label_of(self, key: str) -> str:
        ent = self.entities.get(key)
        return ent.label if ent else key.rpartition("/")[2]

    def _amount(self, doc: Doc, case: URIRef, amt: Amount) -> None:
        s, e = doc.source_span(amt.start, amt.end)
        iri = FKGR[f"amount/{_seg(self.article.id)}/{s}-{e}-{amt.role}"]
        self.add(case, FKG.amount, iri)
        self.add(iri, RDF.type, FKG.MonetaryAmount)
        self.add(iri, FKG.value, _dec(amt.value))
        self.add(iri, FKG.amountRole, Literal(amt.role))
        self.add(iri, FKG.qualifier, Literal(amt.qualifier))
        self.add(iri, FKG.text, Literal(amt.text))
        self.add(iri, FKG.startOffset, _int(s))
        self.add(iri, FKG.endOffset, _int(e))
        self.add(iri, FKG.inSentence, self.sentence(doc, amt.start))

    def _figure(self, doc: Doc, fig) -> None:
        s, e = doc.source_span(fig.start, fig.end)
        iri = FKGR[f"figure/{_seg(self.article.id)}/{s}-{e}"]
        self.add(iri, RDF.type, FKG.ReportedFigure)
        self.add(iri, FKG.measure, Literal(fig.measure))
        self.add(iri, FKG.value, _dec(fig.value))
        self.add(iri, FKG.unit, Literal(fig.unit))
        if fig.period:
            self.add(iri, FKG.period, Literal(fig.period))
        if fig.reporter:
            self.add(iri, FKG.reportedBy, entity_iri(fig.reporter))
        if fig.area:
            self.add(iri, FKG.area, entity_iri(fig.area))
        self.add(iri, FKG.mentionedIn, self.a)
        self.add(iri, FKG.inSentence, self.sentence(doc, fig.start))
        self.add(iri, FKG.rule, self.rule(fig.rule))


def _date_literal(value: str) -> Literal:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=XSD.gYear)
    return Literal(value)


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


def article_triples(result, resources=None) -> set[Triple]:
    """All triples extracted from one article (its own named graph in a store).

    ``resources`` gives the gazetteer, used for the places' names, codes and chains."""
    return _ArticleWriter(result, resources).write()
