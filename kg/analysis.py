"""Network analysis of the knowledge graph: an entity graph, key players, groups, paths.

:func:`read_view` turns RDF triples into a :class:`KGView` — the entities of the seven
contract types and the cases, the relations between them, and the sentence behind each
relation (from ``fkg:Assertion``). :func:`entity_graph` makes that a networkx graph; the
other functions are plain algorithms over it. Mentions, sentences and assertions are not
nodes: they are the evidence attached to edges.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Iterable, Optional

import networkx as nx
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .errors import InputError, QueryError
from .model import ENTITY_TYPES, RELATIONS
from .ns import FKG, GEO

CASE = "Case"
NODE_TYPES = ENTITY_TYPES + (CASE,)
CASE_LINKS = ("victim", "suspect", "criminalGroup", "handledBy", "occurredIn")
EDGE_RELATIONS = RELATIONS + CASE_LINKS
ACTOR_TYPES = tuple(t for t in ENTITY_TYPES if t != "Place")
# Brandes' betweenness costs one breadth-first search, O(n + m), per source node; networkx
# does about 150,000 units of n + m per second here. Exact while n·(n + m) stays within the
# budget (about 800 nodes of a sparse graph, some ten seconds); above it, estimated from as
# many sampled sources as the budget allows, never fewer than MIN_SAMPLE.
BETWEENNESS_BUDGET = 1_500_000
MIN_SAMPLE = 100
MODULARITY_LIMIT = 2000          # greedy modularity up to this many nodes, label propagation above

_TYPE_OF = {FKG[t]: t for t in NODE_TYPES}
_REL_OF = {FKG[r]: r for r in EDGE_RELATIONS}


@dataclass
class Node:
    """An entity or case as the explorer and the analyses see it."""

    iri: str
    type: str
    label: str
    alt: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    crime_type: Optional[str] = None
    amount_lost: Optional[Decimal] = None
    amount_recovered: Optional[Decimal] = None
    date: Optional[str] = None           # a case's fkg:date, as written (2024-03-05, 2024-03, 2024)
    level: Optional[str] = None          # a place's level: Province, Prefecture, County, Township
    lat: Optional[float] = None
    lon: Optional[float] = None
    # money kept from the fraudsters by kind (returned, stopped, prevented, avoided): the
    # largest amount of each kind the case states
    kept: dict[str, Decimal] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [self.label] + [a for a in self.alt if a != self.label]


@dataclass(frozen=True)
class Edge:
    source: str
    relation: str
    target: str
    sentences: tuple[str, ...] = ()
    # where each supporting assertion is: (sentence IRI, start, end) in the source file
    spans: tuple[tuple[str, Optional[int], Optional[int]], ...] = ()


@dataclass(frozen=True)
class Sentence:
    text: str
    source_file: Optional[str]
    start: Optional[int]             # offsets in the source file
    end: Optional[int]


@dataclass
class KGView:
    nodes: dict[str, Node]
    edges: list[Edge]
    sentences: dict[str, Sentence] = field(default_factory=dict)

    def find(self, name: str) -> list[Node]:
        """Nodes named ``name`` (label or altLabel, or the IRI); failing that, containing it."""
        name = name.strip()
        exact = [n for n in self.nodes.values() if name == n.iri or name in n.names]
        if exact:
            return exact
        return [n for n in self.nodes.values() if any(name in x for x in n.names)] if name else []


def load_triples(source: Path | str) -> set[tuple]:
    """The triples of a graph file or store folder, as rdflib terms."""
    from .query import load_store
    store = load_store(source)
    return {(_rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object)) for q in store}


def load_view(source: Path | str) -> KGView:
    """The view of a graph file or store folder, read as plain strings and only the
    predicates the view needs: a file is streamed through the parser (never held whole in
    memory), a store folder asked for those predicates only."""
    import pyoxigraph as ox
    from .query import RDF_FORMATS, load_store
    path = Path(source)
    if path.is_dir() or not path.is_file() or path.suffix.lower() not in RDF_FORMATS:
        store = load_store(source)         # a store folder; or the clear error for a bad path
        return read_view((q.subject.value, p, q.object.value)
                         for p in sorted(_READ) for q in store.quads_for_pattern(None, ox.NamedNode(p), None))

    def triples():
        try:
            for t in ox.parse(path=str(path), format=RDF_FORMATS[path.suffix.lower()]):
                p = t.predicate.value
                if p in _READ:
                    yield t.subject.value, p, t.object.value
        except SyntaxError as e:
            raise InputError(f"is not valid RDF: {e}", path=str(path)) from None
    return read_view(triples())


def _rdflib(term):
    import pyoxigraph as ox
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _decimal(lit) -> Optional[Decimal]:
    try:
        return Decimal(str(lit))
    except (InvalidOperation, ValueError):
        return None


# Terms as plain strings: rdflib terms compare in Python (``Identifier.__eq__``), which on
# millions of triples costs more than all the rest; an IRI and a literal never need to be
# told apart here (subjects are IRIs; literals are only ever read as text).
_S = {name: str(term) for name, term in (
    ("type", RDF.type), ("label", RDFS.label), ("pref", SKOS.prefLabel), ("alt", SKOS.altLabel),
    ("file", FKG.sourceFile), ("mentioned", FKG.mentionedIn), ("crime", FKG.crimeType),
    ("lost", FKG.amountLost), ("recovered", FKG.amountRecovered), ("subject", RDF.subject),
    ("predicate", RDF.predicate), ("object", RDF.object), ("text", FKG.text), ("sentence", FKG.inSentence),
    ("lat", GEO.lat), ("long", GEO.long), ("date", FKG.date), ("start", FKG.startOffset),
    ("end", FKG.endOffset), ("in_article", FKG.inArticle), ("article", FKG.Article),
    ("amount", FKG.amount), ("kind", FKG.amountKind), ("value", FKG.value))}
_SENTENCE = str(FKG.Sentence)
_LEVELS = {str(FKG[t]): t for t in ("Province", "Prefecture", "County", "Township")}
_TYPE_STR = {str(k): v for k, v in _TYPE_OF.items()}
_REL_STR = {str(k): v for k, v in _REL_OF.items()}
# the predicates read_view looks at; the rest (offsets, rules, provenance) is skipped unread
_READ = frozenset([v for k, v in _S.items() if k != "article"] + list(_REL_STR))


def read_view(triples: Iterable[tuple]) -> KGView:
    """Entities, cases, their relations and the evidence sentence of each relation."""
    by_p: dict[str, list[tuple[str, str]]] = {p: [] for p in _READ}
    for s, p, o in triples:
        pairs = by_p.get(str(p))
        if pairs is not None:
            pairs.append((str(s), str(o)))
    rank = {t: i for i, t in enumerate(NODE_TYPES)}
    types: dict[str, str] = {}
    for s, o in by_p[_S["type"]]:
        t = _TYPE_STR.get(o)
        if t is not None and (s not in types or rank[t] < rank[types[s]]):
            types[s] = t

    def ordered(p: str, keep=None) -> list[tuple[str, str]]:
        """The pairs of ``p`` (whose subject is in ``keep``) in one order whatever order the
        triples came in: where a later value overwrites an earlier one, the last wins."""
        return sorted(by_p[_S[p]] if keep is None else [so for so in by_p[_S[p]] if so[0] in keep])

    labels = dict(ordered("label", types))
    nodes = {s: Node(s, t, labels.get(s) or _local(s)) for s, t in sorted(types.items())}
    for s, o in ordered("alt", types):
        if o not in nodes[s].alt:
            nodes[s].alt.append(o)
    articles = {s for s, o in by_p[_S["type"]] if o == _S["article"]}
    source_file = dict(ordered("file", articles))
    for s, o in by_p[_S["mentioned"]]:
        if o in articles and s in types:
            nodes[s].articles.append(source_file.get(o, o))
    for n in nodes.values():
        n.alt.sort()
        n.articles = sorted(set(n.articles))
    pref = dict(ordered("pref"))
    for s, o in ordered("crime", types):
        nodes[s].crime_type = pref.get(o) or _local(o)
    for prop, attr in (("lost", "amount_lost"), ("recovered", "amount_recovered")):
        for s, o in ordered(prop, types):
            setattr(nodes[s], attr, _decimal(o))
    for s, o in ordered("date", types):
        nodes[s].date = o
    for prop, attr in (("lat", "lat"), ("long", "lon")):
        for s, o in ordered(prop, types):
            setattr(nodes[s], attr, _float(o))
    for s, o in sorted(by_p[_S["type"]]):
        if o in _LEVELS and types.get(s) == "Place":
            nodes[s].level = _LEVELS[o]
    _kept(nodes, by_p, types)
    evidence, spans, sentences = _evidence(by_p, dict(ordered("file")))
    edges = sorted({Edge(s, rel, o, tuple(evidence.get((s, p, o), ())), tuple(spans.get((s, p, o), ())))
                    for p, rel in _REL_STR.items() for s, o in by_p[p] if s in types and o in types},
                   key=lambda e: (e.source, e.relation, e.target))
    return KGView(nodes, edges, sentences)


def _kept(nodes: dict[str, Node], by_p, types: dict[str, str]) -> None:
    """Each case's money kept from the fraudsters, by the kind its amount nodes carry."""
    kind = dict(by_p[_S["kind"]])
    value = {s: o for s, o in by_p[_S["value"]] if s in kind}
    for case, amount in sorted(by_p[_S["amount"]]):
        if case in types and amount in kind and amount in value:
            v, k = _decimal(value[amount]), kind[amount]
            if v is not None and v > nodes[case].kept.get(k, Decimal(-1)):
                nodes[case].kept[k] = v


