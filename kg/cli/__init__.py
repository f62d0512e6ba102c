"""The ``kg`` command: thin commands over the library; the only place errors become exit codes.

Commands live in small modules of this package (build, query, explore, serve), each
registering itself on :data:`main`.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..errors import KGError


class _Group(click.Group):
    """Turns our errors into ``Error: ...`` lines and exit codes, never tracebacks."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KGError as e:
            click.echo(f"Error: {e}", err=True)
            sys.exit(e.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except BrokenPipeError:
            # the reader went away (kg analyze … | head): stop quietly; output still
            # buffered for the closed pipe goes nowhere instead of failing at exit
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as e:  # a bug: say so plainly; KG_DEBUG=1 shows the traceback
            if os.environ.get("KG_DEBUG"):
                raise
            click.echo(f"Error: unexpected internal error: {e!r} (run again with KG_DEBUG=1 "
                       "for the traceback and report it)", err=True)
            sys.exit(1)


@click.group(cls=_Group)
@click.version_option(package_name="fraudkg", prog_name="kg")
def main() -> None:
    """FraudKG: turn Chinese police and news reports into a knowledge graph.

    \b
    kg build seeds --out outputs         build kg.ttl and graph.html from articles
    kg query outputs/kg.ttl 'SELECT …'   ask the graph in SPARQL (--name for named questions)
    kg viz / kg analyze / kg path        explore: ego networks, key players, evidenced paths
    kg serve / kg push / kg export       serve SPARQL, push to a triple store, export a store
    """



# Each module adds its commands to ``main``; importing them is cheap (they import the
# library lazily, inside each command).
from . import build, explore, query, serve  # noqa: E402,F401
