"""Nothing lost, nothing let in (issue 13): mistakes that must not delete data, a worker that
dies, file names that must not merge or drop articles, outputs switched as a pair, store faults
named, escape codes kept off the terminal, links out of the input folders, odd values."""
from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import build
from kg.cli import main
from kg.errors import KGError
from kg.model import Article
from kg.store import GraphStore

GOOD = "杭州市公安局西湖区分局近日破获一起刷单返利诈骗案。受害人张女士被骗5万元。\n"


@pytest.fixture(scope="module")
def pipeline():
    from test_parallel import light_pipeline
    return light_pipeline()


@pytest.fixture(autouse=True)
def _stable_fingerprint(monkeypatch):
    monkeypatch.setattr("kg.build.extraction_fingerprint", lambda names=(): "test")


def _sources(ttl: Path) -> list[str]:
    """The fkg:sourceFile of every article in a kg.ttl, sorted."""
    from rdflib import Graph
    from kg.ns import FKG
    from rdflib.namespace import RDF
    g = Graph().parse(ttl)
    return sorted(str(g.value(a, FKG.sourceFile)) for a in g.subjects(RDF.type, FKG.Article))


def _article_iris(ttl: Path) -> dict[str, str]:
    """sourceFile → article IRI (articles with one news item)."""
    from rdflib import Graph
    from kg.ns import FKG
    from rdflib.namespace import RDF
    g = Graph().parse(ttl)
    return {str(g.value(a, FKG.sourceFile)): str(a) for a in g.subjects(RDF.type, FKG.Article)
            if "/item/" not in str(a)}


# ------------------------------------------------------------------ 1. a typo must not empty the store

def test_build_a_mistyped_input_changes_neither_the_store_nor_the_outputs(pipeline, small_corpus, tmp_path):
    store, out = tmp_path / "store", tmp_path / "out"
    build([small_corpus], out, html=False, pipeline=pipeline, store=store)
    before = GraphStore(store, read_only=True).article_hashes()
    kg_ttl = (out / "kg.ttl").read_bytes()
    report = build([tmp_path / "typo"], out, html=False, pipeline=pipeline, store=store)
    assert not report.ok and not report.removed
    assert GraphStore(store, read_only=True).article_hashes() == before
    assert (out / "kg.ttl").read_bytes() == kg_ttl


def test_build_articles_missing_from_the_inputs_are_kept_unless_pruned(pipeline, small_corpus, tmp_path):
    store = tmp_path / "store"
    build([small_corpus], tmp_path / "out", html=False, pipeline=pipeline, store=store)
    (small_corpus / "gz_quanzu.txt").unlink()
    kept = build([small_corpus], tmp_path / "out", html=False, pipeline=pipeline, store=store)
    assert not kept.removed and [g.rsplit("/", 1)[1] for g in kept.kept] == ["gz_quanzu"]
    assert len(GraphStore(store, read_only=True).article_hashes()) == 4
    assert "gz_quanzu.txt" in _sources(tmp_path / "out" / "kg.ttl")       # kg.ttl is the store's graph
    with pytest.raises(KGError, match="could not be read in full"):       # --prune needs every input
        build([small_corpus, tmp_path / "typo"], tmp_path / "out", html=False, pipeline=pipeline, store=store,
              prune=True)
    assert len(GraphStore(store, read_only=True).article_hashes()) == 4
    pruned = build([small_corpus], tmp_path / "out", html=False, pipeline=pipeline, store=store, prune=True)
    assert [g.rsplit("/", 1)[1] for g in pruned.removed] == ["gz_quanzu"]
    assert "gz_quanzu.txt" not in _sources(tmp_path / "out" / "kg.ttl")


def test_build_a_code_change_never_drops_articles_that_are_not_among_the_inputs(pipeline, small_corpus, tmp_path,
                                                                              monkeypatch):
    store = tmp_path / "store"
    build([small_corpus], tmp_path / "out", html=False, pipeline=pipeline, store=store)
    monkeypatch.setattr("kg.build.extraction_fingerprint", lambda names=(): "newer code")
    (small_corpus / "gz_quanzu.txt").unlink()
    with pytest.raises(KGError, match="--prune"):
        build([small_corpus], tmp_path / "out", html=False, pipeline=pipeline, store=store)
    assert len(GraphStore(store, read_only=True).article_hashes()) == 4


