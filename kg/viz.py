"""The HTML explorer: one self-contained page showing the entities and cases of a graph.

pyvis holds the network (its node and edge lists and vis-network options) and ships
vis-network; the page itself is our template (``viz_assets/``), because pyvis's own always
loads Bootstrap from a CDN. Everything is inlined — vis-network, our scripts (joined into
one) and styles, the province outlines of the map, the data — so opening the file makes no
network request. What the data holds is :mod:`kg.viz_data`'s business.

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
import re
from pathlib import Path
from typing import Iterable, Optional

from .analysis import KGView, read_view
from .serialize import atomic_path
from .viz_data import SIZE_MEASURES, STYLE, explorer_data, summary

__all__ = ["SIZE_MEASURES", "STYLE", "explorer_data", "explorer_html", "json_for_html", "render",
           "summary", "write_html"]


def write_html(triples: Iterable[tuple] | KGView, path: Path | str, *, focus: Optional[str] = None,
               hops: int = 2, size: str = "degree", title: str = "FraudKG explorer") -> Path:
    """Write the explorer for ``triples`` (rdflib terms, or a view already read) to ``path``;
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


# the page's own scripts, joined in this order inside one function (they share its names)
APP_SCRIPTS = ("explorer.js", "panel.js", "filters.js", "paths.js", "map.js", "timeline.js", "export.js")


def app_script() -> str:
    return "(function () {\n" + "\n".join(_asset(n) for n in APP_SCRIPTS) + "\n})();\n"


def render(data: dict, title: str) -> str:
    """Fill the page template; one pass, so inserted text is never scanned for markers."""
    parts = {
        "title": html.escape(title),
        "vis_css": _pyvis_lib("vis-network.css").replace("</", "<\\/"),
        "style": _asset("explorer.css"),
        "vis_js": _inline_script(_pyvis_lib("vis-network.min.js")),
        "app_js": _inline_script(app_script()),
        "data": json_for_html(data),
        # province outlines from echarts' China map (tools/china_outlines.py says how)
        "outlines": json_for_html(json.loads(_asset("china_provinces.json"))),
    }
    # only these two scripts may run: an injected script or event handler would be refused
    parts["script_hashes"] = " ".join(_csp_hash(parts[k]) for k in ("vis_js", "app_js"))
    return re.sub(r"{{(\w+)}}", lambda m: parts[m.group(1)], _asset("explorer.html"))
