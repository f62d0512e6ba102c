"""Check a graph against the SHACL shapes (``ontology/shapes.ttl``) and say what is wrong, where.

:func:`validate` runs the native engine (:mod:`kg.shacl`) or pyshacl without inference (the
ontology is mixed in so that ``sh:class`` sees ``rdfs:subClassOf``) and turns each result into a :class:`Violation`
that a person can act on: the node (with its label), the shape and constraint it breaks,
the shape's message, and the sentence of the article the node came from.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional, Union

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from .errors import KGError
from .ns import FKG
from .shacl import native_shapes, refusal
from .shacl import results as native_results

Triples = Union[Graph, Iterable[tuple]]


@dataclass(frozen=True)
class Violation:
    """One broken constraint on one node."""

    focus: str              # IRI of the node
    label: str              # its rdfs:label (or text, or the end of its IRI)
    shape: str              # e.g. "fkgsh:CaseShape / fkg:crimeType"
    constraint: str         # e.g. "maxCount"
    message: str            # the shape's English message
    severity: str           # "Violation", "Warning" or "Info"
    value: Optional[str]    # the offending value, when there is one
    sentence: Optional[str]  # the source sentence, when the node has evidence

    def __str__(self) -> str:
        where = f" — in «{self.sentence}»" if self.sentence else ""
        value = f" (value {self.value})" if self.value is not None else ""
        return f"{self.label} <{self.focus}>: {self.shape} [{self.constraint}]{value}: {self.message}{where}"


def validate(data: Triples, *, engine: str = "auto") -> list[Violation]:
    """The violations of the shapes in ``data`` (a graph or triples), sorted; [] when valid.

    ``engine="native"`` checks the constraint components the shapes use in one pass over an
    index of the triples (linear in the graph: a second for 200,000 triples, where pyshacl
    spends over a minute); ``"pyshacl"`` runs the reference implementation; ``"auto"`` (the
    default) is native unless the shapes use something it does not know. Both give the same
    violations (tests/test_validate.py compares them).
    """
    from .ontology import ontology_graph, shapes_graph

    triples = data if isinstance(data, Graph) else list(data)
    shapes = shapes_graph()
    if engine == "native" or (engine == "auto" and native_engine_fits(shapes)):
        parsed = native_shapes(shapes)
        if parsed is None:
            raise KGError(f"the native SHACL engine cannot check these shapes: {refusal(shapes)}",
                          hint='use engine="pyshacl"')
        found = native_results(triples, parsed, ontology_graph())
        if not found:
            return []
        g = _graph(triples, ontology_graph())
        return sorted(_native_violations(found, g, shapes), key=_order)
    import pyshacl
    g = _graph(triples, ontology_graph())
    conforms, report, _ = pyshacl.validate(g, shacl_graph=shapes, inference="none", advanced=False,
                                           inplace=True, allow_warnings=True, allow_infos=True)
    if conforms:
        return []
    return sorted(_violations(report, g, shapes), key=_order)


def native_engine_fits(shapes: Graph) -> bool:
    """Whether the native engine gives what pyshacl would for ``shapes``: it implements every
    feature they use (:func:`kg.shacl.native_shapes`), and every shape that checks something
    has its own sh:message (pyshacl's generic messages are not copied)."""
    parsed = native_shapes(shapes)
    if parsed is None:
        return False
    todo, seen = list(parsed), set()
    while todo:
        s = todo.pop()
        if id(s) in seen:
            continue
        seen.add(id(s))
        if s.checks and (s.node, SH.message, None) not in shapes:
            return False
        todo.extend(s.properties)     # (members of an sh:or need none: the result is the outer shape's)
    return True


def _order(v: Violation):
    return (v.focus, v.shape, v.constraint, v.value or "", v.message, v.sentence or "", v.label)


def _graph(triples, ontology: Graph) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    for t in ontology:
        g.add(t)
    return g


def _violations(report: Graph, data: Graph, shapes: Graph) -> Iterable[Violation]:
    for r in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(r, SH.focusNode)
        path = report.value(r, SH.resultPath)
        value = report.value(r, SH.value)
        yield Violation(
            focus=str(focus),
            label=_label(data, focus),
            shape=_shape_name(report.value(r, SH.sourceShape), path, shapes),
            constraint=_lower_first(_local(report.value(r, SH.sourceConstraintComponent)).removesuffix("ConstraintComponent")),
            message=_message(report, r),
            severity=_local(report.value(r, SH.resultSeverity)),
            value=None if value is None else _short(value),
            sentence=source_sentence(data, focus, path),
        )


def _message(report: Graph, r) -> str:
    return _english(list(report.objects(r, SH.resultMessage)))


def _english(msgs: list) -> str:
    """The English one of a shape's messages, else the first in sorted order ('' when none)."""
    for m in msgs:
        if isinstance(m, Literal) and m.language == "en":
            return str(m)
    return str(min(msgs, key=str)) if msgs else ""


def _label(g: Graph, node) -> str:
    for p in (RDFS.label, FKG.text):
        v = _first(g, node, p)
        if v is not None:
            return str(v)
    return _local(node)


def _first(g: Graph, node, p):
    """The least value of ``p`` on ``node`` by text (rdflib's ``value`` picks any one)."""
    return min(g.objects(node, p), key=lambda o: (str(o), type(o).__name__, repr(o)), default=None)


def source_sentence(g: Graph, node, path=None) -> Optional[str]:
    """The text of a sentence that supports ``node``: its own, its evidence's, or a mention's.

    Evidence for the property ``path`` is preferred when the node has some.
    """
    if node is None:
        return None
    if (node, RDF.type, FKG.Sentence) in g:
        return _text(g, node)
    own = _first(g, node, FKG.inSentence)
    if own is not None:
        return _text(g, own)
    def other(a) -> bool:      # evidence about another property than ``path`` sorts after
        return _first(g, a, RDF.predicate) != path
    evidence = sorted(g.objects(node, FKG.evidence), key=lambda a: (other(a), str(a)))
    for a in evidence:
        s = _first(g, a, FKG.inSentence)
        if s is not None:
            return _text(g, s)
    for m in sorted(g.subjects(FKG.denotes, node), key=str):
        s = _first(g, m, FKG.inSentence)
        if s is not None:
            return _text(g, s)
    return None


def _text(g: Graph, sentence) -> Optional[str]:
    t = _first(g, sentence, FKG.text)
    return None if t is None else str(t)


def _shape_name(shape, path, shapes: Graph) -> str:
    """``fkgsh:CaseShape / fkg:crimeType`` for a property shape, ``fkgsh:PartOfShape`` for a node shape."""
    node_shape = shape
    if isinstance(shape, BNode):
        node_shape = next(iter(sorted(shapes.subjects(SH.property, shape), key=str)), shape)
    name = _qname(node_shape) if not isinstance(node_shape, BNode) else "(anonymous shape)"
    if path is not None and not isinstance(path, BNode):
        name += f" / {_qname(path)}"
    return name


_PREFIXES = {
    "https://w3id.org/fraudkg/shapes#": "fkgsh:",
    "https://w3id.org/fraudkg/ontology#": "fkg:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
}


def _qname(term) -> str:
    s = str(term)
    for ns, prefix in _PREFIXES.items():
        if s.startswith(ns):
            return prefix + s[len(ns):]
    return f"<{s}>"


def _local(term) -> str:
    if term is None:
        return ""
    s = str(term)
    return s.rsplit("#", 1)[-1].rsplit("/", 1)[-1] or s


def _short(value) -> str:
    if isinstance(value, URIRef):
        return _qname(value) if any(str(value).startswith(ns) for ns in _PREFIXES) else f"<{value}>"
    return str(value)


def _lower_first(s: str) -> str:
    return s[:1].lower() + s[1:]


def _native_violations(results: list[tuple], g: Graph, shapes: Graph) -> Iterable[Violation]:
    for focus, shape, path, name, value in results:
        yield Violation(
            focus=str(focus),
            label=_label(g, focus),
            shape=_shape_name(shape, path, shapes),
            constraint=name,
            message=_shape_message(shapes, shape),
            severity="Violation",
            value=None if value is None else _short(value),
            sentence=source_sentence(g, focus, path),
        )


def _shape_message(shapes: Graph, shape) -> str:
    return _english(list(shapes.objects(shape, SH.message)))
