"""The ``kg`` command: thin commands over the library; the only place errors become exit codes.

Commands live in small modules of this package (build, query, explore, serve), each
registering itself on :data:`main`.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

from ..errors import KGError, QueryError


_CONTROL_NL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\udc80-\udcff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\udc80-\udcff]")


def safe(text: object, newlines: bool = True) -> str:
    """``text`` fit for a terminal: control characters (escape sequences, carriage returns,
    bidirectional overrides) and bytes that are not UTF-8 shown as ``\\xNN``/``\\uNNNN``, so
    that a file name or a server's answer can neither drive the terminal nor hide itself.
    ``newlines=False`` escapes line breaks too (a file name must not start a line of its own)."""
    text = str(text)
    pattern = _CONTROL if newlines else _CONTROL_NL
    if not pattern.search(text):
        return text
    return pattern.sub(_escaped, text)


def _escaped(m: re.Match) -> str:
    o = ord(m.group())
    if 0xDC80 <= o <= 0xDCFF:           # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{o - 0xDC00:02x}"
    return f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}"


def echo(message: object = "", err: bool = False, **kwargs) -> None:
    """``click.echo`` of :func:`safe` text: every line a command prints goes through here."""
    click.echo(safe(message), err=err, **kwargs)


class _Group(click.Group):
    """Turns our errors into ``Error: ...`` lines and exit codes, never tracebacks."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KGError as e:
            # one line, unless a query's own text is shown (the user's, with a pointer under it)
            echo(f"Error: {safe(e, newlines=isinstance(e, QueryError))}", err=True)
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
            fault = _store_fault(e)
            if fault is not None:      # a damaged store or a full disk met where no one expected it
                echo(f"Error: {safe(fault, newlines=False)}", err=True)
                sys.exit(fault.exit_code)
            echo(f"Error: unexpected internal error: {e!r} (run again with KG_DEBUG=1 "
                 "for the traceback and report it)", err=True)
            sys.exit(1)


def _store_fault(e: Exception):
    """The store fault ``e`` stands for (RocksDB's Corruption, a full disk), or None."""
    text = str(e)
    if not any(w in text for w in ("Corruption", "No space left", "IO error")):
        return None
    from ..store import store_fault
    return store_fault(e, None)


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
