"""JSON-LD that reads as plain JSON: compact IRIs (``fkg:Case``, ``fkgr:unit/…``) through an
``@context`` of the project's prefixes, one object per node, literals as strings where they
are plain strings. Each named graph of a store is an object of its own in the top
``@graph`` (JSON-LD 1.1 named graphs); the default graph's nodes are listed directly."""
from __future__ import annotations

import json
from collections import defaultdict
from typing import Iterable

import pyoxigraph as ox

from .serialize import PREFIXES

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def context() -> dict[str, str]:
    """The ``@context``: each prefix of :data:`kg.serialize.PREFIXES` as a term."""
    return dict(PREFIXES)


def _compact(iri: str, prefixes: list[tuple[str, str]]) -> str:
    for name, base in prefixes:
        if iri.startswith(base) and len(iri) > len(base) and not iri[len(base):].startswith("//"):
            return f"{name}:{iri[len(base):]}"
    return iri


def _node_id(term, prefixes) -> str:
    return _compact(term.value, prefixes) if isinstance(term, ox.NamedNode) else f"_:{term.value}"


def _value(term, prefixes):
    if isinstance(term, ox.Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == _XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": _compact(term.datatype.value, prefixes)}
    return {"@id": _node_id(term, prefixes)}


def _nodes(quads: list[ox.Quad], prefixes) -> list[dict]:
    by_subject: dict = defaultdict(lambda: defaultdict(list))
    for q in quads:
        node = by_subject[_node_id(q.subject, prefixes)]
        if q.predicate.value == _RDF_TYPE and not isinstance(q.object, ox.Literal):
            node["@type"].append(_node_id(q.object, prefixes))
        else:
            node[_compact(q.predicate.value, prefixes)].append(_value(q.object, prefixes))
    out = []
    for subject in sorted(by_subject):
        node = {"@id": subject}
        props = by_subject[subject]
        for key in sorted(props, key=lambda k: (k != "@type", k)):
            values = sorted(props[key], key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
            node[key] = values[0] if len(values) == 1 else values
        out.append(node)
    return out


def to_jsonld(quads: Iterable[ox.Quad]) -> bytes:
    """The quads as a JSON-LD document with the project's ``@context`` (deterministic)."""
    prefixes = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))     # the longest base first
    graphs: dict = defaultdict(list)
    for q in quads:
        graphs[q.graph_name].append(q)
    top = _nodes(graphs.pop(ox.DefaultGraph(), []), prefixes)
    for g in sorted(graphs, key=lambda g: g.value):
        top.append({"@id": _node_id(g, prefixes), "@graph": _nodes(graphs[g], prefixes)})
    doc = {"@context": context(), "@graph": top}
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
