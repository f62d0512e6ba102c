"""What the explorer page shows, as plain data: nodes with positions and style, relations
with the sentence (and its article and offsets) behind each, the region, date, money and
map position of each node, and the summary. :mod:`kg.viz` turns it into the page.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from decimal import Decimal
from typing import Optional

from .analysis import KGView, betweenness, ego_graph, entity_graph, pagerank
from .errors import QueryError
from .layout import layout

SIZE_MEASURES = ("degree", "pagerank", "betweenness")

# type → (colour, vis-network shape, display name)
STYLE = {
    "PoliceUnit": ("#1f77b4", "square", "公安机关 Police unit"),
    "CriminalGroup": ("#d62728", "triangle", "犯罪团伙 Criminal group"),
    "Victim": ("#2ca02c", "dot", "受害人 Victim"),
    "Suspect": ("#ff7f0e", "diamond", "嫌疑人 Suspect"),
    "PoliceOfficer": ("#17becf", "star", "民警 Police officer"),
    "Place": ("#8c564b", "hexagon", "地点 Place"),
    "Organization": ("#9467bd", "triangleDown", "机构 Organization"),
    "Case": ("#e377c2", "dot", "案件 Case"),
}
_LABEL_MAX = 16
TOP_LABELS = 20          # nodes whose names are drawn at the first view, largest first
# where a node is on the map: the first of its places by this order of relations
_PLACE_ORDER = ("occurredIn", "arrestedIn", "basedIn", "jurisdiction", "originPlace", "livesIn", "locatedIn")
_REGION_LEVELS = ("Province", "Prefecture")


def explorer_data(view: KGView, *, focus: Optional[str] = None, hops: int = 2,
                  size: str = "degree") -> dict:
    """What the page needs: pyvis's node and edge lists with positions, the evidence
    (sentences with their article and offsets), regions, map positions, and the summary."""
    if size not in SIZE_MEASURES:
        raise QueryError(f"unknown size measure {size!r}", hint="use " + ", ".join(SIZE_MEASURES))
    g = entity_graph(view)
    if focus is not None:
        found = view.find(focus)
        if not found:
            raise QueryError(f"no entity or case is named {focus!r}", hint="names are rdfs:label or skos:altLabel")
        g = ego_graph(g, [n.iri for n in found], hops)
    net = _network(view, g, size)
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    articles = sorted({a for n in nodes for a in view.nodes[n["iri"]].articles})
    art_ids = {a: i for i, a in enumerate(articles)}
    for n in nodes:
        n["arts"] = [art_ids[a] for a in view.nodes[n["iri"]].articles]
    sentence_ids: dict[str, int] = {}      # each sentence once; edges point to it by index
    for e in edges:
        spans = e.pop("spans")
        e["ev"] = [sentence_ids.setdefault(s, len(sentence_ids)) for s in e.pop("sentences")]
        # the span of each assertion within its sentence's article, where the graph has it
        e["sp"] = [[_id(sentence_ids, view, iri), s, t] for iri, s, t in spans if iri in view.sentences]
    _article_sentences(view, art_ids, sentence_ids)
    texts = sorted(sentence_ids, key=sentence_ids.get)
    where = {}
    for iri, sent in view.sentences.items():
        if sent.text in sentence_ids:
            where.setdefault(sentence_ids[sent.text], (iri, sent))
    return {
        "nodes": nodes, "edges": edges, "sentences": texts,
        # per sentence: [article index or -1, start, end] (offsets in the source file)
        "where": [_where(where.get(i), art_ids) for i in range(len(texts))],
        "articles": articles, "options": json.loads(options),
        "types": [{"type": t, "color": c, "shape": s, "name": name} for t, (c, s, name) in STYLE.items()],
        "summary": summary(view, set(g)),
        "gangs": _gang_links(view, g, {n["iri"]: n["id"] for n in nodes}),
        "focus": focus,
    }


def _id(ids: dict, view: KGView, iri: str) -> int:
    return ids.setdefault(view.sentences[iri].text, len(ids))


def _where(found, art_ids: dict) -> list:
    if found is None:
        return [-1, None, None]
    _iri, s = found
    return [art_ids.get(s.source_file, -1), s.start, s.end]


def _article_sentences(view: KGView, art_ids: dict, sentence_ids: dict) -> None:
    """Every sentence of the shown articles, so that the page can show an article's text."""
    for _iri, s in sorted(view.sentences.items(), key=lambda kv: (kv[1].source_file or "", kv[1].start or 0, kv[0])):
        if s.source_file in art_ids:
            sentence_ids.setdefault(s.text, len(sentence_ids))


