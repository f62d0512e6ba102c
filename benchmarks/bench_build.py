"""Build throughput against jieba on a generated corpus, peak memory, store size, and a profile.

    .venv/bin/python benchmarks/bench_build.py [--mb 4] [--work /tmp/kg-bench] [--modes default,lean,store] [--jobs 1,2]
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import time
from pathlib import Path

from common import KG, dir_size, make_corpus, run_measured


def jieba_speed(files: list[Path]) -> tuple[float, int]:
    """Seconds for ``jieba.cut`` (accurate mode, one process) over the corpus text; and its bytes."""
    import jieba
    jieba.setLogLevel(60)
    jieba.initialize()                       # dictionary loading is not part of the measure
    texts = [f.read_text(encoding="utf-8") for f in files]
    t0 = time.perf_counter()
    for t in texts:
        for _ in jieba.cut(t):
            pass
    return time.perf_counter() - t0, sum(len(t.encode("utf-8")) for t in texts)


def profile_extraction(files: list[Path], limit: int = 40) -> str:
    """Where one process spends its time extracting ``limit`` articles (cProfile, top functions)."""
    from kg.build import read_articles, BuildReport
    from kg.parallel import process_article
    from kg.pipeline import Pipeline, Resources
    pipeline = Pipeline.default(Resources())
    articles = read_articles(files[:limit], BuildReport())
    process_article(articles[0], pipeline)    # warm up the lazy resources
    prof = cProfile.Profile()
    prof.enable()
    outcomes = [process_article(a, pipeline) for a in articles]
    prof.disable()
    steps: dict[str, float] = {}
    for o in outcomes:
        for name, sec in o.timings:
            steps[name] = steps.get(name, 0.0) + sec
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(25)
    if steps:
        out.write("\nper extractor (Outcome.timings):\n")
        out.writelines(f"  {k:20s} {v:7.3f} s\n" for k, v in sorted(steps.items(), key=lambda kv: -kv[1]))
    return out.getvalue()


def again(args, corpus: Path, store: Path, validate: list[str]) -> None:
    """The same build once more on its store: nothing to extract."""
    from kg.build import extraction_fingerprint
    from kg.extract import DEFAULT_PIPELINE
    from kg.store import GraphStore
    if GraphStore(store, read_only=True).fingerprint() != extraction_fingerprint(DEFAULT_PIPELINE):
        print("kg build --store again: skipped, the extraction code changed during the benchmark")
    else:
        secs, _, log = run_measured([KG, "build", str(corpus), "--out", str(args.work / "out1"), "--no-html",
                                     "--store", str(store), *validate])
        print(f"kg build --store again, nothing changed: {secs:.1f} s — "
              + " / ".join(line for line in log.splitlines() if line.startswith(("Time:", "Store"))))
    gs = GraphStore(store)
    gs.ox.optimize()   # compaction: what the store takes once RocksDB has merged its write-ahead data
    del gs
    print(f"store after optimize(): {dir_size(store) / 1e6:.0f} MB on disk")


# the builds of issue #17's table: the flags of each, after `kg build CORPUS --out DIR --jobs N`
MODES = {
    "default": [],                                    # SHACL check and graph.html
    "lean": ["--no-validate", "--no-html"],
    "store": ["--store"],                             # the default build, kept in a store
    "lean-store": ["--no-validate", "--no-html", "--store"],
}


def main() -> None:
    import os
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=4.0)
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg-bench"))
    ap.add_argument("--no-profile", action="store_true")
    ap.add_argument("--modes", default="default,lean,store",
                    help="builds to measure, comma-separated: " + ", ".join(MODES))
    ap.add_argument("--jobs", default="1,2", help="numbers of worker processes, comma-separated")
    args = ap.parse_args()
    corpus = args.work / "corpus"
    files, nbytes = make_corpus(corpus, args.mb)
    mb = nbytes / 1e6
    print(f"corpus: {len(files)} files, {mb:.1f} MB; load average before: {' '.join(map(str, os.getloadavg()))}")
    js, jbytes = jieba_speed(files)
    jieba_mbs = jbytes / 1e6 / js
    print(f"jieba.cut (accurate, 1 process): {js:.1f} s = {jieba_mbs:.2f} MB/s")
    rows = []
    for jobs in map(int, args.jobs.split(",")):
        for mode in args.modes.split(","):
            out, store = args.work / f"out{jobs}{mode}", args.work / f"store{jobs}{mode}"
            shutil.rmtree(store, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            flags = [f if f != "--store" else f"--store={store}" for f in MODES[mode]]
            secs, peak, log = run_measured([KG, "build", str(corpus), "--out", str(out), "--jobs", str(jobs), *flags])
            rate = mb / secs
            where = f", store {dir_size(store) / 1e6:.0f} MB on disk" if "store" in mode else ""
            rows.append((mode, jobs, secs, rate / jieba_mbs, peak))
            print(f"kg build {' '.join(MODES[mode])} --jobs {jobs}: {secs:.1f} s, ratio to jieba {rate / jieba_mbs:.3f}, "
                  f"peak memory {peak / 2**20:.0f} MiB{where}")
            # phases: read; extract = extraction, triples, each article's sorted Turtle section, its
            # SHACL check and its part of the view (in the workers with --jobs 2, the parent waiting;
            # with --store the store written meanwhile on a thread); load = waiting for the store;
            # validate = the pass over shared nodes; write = kg.ttl; html = the page from the view
            print("   " + " / ".join(line for line in log.splitlines() if line.startswith(("Time:", "Triples:"))))
            if jobs == 1 and mode == "store":
                again(args, corpus, store, [])
    print(f"load average after: {' '.join(map(str, os.getloadavg()))}")
    by = {(m, j): (secs, ratio) for m, j, secs, ratio, _ in rows}
    for jobs in map(int, args.jobs.split(",")):
        if ("store", jobs) in by and ("default", jobs) in by:
            print(f"--store / default, --jobs {jobs}: {by[('default', jobs)][0] / by[('store', jobs)][0]:.2f} of the speed")
    if not args.no_profile:
        print("\nprofile of one process extracting 40 articles:\n" + profile_extraction(files))


if __name__ == "__main__":
    main()