def test_cli_build_of_a_mistyped_path_says_the_store_was_not_changed(small_corpus, tmp_path):
    res = CliRunner().invoke(main, ["build", str(tmp_path / "typo"), "--out", str(tmp_path / "out"),
                                    "--store", str(tmp_path / "store"), "--no-html"])
    assert res.exit_code == 1
    assert "does not exist" in res.output and "the store was not changed" in res.output
    assert not (tmp_path / "store").exists()


# ------------------------------------------------------------------ 2. a dead worker loses only its article

class _Dies:
    """Unpickled in a worker process, ends that process (as the OOM killer would)."""

    def __reduce__(self):
        return (os._exit, (9,))


class _DiesOnce:
    """Unpickled in a worker process, ends it the first time (a marker file remembers), else the text."""

    def __init__(self, marker: Path, text: str):
        self.marker, self.text = str(marker), text

    def __reduce__(self):
        code = (f"__import__('os').path.exists({self.marker!r}) and {self.text!r} or "
                f"(open({self.marker!r}, 'w').close(), __import__('os')._exit(9))")
        return (eval, (code,))


def _articles(small_corpus: Path) -> list[Article]:
    from kg.ingest import read_article
    return [read_article(p) for p in sorted(small_corpus.glob("*.txt"))]


def test_parallel_a_worker_killed_once_loses_nothing(small_corpus, tmp_path, pipeline):
    from kg.parallel import extract
    articles = _articles(small_corpus)
    a = articles[1]
    articles[1] = Article(a.id, a.source_file, a.path, _DiesOnce(tmp_path / "died", a.raw), a.content_hash)  # type: ignore[arg-type]
    outcomes = list(extract(articles, pipeline=pipeline, jobs=2))
    assert (tmp_path / "died").exists()
    assert [o.article_id for o in outcomes] == [a.id for a in articles]
    assert [o.error for o in outcomes] == [None] * 4
    # retried alone: the article whose worker died, and what the other worker held when the pool broke
    assert outcomes[1].retried and sum(o.retried for o in outcomes) <= 2


def test_parallel_an_article_that_kills_its_worker_twice_is_the_only_one_skipped(small_corpus, pipeline):
    from kg.parallel import extract
    articles = _articles(small_corpus) * 3
    articles = [Article(f"{a.id}{n}", a.source_file, a.path, a.raw, a.content_hash) for n, a in enumerate(articles)]
    a = articles[4]
    articles[4] = Article(a.id, a.source_file, a.path, _Dies(), a.content_hash)  # type: ignore[arg-type]
    outcomes = list(extract(articles, pipeline=pipeline, jobs=2))
    assert [o.article_id for o in outcomes] == [a.id for a in articles]
    failed = [o.article_id for o in outcomes if o.error]
    assert failed == [articles[4].id], [o.error for o in outcomes]
    assert "died" in outcomes[4].error


def test_build_that_loses_most_articles_keeps_the_previous_outputs_and_fails(small_corpus, tmp_path, pipeline,
                                                                            monkeypatch):
    import kg.parallel
    out = tmp_path / "out"
    build([small_corpus], out, html=True, validate=False, pipeline=pipeline)
    before = {n: (out / n).read_bytes() for n in ("kg.ttl", "graph.html")}
    real = kg.parallel.process_article

    def mostly_dies(article, pipeline, *args, **kwargs):
        if not article.id.startswith("bj"):
            return kg.parallel.Outcome(article.path, article.id, error="a worker process died")
        return real(article, pipeline, *args, **kwargs)

    monkeypatch.setattr(kg.parallel, "process_article", mostly_dies)
    report = build([small_corpus], out, html=True, validate=False, pipeline=pipeline)
    assert report.mostly_lost and report.outputs_kept and not report.ok
    assert report.lost == 3 and report.articles == 1
    assert {n: (out / n).read_bytes() for n in ("kg.ttl", "graph.html")} == before


