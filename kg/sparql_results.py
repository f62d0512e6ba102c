"""SPARQL query results as the W3C formats (JSON, XML, CSV, TSV), with a row limit.

pyoxigraph serialises whole result sets; an endpoint that caps the size of an answer needs
to stop after ``max_rows`` solutions and still write a valid document, so the four result
formats are written here from the solutions themselves.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Optional, Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .ns import XSD

SELECT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS, "application/trig": ox.RdfFormat.TRIG,
}
MEDIA_TYPE = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
              "csv": "text/csv", "tsv": "text/tab-separated-values"}
_XSD_STRING = str(XSD.string)
_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


def negotiate(accept: Optional[str], offered: Sequence[str]) -> Optional[str]:
    """The offered media type the ``Accept`` header prefers (the first offered for ``*/*`` or none);
    None when the client accepts none of them."""
    if not accept or not accept.strip():
        return offered[0]
    ranked = []
    for n, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, n, media))
    for _, _, media in sorted(ranked):
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            prefix = media.split("/")[0]
            for o in offered:
                if media == "*/*" or o.startswith(prefix + "/"):
                    return o
    return None


def _json_term(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != _XSD_STRING:
            d["datatype"] = t.datatype.value
        return d
    return {"type": "triple", "value": str(t)}


def _xml_term(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if t.language:
        return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
    if t.datatype.value != _XSD_STRING:
        return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
    return f"<literal>{escape(t.value)}</literal>"


def _csv_term(t) -> str:
    if t is None:
        return ""
    return f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value


def solutions(variables: Sequence[str], rows: Sequence[Sequence], fmt: str) -> bytes:
    """SELECT results (rows of pyoxigraph terms or None) in ``fmt``: json, xml, csv or tsv."""
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = [f'<?xml version="1.0"?>\n<sparql xmlns="{_RESULTS_NS}"><head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head><results>")
        for row in rows:
            out.append("<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                            for v, t in zip(variables, row) if t is not None) + "</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        w.writerows([_csv_term(t) for t in row] for row in rows)
        return buf.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown results format {fmt!r}")


def boolean(value: bool, fmt: str) -> bytes:
    """An ASK answer in ``fmt`` (CSV and TSV as a one-column table, as Jena writes them)."""
    text = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="{_RESULTS_NS}"><head/>'
                f"<boolean>{text}</boolean></sparql>\n").encode("utf-8")
    return f"_askResult\n{text}\n".encode("utf-8")
