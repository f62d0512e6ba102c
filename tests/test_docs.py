"""The README's examples are real: every command of its explorer and named-question
sections runs against a small graph and succeeds."""
from __future__ import annotations

import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner

from conftest import SMALL_KG_TTL
from kg.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"
SECTIONS = ("Exploring the graph", "Named questions")


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert m, f"README has no section {title!r}"
    return m.group(1)


def commands(title: str) -> list[list[str]]:
    blocks = re.findall(r"```sh\n(.*?)```", section(title), re.S)
    return [shlex.split(line, comments=True) for block in blocks for line in block.splitlines()
            if line.strip().startswith("kg ")]


EXAMPLES = [(title, cmd) for title in SECTIONS for cmd in commands(title)]


def test_docs_sections_have_examples():
    for title in SECTIONS:
        assert len(commands(title)) >= 3, title


# ---------------------------------------------------------------- every command of the README
def readme_commands() -> list[str]:
    """Every line of the README's shell blocks that runs kg (comments dropped)."""
    text = README.read_text(encoding="utf-8")
    lines = [line.strip() for block in re.findall(r"```sh\n(.*?)```", text, re.S) for line in block.splitlines()]
    return [shlex.join(shlex.split(line, comments=True)) for line in lines if line.startswith("kg ")]


def readme_query() -> str:
    return re.search(r"```sparql\n(.*?)```", README.read_text(encoding="utf-8"), re.S).group(1)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A folder as the README's commands expect it: the seed articles as seeds/ and as
    articles/, outputs/kg.ttl (the seeds' graph, as committed), a store of the seeds, and
    my.rq holding the README's SPARQL example."""
    import shutil

    from kg.build import build
    root = README.parent
    d = tmp_path_factory.mktemp("readme")
    for name in ("seeds", "articles"):
        shutil.copytree(root / "seeds", d / name)
    (d / "outputs").mkdir()
    shutil.copy(root / "outputs" / "kg.ttl", d / "outputs" / "kg.ttl")
    build([d / "seeds"], d / "built", html=False, validate=False, store=d / "store")
    (d / "my.rq").write_text(readme_query(), encoding="utf-8")
    return d


def _kg(args: list[str], cwd, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(args: list[str], cwd) -> str:
    """Run `kg serve` (on a free port), ask it one query, stop it; what it printed."""
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", *args, "--port", str(_free_port()), "--quiet"],
                            cwd=cwd, stderr=subprocess.PIPE, text=True)
    try:
        banner = proc.stderr.readline()
        url = re.search(r"(http://\S+)/sparql", banner).group(1)
        query = urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/fraudkg/ontology#Case> }"})
        req = urllib.request.Request(f"{url}/sparql?{query}", headers={"Accept": "text/csv"})
        answer = urllib.request.urlopen(req, timeout=60).read().decode("utf-8")
        assert int(answer.split()[1]) > 0, answer
        return banner
    finally:
        proc.terminate()
        proc.wait(30)


def _push(args: list[str], cwd, tmp_path) -> subprocess.CompletedProcess:
    """Run `kg push` against a real Oxigraph server in place of the README's address."""
    exe = Path(sys.executable).with_name("oxigraph")
    port = _free_port()
    server = subprocess.Popen([str(exe), "serve", "--location", str(tmp_path / "remote"), "--bind",
                               f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/query?{urlencode({'query': 'ASK {}'})}", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        args = [re.sub(r"^http://127\.0\.0\.1:\d+", f"http://127.0.0.1:{port}", a) for a in args]
        return _kg(args, cwd)
    finally:
        server.terminate()
        server.wait(10)


@pytest.mark.parametrize("command", readme_commands())
def test_docs_every_readme_command_runs_on_the_seeds_and_answers(command, workspace, tmp_path, request):
    args = shlex.split(command)[1:]
    if args[0] == "serve":
        assert "SPARQL endpoint" in _serve(args, workspace)
        return
    if args[0] == "push" and any("sparql-graph-crud" in a for a in args):     # Virtuoso's endpoint
        base = request.getfixturevalue("virtuoso")
        r = _kg([re.sub(r"^http://127\.0\.0\.1:\d+", base, a) for a in args], workspace)
    elif args[0] == "push":
        r = _push(args, workspace, tmp_path)
    else:
        r = _kg(args, workspace)
    assert r.returncode == 0, f"{command}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}"
    out = r.stdout + r.stderr
    assert r.stdout.strip() or "Wrote" in out or "Sent" in out or "--out" in args, command
    assert "No answer" not in r.stderr and "(0 rows)" not in r.stdout and "0 hops" not in r.stdout, out[-2000:]
    if "--out" in args:
        assert (workspace / args[args.index("--out") + 1]).stat().st_size > 0


def test_docs_readme_commands_cover_every_kg_command():
    from kg.cli import main
    used = {shlex.split(c)[1] for c in readme_commands()}
    assert set(main.commands) <= used | {"explore"}, set(main.commands) - used


def test_docs_readme_shows_the_screenshot():
    assert "](docs/graph.png)" in section("Exploring the graph")
    assert (README.parent / "docs" / "graph.png").is_file()


@pytest.mark.parametrize("command", ["viz", "analyze", "path", "query"])
def test_docs_commands_have_help_with_an_example(command):
    r = CliRunner().invoke(main, [command, "--help"])
    assert r.exit_code == 0 and "Example:" in r.output
    assert f"kg {command}" in " ".join(section("Exploring the graph").split() + section("Named questions").split())


def test_docs_the_oxigraph_server_line_answers_with_the_store_s_union(workspace):
    """The README's `oxigraph serve-read-only` line, run on a store: it sees what kg sees."""
    text = README.read_text(encoding="utf-8")
    line = next(l.strip() for l in text.splitlines() if l.strip().startswith("oxigraph serve-read-only"))
    args = shlex.split(line)
    port = _free_port()
    args[args.index("--location") + 1] = str(workspace / "store")
    if "--bind" in args:
        args[args.index("--bind") + 1] = f"127.0.0.1:{port}"
    else:
        args += ["--bind", f"127.0.0.1:{port}"]
    exe = str(Path(sys.executable).with_name("oxigraph"))
    server = subprocess.Popen([exe, *args[1:]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/fraudkg/ontology#Case> }"
    try:
        for _ in range(200):
            try:
                req = urllib.request.Request(f"http://127.0.0.1:{port}/query?{urlencode({'query': query})}",
                                             headers={"Accept": "text/csv"})
                answer = urllib.request.urlopen(req, timeout=5).read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(10)
    from kg.query import load_store, run
    expected = run(load_store(workspace / "store"), query).rows[0][0]
    assert int(answer.split()[1]) == int(expected) > 0
