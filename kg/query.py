"""SPARQL over a built graph: load it into an embedded store, run a query (or a named one
shipped in ``kg/queries`` with its parameters bound), format results."""
from __future__ import annotations

import csv
import io
import json
import re
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
    from .serialize import PREFIXES
    declared = {m.lower() for m in re.findall(r"(?im)^\s*PREFIX\s+([\w-]*):", query)}
    # one line, so that line numbers in parser errors still match the user's query
    head = "".join(f"PREFIX {p}: <{iri}> " for p, iri in PREFIXES.items() if p.lower() not in declared)
    return head + query


# ---------------------------------------------------------------------------- named queries
# A named query is a .rq file in kg/queries whose first comment lines say what it is:
#   # name: cases-by-crime-type
#   # description: one line
#   # param: crime string (optional) only this crime type
# Parameters are bound as RDF terms through pyoxigraph's substitutions, never pasted into
# the text. pyoxigraph substitutes only variables of the SELECT projection and not inside
# sub-queries, and BOUND() does not see a substituted value: so a query projects its
# parameters (run_named drops those columns again) and tests an optional one with
# COALESCE(... ?param ..., true).

PARAM_TYPES = ("string", "integer", "decimal", "date", "iri")
_HEADER = re.compile(r"^#\s*(name|description|param):\s*(.*?)\s*$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str

    @property
    def optional(self) -> bool:
        return self.description.startswith("(optional)")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: str


def parse_named(text: str, path: str = "<query>") -> NamedQuery:
    """A named query from the text of a .rq file with its header comments."""
    name = description = None
    params: list[Param] = []
    for n, line in enumerate(text.splitlines(), 1):
        m = _HEADER.match(line.strip())
        if not m:
            if line.strip() and not line.lstrip().startswith("#"):
                break
            continue
        key, value = m.groups()
        if key == "name":
            name = value
        elif key == "description":
            description = value
        else:
            pname, _, rest = value.partition(" ")
            ptype, _, pdesc = rest.strip().partition(" ")
            if ptype not in PARAM_TYPES:
                raise QueryError(f"parameter {pname!r} has unknown type {ptype!r}", path=path, line=n,
                                 hint="use " + ", ".join(PARAM_TYPES))
            params.append(Param(pname, ptype, pdesc.strip()))
    if not name or not description:
        raise QueryError("a named query starts with '# name: …' and '# description: …' lines", path=path)
    return NamedQuery(name, description, tuple(params), text, path)


def named_queries() -> dict[str, NamedQuery]:
    """The queries shipped in kg/queries, by name."""
    import importlib.resources
    out = {}
    for res in sorted(importlib.resources.files("kg.queries").iterdir(), key=lambda r: r.name):
        if res.name.endswith(".rq"):
            q = parse_named(res.read_text(encoding="utf-8"), path=f"kg/queries/{res.name}")
            out[q.name] = q
    return out


def get_named(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"no named query {name!r}", hint="kg query --list shows them")
    return queries[name]


def bind_params(query: NamedQuery, values: dict[str, str]) -> dict:
    """Parameter values (text) as pyoxigraph substitutions of RDF terms."""
    known = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise QueryError(f"query {query.name!r} has no parameter {unknown[0]!r}",
                         hint="its parameters: " + (", ".join(known) or "none"))
    missing = [p.name for p in query.params if not p.optional and p.name not in values]
    if missing:
        raise QueryError(f"query {query.name!r} needs --param {missing[0]}=…")
    return {ox.Variable(k): _term(known[k], v, query.name) for k, v in values.items()}


def _term(param: Param, value: str, query: str):
    xsd = "http://www.w3.org/2001/XMLSchema#"
    checks = {"integer": r"[+-]?\d+", "decimal": r"[+-]?(\d+(\.\d*)?|\.\d+)", "date": r"\d{4}-\d{2}-\d{2}"}
    if param.type in checks and not re.fullmatch(checks[param.type], value.strip()):
        raise QueryError(f"parameter {param.name!r} of query {query!r} must be {param.type}, not {value!r}")
    if param.type == "iri":
        try:
            return ox.NamedNode(value.strip())
        except ValueError as e:
            raise QueryError(f"parameter {param.name!r} of query {query!r} is not an IRI: {e}") from None
    if param.type == "string":
        return ox.Literal(value)
    return ox.Literal(value.strip(), datatype=ox.NamedNode(xsd + param.type))


def run_named(store: ox.Store, name: str, params: Optional[dict[str, str]] = None) -> Result:
    """Run a shipped named query with its parameters bound; the parameter columns that
    binding needs are left out of the result."""
    query = get_named(name)
    bindings = bind_params(query, dict(params or {}))
    result = run(store, with_prefixes(query.text), bindings)
    hidden = {p.name for p in query.params}
    keep = [i for i, v in enumerate(result.variables) if v not in hidden]
    return Result(variables=[result.variables[i] for i in keep],
                  rows=[[row[i] for i in keep] for row in result.rows], boolean=result.boolean)
