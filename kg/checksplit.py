"""The SHACL check of a build in two parts: each article's own nodes where it was extracted, the
shared nodes in one pass over what the articles send of them. Same violations as
:func:`kg.validate.validate` on the whole graph (tests/test_checksplit.py compares both).

Why it is the same: an article's own nodes (IRIs minted with its id, :data:`kg.sections.LOCAL_KINDS`)
appear in no other article, so every triple about them is in that article, except the types
of the shared nodes they point at, which other articles may add to. A type can only turn a
failed ``sh:class`` into a pass, never the reverse, so the worker records the types it read
of each shared node (:class:`ArticleCheck` ``consulted``) and the parent checks the article
again only when the whole graph gives one of those nodes other types. A shared node is
checked in the parent on every triple whose subject is shared, the triples of the shapes'
inverse paths that end at a shared node, and the types of the articles' own nodes found
next to those. That suffices while every shape reads only a focus node's values and their
types (:func:`splittable`); otherwise the build checks the whole graph as before.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Optional, Sequence

from rdflib import Literal
from rdflib.namespace import RDF

from .ns import FKGR
from .sections import LOCAL_KINDS, local_prefixes, turtle_header
from .serialize import parse_ntriples
from .shacl import Index, Shape, key, results

_LOCAL = tuple(f"{FKGR}{kind}/" for kind in LOCAL_KINDS)
_TYPE = str(RDF.type)


def is_local(iri: str) -> bool:
    """Whether ``iri`` is one of some article's own IRIs."""
    return iri.startswith(_LOCAL)


def own_test(article: str) -> Callable[[str], bool]:
    """Whether a node key is one of the own IRIs of ``article`` (its IRI)."""
    children = tuple(p.decode("utf-8")[1:] for p in local_prefixes(article) if p.endswith(b"/"))
    return lambda k: k == article or k.startswith(children)


@dataclass(frozen=True)
class ArticleCheck:
    """What the check of one article leaves for the build."""

    violations: tuple       # kg.validate.Violation of the article's own nodes
    lines: bytes            # N-Triples the pass over shared nodes needs
    consulted: tuple        # (shared node, frozenset of its types in the article) whose class was asked


class Checker:
    """The shapes, the ontology's index and the crime-type scheme, loaded once per process."""

    def __init__(self):
        from .ontology import ontology_graph, scheme_triples, shapes_graph
        from .shacl import native_shapes
        from .validate import native_engine_fits
        self.shapes_graph = shapes_graph()
        self.shapes = native_shapes(self.shapes_graph)
        self.ok = native_engine_fits(self.shapes_graph) and splittable(self.shapes)
        self.ontology = ontology_graph()
        self.scheme = scheme_triples()
        self.base = Index((), self.ontology)
        self.inverse = inverse_predicates(self.shapes or ())

    def article(self, article: str, triples: set) -> ArticleCheck:
        """Check the own nodes of ``article`` (its IRI) on its triples; what the parent needs."""
        own = own_test(article)
        data = triples | self.scheme
        idx = Index(data, base=self.base, watch=lambda k: not own(k))
        found = results(idx, self.shapes, focus_filter=own)
        violations = tuple(self.describe(found, data)) if found else ()
        return ArticleCheck(violations, self.shared_lines(triples), tuple(sorted(idx.consulted.items())))

    def describe(self, found: list, triples) -> list:
        from .validate import _graph, _native_violations
        return list(_native_violations(found, _graph(triples, self.ontology), self.shapes_graph))

    def shared_lines(self, triples: set) -> bytes:
        """The triples of an article that the pass over shared nodes reads, as N-Triples."""
        import pyoxigraph as ox
        from .serialize import to_ox
        keep, near = [], set()
        for t in triples:
            s, p, o = t
            if not is_local(str(s)):
                keep.append(t)
                if type(o) is not Literal and is_local(str(o)):
                    near.add(o)
            elif str(p) in self.inverse and type(o) is not Literal and not is_local(str(o)):
                keep.append(t)
                near.add(s)
        keep += [t for t in triples if t[0] in near and t[1] == RDF.type]
        return ox.serialize([ox.Triple(*map(to_ox, t)) for t in keep], format=ox.RdfFormat.N_TRIPLES)

    def shared(self, parts: Sequence[ArticleCheck], articles: Sequence[str],
               local_triples: Callable[[int], set]) -> list:
        """Every violation of the graph: the parts' own, those of the shared nodes, and the
        articles' own again where another article gave a shared node they use more types.
        ``local_triples(i)`` are the triples of ``articles[i]`` that involve its own nodes."""
        shared = parse_ntriples(b"".join(p.lines for p in parts)) | self.scheme
        idx = Index(shared, base=self.base)
        found = results(idx, self.shapes, focus_filter=lambda k: not is_local(k))
        types = {}
        violations = []
        for i, part in enumerate(parts):
            stale = False
            for node, seen in part.consulted:
                if node not in types:
                    types[node] = frozenset(key(t) for t in idx.out.get(node, {}).get(_TYPE, ())
                                            if type(t) is not Literal)
                if types[node] != seen:
                    stale = True
                    break
            if not stale:
                violations.extend(part.violations)
                continue
            data = local_triples(i) | shared
            again = results(Index(data, base=self.base), self.shapes, focus_filter=own_test(articles[i]))
            violations.extend(self.describe(again, data))
        if found:      # their sentences are in the articles' own triples: read them all (rare)
            whole = shared.union(*(local_triples(i) for i in range(len(articles))))
            violations.extend(self.describe(found, whole))
        return violations


