"""SPARQL over a built graph: load it into an embedded store, run a query (or a named one
shipped in ``kg/queries`` with its parameters bound), format results."""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import chain
from pathlib import Path
from typing import Optional, Sequence

import pyoxigraph as ox

from .errors import InputError, QueryError

RDF_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
                ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML,
                ".owl": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML}


def load_store(source: Path | str) -> ox.Store:
    """An in-memory store holding an RDF file, or the persistent store in a folder."""
    path = Path(source)
    if path.is_dir():
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as e:
            from .store import store_fault
            fault = store_fault(e, path) if isinstance(e, RuntimeError) or (path / "CURRENT").is_file() else None
            if fault is not None:
                raise fault from None
            raise InputError(f"is not a FraudKG store: {e}", path=str(path)) from None
    if not path.is_file():
        raise InputError("does not exist", path=str(path), hint="give a kg.ttl file or a store folder")
    fmt = RDF_FORMATS.get(path.suffix.lower())
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


def _execute(store: ox.Store, query: str, bindings: Optional[dict]):
    from .querylimits import check_query
    check_query(query)          # a query too deep for the parser kills the process, not raises
    try:
        return store.query(query, substitutions=bindings or None, use_default_graph_as_union=True)
    except SyntaxError as e:
        raise QueryError(f"malformed SPARQL query: {e}") from None
    except OSError as e:
        raise QueryError(f"query failed: {e}") from None


def run(store: ox.Store, query: str, bindings: Optional[dict] = None) -> Result:
    """Run a SPARQL query; a malformed one raises :class:`QueryError` with the parser's message."""
    res = _execute(store, query, bindings)
    if isinstance(res, ox.QueryBoolean):
        return Result(variables=["ask"], rows=[[str(bool(res)).lower()]], boolean=bool(res))
    if isinstance(res, ox.QuerySolutions):
        variables, cells = _cells(res)
        return Result(variables=variables, rows=_texts(cells))
    triples = list(res)
    return Result(variables=["subject", "predicate", "object"],
                  rows=[[term_text(t.subject), term_text(t.predicate), term_text(t.object)] for t in triples],
                  graph=triples)


# Rows are read as SPARQL TSV, which pyoxigraph writes in Rust: faster than a Python object
# for every term (2,886 rows × 7 values for reported-figures), and each distinct cell (a
# unit's label repeats in many rows) is turned into text once.
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_ESCAPED = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _cells(res: ox.QuerySolutions) -> tuple[list[str], list[list[str]]]:
    """The variables and each row's values in TSV syntax ("" when unbound)."""
    variables = [v.value for v in res.variables]
    lines = res.serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8").split("\n")[1:-1]
    return variables, [line.split("\t") if variables else [] for line in lines]


def _texts(cells: list[list[str]]) -> list[list[Optional[str]]]:
    """The text of each TSV value (as :func:`term_text` gives it)."""
    text = {c: _cell_text(c) for c in set(chain.from_iterable(cells))}
    return [list(map(text.__getitem__, row)) for row in cells]


def _cell_text(cell: str) -> Optional[str]:
    if not cell:
        return None
    if cell[0] == '"':
        value = cell[1:cell.rindex('"')]
        return _ESCAPE.sub(_unescape, value) if "\\" in value else value
    if cell[0] == "<" and not cell.startswith("<<"):
        return cell[1:-1]
    return cell             # a number or boolean written short, a blank node (_:id)


def _unescape(m: re.Match) -> str:
    return _ESCAPED.get(m.group(3), m.group(0)) if m.group(3) is not None else chr(int(m.group(1) or m.group(2), 16))


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
#   # values: crime from SELECT ?v WHERE { ?c skos:prefLabel ?v }     (or: # values: level a b c)
# It is standard SPARQL 1.1 that runs as it is on any store, with its parameters unbound. A
# parameter is used through slots "VALUES ?crime { UNDEF }" in the query (in every group
# that needs it, sub-queries included); binding a value puts the RDF term, written as
# pyoxigraph writes it (quotes and backslashes escaped), in place of UNDEF. The same text
# then runs on pyoxigraph, rdflib, kg serve, Virtuoso or any other SPARQL 1.1 engine. A
# "values" line lists the values a parameter may take, or the query (one variable) that
# finds them in the graph; any other value is an error that lists them.

