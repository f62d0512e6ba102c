"""``kg build``: articles → kg.ttl + graph.html, with a summary and a progress bar."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import KGError
from . import echo, main, safe


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for kg.ttl and graph.html (created if missing).")
@click.option("--no-html", is_flag=True, help="Skip the interactive graph HTML.")
@click.option("--strict", is_flag=True,
              help="Exit non-zero when any input file was skipped or the graph breaks a SHACL shape.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--store", "store", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep the graph in this store folder and extract only new or changed articles.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 256),
              help="Extract with this many processes.")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT|local",
              help="Extract on a Dask cluster (needs the dask extra).")
@click.option("--no-validate", is_flag=True, help="Skip the SHACL check of the graph.")
@click.option("--prune", is_flag=True,
              help="With --store: remove the articles whose files are no longer among INPUTS "
                   "(every input must exist and be readable). Without it they are kept.")
@click.option("--yes", "-y", "yes", is_flag=True,
              help="With --prune: remove without asking, even more than 5% of the store's articles.")
@click.option("--follow-links", is_flag=True,
              help="Follow symbolic links that lead out of the INPUTS folders (by default only "
                   "links inside them are followed).")
@click.option("--max-article-mb", default=None, type=click.FloatRange(min=0, min_open=True), metavar="MB",
              help="Skip files larger than this (default 2). One MB of text takes about 13 s and "
                   "300 MB of memory to build.")
def build(inputs, out_dir, no_html, strict, quiet, store, jobs, scheduler, no_validate, prune, yes, follow_links,
          max_article_mb):
    """Read every .txt file under INPUTS (files or folders) and build the knowledge graph.

    Example: kg build seeds --out outputs
    (incremental: kg build seeds --out outputs --store store; parallel: --jobs 2)

    A build that reads no article changes nothing; one that loses most of its articles
    keeps the previous outputs and exits non-zero.
    """
    from ..build import build as run_build
    bar = _progress_bar(quiet)
    report = run_build(inputs, out_dir, html=not no_html, progress=bar, store=store, jobs=jobs,
                       scheduler=scheduler, validate=not no_validate, prune=prune, follow_links=follow_links,
                       confirm_prune=lambda n, total: yes or _ask_prune(n, total),
                       max_article_bytes=None if max_article_mb is None else int(max_article_mb * 2**20))
    if bar:
        bar.close()
    if not quiet:
        _print_report(report)
    for path, reason in report.skipped:
        echo(f"Skipped {safe(path, newlines=False)}: {safe(reason, newlines=False)}", err=True)
    for path, note in report.warnings:
        echo(f"Note {safe(path, newlines=False)}: {safe(note, newlines=False)}", err=True)
    if report.kept:
        echo(f"Kept {len(report.kept)} article(s) of the store whose files are not among the inputs "
             "(--prune removes them)", err=True)
    _print_violations(report.violations, quiet)
    if report.mostly_lost:
        kept = ("the previous outputs in " + str(out_dir) + " were left as they were"
                if report.outputs_kept else "the outputs hold only the articles that were extracted")
        raise KGError(f"{report.lost} of {report.lost + report.articles} articles could not be extracted "
                      f"(see the Skipped lines); {kept}")
    if not report.ok:
        raise KGError("nothing could be built: no readable article among the inputs"
                      + ("; the store was not changed" if store is not None else ""))
    if strict and (report.skipped or report.violations):
        sys.exit(1)


def _ask_prune(n: int, total: int) -> bool:
    """Ask on a terminal whether --prune may remove ``n`` of ``total`` articles; no elsewhere."""
    if not sys.stdin.isatty():
        return False
    return click.confirm(f"--prune would remove {n} of the {total} articles in the store "
                         f"({100 * n / total:.0f}%). Remove them?", default=False, err=True)


def _print_violations(violations, quiet: bool, limit: int = 20) -> None:
    """SHACL violations on stderr: the count, and the first ``limit`` unless quiet."""
    if not violations:
        return
    click.echo(f"SHACL: the graph breaks {len(violations)} constraint(s) of ontology/shapes.ttl", err=True)
    if quiet:
        return
    for v in violations[:limit]:
        echo(f"  {safe(v, newlines=False)}", err=True)
    if len(violations) > limit:
        click.echo(f"  … and {len(violations) - limit} more", err=True)


class _Bar:
    """A progress bar on stderr, shown only for large inputs on a terminal."""

    def __init__(self):
        self.bar = None

    def __call__(self, done: int, total: int, current: str) -> None:
        if total < 50 or not sys.stderr.isatty():
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Extracting", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _progress_bar(quiet: bool):
    return None if quiet else _Bar()


def _print_report(report) -> None:
    echo(f"Articles read: {report.articles} ({report.items} news items)"
               + (f", skipped: {len(report.skipped)}" if report.skipped else ""))
    if report.entities:
        parts = ", ".join(f"{t} {n}" for t, n in sorted(report.entities.items()))
        echo(f"Entities: {sum(report.entities.values())} ({parts})")
    echo(f"Cases: {report.cases}")
    if report.store:
        echo(f"Store {report.store}: {len(report.added)} added, {len(report.updated)} updated, "
                   f"{len(report.unchanged)} unchanged, {len(report.removed)} removed"
                   + (f", {len(report.kept)} kept" if report.kept else ""))
    echo(f"Triples: {report.triples}")
    phases = ", ".join(f"{k} {v:.1f}" for k, v in report.phases.items())
    echo(f"Time: {report.seconds:.2f} s" + (f" ({phases})" if phases else ""))
    for o in report.outputs:
        echo(f"Wrote {o}")
