"""p50/p95 latency of every named query (kg/queries/*.rq) on a synthetic graph of ~1 M triples.

    .venv/bin/python benchmarks/bench_queries.py [--triples 1000000] [--runs 20] [--work /tmp/kg-bench]
        [--reuse] [--only NAME ...] [--before REF]

--before REF also times the named queries of git revision REF (bound by pyoxigraph
substitutions, as they were then), each right after its current version, on the same store.
"""
from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import pyoxigraph as ox

from common import dir_size, percentile
from synthetic import write_nquads

SAMPLE = {"integer": "1", "decimal": "0", "date": "2020-01-01"}


FKG = "https://w3id.org/fraudkg/ontology#"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def sample_values(store: ox.Store) -> dict[str, str]:
    """A real label and IRI from the graph for string and IRI parameters (the first police
    unit found: 7 cases on the 1 M-triple graph)."""
    q = f"SELECT ?u ?l WHERE {{ ?u a <{FKG}PoliceUnit> ; <{LABEL}> ?l }} LIMIT 1"
    for row in store.query(q, use_default_graph_as_union=True):
        return {"string": row["l"].value, "iri": row["u"].value}
    return {"string": "公安局", "iri": "https://w3id.org/fraudkg/resource/unit/x"}


def busiest_unit(store: ox.Store) -> str | None:
    """The label of the police unit that handled the most cases: the worst case for ``entity``."""
    q = (f"SELECT ?l WHERE {{ {{ SELECT ?u (COUNT(?c) AS ?n) WHERE {{ ?c <{FKG}handledBy> ?u }} GROUP BY ?u "
         f"ORDER BY DESC(?n) LIMIT 1 }} ?u <{LABEL}> ?l }} LIMIT 1")
    for row in store.query(q, use_default_graph_as_union=True):
        return row["l"].value
    return None


def load_average() -> str:
    import os
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg-bench"))
    ap.add_argument("--budget", type=float, default=120.0, help="seconds allowed per query (all runs)")
    ap.add_argument("--reuse", action="store_true",
                    help="query the store a previous run left in --work instead of generating it again")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="run only these named queries")
    ap.add_argument("--before", metavar="REF", help="also time the named queries of this git revision")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    store_dir = args.work / f"synthetic-store-{args.triples}"
    if not (args.reuse and store_dir.is_dir()):
        make_store(args.work / "synthetic.nq", store_dir, args.triples)
    store = ox.Store.read_only(str(store_dir))
    print(f"store {store_dir}: {len(store)} quads")
    from kg.query import named_queries
    values = sample_values(store)
    hub = busiest_unit(store)
    del store
    calls = []
    for name, q in named_queries().items():
        if not args.only or name in args.only:
            calls.append((name, {p.name: SAMPLE.get(p.type, values.get(p.type, "")) for p in q.params if not p.optional}))
            if name == "entity" and hub:
                calls.append((name, {"name": hub}))
    print(f"load average {load_average()}")
    print(f"\n{'query':28s} {'rows':>6s} {'cold':>9s} {'p50':>9s} {'p95':>9s}")
    old = old_queries(args.before) if args.before else {}
    runs = [(name, params, None) for name, params in calls]
    if old:
        runs = [r for name, params in calls for r in ((name, params, None), (name, params, old.get(name)))]
    for name, params, text in runs:
        if text is not None:
            name = f"  {args.before[:7]}"
        times, rows = time_query(str(store_dir), name, params, args.runs, args.budget, text)
        if not times:
            print(f"{name:28s} stopped after {args.budget:.0f} s without an answer")
            continue
        first, rest = times[0], times[1:] or times[:1]
        print(f"{name:28s} {rows:6d} {first:7.1f}ms {percentile(rest, 50):7.1f}ms {percentile(rest, 95):7.1f}ms"
              + (f" ({len(rest)} runs)" if len(rest) < args.runs else "") + (f"  params {params}" if params else ""))
    print(f"load average {load_average()}")


def make_store(nq: Path, store_dir: Path, min_triples: int) -> None:
    """Generate the synthetic N-Quads and bulk-load them into an on-disk store."""
    t0 = time.perf_counter()
    triples, copies = write_nquads(nq, min_triples)
    print(f"synthetic graph: {triples} distinct triples ({copies} copies of the real articles), "
          f"generated in {time.perf_counter() - t0:.1f} s")
    shutil.rmtree(store_dir, ignore_errors=True)
    store = ox.Store(str(store_dir))
    t0 = time.perf_counter()
    store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    store.flush()
    store.optimize()
    print(f"bulk load into the on-disk store: {time.perf_counter() - t0:.1f} s, {dir_size(store_dir) / 1e6:.0f} MB")
    del store


def old_queries(ref: str) -> dict[str, str]:
    """The text of each named query at git revision ``ref``, by name."""
    import re
    import subprocess
    root = Path(__file__).resolve().parent.parent
    names = subprocess.run(["git", "ls-tree", "--name-only", ref, "kg/queries/"], cwd=root, capture_output=True,
                           text=True, check=True).stdout.split()
    out = {}
    for path in names:
        if path.endswith(".rq"):
            text = subprocess.run(["git", "show", f"{ref}:{path}"], cwd=root, capture_output=True, text=True,
                                  check=True).stdout
            out[re.search(r"#\s*name:\s*(\S+)", text).group(1)] = text
    return out


def _run_old(store, text: str, params: dict):
    """A query of an older revision, as kg.query.run_named ran it then: parameters as
    pyoxigraph substitutions, the final ORDER BY applied in Python."""
    from kg.query import _cells, order_rows, split_order, with_prefixes
    body, keys = split_order(with_prefixes(text))
    subs = {ox.Variable(k): ox.Literal(v) for k, v in params.items()}
    res = store.query(body, substitutions=subs or None, use_default_graph_as_union=True)
    variables, cells = _cells(res)
    order_rows(variables, cells, keys)
    return cells


def _child(store_dir: str, name: str, params: dict, runs: int, out, text=None) -> None:
    from kg.query import run_named
    store = ox.Store.read_only(store_dir)
    spent = 0.0
    for i in range(runs + 1):
        t = time.perf_counter()
        res = run_named(store, name, params) if text is None else type("R", (), {"rows": _run_old(store, text, params)})
        ms = (time.perf_counter() - t) * 1000
        spent += ms
        out.put((ms, len(res.rows)))
        if spent > 30_000 and i >= 1:   # a slow query: a few runs are enough to tell
            break
    out.put(None)


def time_query(store_dir: str, name: str, params: dict, runs: int, budget: float,
               text=None) -> tuple[list[float], int]:
    """Latencies (ms; the first is the cold run) of one named query, in a child process that is
    killed after ``budget`` seconds."""
    import multiprocessing
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    proc = ctx.Process(target=_child, args=(store_dir, name, params, runs, out, text))
    proc.start()
    times, rows, deadline = [], 0, time.monotonic() + budget
    while True:
        try:
            item = out.get(timeout=max(0.1, deadline - time.monotonic()))
        except Exception:
            break
        if item is None:
            break
        times.append(item[0])
        rows = item[1]
    proc.kill()
    proc.join()
    return times, rows

if __name__ == "__main__":
    main()