def _network(view: KGView, g, size: str):
    """A pyvis Network with our nodes and edges, filled directly (``add_node`` checks for
    duplicates in a list, which is quadratic) and physics off: positions come from Python."""
    from pyvis.network import Network
    net = Network(directed=True, cdn_resources="in_line")
    measure = _measure(g, size)
    top = max(measure.values(), default=0) or 1
    pos = _positions(view, g)
    ids = {v: i for i, v in enumerate(sorted(g, key=lambda v: (view.nodes[v].type, view.nodes[v].label, v)))}
    labelled = set(sorted((v for v in g if g.degree(v)), key=lambda v: (-measure.get(v, 0), ids[v]))[:TOP_LABELS])
    regions = _regions(view, g)
    at = _map_places(view, g)
    for v, i in ids.items():
        n = view.nodes[v]
        colour, shape, _ = STYLE[n.type]
        x, y = pos[v]
        node = {
            "id": i, "iri": v, "label": _short(n.label), "kind": n.type,
            "crime": (n.crime_type or "?") if n.type == "Case" else None,
            "names": n.names, "color": colour, "shape": shape, "x": x, "y": y,
            "size": round(8 + 22 * math.sqrt(measure.get(v, 0) / top), 1), "font": {"size": 14},
            "reg": sorted(ids[r] for r in regions.get(v, ()) if r in ids),
        }
        if not g.degree(v):
            node["lone"] = True
        if v in labelled:
            node["top"] = True
        if n.type == "Case":
            # the timeline places dates with a year; a day without one (--07-30) is shown as text
            dated = n.date if n.date and n.date[:1].isdigit() else None
            node.update(date=dated, lost=_num(n.amount_lost), rec=_num(n.amount_recovered))
            if n.date and not dated:
                node["day"] = n.date.lstrip("-")
            if n.kept:
                node["kept"] = {MONEY_KINDS[k]: float(v) for k, v in sorted(n.kept.items()) if k in MONEY_KINDS}
        if n.type == "Place" and n.lat is not None and n.lon is not None:
            node["geo"] = [n.lon, n.lat]
        if v in at and at[v] in ids:
            node["at"] = ids[at[v]]
        net.nodes.append(node)
        net.node_ids.append(i)
        net.node_map[i] = node
    for e in view.edges:
        if e.source in ids and e.target in ids and e.source != e.target:
            net.edges.append({"from": ids[e.source], "to": ids[e.target], "label": e.relation,
                              "arrows": "to", "sentences": list(e.sentences), "spans": list(e.spans)})
    net.toggle_physics(False)
    net.options.edges.smooth.enabled = False   # straight edges draw fast at thousands of nodes
    return net


def _positions(view: KGView, g) -> dict:
    """The layout of the connected part, and the unconnected nodes out of its way: in a
    block to its right, one row band per type, so the first view shows the network."""
    linked = g.subgraph([v for v in g if g.degree(v)])
    pos = layout(linked) if len(linked) else {}
    lone = sorted((v for v in g if not g.degree(v)), key=lambda v: (list(STYLE).index(view.nodes[v].type), view.nodes[v].label, v))
    if not lone:
        return pos
    xs = [p[0] for p in pos.values()] or [0.0]
    x0 = max(xs) + max(400.0, 0.5 * (max(xs) - min(xs)))
    y0 = min((p[1] for p in pos.values()), default=0.0)
    per_row = max(4, int(math.sqrt(len(lone))))
    out = dict(pos)
    row = col = 0
    last = None
    for v in lone:
        t = view.nodes[v].type
        if last is not None and (t != last or col == per_row):
            row += 1 if t == last else 2
            col = 0
        out[v] = (round(x0 + col * 90.0, 1), round(y0 + row * 60.0, 1))
        col += 1
        last = t
    return out


def _place_parents(view: KGView) -> dict[str, str]:
    return {e.source: e.target for e in view.edges
            if e.relation == "locatedIn" and view.nodes[e.source].type == "Place" and view.nodes[e.target].type == "Place"}


def _regions(view: KGView, g) -> dict[str, set[str]]:
    """Node → the provinces and prefecture-level cities it belongs to: a place's own (itself
    and its ancestors), other nodes' those of the places they are linked to, failing that
    those of their neighbours."""
    parent = _place_parents(view)

    def chain(p: str) -> set[str]:
        out, seen = set(), set()
        while p is not None and p not in seen:
            seen.add(p)
            if view.nodes[p].level in _REGION_LEVELS:
                out.add(p)
            p = parent.get(p)
        return out

    direct: dict[str, set[str]] = {}
    for v in g:
        if view.nodes[v].type == "Place":
            direct[v] = chain(v)
        else:
            direct[v] = set().union(*(chain(w) for w in g[v] if view.nodes[w].type == "Place"))
    out = {}
    for v in g:
        out[v] = direct[v] or set().union(*(direct[w] for w in g[v] if view.nodes[w].type != "Place"))
    return out