def _float(lit) -> Optional[float]:
    try:
        x = float(str(lit))
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def _int(lit) -> Optional[int]:
    try:
        return int(str(lit))
    except ValueError:
        return None


def _evidence(by_p, source_file: dict) -> tuple[dict, dict, dict[str, Sentence]]:
    """(subject, predicate, object) → the texts of the sentences that assert it, and the
    spans of those assertions; and every sentence of the graph with its article and offsets."""
    subj = dict(by_p[_S["subject"]])
    pred = dict(by_p[_S["predicate"]])
    obj = dict(by_p[_S["object"]])
    in_sentence = by_p[_S["sentence"]]
    kinds = {s for s, o in by_p[_S["type"]] if o == _SENTENCE}
    kinds.update(sent for a, sent in in_sentence if a in subj)
    text = {s: o for s, o in by_p[_S["text"]] if s in kinds}
    start = {s: _int(o) for s, o in by_p[_S["start"]] if s in text or s in subj}
    end = {s: _int(o) for s, o in by_p[_S["end"]] if s in text or s in subj}
    item_file = {s: source_file.get(o, o) for s, o in by_p[_S["in_article"]] if s in text}
    sentences = {s: Sentence(t, item_file.get(s), start.get(s), end.get(s)) for s, t in text.items()}
    out: dict[tuple, set[str]] = defaultdict(set)
    where: dict[tuple, set] = defaultdict(set)
    for a, sent in in_sentence:
        if a in subj and a in pred and a in obj and sent in text:
            key = (subj[a], pred[a], obj[a])
            out[key].add(text[sent])
            where[key].add((sent, start.get(a), end.get(a)))
    return ({k: sorted(v) for k, v in out.items()},
            {k: sorted(v, key=lambda x: (x[0], x[1] or 0, x[2] or 0)) for k, v in where.items()}, sentences)