PARAM_TYPES = ("string", "integer", "decimal", "date", "iri")
_HEADER = re.compile(r"^#\s*(name|description|param|values):\s*(.*?)\s*$")


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
    choices: tuple[tuple[str, str], ...] = ()   # (parameter, "a b c" or "from SELECT …")


def _slot(name: str) -> re.Pattern:
    return re.compile(rf"VALUES\s+\?{re.escape(name)}\s*\{{\s*UNDEF\s*\}}", re.IGNORECASE)


def parse_named(text: str, path: str = "<query>") -> NamedQuery:
    """A named query from the text of a .rq file with its header comments."""
    name = description = None
    params: list[Param] = []
    choices: list[tuple[str, str]] = []
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
        elif key == "values":
            pname, _, rest = value.partition(" ")
            choices.append((pname, rest.strip()))
        else:
            pname, _, rest = value.partition(" ")
            ptype, _, pdesc = rest.strip().partition(" ")
            if ptype not in PARAM_TYPES:
                raise QueryError(f"parameter {pname!r} has unknown type {ptype!r}", path=path, line=n,
                                 hint="use " + ", ".join(PARAM_TYPES))
            params.append(Param(pname, ptype, pdesc.strip()))
    if not name or not description:
        raise QueryError("a named query starts with '# name: …' and '# description: …' lines", path=path)
    for p in params:
        if not _slot(p.name).search(text):
            raise QueryError(f"parameter {p.name!r} is never used", path=path,
                             hint=f"put 'VALUES ?{p.name} {{ UNDEF }}' where the query needs its value")
    unknown = {c for c, _ in choices} - {p.name for p in params}
    if unknown:
        raise QueryError(f"'# values:' names no parameter of the query: {sorted(unknown)[0]!r}", path=path)
    return NamedQuery(name, description, tuple(params), text, path, tuple(choices))


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


def bind_text(query: NamedQuery, values: dict[str, str]) -> str:
    """The text of ``query`` with each given parameter's term in its VALUES slots: standard
    SPARQL 1.1 that any engine runs (parameters not given stay UNDEF)."""
    text = query.text
    for var, term in bind_params(query, values).items():
        text = _slot(var.value).sub(lambda m, v=var.value, w=str(term): f"VALUES ?{v} {{ {w} }}", text)
    return text


def allowed_values(store: ox.Store, query: NamedQuery, param: str) -> Optional[list[str]]:
    """The values ``param`` of ``query`` may take (from its '# values:' line), or None when any may."""
    for name, spec in query.choices:
        if name == param:
            if spec.startswith("from "):
                res = run(store, with_prefixes(spec[5:]))
                return sorted({row[0] for row in res.rows if row and row[0] is not None})
            return spec.split()
    return None


def check_values(store: ox.Store, query: NamedQuery, values: dict[str, str]) -> None:
    """Refuse a parameter value that is not among those the query lists, naming them."""
    for name, value in values.items():
        allowed = allowed_values(store, query, name)
        if allowed is not None and value not in allowed:
            shown = "、".join(allowed[:40]) + (f" … ({len(allowed)} in all)" if len(allowed) > 40 else "")
            raise QueryError(f"{name}={value!r} is not a value of query {query.name!r}",
                             hint=f"use one of: {shown}" if allowed else "the graph has none")


def run_named(store: ox.Store, name: str, params: Optional[dict[str, str]] = None) -> Result:
    """Run a shipped named query with its parameters bound (:func:`bind_text`); a column of
    the same name as a parameter is left out. Its final ORDER BY is applied here (see
    :func:`split_order`), unless the values cannot be ordered exactly as SPARQL orders them."""
    query = get_named(name)
    params = dict(params or {})
    text = with_prefixes(bind_text(query, params))
    check_values(store, query, params)
    body, keys = split_order(text)
    res = _execute(store, body, None)
    hidden = {p.name for p in query.params}
    if isinstance(res, ox.QuerySolutions):
        variables, cells = _cells(res)
        order = order_rows(variables, cells, keys) if keys else range(len(cells))
        if order is not None:
            keep = [i for i, v in enumerate(variables) if v not in hidden]
            return Result(variables=[variables[i] for i in keep],
                          rows=_texts([[row[i] for i in keep] for row in map(cells.__getitem__, order)]))
    result = run(store, text)
    keep = [i for i, v in enumerate(result.variables) if v not in hidden]
    return Result(variables=[result.variables[i] for i in keep],
                  rows=[[row[i] for i in keep] for row in result.rows], boolean=result.boolean)


