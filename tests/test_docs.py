"""The README's examples are real: every command of its explorer and named-question
sections runs against a small graph and succeeds."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

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


@pytest.mark.parametrize("title,cmd", EXAMPLES, ids=[" ".join(c[1:4]) for _, c in EXAMPLES])
def test_docs_readme_example_runs(title, cmd, tmp_path, monkeypatch):
    (tmp_path / "outputs").mkdir()
    (tmp_path / "outputs" / "kg.ttl").write_text(SMALL_KG_TTL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, cmd[1:])
    assert r.exit_code == 0, f"{shlex.join(cmd)}\n{r.output}"
    assert r.output.strip()
    if "--out" in cmd:
        assert (tmp_path / cmd[cmd.index("--out") + 1]).stat().st_size > 0


def test_docs_readme_shows_the_screenshot():
    assert "](docs/graph.png)" in section("Exploring the graph")
    assert (README.parent / "docs" / "graph.png").is_file()


@pytest.mark.parametrize("command", ["viz", "analyze", "path", "query"])
def test_docs_commands_have_help_with_an_example(command):
    r = CliRunner().invoke(main, [command, "--help"])
    assert r.exit_code == 0 and "Example:" in r.output
    assert f"kg {command}" in " ".join(section("Exploring the graph").split() + section("Named questions").split())
