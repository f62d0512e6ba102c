"""A force-directed layout in pure Python that stays fast at thousands of nodes.

networkx's ``spring_layout`` needs numpy (and scipy above 500 nodes), and its dense
solver holds an n×n×2 array — too much at 5,000 nodes. This is Fruchterman–Reingold with
the repulsion cut off at twice the ideal edge length and looked up in a grid, so one
iteration costs about O(nodes + edges). Each connected component is laid out on its own
and the components are packed in rows, largest first, so the picture does not depend on
how far apart unrelated clusters drift.
"""
from __future__ import annotations

import math

import networkx as nx

K = 1.0   # ideal edge length, in layout units


def layout(g: nx.Graph, scale: float = 150.0) -> dict:
    """Node → (x, y) in screen pixels; deterministic for a given graph. Connected
    components are packed in rows, largest first; lone nodes fill a tight grid below."""
    comps = sorted((sorted(c, key=str) for c in nx.connected_components(g)), key=lambda c: (-len(c), str(c[0])))
    # a subgraph view iterates in set order for small parts: copy it in a fixed order
    placed = [_component(_ordered(g.subgraph(c))) for c in comps if len(c) > 1]
    lone = [c[0] for c in comps if len(c) == 1]
    area = sum(_extent(p)[0] * _extent(p)[1] for p in placed) + len(lone) * K * K
    width = max(8.0, math.sqrt(area) * 1.3)
    out: dict = {}
    x = y = row_h = 0.0
    for pos in placed:
        w, h = _extent(pos)
        if x > 0 and x + w > width:
            x, y, row_h = 0.0, y + row_h + 2 * K, 0.0
        minx = min(p[0] for p in pos.values())
        miny = min(p[1] for p in pos.values())
        for v, (px, py) in pos.items():
            out[v] = (round((x + px - minx) * scale, 1), round((y + py - miny) * scale, 1))
        x += w + 2 * K
        row_h = max(row_h, h)
    y += row_h + 2 * K if placed else 0.0
    per_row = max(1, int(width / K))
    for i, v in enumerate(lone):
        out[v] = (round((i % per_row) * K * scale, 1), round((y + (i // per_row) * K) * scale, 1))
    return out


def _extent(pos: dict) -> tuple[float, float]:
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    return max(xs) - min(xs) + K, max(ys) - min(ys) + K


def _ordered(g: nx.Graph) -> nx.Graph:
    """A copy of ``g`` whose nodes and edges iterate in sorted order."""
    out = nx.Graph()
    out.add_nodes_from(sorted(g, key=str))
    out.add_edges_from(sorted((tuple(sorted((u, v), key=str)) for u, v in g.edges()), key=lambda e: (str(e[0]), str(e[1]))))
    return out


def _component(g: nx.Graph) -> dict:
    nodes = sorted(g, key=str)
    n = len(nodes)
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    if n == 2:
        return {nodes[0]: (0.0, 0.0), nodes[1]: (K, 0.0)}
    index = {v: i for i, v in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in g.edges() if u != v]
    start = _radial(g)
    xs = [start[v][0] for v in nodes]
    ys = [start[v][1] for v in nodes]
    side = max(max(xs) - min(xs), max(ys) - min(ys), K)
    # a large component keeps most of its radial shape; each pass costs O(nodes + edges)
    iterations = 50 if n <= 1500 else 12 if n <= 8000 else 6
    temp = side / 20
    for it in range(iterations):
        dx, dy = _repulsion(xs, ys)
        for i, j in edges:
            ex, ey = xs[i] - xs[j], ys[i] - ys[j]
            d = math.hypot(ex, ey) or 1e-6
            f = d / K           # d² / k, divided by d to scale the unit vector
            dx[i] -= ex * f
            dy[i] -= ey * f
            dx[j] += ex * f
            dy[j] += ey * f
        t = temp * (1 - it / iterations) + 0.01
        for i in range(n):
            d = math.hypot(dx[i], dy[i])
            if d > 0:
                step = min(d, t) / d
                xs[i] += dx[i] * step
                ys[i] += dy[i] * step
    return {v: (xs[i], ys[i]) for i, v in enumerate(nodes)}


def _radial(g: nx.Graph) -> dict:
    """A radial tree layout (breadth-first tree from the best-connected node, each subtree
    in a sector as wide as its share of leaves, rings wide enough for their nodes): the
    starting point that keeps the force-directed pass short."""
    root = max(g, key=lambda v: (g.degree(v), str(v)))
    children: dict = {root: []}
    order, depth = [root], {root: 0}
    for v in order:
        for w in sorted(g[v], key=str):
            if w not in depth:
                depth[w] = depth[v] + 1
                children[v].append(w)
                children[w] = []
                order.append(w)
    leaves = {}
    for v in reversed(order):
        leaves[v] = sum(leaves[c] for c in children[v]) or 1
    per_ring: dict[int, int] = {}
    for d in depth.values():
        per_ring[d] = per_ring.get(d, 0) + 1
    radius, r = {0: 0.0}, 0.0
    for d in range(1, max(per_ring) + 1):
        r = max(r + 1.5 * K, per_ring[d] * 1.2 * K / (2 * math.pi))
        radius[d] = r
    span = {root: (0.0, 2 * math.pi)}
    pos = {}
    for v in order:
        lo, hi = span[v]
        mid = (lo + hi) / 2
        pos[v] = (radius[depth[v]] * math.cos(mid), radius[depth[v]] * math.sin(mid))
        for c in children[v]:
            width = (hi - lo) * leaves[c] / leaves[v]
            span[c] = (lo, lo + width)
            lo += width
    return pos


def _repulsion(xs: list[float], ys: list[float]) -> tuple[list[float], list[float]]:
    """k²/d pushes between nodes closer than 2k, found through a grid of 2k cells."""
    cell = 2 * K
    grid: dict[tuple[int, int], list[int]] = {}
    for i, (x, y) in enumerate(zip(xs, ys)):
        grid.setdefault((int(x // cell), int(y // cell)), []).append(i)
    n = len(xs)
    dx, dy = [0.0] * n, [0.0] * n
    k2, reach2 = K * K, cell * cell
    for (cx, cy), members in grid.items():
        near = [j for ox in (-1, 0, 1) for oy in (-1, 0, 1) for j in grid.get((cx + ox, cy + oy), ())]
        for i in members:
            xi, yi = xs[i], ys[i]
            fx = fy = 0.0
            for j in near:
                if j == i:
                    continue
                ex, ey = xi - xs[j], yi - ys[j]
                d2 = ex * ex + ey * ey
                if d2 < reach2:
                    if d2 < 1e-9:
                        ex, ey, d2 = 1e-3 * ((i - j) % 7 - 3), 1e-3, 1e-5
                    f = k2 / d2     # (k²/d) / d
                    fx += ex * f
                    fy += ey * f
            dx[i], dy[i] = fx, fy
    return dx, dy