# ---------------------------------------------------------------------------- ORDER BY in Python
# pyoxigraph's ORDER BY turns both values back into strings at every comparison, and on a
# store on disk each string is a look-up in RocksDB (2–4 µs): ordering the 2,886 rows of
# reported-figures by three labels took 140 ms. run_named runs a named query without its
# final ORDER BY and sorts the rows here, by the same keys in pyoxigraph's order: unbound
# < blank node < IRI < literal; numbers by value; strings by code point, then language tag
# ("a"@en < "a"@zh < "a"). Rows the keys leave tied stay in the order the engine gave them,
# as they did under its own sort. A key column whose literals are not all of one kind
# (numbers with strings, dates, booleans) is not ordered here: the query then runs again
# with its ORDER BY.

_KEY = r"(?:(?:ASC|DESC)\s*\(\s*\?\w+\s*\)|\?\w+)"
_FINAL_ORDER = re.compile(rf"(?:^|\n)[ \t]*ORDER[ \t]+BY((?:\s+{_KEY})+)\s*\Z", re.IGNORECASE)
_XSD = "http://www.w3.org/2001/XMLSchema#"
_EXACT = frozenset(_XSD + t for t in (
    "integer", "decimal", "long", "int", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"))
_FLOATING = frozenset((_XSD + "float", _XSD + "double"))
_SHORT_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def split_order(query: str) -> tuple[str, list[tuple[str, bool]]]:
    """The query without a final ``ORDER BY ?a DESC(?b) …`` line, and its keys as
    (variable, descending); the query unchanged and no keys when it ends otherwise
    (other expressions, LIMIT or OFFSET after it, a comment)."""
    m = _FINAL_ORDER.search(query)
    if not m:
        return query, []
    keys = re.findall(r"(ASC|DESC)?\s*\(?\s*\?(\w+)", m.group(1), re.IGNORECASE)
    return query[:m.start()] + "\n", [(var, how.upper() == "DESC") for how, var in keys]


def order_rows(variables: list[str], cells: list[list[str]], keys: list[tuple[str, bool]]) -> Optional[list[int]]:
    """The order (row indices) in which SPARQL's ORDER BY ``keys`` puts rows of TSV values;
    None when a key is not a column or its values cannot be ordered here."""
    index = {v: i for i, v in enumerate(variables)}
    if any(var not in index for var, _ in keys):
        return None
    order = list(range(len(cells)))
    for var, descending in reversed(keys):       # stable sorts, the last key first
        column = _sort_keys([row[index[var]] for row in cells])
        if column is None:
            return None
        order.sort(key=column.__getitem__, reverse=descending)
    return order


def _sort_keys(cells: list[str]) -> Optional[list[tuple]]:
    known = {c: _sort_key(c) for c in set(cells)}   # a unit or a period comes back in many rows
    if any(key is None for _, key in known.values()) or len({k for k, _ in known.values()} - {None}) > 1:
        return None
    return [known[c][1] for c in cells]


def _sort_key(cell: str) -> tuple[object, Optional[tuple]]:
    """(kind of literal or None, sort key or None when not ordered here) of a TSV value."""
    if not cell:
        return None, (0,)
    if cell.startswith("_:"):
        return None, (1, cell[2:])
    if cell.startswith("<"):
        return None, (None if cell.startswith("<<") else (2, cell[1:-1]))
    if not cell.startswith('"'):
        if not _SHORT_NUMBER.fullmatch(cell):
            return None, None                    # true, false
        return ("float" if "e" in cell.lower() else "exact"), (3, Decimal(cell))
    end = cell.rindex('"')
    text, tail = _cell_text(cell), cell[end + 1:]
    if not tail:
        return "string", (3, text, 1)
    if tail.startswith("@"):                        # by text, then language; "a"@zh before "a"
        return "string", (3, text, 0, tail[1:])
    datatype = tail[3:-1]                           # ^^<…>
    if datatype == _XSD + "string":
        return "string", (3, text, 1)
    if datatype not in _EXACT and datatype not in _FLOATING:
        return None, None
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None, None
    kind = "float" if datatype in _FLOATING else "exact"
    return kind, (None if number.is_nan() else (3, number))
