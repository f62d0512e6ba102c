"""``kg serve``, ``kg push``, ``kg export``: the graph as a SPARQL endpoint, sent to another
endpoint, or written out in another format."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import main


@main.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--port", default=7878, show_default=True, help="TCP port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; the default answers this machine only.")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds after which a query is stopped.")
@click.option("--memory", "memory_mb", default=1024, show_default=True, type=click.IntRange(64),
              help="Megabytes each query worker may allocate; a query needing more is stopped.")
@click.option("--max-rows", default=100_000, show_default=True, help="Results are cut after this many rows.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1),
              help="Queries evaluated at the same time.")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Let web pages from ORIGIN (https://host:port, or * for any) read answers (repeatable).")
@click.option("--allow-service", "allow_service", multiple=True, metavar="HOST",
              help="Let SERVICE clauses query the SPARQL endpoint on HOST (repeatable); refused otherwise.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests made to NAME (a DNS name of this machine; repeatable).")
@click.option("--quiet", "-q", is_flag=True, help="Do not log requests.")
def serve(source, port, host, timeout, memory_mb, max_rows, workers, cors, allow_service, allow_hosts, quiet):
    """Serve SOURCE (a store folder or an RDF file) as a read-only SPARQL 1.1 endpoint.

    \b
    Example: kg serve store --port 7878   (query page at http://127.0.0.1:7878/,
             endpoint at /sparql; updates are refused)
    Safe by default: this machine only, no CORS, no SERVICE; see SECURITY.md.
    """
    import signal

    from ..serve import SparqlServer

    def stop(signum, frame):      # SIGTERM and SIGHUP stop it as Ctrl+C does, cleaning up
        raise SystemExit(0)

    log = None if quiet else (lambda line: click.echo(line, err=True))
    server = SparqlServer(source, host=host, port=port, timeout=timeout, max_rows=max_rows,
                          workers=workers, memory_mb=memory_mb, cors=cors, allow_service=allow_service,
                          allow_hosts=allow_hosts, log=log)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"Warning: listening on {host}: anyone who can reach this address can query the graph.",
                   err=True)
    if "*" in cors:
        click.echo("Warning: --cors '*': any web page the user visits can read this graph.", err=True)
    click.echo(f"SPARQL endpoint {server.url}/sparql — query page {server.url}/ — Ctrl+C to stop", err=True)
    server.serve_forever()


@main.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--endpoint", required=True,
              help="Graph Store Protocol URL (for Oxigraph: http://HOST:PORT/store).")
@click.option("--graph", default=None, help="Send everything into this one graph instead of graph by graph.")
@click.option("--user", default=None, help="User name for HTTP basic authentication.")
@click.option("--password", default=None, envvar="KG_PUSH_PASSWORD",
              help="Password (or set KG_PUSH_PASSWORD).")
@click.option("--state", "state_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to remember what was sent (default: beside SOURCE).")
@click.option("--force", is_flag=True, help="Send every graph again, even when unchanged.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def push(source, endpoint, graph, user, password, state_path, force, quiet):
    """Send SOURCE (a store folder or an RDF file) to a SPARQL Graph Store endpoint.

    Each article goes as its own named graph (HTTP PUT); graphs sent before and unchanged
    since are skipped, so an interrupted push resumes where it stopped.

    Example: kg push store --endpoint http://127.0.0.1:7879/store
    """
    from ..push import push as run_push
    bar = None if quiet or not sys.stderr.isatty() else click.progressbar(length=1, label="Pushing",
                                                                         file=sys.stderr)

    def progress(done, total, current):
        if bar is not None:
            bar.length = total
            bar.update(done - bar.pos)

    report = run_push(source, endpoint, graph=graph, user=user, password=password, state_path=state_path,
                      force=force, progress=progress)
    if bar is not None:
        bar.render_finish()
    if not quiet:
        click.echo(f"Sent {len(report.sent)} graphs ({report.triples} triples), {len(report.unchanged)} "
                   f"unchanged, {len(report.deleted)} deleted, in {report.seconds:.2f} s")


@main.command()
@click.argument("store", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld"]), default="ttl",
              show_default=True, help="nq, trig and jsonld keep each article in its named graph; ttl and nt hold their union.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
def export(store, fmt, out):
    """Write the graph held in STORE as Turtle, N-Triples, N-Quads, TriG or JSON-LD.

    Example: kg export store --format nq --out kg.nq
    """
    from ..store import GraphStore
    data = GraphStore(store, read_only=True).export(fmt, out)
    if out is None:
        sys.stdout.buffer.write(data)
