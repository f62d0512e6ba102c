"""The persistent store: incremental builds equal fresh builds, kills leave it consistent."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.build import build
from kg.cli import main
from kg.query import load_store, run
from kg.rdf import article_iri
from kg.store import SCHEME_GRAPH, GraphStore


@pytest.fixture(scope="module")
def pipeline():
    """One pipeline for every build of this module, loaded once (the extractors that need no
    word segmenter: what is tested here is the store, not the extractors)."""
    from test_parallel import light_pipeline
    return light_pipeline()


@pytest.fixture(autouse=True)
def _stable_fingerprint(monkeypatch):
    """Hold the extraction fingerprint still: in a shared working tree, other people's edits
    to extractors between two builds of a test would (rightly) re-extract everything."""
    monkeypatch.setattr("kg.build.extraction_fingerprint", lambda names=(): "test")


def _canonical_nquads(store_dir) -> list[str]:
    return sorted(GraphStore(store_dir, read_only=True).export("nq").decode("utf-8").splitlines())


def test_store_incremental_build_equals_a_fresh_build(pipeline, small_corpus, tmp_path):
    store = tmp_path / "store"
    first = build([small_corpus], tmp_path / "out1", html=False, pipeline=pipeline, store=store)
    assert len(first.added) == 4 and not first.unchanged
    # change one article, remove one, add one
    (small_corpus / "bj_kefu.txt").write_text("北京市海淀区公安分局通报：市民赵女士被冒充客服骗走3万元。\n", encoding="utf-8")
    (small_corpus / "gz_quanzu.txt").unlink()
    (small_corpus / "sz_new.txt").write_text("深圳市南山区公安分局抓获一名帮助信息网络犯罪活动的嫌疑人周某。\n",
                                             encoding="utf-8")
    second = build([small_corpus], tmp_path / "out2", html=False, pipeline=pipeline, store=store, prune=True)
    assert [g.rsplit("/", 1)[1] for g in second.added] == ["sz_new"]
    assert [g.rsplit("/", 1)[1] for g in second.updated] == ["bj_kefu"]
    assert [g.rsplit("/", 1)[1] for g in second.removed] == ["gz_quanzu"]
    assert sorted(g.rsplit("/", 1)[1] for g in second.unchanged) == ["cd_tuanhuo", "hz_shuadan"]
    assert second.articles == 4

    fresh = build([small_corpus], tmp_path / "fresh", html=False, pipeline=pipeline, store=tmp_path / "fresh_store")
    assert _canonical_nquads(store) == _canonical_nquads(tmp_path / "fresh_store")
    plain = build([small_corpus], tmp_path / "plain", html=False, pipeline=pipeline)
    assert (tmp_path / "out2" / "kg.ttl").read_bytes() == (tmp_path / "fresh" / "kg.ttl").read_bytes()
    assert (tmp_path / "out2" / "kg.ttl").read_bytes() == (tmp_path / "plain" / "kg.ttl").read_bytes()
    assert (second.triples, second.items, second.entities) == (plain.triples, plain.items, plain.entities)
    assert fresh.cases == plain.cases == second.cases


def test_store_unchanged_inputs_are_not_extracted_again(pipeline, small_corpus, tmp_path, monkeypatch):
    store = tmp_path / "store"
    build([small_corpus], tmp_path / "out", html=False, pipeline=pipeline, store=store)
    import kg.parallel
    calls = []
    real = kg.parallel.process_article
    monkeypatch.setattr(kg.parallel, "process_article", lambda a, p, *rest: calls.append(a.id) or real(a, p, *rest))
    again = build([small_corpus], tmp_path / "out", html=False, pipeline=pipeline, store=store)
    assert calls == [] and len(again.unchanged) == 4 and not (again.added or again.updated or again.removed)


def test_store_article_dropped_by_a_kill_is_added_back(pipeline, small_corpus, tmp_path):
    """A kill between dropping an article's graph and inserting its new triples loses only
    that article, which the next build adds back."""
    store = tmp_path / "store"
    build([small_corpus], tmp_path / "out", html=False, pipeline=pipeline, store=store)
    before = _canonical_nquads(store)
    gs = GraphStore(store)
    gs.remove_graph(article_iri("cd_tuanhuo"))   # what put_article does before its insert
    del gs
    report = build([small_corpus], tmp_path / "out", html=False, pipeline=pipeline, store=store)
    assert [g.rsplit("/", 1)[1] for g in report.added] == ["cd_tuanhuo"]
    assert _canonical_nquads(store) == before


def test_store_build_of_the_seeds_writes_the_committed_kg_ttl(tmp_path):
    """Literals come back from the store as written (decimals in the store's form): a store
    build gives the same bytes as a plain one."""
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    build([root / "seeds"], tmp_path / "out", html=False, validate=False, store=tmp_path / "store", jobs=2)
    assert (tmp_path / "out" / "kg.ttl").read_bytes() == (root / "outputs" / "kg.ttl").read_bytes()


def test_store_keeps_each_article_and_the_scheme_in_its_own_graph(pipeline, small_corpus, tmp_path):
    store = tmp_path / "store"
    build([small_corpus], tmp_path / "out", html=False, pipeline=pipeline, store=store)
    gs = GraphStore(store, read_only=True)
    assert gs.article_graphs() == sorted(str(article_iri(n.split(".")[0])) for n in
                                         ["bj_kefu.txt", "cd_tuanhuo.txt", "gz_quanzu.txt", "hz_shuadan.txt"])
    assert gs.ox.contains_named_graph(ox.NamedNode(str(SCHEME_GRAPH)))
    hashes = gs.article_hashes()
    assert len(hashes) == 4 and all(len(h) == 64 for h in hashes.values())


def test_store_changed_extraction_code_extracts_everything_again(pipeline, small_corpus, tmp_path):
    store = tmp_path / "store"
    build([small_corpus], tmp_path / "out", html=False, pipeline=pipeline, store=store)
    gs = GraphStore(store)
    assert gs.ensure_fingerprint("another version of the extractors") is True
    assert gs.article_graphs() == []
    del gs
    report = build([small_corpus], tmp_path / "out", html=False, pipeline=pipeline, store=store)
    assert len(report.added) == 4


def test_store_is_queried_as_the_union_of_its_graphs(pipeline, small_corpus, tmp_path):
    store = tmp_path / "store"
    report = build([small_corpus], tmp_path / "out", html=False, pipeline=pipeline, store=store)
    res = run(load_store(store), "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")
    assert int(res.rows[0][0]) == report.triples
    # each triple is stored once: the union without DISTINCT counts the same
    assert int(run(load_store(store), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]) == report.triples
    assert len(GraphStore(store, read_only=True)) == report.triples


@pytest.mark.parametrize("fmt", ["ttl", "nq", "trig", "jsonld"])
def test_store_export_writes_every_format(pipeline, small_corpus, tmp_path, fmt):
    store = tmp_path / "store"
    report = build([small_corpus], tmp_path / "out", html=False, pipeline=pipeline, store=store)
    out = tmp_path / f"export.{fmt}"
    res = CliRunner().invoke(main, ["export", str(store), "--format", fmt, "--out", str(out)])
    assert res.exit_code == 0, res.output
    if fmt == "ttl":    # the union, laid out as the build wrote it
        assert out.read_bytes() == (tmp_path / "out" / "kg.ttl").read_bytes()
    loaded = load_store(out)
    triples = {(q.subject, q.predicate, q.object) for q in loaded}
    assert len(triples) == report.triples
    graphs = {q.graph_name for q in loaded}
    # the dataset formats keep every graph of the store (articles, shared nodes, the scheme),
    # Turtle holds their union
    gs = GraphStore(store, read_only=True)
    stored = {ox.NamedNode(g) for g in gs.article_graphs() + gs.shared_graphs() + [str(SCHEME_GRAPH)]}
    assert graphs == (stored if fmt in ("nq", "trig", "jsonld") else {ox.DefaultGraph()})
    if fmt != "ttl":      # each triple once
        assert len(loaded) == report.triples


def test_store_refuses_a_folder_that_is_not_a_store(tmp_path):
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    from kg.errors import StoreError
    with pytest.raises(StoreError):
        GraphStore(tmp_path, read_only=True)


def test_store_fast_path_writes_the_same_kg_ttl(pipeline, small_corpus, tmp_path):
    """Without SHACL and HTML, kg.ttl is written straight from the store's terms: same bytes."""
    store = tmp_path / "store"
    slow = build([small_corpus], tmp_path / "slow", html=False, pipeline=pipeline, store=store)
    fast = build([small_corpus], tmp_path / "fast", html=False, pipeline=pipeline, store=store, validate=False)
    assert (tmp_path / "fast" / "kg.ttl").read_bytes() == (tmp_path / "slow" / "kg.ttl").read_bytes()
    assert (fast.triples, fast.items, fast.entities, fast.cases) == (slow.triples, slow.items, slow.entities, slow.cases)


def _article_nt(graph: str, n: int = 3) -> bytes:
    from kg.ns import FKG
    hash_line = f'<{graph}> <{FKG.contentHash}> "h-{graph[-1]}" .\n'
    lines = [f'<{graph}/s{i}> <urn:x:p> "值 {i} .\\n" .\n' for i in range(n)]    # "\n": an escaped newline
    return "".join(lines[:1] + [hash_line] + lines[1:]).encode("utf-8")            # the hash not first


def test_store_a_batch_with_invalid_triples_stores_every_other_article(tmp_path):
    gs = GraphStore(tmp_path / "s")
    g1, g2, g3 = (str(article_iri(f"a{i}")) for i in (1, 2, 3))
    errors = gs.put_articles([(g1, _article_nt(g1)), (g2, b'<urn:x:s> <urn:x:p> "unterminated .\n'),
                              (g3, _article_nt(g3))])
    assert errors[0] is None and errors[2] is None and "not valid RDF" in errors[1]
    assert gs.article_hashes() == {g1: "h-1", g3: "h-3"}
    assert sorted(gs.article_graphs()) == [g1, g3]
    assert len(gs.ox) == 8


def test_store_an_article_carries_its_hash_only_once_all_its_triples_are_in(tmp_path):
    """A batch is bulk-loaded without its hashes, which come after in one transaction: when
    the bulk load stops half way (a kill), no article of the batch has a hash, so the next
    build loads them all again."""
    gs = GraphStore(tmp_path / "s")
    graphs = [str(article_iri(f"a{i}")) for i in range(4)]

    class Interrupted(Exception):
        pass

    class HalfLoad:                        # the store, but its bulk load stops in the middle
        def __init__(self, store):
            self.store = store

        def bulk_load(self, data, format):
            lines = data.splitlines(keepends=True)
            self.store.load(b"".join(lines[:len(lines) // 2]), format=format)
            raise Interrupted

        def __getattr__(self, name):
            return getattr(self.store, name)

    real = gs.ox
    gs.ox = HalfLoad(real)
    with pytest.raises(Interrupted):
        gs.put_articles([(g, _article_nt(g)) for g in graphs])
    gs.ox = real
    assert len(gs.ox) > 0 and gs.article_hashes() == {}
    assert gs.put_articles([(g, _article_nt(g)) for g in graphs]) == [None] * 4
    assert set(gs.article_hashes()) == set(graphs) and len(gs.ox) == 16


def test_store_an_unchanged_article_is_written_from_its_kept_section_not_read_back(pipeline, small_corpus, tmp_path,
                                                                                  monkeypatch):
    from kg.store import SECTIONS_FOLDER
    store = tmp_path / "store"
    build([small_corpus], tmp_path / "first", html=False, validate=False, pipeline=pipeline, store=store)
    kept = sorted((store / SECTIONS_FOLDER).glob("*.section"))
    assert len(kept) == 4
    monkeypatch.setattr(GraphStore, "graphs_ntriples", lambda self, graphs: pytest.fail("read back from the store"))
    again = build([small_corpus], tmp_path / "again", html=False, validate=False, pipeline=pipeline, store=store)
    assert len(again.unchanged) == 4
    assert (tmp_path / "again" / "kg.ttl").read_bytes() == (tmp_path / "first" / "kg.ttl").read_bytes()
    (small_corpus / "gz_quanzu.txt").unlink()
    build([small_corpus], tmp_path / "third", html=False, validate=False, pipeline=pipeline, store=store, prune=True)
    assert len(list((store / SECTIONS_FOLDER).glob("*.section"))) == 3      # the removed article's is gone


def test_store_a_damaged_or_stale_kept_section_is_ignored(pipeline, small_corpus, tmp_path):
    from kg.store import SECTIONS_FOLDER
    store = tmp_path / "store"
    build([small_corpus], tmp_path / "first", html=False, validate=False, pipeline=pipeline, store=store)
    one, two, *_ = sorted((store / SECTIONS_FOLDER).glob("*.section"))
    one.write_bytes(one.read_bytes()[:100])                 # cut short, as after a crash
    two.write_bytes(b"")
    again = build([small_corpus], tmp_path / "again", html=False, validate=False, pipeline=pipeline, store=store)
    assert len(again.unchanged) == 4
    assert (tmp_path / "again" / "kg.ttl").read_bytes() == (tmp_path / "first" / "kg.ttl").read_bytes()
    # an article whose file changed back and forth: its section is keyed by content, so the
    # section kept for the old content is never used for the new one
    path = small_corpus / "bj_kefu.txt"
    old = path.read_text(encoding="utf-8")
    path.write_text(old + "\n北京市海淀区公安分局提醒：不要轻信陌生来电。\n", encoding="utf-8")
    build([small_corpus], tmp_path / "changed", html=False, validate=False, pipeline=pipeline, store=store)
    fresh = build([small_corpus], tmp_path / "fresh", html=False, validate=False, pipeline=pipeline)
    assert (tmp_path / "changed" / "kg.ttl").read_bytes() == (tmp_path / "fresh" / "kg.ttl").read_bytes()
    assert fresh.triples != again.triples


def test_store_a_kept_section_is_used_only_with_the_code_that_wrote_it(pipeline, small_corpus, tmp_path, monkeypatch):
    import marshal

    import kg.sections
    from kg.store import SECTIONS_FOLDER
    store = tmp_path / "store"
    build([small_corpus], tmp_path / "first", html=False, validate=False, pipeline=pipeline, store=store)
    entry = sorted((store / SECTIONS_FOLDER).glob("*.section"))[0]
    key, fields = marshal.loads(entry.read_bytes())
    entry.write_bytes(marshal.dumps((key, (fields[0], b"# kept\n", *fields[2:]))))
    build([small_corpus], tmp_path / "kept", html=False, validate=False, pipeline=pipeline, store=store)
    assert b"# kept\n" in (tmp_path / "kept" / "kg.ttl").read_bytes()          # the entry is what was written
    monkeypatch.setattr(kg.sections, "code_fingerprint", lambda: "other code")
    build([small_corpus], tmp_path / "other", html=False, validate=False, pipeline=pipeline, store=store)
    assert (tmp_path / "other" / "kg.ttl").read_bytes() == (tmp_path / "first" / "kg.ttl").read_bytes()


# ---------------------------------------------------------------- shared nodes, each triple once
UNIT = "https://w3id.org/fraudkg/resource/unit/某市公安局"
PLACE = "https://w3id.org/fraudkg/resource/place/330100"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ALT = "http://www.w3.org/2004/02/skos/core#altLabel"


def _with_shared(graph: str, *aliases: str) -> bytes:
    """An article's N-Triples that describe a shared unit (its label, an alias of its own)."""
    from kg.ns import FKG
    lines = [f'<{graph}> <{FKG.contentHash}> "h" .\n', f'<{graph}/s> <{FKG.handledBy}> <{UNIT}> .\n',
             f'<{UNIT}> <{LABEL}> "某市公安局"@zh .\n', f'<{UNIT}> <{FKG.jurisdiction}> <{PLACE}> .\n',
             f'<{PLACE}> <{LABEL}> "杭州市"@zh .\n']
    lines += [f'<{UNIT}> <{ALT}> "{a}"@zh .\n' for a in aliases]
    return "".join(lines).encode("utf-8")


def _facts(gs, node) -> set[str]:
    return {str(q.triple) for q in gs.ox.quads_for_pattern(ox.NamedNode(node), None, None, None)}


def test_store_keeps_a_shared_node_s_facts_once_in_its_own_graph(tmp_path):
    gs = GraphStore(tmp_path / "s")
    g1, g2 = (str(article_iri(f"a{i}")) for i in (1, 2))
    assert gs.put_articles([(g1, _with_shared(g1, "某市警方")), (g2, _with_shared(g2, "某市公安"))]) == [None, None]
    quads = list(gs.ox)
    assert len(quads) == len({q.triple for q in quads}) == 2 * 2 + 5    # each article's own 2, the shared 5 once
    assert {q.graph_name.value for q in gs.ox.quads_for_pattern(ox.NamedNode(UNIT), None, None, None)} == {UNIT}
    assert gs.shared_graphs() == sorted([UNIT, PLACE])
    # an alias only the removed article gave goes with it; what the other says stays
    gs.remove_articles([g1])
    assert not any("某市警方" in f for f in _facts(gs, UNIT))
    assert any("某市公安" in f for f in _facts(gs, UNIT)) and len(_facts(gs, PLACE)) == 1
    # replaced: its new words in, its old words out
    gs.put_articles([(g2, _with_shared(g2, "某市公安机关"))])
    assert {f for f in _facts(gs, UNIT) if ALT in f} == {f'<{UNIT}> <{ALT}> "某市公安机关"@zh'}
    gs.remove_articles([g2])
    assert len(gs.ox) == 0 and gs.shared_graphs() == []


def test_store_a_write_killed_before_the_shared_graphs_were_rebuilt_is_finished_by_the_next(tmp_path):
    gs = GraphStore(tmp_path / "s")
    g1, g2 = (str(article_iri(f"a{i}")) for i in (1, 2))
    gs.put_articles([(g1, _with_shared(g1, "某市警方")), (g2, _with_shared(g2))])
    gs.ensure_fingerprint("f")
    gs.put_articles([(g1, _with_shared(g1, "某市警方")), (g2, _with_shared(g2))])
    gs.contributions.remove([g1])          # killed after the record changed, before the graphs did
    gs.remove_graph(g1)
    assert any("某市警方" in f for f in _facts(gs, UNIT))
    del gs
    gs = GraphStore(tmp_path / "s")
    assert gs.ensure_fingerprint("f") is False      # what every build does first
    assert not any("某市警方" in f for f in _facts(gs, UNIT)) and _facts(gs, PLACE)


def test_store_of_the_older_layout_is_rebuilt(pipeline, small_corpus, tmp_path):
    import json
    from kg.store import FINGERPRINT_FILE
    store = tmp_path / "store"
    build([small_corpus], tmp_path / "out", html=False, pipeline=pipeline, store=store)
    (store / FINGERPRINT_FILE).write_text(json.dumps({"extraction": "test"}), encoding="utf-8")   # layout 1
    again = build([small_corpus], tmp_path / "out", html=False, pipeline=pipeline, store=store)
    assert len(again.added) == 4
