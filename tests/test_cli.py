"""The kg command end to end: build, query formats, errors as messages and exit codes."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ("宁海县公安局成功破获一起诈骗案\n"
           "本报讯 近日，宁海县公安局接到市民周女士报警称被骗2万元。民警立即开展侦查，成功止付1万元。\n")


def kg(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    (d / "in").mkdir()
    (d / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    r = kg("build", d / "in", "--out", d / "out")
    assert r.returncode == 0, r.stderr
    return d, r


def test_cli_build_writes_graph_and_prints_a_summary(built):
    d, r = built
    assert (d / "out" / "kg.ttl").stat().st_size > 0
    assert (d / "out" / "graph.html").stat().st_size > 0
    for word in ("Articles read: 1", "Triples:", "Time:"):
        assert word in r.stdout


def test_cli_query_prints_a_table_by_default(built):
    d, _ = built
    r = kg("query", d / "out" / "kg.ttl", "SELECT ?f WHERE { ?a a fkg:Article ; fkg:sourceFile ?f }")
    assert r.returncode == 0, r.stderr
    assert "a.txt" in r.stdout and "(1 row)" in r.stdout


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_cli_query_formats_for_scripts(built, fmt):
    d, _ = built
    r = kg("query", d / "out" / "kg.ttl", "SELECT ?f WHERE { ?a a fkg:Article ; fkg:sourceFile ?f }",
           "--format", fmt)
    assert r.returncode == 0, r.stderr
    if fmt == "json":
        rows = json.loads(r.stdout)["results"]["bindings"]
        assert rows == [{"f": {"value": "a.txt"}}]
    else:
        rows = list(csv.reader(io.StringIO(r.stdout), delimiter="," if fmt == "csv" else "\t"))
        assert rows == [["f"], ["a.txt"]]


def test_cli_query_reads_a_query_file(built, tmp_path):
    d, _ = built
    q = tmp_path / "q.rq"
    q.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a a fkg:Article }", encoding="utf-8")
    r = kg("query", d / "out" / "kg.ttl", "--file", q, "--format", "csv")
    assert r.returncode == 0 and r.stdout.splitlines() == ["n", "1"]


def test_cli_malformed_query_gives_the_parser_message_and_exit_code_2(built):
    d, _ = built
    r = kg("query", d / "out" / "kg.ttl", "SELECT ?x WHERE { ?x a fkg:Article ")
    assert r.returncode == 2
    assert r.stderr.startswith("Error: malformed SPARQL query")
    assert "Traceback" not in r.stderr


def test_cli_missing_input_is_an_error_not_a_traceback(tmp_path):
    r = kg("build", tmp_path / "nope", "--out", tmp_path / "out")
    assert r.returncode != 0
    assert "nope" in r.stderr and "Traceback" not in r.stderr


def test_cli_build_output_is_byte_identical_across_runs(built, tmp_path):
    d, _ = built
    r = kg("build", d / "in", "--out", tmp_path / "again")
    assert r.returncode == 0
    assert (tmp_path / "again" / "kg.ttl").read_bytes() == (d / "out" / "kg.ttl").read_bytes()


def test_cli_query_says_on_stderr_when_nothing_is_found(built):
    d, _ = built
    r = kg("query", d / "out" / "kg.ttl", "--name", "entity", "--param", "name=没有这个名字", "--format", "csv")
    assert r.returncode == 0 and r.stdout.strip() == "entity,direction,relation,value,sentence"
    assert "No answer: entity with name=没有这个名字 finds nothing" in r.stderr
    r = kg("query", d / "out" / "kg.ttl", "SELECT ?x WHERE { ?x a fkg:NoSuchClass }")
    assert r.returncode == 0 and "No answer" in r.stderr


def test_cli_query_refuses_an_unknown_parameter_value_listing_the_allowed_ones(built):
    d, _ = built
    r = kg("query", d / "out" / "kg.ttl", "--name", "cases-by-place", "--param", "level=city")
    assert r.returncode == 2 and "province、prefecture、county" in r.stderr and "Traceback" not in r.stderr


def test_cli_output_into_a_closed_pipe_ends_quietly():
    # more than a pipe holds, read by a consumer that stops after one line
    cmd = (f"{sys.executable} -m kg.cli query {ROOT / 'outputs' / 'kg.ttl'} "
           "'SELECT ?s ?p ?o WHERE { ?s ?p ?o }' | head -n 1")
    r = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, timeout=300)
    assert r.stdout.startswith("s ") and "Error" not in r.stderr and "BrokenPipe" not in r.stderr, r.stderr
    assert r.returncode == 0


def test_cli_query_help_and_readme_list_the_predeclared_prefixes():
    from kg.serialize import PREFIXES
    r = kg("query", "--help")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = readme[readme.index("`kg query` predeclares"):].split(". ", 1)[0]
    for prefix in PREFIXES:
        assert f" {prefix}," in r.stdout.replace("\n", " ") + "," or f" {prefix} " in r.stdout.replace("\n", " "), prefix
        assert f"`{prefix}:`" in line, prefix