def _local(term) -> str:
    s = str(term)
    return s.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def entity_graph(view: KGView) -> nx.Graph:
    """Undirected graph: entities and cases as nodes; each edge lists its relations as
    ``(source, relation, target, sentences)`` in the attribute ``facts``."""
    g = nx.Graph()
    for n in view.nodes.values():
        g.add_node(n.iri, type=n.type, label=n.label)
    for e in view.edges:
        if e.source == e.target:
            continue
        if g.has_edge(e.source, e.target):
            g[e.source][e.target]["facts"].append(e)
        else:
            g.add_edge(e.source, e.target, facts=[e])
    return g


@dataclass
class KeyPlayers:
    rows: list[dict]                 # iri, label, type, degree, betweenness
    sampled: Optional[int] = None    # sample size when betweenness was estimated


def betweenness(g: nx.Graph, seed: int = 7) -> tuple[dict, Optional[int]]:
    """Betweenness centrality and the number of sampled sources (None when exact)."""
    n = g.number_of_nodes()
    k = max(MIN_SAMPLE, BETWEENNESS_BUDGET // max(1, n + g.number_of_edges()))
    if k >= n:
        return nx.betweenness_centrality(g), None
    return nx.betweenness_centrality(g, k=k, seed=seed), k


def pagerank(g: nx.Graph, alpha: float = 0.85, iterations: int = 100, tol: float = 1e-9) -> dict:
    """PageRank by power iteration in pure Python (networkx's own needs scipy)."""
    n = g.number_of_nodes()
    if n == 0:
        return {}
    rank = dict.fromkeys(g, 1.0 / n)
    for _ in range(iterations):
        dangling = alpha * sum(rank[v] for v in g if g.degree(v) == 0) / n
        new = {v: (1 - alpha) / n + dangling for v in g}
        for v in g:
            deg = g.degree(v)
            if deg:
                share = alpha * rank[v] / deg
                for w in g[v]:
                    new[w] += share
        if sum(abs(new[v] - rank[v]) for v in g) < n * tol:
            return new
        rank = new
    return rank


def key_players(g: nx.Graph, top: int = 10, types: tuple[str, ...] = ACTOR_TYPES) -> KeyPlayers:
    """The ``top`` actors (not places, not cases) by betweenness, then degree."""
    bc, sampled = betweenness(g)
    rows = [{"iri": v, "label": d["label"], "type": d["type"], "degree": g.degree(v),
             "betweenness": bc.get(v, 0.0)} for v, d in g.nodes(data=True) if d["type"] in types]
    rows.sort(key=lambda r: (-r["betweenness"], -r["degree"], r["label"]))
    return KeyPlayers(rows[:top], sampled)


def communities(g: nx.Graph, types: tuple[str, ...] = ACTOR_TYPES, min_size: int = 2) -> list[list[str]]:
    """Groups of connected actors: greedy modularity up to MODULARITY_LIMIT nodes,
    label propagation above; each group lists its actors' node ids, largest group first."""
    if g.number_of_edges() == 0:
        return []
    if g.number_of_nodes() <= MODULARITY_LIMIT:
        parts = nx.community.greedy_modularity_communities(g)
    else:
        parts = nx.community.label_propagation_communities(g)
    out = []
    for part in parts:
        actors = sorted((v for v in part if g.nodes[v]["type"] in types), key=lambda v: g.nodes[v]["label"])
        if len(actors) >= min_size:
            out.append(actors)
    out.sort(key=lambda c: (-len(c), g.nodes[c[0]]["label"]))
    return out


@dataclass(frozen=True)
class Hop:
    source: str          # labels, in the order of the path
    relation: str
    target: str
    forward: bool        # the RDF statement reads source → relation → target
    sentence: Optional[str]


def shortest_path(view: KGView, g: nx.Graph, a: str, b: str) -> list[Hop]:
    """The shortest chain of relations between a node named ``a`` and one named ``b``.

    People are scoped per article, so a name may denote several nodes: every pair is tried
    and the shortest chain wins (of equal ones, the one with more sentences). Raises :class:`QueryError` when a name is unknown or no
    chain exists."""
    starts, ends = _named(view, a), _named(view, b)
    best, best_cost = None, math.inf
    for s in starts:
        cost, paths = nx.single_source_dijkstra(g, s, weight=_hop_cost)
        for t in ends:
            if t in cost and cost[t] < best_cost:
                best, best_cost = paths[t], cost[t]
    if best is None:
        raise QueryError(f"no chain of relations links {a!r} and {b!r}")
    return [_hop(view, g, u, v) for u, v in zip(best, best[1:])]


def _hop_cost(u, v, attrs) -> float:
    """One per hop; a hop no sentence supports costs a little more, so that of two equally
    short chains the one with evidence wins."""
    return 1.0 if any(e.sentences for e in attrs["facts"]) else 1.001


def _named(view: KGView, name: str) -> list[str]:
    found = view.find(name)
    if not found:
        raise QueryError(f"no entity or case is named {name!r}", hint="names are rdfs:label or skos:altLabel")
    return [n.iri for n in found]


def _hop(view: KGView, g: nx.Graph, u: str, v: str) -> Hop:
    facts = sorted(g[u][v]["facts"], key=lambda e: (not e.sentences, e.relation))
    e = facts[0]
    return Hop(view.nodes[u].label, e.relation, view.nodes[v].label, e.source == u,
               e.sentences[0] if e.sentences else None)


def ego_nodes(g: nx.Graph, centres: Iterable[str], hops: int) -> set[str]:
    """Every node within ``hops`` relations of any of ``centres``."""
    keep: set[str] = set()
    for c in centres:
        keep |= set(nx.single_source_shortest_path_length(g, c, cutoff=hops))
    return keep



def ego_graph(g: nx.Graph, centres: Iterable[str], hops: int) -> nx.Graph:
    """The part of ``g`` within ``hops`` relations of ``centres``, nodes and edges in the
    order of ``g`` (a networkx subgraph view may iterate in set order)."""
    keep = ego_nodes(g, centres, hops)
    sub = nx.Graph()
    sub.add_nodes_from((v, g.nodes[v]) for v in g if v in keep)
    sub.add_edges_from((u, v, d) for u, v, d in g.edges(data=True) if u in keep and v in keep)
    return sub
