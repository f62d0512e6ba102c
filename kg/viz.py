"""The HTML explorer: one self-contained page showing the entities and cases of a graph.

pyvis holds the network (its node and edge lists and vis-network options) and ships
vis-network; the page itself is our template (``viz_assets/``), because pyvis's own always
loads Bootstrap from a CDN. Everything is inlined — vis-network, our script and styles,
the data — so opening the file makes no network request.

Safety: article text is hostile input. The data is embedded as JSON inside a
``<script type="application/json">`` element with ``<``, ``>``, ``&`` and U+2028/9
escaped, and the page builds every piece of text with ``textContent``, never ``innerHTML``.
A Content-Security-Policy lets only our two scripts run (by hash) and forbids every fetch.
"""
from __future__ import annotations

import base64
import hashlib
import html
import importlib.resources
import json
import math
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Optional

from .analysis import KGView, betweenness, ego_graph, entity_graph, pagerank, read_view
from .errors import QueryError
from .layout import layout
from .serialize import atomic_path

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


def write_html(triples: Iterable[tuple], path: Path | str, *, focus: Optional[str] = None,
               hops: int = 2, size: str = "degree", title: str = "FraudKG explorer") -> Path:
    """Write the explorer for ``triples`` (rdflib terms, or their :class:`KGView`) to ``path``;
    with ``focus``, only the nodes within ``hops`` relations of the entities named so."""
    view = triples if isinstance(triples, KGView) else read_view(triples)
    page = explorer_html(view, focus=focus, hops=hops, size=size, title=title)
    path = Path(path)
    with atomic_path(path) as tmp:     # a killed build leaves the previous page intact
        tmp.write_bytes(page.encode("utf-8"))
    return path


def explorer_html(view: KGView, *, focus: Optional[str] = None, hops: int = 2,
                  size: str = "degree", title: str = "FraudKG explorer") -> str:
    """The explorer page for a view of the graph, as one HTML string."""
    data = explorer_data(view, focus=focus, hops=hops, size=size)
    return render(data, title)


def explorer_data(view: KGView, *, focus: Optional[str] = None, hops: int = 2,
                  size: str = "degree") -> dict:
    """What the page needs: pyvis's node and edge lists with positions, the side-panel
    details, the legend and the summary."""
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
    sentence_ids: dict[str, int] = {}      # each sentence once; edges point to it by index
    for e in edges:
        e["ev"] = [sentence_ids.setdefault(s, len(sentence_ids)) for s in e.pop("sentences")]
    sentences = sorted(sentence_ids, key=sentence_ids.get)
    return {
        "nodes": nodes, "edges": edges, "sentences": sentences, "options": json.loads(options),
        "details": {n["id"]: _details(view.nodes[n["iri"]]) for n in nodes},
        "types": [{"type": t, "color": c, "shape": s, "name": name} for t, (c, s, name) in STYLE.items()],
        "summary": summary(view, set(g)),
        "focus": focus,
    }


def _network(view: KGView, g, size: str):
    """A pyvis Network with our nodes and edges, filled directly (``add_node`` checks for
    duplicates in a list, which is quadratic) and physics off: positions come from Python."""
    from pyvis.network import Network
    net = Network(directed=True, cdn_resources="in_line")
    measure = _measure(g, size)
    top = max(measure.values(), default=0) or 1
    pos = layout(g)
    ids = {v: i for i, v in enumerate(sorted(g, key=lambda v: (view.nodes[v].type, view.nodes[v].label, v)))}
    for v, i in ids.items():
        n = view.nodes[v]
        colour, shape, _ = STYLE[n.type]
        x, y = pos[v]
        net.nodes.append({
            "id": i, "iri": v, "label": _short(n.label), "kind": n.type,
            "crime": (n.crime_type or "?") if n.type == "Case" else None,
            "names": n.names, "color": colour, "shape": shape, "x": x, "y": y,
            "size": round(8 + 22 * math.sqrt(measure.get(v, 0) / top), 1), "font": {"size": 14},
        })
        net.node_ids.append(i)
        net.node_map[i] = net.nodes[-1]
    for e in view.edges:
        if e.source in ids and e.target in ids and e.source != e.target:
            net.edges.append({"from": ids[e.source], "to": ids[e.target], "label": e.relation,
                              "arrows": "to", "sentences": list(e.sentences)})
    net.toggle_physics(False)
    net.options.edges.smooth.enabled = False   # straight edges draw fast at thousands of nodes
    return net


def _measure(g, size: str) -> dict:
    if size == "pagerank":
        return pagerank(g)
    if size == "betweenness":
        return betweenness(g)[0]
    return dict(g.degree())


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_MAX else label[:_LABEL_MAX - 1] + "…"


def _details(n) -> dict:
    out = {"label": n.label, "type": n.type, "articles": n.articles}
    if n.type == "Case":
        out["crime"] = n.crime_type
        out["lost"] = _yuan(n.amount_lost)
        out["recovered"] = _yuan(n.amount_recovered)
    return out


def _yuan(x: Optional[Decimal]) -> Optional[str]:
    if x is None:
        return None
    return f"{x:,.2f}".rstrip("0").rstrip(".") + " 元"


def summary(view: KGView, keep: set[str]) -> dict:
    """Counts per type, cases per crime type, money lost and recovered (of the shown nodes)."""
    shown = [view.nodes[v] for v in keep]
    cases = [n for n in shown if n.type == "Case"]
    lost = sum((n.amount_lost for n in cases if n.amount_lost is not None), Decimal(0))
    recovered = sum((n.amount_recovered for n in cases if n.amount_recovered is not None), Decimal(0))
    return {
        "types": sorted(Counter(n.type for n in shown).items(), key=lambda kv: list(STYLE).index(kv[0])),
        "crimes": sorted(Counter(n.crime_type or "?" for n in cases).items(), key=lambda kv: (-kv[1], kv[0])),
        "lost": _yuan(lost), "recovered": _yuan(recovered),
    }


# ---------------------------------------------------------------------------- rendering
def _asset(name: str) -> str:
    return importlib.resources.files("kg").joinpath("viz_assets", name).read_text(encoding="utf-8")


def _pyvis_lib(name: str) -> str:
    import pyvis
    return (Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")


def json_for_html(obj) -> str:
    """JSON safe inside a <script> element: no ``<``, ``>``, ``&``, U+2028 or U+2029."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _inline_script(code: str) -> str:
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)


def _csp_hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


def render(data: dict, title: str) -> str:
    """Fill the page template; one pass, so inserted text is never scanned for markers."""
    parts = {
        "title": html.escape(title),
        "vis_css": _pyvis_lib("vis-network.css").replace("</", "<\\/"),
        "style": _asset("explorer.css"),
        "vis_js": _inline_script(_pyvis_lib("vis-network.min.js")),
        "app_js": _inline_script(_asset("explorer.js")),
        "data": json_for_html(data),
    }
    # only these two scripts may run: an injected script or event handler would be refused
    parts["script_hashes"] = " ".join(_csp_hash(parts[k]) for k in ("vis_js", "app_js"))
    return re.sub(r"{{(\w+)}}", lambda m: parts[m.group(1)], _asset("explorer.html"))
