"""``kg query``: SPARQL over a built graph or a store."""
from __future__ import annotations

from pathlib import Path

import click

from . import main


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("query", required=False)
@click.option("--file", "-f", "query_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the query from a .rq file.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True, help="Output format.")
def query(source, query, query_file, fmt):
    """Run a SPARQL query against SOURCE (a kg.ttl file or a store folder).

    Example: kg query outputs/kg.ttl 'SELECT ?u WHERE { ?u a fkg:PoliceUnit }'
    (the fkg, fkgr, rdfs, skos, prov, xsd and geo prefixes are predeclared).
    """
    from ..query import format_result, load_store, run, with_prefixes
    from ..errors import QueryError
    if query_file is not None:
        text = query_file.read_text(encoding="utf-8")
    elif query:
        text = query
    else:
        raise QueryError("give a query as an argument or with --file")
    store = load_store(source)
    click.echo(format_result(run(store, with_prefixes(text)), fmt))