# ------------------------------------------------------------------ 3. article identity from file names

def test_inputs_a_tree_deeper_than_path_max_skips_only_what_is_too_deep(tmp_path, pipeline):
    root = tmp_path / "in"
    root.mkdir()
    for n in range(3):
        (root / f"good{n}.txt").write_text(GOOD, encoding="utf-8")
    fd = os.open(root, os.O_RDONLY)
    depth = 0
    try:
        while depth * 201 < 4200:      # past PATH_MAX (4096), made one level at a time
            name = ("d" * 200)
            os.mkdir(name, dir_fd=fd)
            nfd = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = nfd
            depth += 1
        with open(os.open("deep.txt", os.O_WRONLY | os.O_CREAT, dir_fd=fd), "w", encoding="utf-8") as f:
            f.write(GOOD)
    finally:
        os.close(fd)
    report = build([root], tmp_path / "out", html=False, validate=False, pipeline=pipeline)
    assert report.articles == 3
    assert any("too long" in reason for _, reason in report.skipped), report.skipped
    shutil.rmtree(root, ignore_errors=True)


def test_inputs_a_file_name_that_is_not_utf8_is_read(tmp_path, pipeline):
    root = tmp_path / "in"
    root.mkdir()
    with open(os.path.join(os.fsencode(root), b"bad\xff\xfename.txt"), "w", encoding="utf-8") as f:
        f.write(GOOD)
    report = build([root], tmp_path / "out", html=False, validate=False, pipeline=pipeline)
    assert report.articles == 1 and not report.skipped, report.skipped
    assert _sources(tmp_path / "out" / "kg.ttl") == ["bad\ufffd\ufffdname.txt"]


def test_ingest_article_ids_never_collide(tmp_path, pipeline):
    from kg.ingest import article_id
    root = tmp_path / "in"
    root.mkdir()
    names = ["x_y.txt", "x~y.txt", "x y.txt", "x_y.TXT", f"{article_id('x~y.txt')}.txt", "x.y.txt", "x_y .txt"]
    for n, name in enumerate(names):
        (root / name).write_text(GOOD.replace("5万元", f"{n + 1}万元"), encoding="utf-8")
    report = build([root], tmp_path / "out", html=False, validate=False, pipeline=pipeline,
                   store=tmp_path / "store")
    assert report.articles == len(names) and len(report.added) == len(names), report.skipped
    iris = _article_iris(tmp_path / "out" / "kg.ttl")
    assert sorted(iris) == sorted(names) and len(set(iris.values())) == len(names)
    assert iris["x_y.txt"].endswith("/article/x_y")         # a plain name keeps its readable IRI
    plain = build([root], tmp_path / "plain", html=False, validate=False, pipeline=pipeline)
    assert plain.articles == len(names)


def test_inputs_the_same_file_by_two_paths_is_one_article(small_corpus, tmp_path, pipeline):
    (small_corpus / "sub").mkdir()
    (small_corpus / "sub" / "again.txt").symlink_to(small_corpus / "bj_kefu.txt")
    os.link(small_corpus / "hz_shuadan.txt", small_corpus / "sub" / "hard.txt")
    report = build([small_corpus, small_corpus / "cd_tuanhuo.txt", small_corpus / "sub"], tmp_path / "out",
                   html=False, validate=False, pipeline=pipeline)
    assert report.articles == 4 and not report.skipped, report.skipped


