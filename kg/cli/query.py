"""``kg query``: SPARQL over a built graph or a store, or one of the shipped named questions."""
from __future__ import annotations

from pathlib import Path

import click

from . import main


def _params(values: tuple[str, ...]) -> dict[str, str]:
    from ..errors import QueryError
    out = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param takes key=value, not {item!r}")
        out[key.strip()] = value
    return out


@main.command()
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.argument("query", required=False)
@click.option("--file", "-f", "query_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the query from a .rq file.")
@click.option("--name", "-n", "name", help="Run a shipped named query (see --list).")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the named query, bound as an RDF term (repeatable).")
@click.option("--list", "list_", is_flag=True, help="List the named queries with their parameters.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True, help="Output format.")
def query(source, query, query_file, name, params, list_, fmt):
    """Run a SPARQL query against SOURCE (a kg.ttl file or a store folder).

    \b
    Example: kg query outputs/kg.ttl 'SELECT ?u WHERE { ?u a fkg:PoliceUnit }'
             kg query outputs/kg.ttl --name entity --param name=杭州市
             kg query --list
    (the fkg, fkgr, rdfs, skos, prov, xsd and geo prefixes are predeclared).
    """
    from ..errors import QueryError
    from ..query import format_result, load_store, named_queries, run, run_named, with_prefixes
    from ..querylimits import call_with_stack   # pyoxigraph recurses on the stack: give it room
    if list_:
        click.echo(_listing(named_queries()))
        return
    if source is None:
        raise QueryError("give SOURCE, the kg.ttl file or store folder to query")
    if name is not None:
        if query is not None or query_file is not None:
            raise QueryError("give either --name or a query, not both")
        click.echo(format_result(call_with_stack(run_named, load_store(source), name, _params(params)), fmt))
        return
    if params:
        raise QueryError("--param goes with --name")
    if query_file is not None:
        text = query_file.read_text(encoding="utf-8")
    elif query:
        text = query
    else:
        raise QueryError("give a query as an argument, with --file, or --name (kg query --list)")
    store = load_store(source)
    click.echo(format_result(call_with_stack(run, store, with_prefixes(text)), fmt))


def _listing(queries) -> str:
    lines = []
    for q in queries.values():
        lines.append(f"{q.name}\n    {q.description}")
        for p in q.params:
            lines.append(f"    --param {p.name}=<{p.type}>  {p.description}")
    return "\n".join(lines)
