"""SPARQL over a built graph: load it into an embedded store, run a query, format results."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import pyoxigraph as ox

from .errors import InputError, QueryError

_RDF_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
                ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML,
                ".owl": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML}


def load_store(source: Path | str) -> ox.Store:
    """An in-memory store holding an RDF file, or the persistent store in a folder."""
    path = Path(source)
    if path.is_dir():
        try:
            return ox.Store.read_only(str(path))
        except OSError as e:
            raise InputError(f"is not a FraudKG store: {e}", path=str(path)) from None
    if not path.is_file():
        raise InputError("does not exist", path=str(path), hint="give a kg.ttl file or a store folder")
    fmt = _RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"unknown RDF format {path.suffix!r}", path=str(path),
                         hint="use .ttl, .nt, .nq, .trig, .jsonld or .rdf")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except SyntaxError as e:
        raise InputError(f"is not valid RDF: {e}", path=str(path)) from None
    return store


@dataclass
class Result:
    variables: list[str]
    rows: list[list[Optional[str]]]     # plain text of each term (None when unbound)
    boolean: Optional[bool] = None      # for ASK
    graph: Optional[list] = None        # triples for CONSTRUCT/DESCRIBE


def term_text(term) -> Optional[str]:
    if term is None:
        return None
    if isinstance(term, (ox.NamedNode, ox.BlankNode)):
        return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"
    return term.value


def run(store: ox.Store, query: str, bindings: Optional[dict] = None) -> Result:
    """Run a SPARQL query; a malformed one raises :class:`QueryError` with the parser's message."""
    try:
        res = store.query(query, substitutions=bindings or None, use_default_graph_as_union=True)
    except SyntaxError as e:
        raise QueryError(f"malformed SPARQL query: {e}") from None
    except OSError as e:
        raise QueryError(f"query failed: {e}") from None
    if isinstance(res, ox.QueryBoolean):
        return Result(variables=["ask"], rows=[[str(bool(res)).lower()]], boolean=bool(res))
    if isinstance(res, ox.QuerySolutions):
        names = [v.value for v in res.variables]
        rows = [[term_text(sol[n]) for n in names] for sol in res]
        return Result(variables=names, rows=rows)
    triples = list(res)
    return Result(variables=["subject", "predicate", "object"],
                  rows=[[term_text(t.subject), term_text(t.predicate), term_text(t.object)] for t in triples],
                  graph=triples)


def format_result(result: Result, fmt: str = "table") -> str:
    """Results as an aligned text table, CSV, TSV or JSON (SPARQL 1.1 results shape)."""
    if fmt == "json":
        if result.boolean is not None:
            return json.dumps({"head": {}, "boolean": result.boolean})
        return json.dumps({"head": {"vars": result.variables},
                           "results": {"bindings": [
                               {v: {"value": x} for v, x in zip(result.variables, row) if x is not None}
                               for row in result.rows]}}, ensure_ascii=False, indent=1)
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        w = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        w.writerow(result.variables)
        for row in result.rows:
            w.writerow(["" if x is None else x for x in row])
        return buf.getvalue().rstrip("\n")
    return _table(result.variables, result.rows)


def _width(s: str) -> int:
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _table(headers: Sequence[str], rows: Sequence[Sequence[Optional[str]]]) -> str:
    cells = [[("" if x is None else str(x)).replace("\n", " ") for x in r] for r in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(vals):
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(vals, widths)).rstrip()

    out = [line(headers), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def with_prefixes(query: str) -> str:
    """The query with FraudKG's usual prefixes declared, unless it declares them itself."""
    import re
    from .serialize import PREFIXES
    declared = {m.lower() for m in re.findall(r"(?im)^\s*PREFIX\s+([\w-]*):", query)}
    # one line, so that line numbers in parser errors still match the user's query
    head = "".join(f"PREFIX {p}: <{iri}> " for p, iri in PREFIXES.items() if p.lower() not in declared)
    return head + query
