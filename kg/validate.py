"""Check a graph against the SHACL shapes (``ontology/shapes.ttl``) and say what is wrong, where.

:func:`validate` runs pyshacl without inference (the ontology is mixed in so that
``sh:class`` sees ``rdfs:subClassOf``) and turns each result into a :class:`Violation`
that a person can act on: the node (with its label), the shape and constraint it breaks,
the shape's message, and the sentence of the article the node came from.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterable, Optional, Union

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from .ns import FKG

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
    if engine == "native" or (engine == "auto" and _native_shapes(shapes) is not None):
        results = _native_results(triples, ontology_graph(), shapes)
        if not results:
            return []
        g = _graph(triples, ontology_graph())
        return sorted(_native_violations(results, g, shapes), key=_order)
    import pyshacl
    g = _graph(triples, ontology_graph())
    conforms, report, _ = pyshacl.validate(g, shacl_graph=shapes, inference="none", advanced=False,
                                           inplace=True, allow_warnings=True, allow_infos=True)
    if conforms:
        return []
    return sorted(_violations(report, g, shapes), key=_order)


def _order(v: Violation):
    return (v.focus, v.shape, v.constraint, v.value or "")


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
        v = g.value(node, p)
        if v is not None:
            return str(v)
    return _local(node)


def source_sentence(g: Graph, node, path=None) -> Optional[str]:
    """The text of a sentence that supports ``node``: its own, its evidence's, or a mention's.

    Evidence for the property ``path`` is preferred when the node has some.
    """
    if node is None:
        return None
    if (node, RDF.type, FKG.Sentence) in g:
        return _text(g, node)
    own = g.value(node, FKG.inSentence)
    if own is not None:
        return _text(g, own)
    evidence = sorted(g.objects(node, FKG.evidence), key=lambda a: (g.value(a, RDF.predicate) != path, str(a)))
    for a in evidence:
        s = g.value(a, FKG.inSentence)
        if s is not None:
            return _text(g, s)
    for m in sorted(g.subjects(FKG.denotes, node), key=str):
        s = g.value(m, FKG.inSentence)
        if s is not None:
            return _text(g, s)
    return None


def _text(g: Graph, sentence) -> Optional[str]:
    t = g.value(sentence, FKG.text)
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


# ------------------------------------------------------------------------------------------------
# The native engine: the SHACL Core components that ontology/shapes.ttl uses, checked over an
# index of the triples. Anything else in the shapes makes ``validate`` fall back to pyshacl.

_PATH_FREE = {SH.message, SH.name, SH.description, RDFS.comment, RDFS.label}
_PROP_KEYS = _PATH_FREE | {RDF.type, SH.path, SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH["or"],
                           SH.minInclusive, SH.maxInclusive, SH["in"], SH.pattern, SH.nodeKind, SH.minLength,
                           SH.languageIn, SH.hasValue, SH.lessThan}
_NODE_KEYS = (_PROP_KEYS - {SH.path, SH.minCount, SH.maxCount, SH.lessThan}) | {
    SH.targetClass, SH.targetSubjectsOf, SH.property}
_CHECKS = ("minCount", "maxCount", "class", "datatype", "nodeKind", "pattern", "minLength", "languageIn",
           "hasValue", "in", "minInclusive", "maxInclusive", "lessThan", "or")


@dataclass
class _Shape:
    node: object                     # the shape's term in the shapes graph
    path: Optional[tuple]            # ("p", iri) | ("inv", iri) | ("alt", (iri, …)); None for a node shape
    result_path: object              # the path as pyshacl reports it (an IRI, or None)
    checks: list                     # (component name, parameter)
    properties: list                 # property shapes (of a node shape)
    target_classes: tuple = ()
    target_subjects_of: tuple = ()


class _Unsupported(Exception):
    pass


_SHAPES_CACHE: dict[int, tuple[Graph, Optional[list]]] = {}    # id → (the graph, kept alive; its shapes)


def _native_shapes(shapes: Graph) -> Optional[list]:
    """The node shapes of ``shapes`` parsed for the native engine; None when it cannot check them."""
    key = id(shapes)
    if key not in _SHAPES_CACHE:
        try:
            roots = set(shapes.subjects(SH.targetClass, None)) | set(shapes.subjects(SH.targetSubjectsOf, None))
            if set(shapes.subjects(RDF.type, SH.NodeShape)) - roots or any(
                    (None, p, None) in shapes for p in (SH.targetNode, SH.targetObjectsOf)):
                raise _Unsupported("a node shape without targetClass/targetSubjectsOf")
            parsed: Optional[list] = [_parse_shape(shapes, n, top=True) for n in sorted(roots, key=str)]
        except _Unsupported:
            parsed = None
        _SHAPES_CACHE[key] = (shapes, parsed)
    return _SHAPES_CACHE[key][1]


def _parse_shape(shapes: Graph, node, *, top: bool = False, nested: bool = False) -> _Shape:
    preds = set(shapes.predicates(node, None))
    is_prop = SH.path in preds
    unknown = preds - (_PROP_KEYS if is_prop else _NODE_KEYS)
    if unknown:
        raise _Unsupported(f"{node}: {sorted(map(str, unknown))}")
    path = result_path = None
    if is_prop:
        path, result_path = _parse_path(shapes, shapes.value(node, SH.path))
    checks = []
    for name in _CHECKS:
        for param in shapes.objects(node, SH[name]):
            if name in ("in", "languageIn"):
                param = tuple(Collection(shapes, param))
            elif name == "or":
                param = tuple(_parse_shape(shapes, m, nested=True) for m in Collection(shapes, param))
            elif name in ("minCount", "maxCount", "minLength"):
                param = int(param)
            elif name in ("class", "lessThan"):
                param = _key(param)
            elif name == "pattern":
                if shapes.value(node, SH.flags) is not None:
                    raise _Unsupported("sh:flags")
                param = re.compile(str(param))
            checks.append((name, param))
    if checks and not nested and SH.message not in preds:
        raise _Unsupported(f"{node} has no sh:message")    # (pyshacl's generic messages are not copied)
    props = [_parse_shape(shapes, p) for p in sorted(shapes.objects(node, SH.property), key=str)]
    if props and is_prop:
        raise _Unsupported("sh:property on a property shape")
    return _Shape(node, path, result_path, checks, props,
                  tuple(map(_key, shapes.objects(node, SH.targetClass))) if top else (),
                  tuple(map(_key, shapes.objects(node, SH.targetSubjectsOf))) if top else ())


def _parse_path(shapes: Graph, p) -> tuple:
    if isinstance(p, URIRef):
        return ("p", _key(p)), p
    inv, alt = shapes.value(p, SH.inversePath), shapes.value(p, SH.alternativePath)
    if len(set(shapes.predicate_objects(p))) == 1:
        if isinstance(inv, URIRef):
            return ("inv", _key(inv)), None
        if alt is not None:
            members = tuple(Collection(shapes, alt))
            if all(isinstance(m, URIRef) for m in members):
                return ("alt", tuple(map(_key, members))), None
    raise _Unsupported(f"path {p}")


_TYPE, _SUBCLASS = str(RDF.type), str(RDFS.subClassOf)


def _key(term) -> str:
    """A plain-string key for an IRI or blank node (dicts of rdflib terms compare in Python)."""
    return "_:" + term if type(term) is BNode else str.__str__(term)


class _Index:
    """Subjects → predicates → objects (and back) of the data and the ontology, keyed by strings."""

    def __init__(self, triples, ontology: Graph):
        data = triples if isinstance(triples, (set, frozenset)) else set(triples)
        extra = [t for t in ontology if t not in data]
        out: dict = {}
        inv: dict = {}
        by_pred: dict = {}
        for source in (data, extra):
            for s, p, o in source:
                sk, pk = _key(s), str.__str__(p)
                po = out.get(sk)
                if po is None:
                    po = out[sk] = {}
                objs = po.get(pk)
                if objs is None:
                    po[pk] = [o]
                else:
                    objs.append(o)
                if type(o) is not Literal:
                    ps = inv.setdefault(_key(o), {})
                    subs = ps.get(pk)
                    if subs is None:
                        ps[pk] = [s]
                    else:
                        subs.append(s)
                subj = by_pred.get(pk)
                if subj is None:
                    by_pred[pk] = {sk: s}
                else:
                    subj[sk] = s
        self.out, self.inv, self.by_pred = out, inv, by_pred
        self._supers: dict = {}

    def values(self, focus, path):
        kind, p = path
        if kind == "p":
            return self.out.get(_key(focus), {}).get(p, ())
        if kind == "inv":
            return self.inv.get(_key(focus), {}).get(p, ())
        found: set = set()
        po = self.out.get(_key(focus), {})
        for q in p:
            found.update(po.get(q, ()))
        return found

    def supers(self, cls: str) -> set:
        """``cls`` and every class it is an rdfs:subClassOf, transitively (as strings)."""
        if cls not in self._supers:
            seen, todo = {cls}, [cls]
            while todo:
                for sup in self.out.get(todo.pop(), {}).get(_SUBCLASS, ()):
                    k = _key(sup) if type(sup) is not Literal else None
                    if k is not None and k not in seen:
                        seen.add(k)
                        todo.append(k)
            self._supers[cls] = seen
        return self._supers[cls]

    def is_instance(self, node, cls: str) -> bool:
        if type(node) is Literal:
            return False
        return any(cls in self.supers(_key(t)) for t in self.out.get(_key(node), {}).get(_TYPE, ())
                   if type(t) is not Literal)


def _native_results(triples, ontology: Graph, shapes: Graph) -> list[tuple]:
    """(focus, source shape, result path, component, value) of every failed check."""
    idx = _Index(triples, ontology)
    classes = set()
    for sk in idx.by_pred.get(_TYPE, {}):
        classes.update(_key(t) for t in idx.out[sk][_TYPE] if type(t) is not Literal)
    results: list[tuple] = []
    for shape in _native_shapes(shapes) or ():
        focus: dict = {}
        for c in shape.target_classes:
            for t in classes:
                if c in idx.supers(t):
                    focus.update((_key(f), f) for f in idx.inv.get(t, {}).get(_TYPE, ()))
        for p in shape.target_subjects_of:
            focus.update(idx.by_pred.get(p, {}))
        for f in focus.values():
            _check(idx, shape, f, results)
            for prop in shape.properties:
                _check(idx, prop, f, results)
    return results


def _check(idx: _Index, shape: _Shape, focus, results: list) -> None:
    values = idx.values(focus, shape.path) if shape.path else (focus,)
    for name, param in shape.checks:
        failed: list = []
        if name == "minCount":
            if len(values) < param:
                failed.append(None)
        elif name == "maxCount":
            if len(values) > param:
                failed.append(None)
        elif name == "hasValue":
            if param not in values:
                failed.append(None)
        elif name == "lessThan":
            for v in values:
                for c in idx.out.get(_key(focus), {}).get(param, ()):
                    if not _less(v, c):
                        failed.append(v)
        else:
            failed = [v for v in values if not _value_ok(idx, name, param, v)]
        results.extend((focus, shape.node, shape.result_path, name, v) for v in failed)


def _value_ok(idx: _Index, name: str, param, v) -> bool:
    if name == "class":
        return idx.is_instance(v, param)
    if name == "datatype":
        return _datatype_ok(v, param)
    if name == "nodeKind":
        kind = "Literal" if isinstance(v, Literal) else "BlankNode" if isinstance(v, BNode) else "IRI"
        return kind in _local(param)
    if name == "pattern":
        return not isinstance(v, BNode) and param.search(str(v)) is not None
    if name == "minLength":
        return not isinstance(v, BNode) and len(str(v)) >= param
    if name == "languageIn":
        lang = (v.language or "").lower() if isinstance(v, Literal) else ""
        return bool(lang) and any(lang == str(w).lower() or lang.startswith(str(w).lower() + "-") for w in param)
    if name == "in":
        return v in param
    if name in ("minInclusive", "maxInclusive"):
        if not isinstance(v, Literal) or isinstance(v.value, str) != isinstance(param.value, str):
            return False
        try:
            return v.value >= param.value if name == "minInclusive" else v.value <= param.value
        except TypeError:
            return False
    if name == "or":
        return any(_conforms(idx, member, v) for member in param)
    raise AssertionError(name)


def _conforms(idx: _Index, shape: _Shape, focus) -> bool:
    found: list = []
    _check(idx, shape, focus, found)
    return not found


_DATATYPE_VALUES = {XSD.string: str, XSD.integer: int, XSD.decimal: Decimal, XSD.boolean: bool,
                    XSD.float: float, XSD.double: float, XSD.date: date}


def _datatype_ok(v, dt) -> bool:
    """As pyshacl: the literal's datatype is ``dt`` and, for the types it knows, well-formed."""
    if not isinstance(v, Literal):
        return False
    if v.datatype == dt:
        if getattr(v, "ill_typed", None) is True:
            return False
    elif not (v.datatype is None and v.language is None and dt == XSD.string):
        return False
    want = _DATATYPE_VALUES.get(dt)
    if dt == XSD.double:        # pyshacl does not check xsd:double's value
        return True
    return want is None or isinstance(v.value, want)


def _less(a, b) -> bool:
    """pyshacl's sh:lessThan: strings (and IRIs) compare with strings only."""
    def plain(t):
        if isinstance(t, URIRef):
            return str(t), True
        if isinstance(t, Literal) and isinstance(t.value, str):
            return t.value, True
        return t, False
    (x, xs), (y, ys) = plain(a), plain(b)
    if xs != ys:
        return False
    try:
        return bool(x < y)
    except TypeError:
        return False


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
