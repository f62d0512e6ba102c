"""The native SHACL engine: the Core features listed below, checked over an index of the triples.

:func:`native_shapes` is the gate: it parses a shapes graph into :class:`Shape` objects when
every shape in it uses only what this engine implements (:data:`CHECKS`, :data:`TARGETS`,
:data:`PATHS`) with well-formed parameters, and refuses it otherwise (the caller then runs
pyshacl). tests/test_shacl_w3c.py runs the W3C SHACL Core test suite through the gate: every
test it accepts must give the expected report, and every feature claimed here must be
exercised by an accepted test.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Callable, Iterable, Optional

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

# What the engine implements; a shapes graph that uses anything else is refused.
CHECKS = ("minCount", "maxCount", "class", "datatype", "nodeKind", "pattern", "minLength", "languageIn",
          "hasValue", "in", "minInclusive", "maxInclusive", "lessThan", "or")
TARGETS = ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode", "implicitClass")
PATHS = ("predicate", "inverse", "alternative")

_PATH_FREE = {SH.message, SH.name, SH.description, RDFS.comment, RDFS.label, RDF.type, RDFS.subClassOf}
_TARGET_PREDS = {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode}
_PROP_KEYS = _PATH_FREE | _TARGET_PREDS | {SH.path} | {SH[c] for c in CHECKS}
_NODE_KEYS = (_PROP_KEYS - {SH.path, SH.minCount, SH.maxCount, SH.lessThan}) | {SH.property}
_SHAPE_TYPES = {SH.NodeShape, SH.PropertyShape, RDFS.Class}
_NODE_KINDS = {SH.IRI, SH.BlankNode, SH.Literal, SH.BlankNodeOrIRI, SH.BlankNodeOrLiteral, SH.IRIOrLiteral}
_IRI_PARAMS = ("class", "datatype", "lessThan", "nodeKind")


@dataclass
class Shape:
    node: object                     # the shape's term in the shapes graph
    path: Optional[tuple]            # ("p", iri) | ("inv", iri) | ("alt", (iri, …)); None for a node shape
    result_path: object              # the sh:path node of the shapes graph (an IRI or a blank node)
    checks: list                     # (component name, parameter)
    properties: list                 # property shapes (of a node shape)
    target_classes: tuple = ()
    target_subjects_of: tuple = ()
    target_objects_of: tuple = ()
    target_nodes: tuple = ()


class Unsupported(Exception):
    """The shapes use something the native engine does not implement (the message says what)."""


_SHAPES_CACHE: dict[int, tuple[Graph, Optional[list], str]] = {}   # id → (graph kept alive, shapes, why not)


def native_shapes(shapes: Graph) -> Optional[list]:
    """The shapes of ``shapes`` with a target, parsed; None when the engine cannot check them."""
    return _gate(shapes)[0]


def refusal(shapes: Graph) -> str:
    """Why :func:`native_shapes` refuses ``shapes`` ('' when it accepts them)."""
    return _gate(shapes)[1]


def _gate(shapes: Graph) -> tuple[Optional[list], str]:
    key = id(shapes)
    if key not in _SHAPES_CACHE:
        try:
            parsed: Optional[list] = _parse_all(shapes)
            why = ""
        except Unsupported as e:
            parsed, why = None, str(e)
        _SHAPES_CACHE[key] = (shapes, parsed, why)
    return _SHAPES_CACHE[key][1], _SHAPES_CACHE[key][2]


def _parse_all(shapes: Graph) -> list:
    typed = {s for t in (SH.NodeShape, SH.PropertyShape) for s in shapes.subjects(RDF.type, t)}
    implicit = typed & set(shapes.subjects(RDF.type, RDFS.Class))
    roots = {s for p in _TARGET_PREDS for s in shapes.subjects(p, None)} | implicit
    if any((s, RDF.type, SH.PropertyShape) in shapes and (s, RDF.type, SH.NodeShape) in shapes for s in typed):
        raise Unsupported("a shape is both a sh:NodeShape and a sh:PropertyShape")
    parsed = [_parse_shape(shapes, n, implicit=n in implicit, seen=()) for n in sorted(roots, key=str)]
    for n in sorted(typed - roots, key=str):    # shapes without a target validate nothing, but must be known
        _parse_shape(shapes, n, seen=())
    return parsed


def _parse_shape(shapes: Graph, node, *, implicit: bool = False, seen: tuple) -> Shape:
    if isinstance(node, Literal):
        raise Unsupported(f"a literal used as a shape: {node!r}")
    if node in seen:
        raise Unsupported(f"{node}: a shape that refers to itself")
    seen = seen + (node,)
    preds = set(shapes.predicates(node, None))
    is_prop = SH.path in preds
    unknown = preds - (_PROP_KEYS if is_prop else _NODE_KEYS)
    if unknown:
        raise Unsupported(f"{node}: {', '.join(sorted(map(str, unknown)))}")
    odd_types = set(shapes.objects(node, RDF.type)) - _SHAPE_TYPES
    if odd_types:
        raise Unsupported(f"{node}: typed {', '.join(sorted(map(str, odd_types)))}")
    if not is_prop and (node, RDF.type, SH.PropertyShape) in shapes:
        raise Unsupported(f"{node}: a sh:PropertyShape without sh:path")
    path = result_path = None
    if is_prop:
        result_path = _one(shapes, node, SH.path)
        path = _parse_path(shapes, result_path)
    checks = []
    for name in CHECKS:
        for param in shapes.objects(node, SH[name]):
            checks.append((name, _parameter(shapes, node, name, param, seen)))
    props = [_parse_shape(shapes, p, seen=seen) for p in sorted(shapes.objects(node, SH.property), key=str)]
    for p in props:
        if p.path is None:
            raise Unsupported(f"{node}: sh:property {p.node} has no sh:path")
    for p in _TARGET_PREDS - {SH.targetNode}:
        if any(not isinstance(t, URIRef) for t in shapes.objects(node, p)):
            raise Unsupported(f"{node}: {p} of something that is not an IRI")
    classes = {str(c) for c in shapes.objects(node, SH.targetClass)} | ({str(node)} if implicit else set())
    return Shape(node, path, result_path, checks, props, tuple(sorted(classes)),
                 tuple(sorted(map(str, shapes.objects(node, SH.targetSubjectsOf)))),
                 tuple(sorted(map(str, shapes.objects(node, SH.targetObjectsOf)))),
                 tuple(sorted(shapes.objects(node, SH.targetNode), key=str)))


def _one(shapes: Graph, node, p):
    values = list(shapes.objects(node, p))
    if len(values) != 1:
        raise Unsupported(f"{node}: {len(values)} values of {p}")
    return values[0]


def _parameter(shapes: Graph, node, name: str, param, seen: tuple):
    """The parameter of a constraint in the form the checks use; Unsupported when ill-formed."""
    if name in _IRI_PARAMS:
        if not isinstance(param, URIRef) or (name == "nodeKind" and param not in _NODE_KINDS):
            raise Unsupported(f"{node}: sh:{name} {param!r} is not an IRI it can check")
        return param if name in ("datatype", "nodeKind") else str(param)
    if name in ("minCount", "maxCount", "minLength"):
        if not (isinstance(param, Literal) and isinstance(param.value, int) and not isinstance(param.value, bool)
                and param.value >= 0):
            raise Unsupported(f"{node}: sh:{name} {param!r} is not a non-negative integer")
        return param.value
    if name in ("in", "languageIn", "or"):
        members = rdf_list(shapes, param)
        if name == "languageIn" and not all(isinstance(m, Literal) and isinstance(m.value, str) for m in members):
            raise Unsupported(f"{node}: sh:languageIn holds something that is not a string")
        if name == "or":
            return tuple(_parse_shape(shapes, m, seen=seen) for m in members)
        return tuple(members)
    if name == "pattern":
        if shapes.value(node, SH.flags) is not None or not isinstance(param, Literal) or len(
                list(shapes.objects(node, SH.pattern))) > 1:
            raise Unsupported(f"{node}: sh:pattern with sh:flags, or not one string")
        try:
            return re.compile(str(param))
        except re.error as e:
            raise Unsupported(f"{node}: sh:pattern {param!r}: {e}") from None
    if name in ("minInclusive", "maxInclusive"):
        if not isinstance(param, Literal):
            raise Unsupported(f"{node}: sh:{name} {param!r} is not a literal")
        return param
    return param     # hasValue: any term


def rdf_list(g: Graph, head) -> list:
    """The members of a well-formed RDF list; Unsupported when it is not one."""
    members, seen = [], set()
    while head != RDF.nil:
        if isinstance(head, Literal) or head in seen:
            raise Unsupported(f"an ill-formed RDF list at {head!r}")
        seen.add(head)
        firsts, rests = list(g.objects(head, RDF.first)), list(g.objects(head, RDF.rest))
        if len(firsts) != 1 or len(rests) != 1:
            raise Unsupported(f"an ill-formed RDF list at {head!r}")
        members.append(firsts[0])
        head = rests[0]
    return members


def _parse_path(shapes: Graph, p) -> tuple:
    if isinstance(p, URIRef):
        return ("p", str(p))
    if isinstance(p, BNode):
        pairs = set(shapes.predicate_objects(p))
        if len(pairs) == 1:
            ((kind, arg),) = pairs
            if kind == SH.inversePath and isinstance(arg, URIRef):
                return ("inv", str(arg))
            if kind == SH.alternativePath:
                members = rdf_list(shapes, arg)
                if members and all(isinstance(m, URIRef) for m in members):
                    return ("alt", tuple(dict.fromkeys(map(str, members))))
    raise Unsupported(f"path {p!r}: only an IRI, sh:inversePath of an IRI or sh:alternativePath of IRIs")


_TYPE, _SUBCLASS = str(RDF.type), str(RDFS.subClassOf)


def key(term) -> str:
    """A plain-string key for an IRI or blank node (dicts of rdflib terms compare in Python)."""
    return "_:" + term if type(term) is BNode else str.__str__(term)


class Index:
    """Subjects → predicates → objects (and back) of the data and an extra graph, keyed by strings.

    With ``base`` (the index of a graph every check mixes in, such as the ontology) the data is
    laid over a copy-on-write view of it instead of indexing that graph again. With ``watch``
    (a test on node keys), :meth:`is_instance` records in ``consulted`` the types it read of
    each node that passes it."""

    def __init__(self, triples, extra: Iterable[tuple] = (), base: Optional["Index"] = None,
                 watch: Optional[Callable[[str], bool]] = None):
        data = triples if isinstance(triples, (set, frozenset)) else set(triples)
        more = [t for t in extra if t not in data]
        self.triples = frozenset(more) if base is None and not data else frozenset()   # (as a base)
        if base is None:
            out, inv, by_pred, owned = {}, {}, {}, None
        else:
            out, inv, by_pred = dict(base.out), dict(base.inv), dict(base.by_pred)
            owned = (set(), set(), set())     # the keys of base entries already copied
        for source in (data, more):
            for s, p, o in source:
                sk, pk = key(s), str.__str__(p)
                po = out.get(sk)
                if po is None:
                    po = out[sk] = {}
                elif owned is not None and sk in base.out and (s, p, o) in base.triples:
                    continue            # in the base already: not indexed twice
                elif owned is not None and sk in base.out and sk not in owned[0]:
                    po = out[sk] = {k: list(v) for k, v in po.items()}
                    owned[0].add(sk)
                objs = po.get(pk)
                if objs is None:
                    po[pk] = [o]
                else:
                    objs.append(o)
                if type(o) is not Literal:
                    ok = key(o)
                    ps = inv.get(ok)
                    if ps is None:
                        ps = inv[ok] = {}
                    elif owned is not None and ok in base.inv and ok not in owned[1]:
                        ps = inv[ok] = {k: list(v) for k, v in ps.items()}
                        owned[1].add(ok)
                    subs = ps.get(pk)
                    if subs is None:
                        ps[pk] = [s]
                    else:
                        subs.append(s)
                subj = by_pred.get(pk)
                if subj is None:
                    by_pred[pk] = {sk: s}
                else:
                    if owned is not None and pk in base.by_pred and pk not in owned[2]:
                        subj = by_pred[pk] = dict(subj)
                        owned[2].add(pk)
                    subj[sk] = s
        self.out, self.inv, self.by_pred = out, inv, by_pred
        # class hierarchies come from the base unless the data says something about them
        self._supers: dict = dict(base._supers) if base is not None and not (
            _SUBCLASS in by_pred and (base is None or by_pred[_SUBCLASS] is not base.by_pred.get(_SUBCLASS))) else {}
        self.watch, self.consulted = watch, {}

    def values(self, focus, path):
        kind, p = path
        if kind == "p":
            return self.out.get(key(focus), {}).get(p, ())
        if kind == "inv":
            return self.inv.get(key(focus), {}).get(p, ())
        found: dict = {}
        po = self.out.get(key(focus), {})
        for q in p:
            found.update(dict.fromkeys(po.get(q, ())))
        return list(found)

    def objects_of(self, p: str) -> dict:
        found: dict = {}
        for sk in self.by_pred.get(p, {}):
            for o in self.out[sk][p]:
                found[key(o) if type(o) is not Literal else ("lit", o)] = o
        return found

    def supers(self, cls: str) -> set:
        """``cls`` and every class it is an rdfs:subClassOf, transitively (as strings)."""
        if cls not in self._supers:
            seen, todo = {cls}, [cls]
            while todo:
                for sup in self.out.get(todo.pop(), {}).get(_SUBCLASS, ()):
                    k = key(sup) if type(sup) is not Literal else None
                    if k is not None and k not in seen:
                        seen.add(k)
                        todo.append(k)
            self._supers[cls] = seen
        return self._supers[cls]

    def is_instance(self, node, cls: str) -> bool:
        if type(node) is Literal:
            return False
        k = key(node)
        types = self.out.get(k, {}).get(_TYPE, ())
        if self.watch is not None and self.watch(k):
            self.consulted[k] = frozenset(key(t) for t in types if type(t) is not Literal)
        return any(cls in self.supers(key(t)) for t in types if type(t) is not Literal)


def results(triples, shapes: list, extra: Iterable[tuple] = (),
            focus_filter: Optional[Callable[[str], bool]] = None) -> list[tuple]:
    """(focus, source shape, result path, component, value) of every failed check of ``shapes``
    (as :func:`native_shapes` parsed them) on ``triples`` (or their :class:`Index`) with
    ``extra`` (an ontology) mixed in; only focus nodes whose key passes ``focus_filter``."""
    idx = triples if isinstance(triples, Index) else Index(triples, extra)
    classes = set()
    for sk in idx.by_pred.get(_TYPE, {}):
        classes.update(key(t) for t in idx.out[sk][_TYPE] if type(t) is not Literal)
    found: list[tuple] = []
    for shape in shapes:
        focus: dict = {}
        for c in shape.target_classes:
            for t in classes:
                if c in idx.supers(t):
                    focus.update((key(f), f) for f in idx.inv.get(t, {}).get(_TYPE, ()))
        for p in shape.target_subjects_of:
            focus.update(idx.by_pred.get(p, {}))
        for p in shape.target_objects_of:
            focus.update(idx.objects_of(p))
        for n in shape.target_nodes:
            focus[key(n) if type(n) is not Literal else ("lit", n)] = n
        for k, f in focus.items():
            if focus_filter is not None and not (type(k) is str and focus_filter(k)):
                continue
            _check_shape(idx, shape, f, found)
    return found


def _check_shape(idx: Index, shape: Shape, focus, found: list) -> None:
    _check(idx, shape, focus, found)
    for prop in shape.properties:
        _check(idx, prop, focus, found)


def _check(idx: Index, shape: Shape, focus, found: list) -> None:
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
                for c in idx.out.get(key(focus), {}).get(param, ()):
                    if not _less(v, c):
                        failed.append(v)
        else:
            failed = [v for v in values if not _value_ok(idx, name, param, v)]
        found.extend((focus, shape.node, shape.result_path, name, v) for v in failed)


def _value_ok(idx: Index, name: str, param, v) -> bool:
    if name == "class":
        return idx.is_instance(v, param)
    if name == "datatype":
        return _datatype_ok(v, param)
    if name == "nodeKind":
        kind = "Literal" if isinstance(v, Literal) else "BlankNode" if isinstance(v, BNode) else "IRI"
        return kind in str(param).rsplit("#", 1)[1]
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


def _conforms(idx: Index, shape: Shape, focus) -> bool:
    """Whether ``focus`` conforms to ``shape``: its own checks and those of its property shapes."""
    found: list = []
    _check_shape(idx, shape, focus, found)
    return not found


_DATATYPE_VALUES = {XSD.string: str, XSD.integer: int, XSD.decimal: Decimal, XSD.boolean: bool,
                    XSD.float: float, XSD.double: float, XSD.date: date}


def _datatype_ok(v, dt) -> bool:
    """As pyshacl: the literal's datatype is ``dt`` and, for the types it knows, well-formed
    (a language-tagged literal has the datatype rdf:langString)."""
    if not isinstance(v, Literal):
        return False
    if v.language is not None:
        return dt == RDF.langString
    if v.datatype == dt:
        if getattr(v, "ill_typed", None) is True:
            return False
    elif not (v.datatype is None and dt == XSD.string):
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
