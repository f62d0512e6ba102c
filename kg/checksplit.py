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
_LOCAL_NT = tuple(b"<" + p.encode("utf-8") for p in _LOCAL)
_TYPE = str(RDF.type)
_TYPE_NT = f"<{RDF.type}>".encode("utf-8")


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
    refs: frozenset = frozenset()   # the shared nodes the article's triples name (to describe their violations)


class Checker:
    """The shapes, the ontology's index and the crime-type scheme, loaded once per process."""

    def __init__(self):
        from .ontology import ontology_graph, shapes_graph
        from .shacl import native_shapes
        from .validate import native_engine_fits
        self.shapes_graph = shapes_graph()
        self.shapes = native_shapes(self.shapes_graph)
        self.ok = native_engine_fits(self.shapes_graph) and splittable(self.shapes)
        self.ontology = ontology_graph()
        self.base = Index((), self.ontology)
        self.inverse = inverse_predicates(self.shapes or ())

    def article(self, article: str, triples: set, ntriples: bytes) -> ArticleCheck:
        """Check the own nodes of ``article`` (its IRI) on its triples (as rdflib terms and as
        N-Triples); what the parent needs."""
        own = own_test(article)
        idx = Index(triples, base=self.base, watch=lambda k: not own(k))
        found = results(idx, self.shapes, focus_filter=own)
        violations = tuple(self.describe(found, triples)) if found else ()
        lines, names = self.shared_lines(ntriples)
        refs = frozenset(x for x in map(bytes.decode, names) if not own(x))
        return ArticleCheck(violations, lines, tuple(sorted(idx.consulted.items())), refs)

    def describe(self, found: list, triples) -> list:
        from .validate import _graph, _native_violations
        return list(_native_violations(found, _graph(triples, self.ontology), self.shapes_graph))

    def shared_lines(self, ntriples: bytes) -> tuple[bytes, set]:
        """The lines of an article's N-Triples that the pass over shared nodes reads: those with
        a shared subject, those of an inverse path that end at a shared node, and the types of
        the article's own nodes found next to those; and every node the lines name."""
        keep, near, types, names = [], set(), {}, set()
        inverse = {b"<" + p.encode("utf-8") + b">" for p in self.inverse}
        for line in ntriples.split(b"\n"):
            if not line:
                continue
            i = line.index(b" ")
            j = line.index(b" ", i + 1)
            s, p, o = line[:i], line[i + 1:j], line[j + 1:]
            names.add(s[1:-1] if s.startswith(b"<") else s)
            if o.startswith(b"<"):
                names.add(o[1:o.index(b">")])
            elif o.startswith(b"_:"):
                names.add(o[:o.index(b" ")])
            if not s.startswith(_LOCAL_NT):
                keep.append(line)
                if o.startswith(_LOCAL_NT):
                    near.add(o[:o.index(b">") + 1])
                continue
            if p == _TYPE_NT:
                types.setdefault(s, []).append(line)
            if p in inverse and o.startswith(b"<") and not o.startswith(_LOCAL_NT):
                keep.append(line)
                near.add(s)
        keep += [line for n in near for line in types.get(n, ())]
        return (b"\n".join(keep) + b"\n" if keep else b""), names

    def shared(self, parts: Sequence[ArticleCheck], articles: Sequence[str],
               local_triples: Callable[[int], set], lines: bytes = b"") -> list:
        """Every violation of the graph: the parts' own, those of the shared nodes, and the
        articles' own again where another article gave a shared node they use more types.
        ``local_triples(i)`` are the triples of ``articles[i]`` that involve its own nodes;
        ``lines`` more lines for the shared pass (those of the parts, gathered by the caller)."""
        shared = parse_ntriples(b"".join([lines, *(p.lines for p in parts)]))
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
        if found:      # their sentences are in the own triples of the articles that name them
            focus = {key(f) for f, *_ in found}
            near = [i for i, part in enumerate(parts) if not part.refs.isdisjoint(focus)]
            violations.extend(self.describe(found, shared.union(*(local_triples(i) for i in near))))
        return violations


def check_articles(articles: Sequence[tuple[str, set]]) -> list:
    """The violations of the union of the (article IRI, triples) pairs, checked in parts as a
    build does (each article, then the shared nodes), sorted as :func:`kg.validate.validate` sorts."""
    from .validate import _order
    import pyoxigraph as ox
    from .serialize import to_ox
    c = checker()
    parts = [c.article(a, t, ox.serialize([ox.Triple(*map(to_ox, x)) for x in t], format=ox.RdfFormat.N_TRIPLES))
             for a, t in articles]

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