def test_inputs_same_named_files_in_two_folders_keep_their_iris_whatever_their_content(tmp_path, pipeline):
    for d, money in (("a", "5万元"), ("b", "7万元")):
        (tmp_path / "in" / d).mkdir(parents=True)
        (tmp_path / "in" / d / "x.txt").write_text(GOOD.replace("5万元", money), encoding="utf-8")
    first = build([tmp_path / "in"], tmp_path / "out1", html=False, validate=False, pipeline=pipeline,
                  store=tmp_path / "store")
    a, b = (tmp_path / "in" / d / "x.txt" for d in "ab")
    ta, tb = a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")
    a.write_text(tb, encoding="utf-8")
    b.write_text(ta + "民警提醒。\n", encoding="utf-8")
    second = build([tmp_path / "in"], tmp_path / "out2", html=False, validate=False, pipeline=pipeline,
                   store=tmp_path / "store")
    assert len(first.added) == 2 and sorted(second.updated) == sorted(first.added)
    assert not second.added and not second.kept


# ------------------------------------------------------------------ 4. mixed encodings

def test_decode_a_file_of_mixed_encodings_keeps_every_line(tmp_path):
    from kg.ingest import read_article
    utf8 = "北京市海淀区公安分局通报：市民赵女士被冒充客服骗走3万元。\n".encode("utf-8")
    big5 = "某縣公安局民警近日破獲一起電信網絡詐騙案件，為市民挽回損失。\n".encode("big5")
    (tmp_path / "mixed.txt").write_bytes(utf8 * 2 + big5 * 2 + utf8)
    a = read_article(tmp_path / "mixed.txt")
    assert a.raw.count("赵女士") == 3 and a.raw.count("破獲") == 2
    assert any("lines 3-4 as Big5" in n for n in a.notes), a.notes


# ------------------------------------------------------------------ 5. outputs switched as a pair

def test_build_outputs_are_switched_as_a_pair(small_corpus, tmp_path, pipeline, monkeypatch):
    out = tmp_path / "out"
    build([small_corpus], out, html=True, validate=False, pipeline=pipeline)
    before = {n: (out / n).read_bytes() for n in ("kg.ttl", "graph.html")}
    (small_corpus / "gz_quanzu.txt").unlink()

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("kg.viz.write_html", disk_full)
    with pytest.raises(KGError, match="No space left"):
        build([small_corpus], out, html=True, validate=False, pipeline=pipeline)
    assert {n: (out / n).read_bytes() for n in ("kg.ttl", "graph.html")} == before
    assert sorted(p.name for p in out.iterdir()) == ["graph.html", "kg.ttl"]


def test_build_removes_temporaries_left_by_a_killed_build(small_corpus, tmp_path, pipeline):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".kg.ttl.a1b2c3d4.tmp").write_text("left by an older build")
    (out / ".graph.html.999999999.x1y2z3w4.tmp").write_text("left by a killed process")
    (out / ".kg.ttl.1.q9w8e7r6.tmp").write_text("pid 1 is running: not ours to remove")
    (out / "notes.tmp").write_text("the user's")
    build([small_corpus], out, html=True, validate=False, pipeline=pipeline)
    assert sorted(p.name for p in out.iterdir()) == [".kg.ttl.1.q9w8e7r6.tmp", "graph.html", "kg.ttl", "notes.tmp"]


# ------------------------------------------------------------------ 14. links out of the input folders

def test_inputs_links_out_of_the_input_folders_are_not_followed(small_corpus, tmp_path, pipeline):
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.txt").write_text(GOOD.replace("张女士", "秘密女士"), encoding="utf-8")
    (small_corpus / "secret.txt").symlink_to(outside / "secret.txt")
    (small_corpus / "dir").symlink_to(outside)
    (small_corpus / "inside.txt").symlink_to(small_corpus / "hz_shuadan.txt")    # inside: the same file, once
    report = build([small_corpus], tmp_path / "out", html=False, validate=False, pipeline=pipeline)
    assert report.articles == 4
    why = {Path(p).name: r for p, r in report.skipped}
    assert set(why) == {"secret.txt", "dir"} and all("--follow-links" in r for r in why.values()), why
    followed = build([small_corpus], tmp_path / "out", html=False, validate=False, pipeline=pipeline,
                     follow_links=True)
    assert followed.articles == 5 and not followed.skipped      # secret.txt and dir/secret.txt: one file