def _map_places(view: KGView, g) -> dict[str, str]:
    """Node → the place it is drawn at on the map (one with coordinates, or the nearest
    of its ancestors that has them)."""
    parent = _place_parents(view)

    def located(p: Optional[str]) -> Optional[str]:
        seen = set()
        while p is not None and p not in seen:
            seen.add(p)
            if view.nodes[p].lat is not None and view.nodes[p].lon is not None:
                return p
            p = parent.get(p)
        return None

    rank = {r: i for i, r in enumerate(_PLACE_ORDER)}

    def first_place(v: str) -> Optional[str]:
        """The first of v's places by relation (then name) that can be put on the map."""
        options = sorted((rank.get(e.relation, 99), view.nodes[w].label, w)
                         for w in g[v] if view.nodes[w].type == "Place" for e in g[v][w]["facts"])
        return next((p for p in (located(w) for _r, _l, w in options) if p is not None), None)

    out = {}
    for v in g:
        n = view.nodes[v]
        p = located(v) if n.type == "Place" else first_place(v)
        if p is None and n.type == "Case":     # a case without a place: where its unit works
            units = sorted(w for w in g[v] if view.nodes[w].type == "PoliceUnit")
            p = next((q for q in map(first_place, units) if q is not None), None)
        if p is not None:
            out[v] = p
    for v in g:       # a victim, an officer: where the first of their cases (or units) is
        if v not in out and view.nodes[v].type != "Place":
            p = next((out[w] for w in sorted(g[v], key=lambda w: (view.nodes[w].type != "Case", w)) if w in out), None)
            if p is not None:
                out[v] = p
    return out


def _gang_links(view: KGView, g, ids: dict) -> list[list[int]]:
    """[gang, origin place, arrest place] for each criminal group whose origin is known and
    whose members (or itself) were arrested elsewhere: the lines the map draws."""
    out = set()
    for v in g:
        if view.nodes[v].type != "CriminalGroup":
            continue
        facts = [e for w in g[v] for e in g[v][w]["facts"]]
        origins = {e.target for e in facts if e.relation in ("originPlace", "basedIn") and e.source == v}
        members = {e.source for e in facts if e.relation == "memberOf" and e.target == v}
        arrests = {e.target for m in members | {v} for w in g[m] for e in g[m][w]["facts"]
                   if e.relation == "arrestedIn" and e.source == m}
        for o in origins:
            for a in arrests:
                if o != a and o in ids and a in ids:
                    out.add((ids[v], ids[o], ids[a]))
    return [list(x) for x in sorted(out)]


def _measure(g, size: str) -> dict:
    if size == "pagerank":
        return pagerank(g)
    if size == "betweenness":
        return betweenness(g)[0]
    return dict(g.degree())


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_MAX else label[:_LABEL_MAX - 1] + "…"


def _num(x: Optional[Decimal]) -> Optional[float]:
    return None if x is None else float(x)


def _yuan(x: Optional[Decimal]) -> Optional[str]:
    if x is None:
        return None
    return f"{x:,.2f}".rstrip("0").rstrip(".") + " 元"


# the kinds behind fkg:amountRecovered, each a different fact (fkg:amountKind), as the summary names them
MONEY_KINDS = {"returned": "returned", "stopped": "stopped or frozen", "prevented": "prevented (劝阻)",
               "avoided": "losses avoided"}


def summary(view: KGView, keep: set[str]) -> dict:
    """Counts per type, cases per crime type, money lost and recovered, and recovered money by
    kind (of the shown nodes)."""
    shown = [view.nodes[v] for v in keep]
    cases = [n for n in shown if n.type == "Case"]
    lost = sum((n.amount_lost for n in cases if n.amount_lost is not None), Decimal(0))
    recovered = sum((n.amount_recovered for n in cases if n.amount_recovered is not None), Decimal(0))
    kept = {k: sum((n.kept[k] for n in cases if k in n.kept), Decimal(0)) for k in MONEY_KINDS}
    return {
        "types": sorted(Counter(n.type for n in shown).items(), key=lambda kv: list(STYLE).index(kv[0])),
        "crimes": sorted(Counter(n.crime_type or "?" for n in cases).items(), key=lambda kv: (-kv[1], kv[0])),
        "lost": _yuan(lost), "recovered": _yuan(recovered),
        "kept": [[MONEY_KINDS[k], _yuan(v)] for k, v in kept.items() if v],
    }