def check_articles(articles: Sequence[tuple[str, set]]) -> list:
    """The violations of the union of the (article IRI, triples) pairs, checked in parts as a
    build does (each article, then the shared nodes), sorted as :func:`kg.validate.validate` sorts."""
    from .validate import _order
    c = checker()
    parts = [c.article(a, t) for a, t in articles]

    def local(i: int) -> set:
        own = own_test(articles[i][0])
        return {t for t in articles[i][1] if own(key(t[0])) or (type(t[2]) is not Literal and own(key(t[2])))}
    return sorted(c.shared(parts, [a for a, _ in articles], local), key=_order)


@lru_cache(maxsize=1)
def checker() -> Checker:
    """This process's checker."""
    return Checker()


def section_triples(turtle: bytes) -> set:
    """The triples of an article's section of kg.ttl (its own triples, as Turtle without prefixes)."""
    from rdflib import Graph
    g = Graph()
    g.parse(data=turtle_header() + turtle, format="turtle")
    return set(g)


def inverse_predicates(shapes: Iterable[Shape]) -> frozenset:
    """The predicates of the inverse paths and sh:targetObjectsOf of ``shapes``, at any depth."""
    found, todo, seen = set(), list(shapes), set()
    while todo:
        s = todo.pop()
        if id(s) in seen:
            continue
        seen.add(id(s))
        if s.path and s.path[0] == "inv":
            found.add(s.path[1])
        found.update(s.target_objects_of)
        todo.extend(s.properties)
        todo.extend(m for name, param in s.checks if name == "or" for m in param)
    return frozenset(found)


def splittable(shapes: Optional[list]) -> bool:
    """Whether every shape reads only its focus node's values (and their types): no shape
    applied to a value node (an sh:or member of a property shape) follows a path."""
    if shapes is None:
        return False

    def at_focus(s: Shape) -> bool:
        members = [m for name, param in s.checks if name == "or" for m in param]
        if s.path is not None:      # members apply to the values
            return all(at_value(m) for m in members)
        return all(at_focus(m) for m in members) and all(at_focus(p) for p in s.properties)

    def at_value(s: Shape) -> bool:
        members = [m for name, param in s.checks if name == "or" for m in param]
        return s.path is None and not s.properties and all(at_value(m) for m in members) and not any(
            name in ("lessThan",) for name, _ in s.checks)

    return all(at_focus(s) for s in shapes)
