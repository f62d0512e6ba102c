"""``kg viz``, ``kg analyze``, ``kg path``: the explorer page and network analysis."""
from __future__ import annotations

from pathlib import Path

import click

from . import main

_SOURCE = click.argument("source", type=click.Path(path_type=Path))


@main.command()
@_SOURCE
@click.option("--out", "-o", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write.")
@click.option("--focus", help="Show only the neighbourhood of the entity with this name.")
@click.option("--hops", default=2, show_default=True, type=click.IntRange(0, 10),
              help="With --focus: how many relations away to go.")
@click.option("--size", type=click.Choice(["degree", "pagerank", "betweenness"]), default="degree",
              show_default=True, help="What node size shows.")
def viz(source, out, focus, hops, size):
    """Write the interactive explorer of SOURCE (a kg.ttl file or store folder) as one HTML file.

    Example: kg viz outputs/kg.ttl --out outputs/graph.html --focus 杭州市 --hops 2
    """
    from ..analysis import load_view
    from ..viz import write_html
    path = write_html(load_view(source), out, focus=focus, hops=hops, size=size)
    click.echo(f"Wrote {path}")


@main.command()
@_SOURCE
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, None),
              help="How many key players to list.")
def analyze(source, top):
    """Key players (betweenness, degree) and groups of connected actors in SOURCE.

    Example: kg analyze outputs/kg.ttl --top 10
    """
    from ..analysis import communities, entity_graph, key_players, load_triples, read_view
    view = read_view(load_triples(source))
    g = entity_graph(view)
    click.echo(f"Graph: {g.number_of_nodes()} entities and cases, {g.number_of_edges()} links")
    players = key_players(g, top)
    how = f"estimated from {players.sampled} sampled sources" if players.sampled else "exact"
    click.echo(f"\nKey players (betweenness {how}; places and cases not ranked):")
    for i, r in enumerate(players.rows, 1):
        click.echo(f"{i:>3}. {r['label']}  [{r['type']}]  betweenness {r['betweenness']:.3f}  degree {r['degree']}")
    groups = communities(g)
    click.echo(f"\nGroups of connected actors: {len(groups)}")
    for i, group in enumerate(groups[:top], 1):
        names = "、".join(g.nodes[v]["label"] for v in group[:12])
        more = f" … (+{len(group) - 12})" if len(group) > 12 else ""
        click.echo(f"{i:>3}. ({len(group)}) {names}{more}")


@main.command()
@_SOURCE
@click.argument("a")
@click.argument("b")
def path(source, a, b):
    """The shortest chain of relations from A to B (names), with the sentence for each hop.

    Example: kg path outputs/kg.ttl 张某 杭州市
    """
    from ..analysis import entity_graph, load_triples, read_view, shortest_path
    view = read_view(load_triples(source))
    hops = shortest_path(view, entity_graph(view), a, b)
    click.echo(f"{len(hops)} hop{'s' if len(hops) != 1 else ''}: {a} → {b}")
    for h in hops:
        arrow = f"—{h.relation}→" if h.forward else f"←{h.relation}—"
        click.echo(f"  {h.source} {arrow} {h.target}")
        click.echo(f"      「{h.sentence}」" if h.sentence else "      (no sentence recorded)")