# ------------------------------------------------------------------ 12. escape codes kept off the terminal

def test_cli_escape_codes_in_file_names_do_not_reach_the_terminal(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    (root / "evil\x1b]0;owned\x07\x1b[2J\nError: forged.txt").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "rlo\u202egnp.txt").write_bytes(b"")
    res = CliRunner().invoke(main, ["build", str(root), "--out", str(tmp_path / "out"), "--no-html", "--no-validate"])
    assert res.exit_code == 0, res.output
    assert "\x1b" not in res.output and "\x07" not in res.output and "\u202e" not in res.output
    assert "\\x1b]0;owned\\x07" in res.output and "\\u202e" in res.output
    assert not any(line.startswith("Error") for line in res.output.splitlines())


# ------------------------------------------------------------------ 6. store faults named, with what to do

def _damage(store: Path, what: str) -> None:
    if what == "MANIFEST":
        f = next(store.glob("MANIFEST-*"))
        data = bytearray(f.read_bytes())
        data[20:60] = b"\xff" * 40
    else:
        f = max(store.glob("*.sst"), key=lambda p: p.stat().st_size)
        data = bytearray(f.read_bytes())
        for i in range(100, len(data) - 100, 97):
            data[i] ^= 0x5A
    f.write_bytes(bytes(data))


@pytest.mark.parametrize("what", ["MANIFEST", "SST"])
def test_store_a_damaged_store_is_named_with_how_to_restore_it(small_corpus, tmp_path, pipeline, what):
    store = tmp_path / "store"
    build([small_corpus], tmp_path / "out", html=False, validate=False, pipeline=pipeline, store=store)
    damaged = tmp_path / "damaged"
    shutil.copytree(store, damaged)
    _damage(damaged, what)
    with pytest.raises(KGError) as e:
        build([small_corpus], tmp_path / "out", html=False, validate=False, pipeline=pipeline, store=damaged)
    assert "the store is damaged" in str(e.value) and f"kg build {small_corpus} --store {damaged}" in str(e.value)
    for args in (["query", str(damaged), "SELECT * WHERE { ?s ?p ?o }"], ["export", str(damaged)]):
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 1 and "the store is damaged" in res.output and "restore it" in res.output, res.output
        assert "internal error" not in res.output


def test_store_a_full_disk_is_named_with_what_to_do(small_corpus, tmp_path, pipeline, monkeypatch):
    def disk_full(self, articles):     # what pyoxigraph raises when RocksDB cannot write
        raise OSError("IO error: No space left on device: While appending to file: 000011.sst: "
                      "No space left on device")

    monkeypatch.setattr(GraphStore, "put_articles", disk_full)
    with pytest.raises(KGError, match="the disk is full.*free some space"):
        build([small_corpus], tmp_path / "out", html=False, validate=False, pipeline=pipeline,
              store=tmp_path / "store")


# ------------------------------------------------------------------ 15. odd values

@pytest.mark.parametrize("text", ["受害人被骗1e308元。", "受害人被骗1.5E+3万元。", "受害人被骗１ｅ３０８元。"])
def test_numbers_a_number_in_e_notation_is_not_read_as_its_exponent(text):
    from kg.numbers import find_amounts
    assert [a.value for a in find_amounts(text)] == []


@pytest.mark.parametrize("text", ["民警于99999年12月31日破获此案。", "民警于12345年1月1日破获此案。"])
def test_dates_a_year_of_five_digits_lends_no_year_to_its_month_and_day(text):
    from kg.dates import find_dates
    assert [d.value for d in find_dates(text, ref_year=2024)] == []
    assert [d.value for d in find_dates("民警于2023年12月31日破获此案。", ref_year=2024)] == ["2023-12-31"]


def test_cli_a_store_fault_met_anywhere_is_named_not_reported_as_a_bug(monkeypatch):
    import kg.query

    def damaged(*args, **kwargs):
        raise RuntimeError("Corruption: block checksum mismatch in s/000049.sst offset 0 size 4051")

    monkeypatch.setattr(kg.query, "load_store", damaged)
    res = CliRunner().invoke(main, ["query", ".", "SELECT * WHERE { ?s ?p ?o }"])
    assert res.exit_code == 1 and "the store is damaged" in res.output and "restore it" in res.output
    assert "internal error" not in res.output


def test_build_prune_never_removes_an_article_whose_file_is_there_but_unreadable(pipeline, small_corpus, tmp_path,
                                                                                 monkeypatch):
    store = tmp_path / "store"
    build([small_corpus], tmp_path / "out", html=False, pipeline=pipeline, store=store)
    import kg.build
    from kg.errors import InputError
    real = kg.build.read_article

    def unreadable(path, **kwargs):     # as a file whose permissions changed (root reads everything)
        if Path(path).name == "gz_quanzu.txt":
            raise InputError("cannot be read: permission denied", path=str(path))
        return real(path, **kwargs)

    monkeypatch.setattr(kg.build, "read_article", unreadable)
    report = build([small_corpus], tmp_path / "out", html=False, pipeline=pipeline, store=store, prune=True)
    assert not report.removed and [g.rsplit("/", 1)[1] for g in report.kept] == ["gz_quanzu"]
    assert len(GraphStore(store, read_only=True).article_hashes()) == 4


def test_cli_build_that_loses_most_articles_says_so_and_exits_1(small_corpus, tmp_path, monkeypatch):
    import kg.parallel
    out = tmp_path / "out"
    out.mkdir()
    (out / "kg.ttl").write_text("# a good graph of an earlier build\n", encoding="utf-8")
    monkeypatch.setattr(kg.parallel, "process_article", lambda article, pipeline, *args, **kwargs: kg.parallel.Outcome(
        article.path, article.id, error="a worker process died"))
    res = CliRunner().invoke(main, ["build", str(small_corpus), "--out", str(out), "--no-html", "--no-validate"])
    assert res.exit_code == 1
    assert "4 of 4 articles could not be extracted" in res.output and "left as they were" in res.output
    assert (out / "kg.ttl").read_text(encoding="utf-8") == "# a good graph of an earlier build\n"


def test_build_without_html_says_an_old_page_no_longer_matches(small_corpus, tmp_path, pipeline):
    out = tmp_path / "out"
    build([small_corpus], out, html=True, validate=False, pipeline=pipeline)
    report = build([small_corpus], out, html=False, validate=False, pipeline=pipeline)
    assert [(Path(p).name, "earlier build" in n) for p, n in report.warnings] == [("graph.html", True)]


def test_inputs_same_relative_paths_under_several_inputs_stay_distinct(tmp_path):
    from kg.ingest import article_id
    from kg.inputs import scan_inputs
    roots = [tmp_path / "p" / "data", tmp_path / "q" / "data", tmp_path / "other"]
    for r in roots:
        (r / "sub").mkdir(parents=True)
        (r / "sub" / "x.txt").write_text(f"{r}\n", encoding="utf-8")
    files = scan_inputs(roots).files
    assert len(files) == 3 and len({article_id(f.key) for f in files}) == 3


def test_cli_prune_asks_before_removing_more_than_a_few_per_cent(small_corpus, tmp_path):
    store, out = tmp_path / "store", tmp_path / "out"
    args = ["build", str(small_corpus), "--out", str(out), "--store", str(store), "--no-html", "--no-validate", "-q"]
    assert CliRunner().invoke(main, args).exit_code == 0
    for name in ("gz_quanzu.txt", "bj_kefu.txt"):
        (small_corpus / name).unlink()
    res = CliRunner().invoke(main, [*args, "--prune"])        # not a terminal: no one to ask
    assert res.exit_code == 1 and "would remove 2 of the 4 articles" in res.output and "--yes" in res.output
    assert len(GraphStore(store, read_only=True).article_hashes()) == 4
    res = CliRunner().invoke(main, [*args, "--prune", "--yes"])
    assert res.exit_code == 0, res.output
    assert len(GraphStore(store, read_only=True).article_hashes()) == 2
