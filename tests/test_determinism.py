"""The same articles give byte-identical outputs, whatever the folder, order or hash seed."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

KG = str(Path(sys.executable).parent / "kg")
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EXTRA = {
    "extra_a.txt": "甲县公安局民警近日破获一起冒充客服诈骗案，抓获犯罪嫌疑人3名，为受害人挽回损失2万元。\n",
    "extra_b.txt": "某市公安局反诈中心提醒：刷单返利是诈骗。\n近日，市民李女士在网上兼职刷单，被骗5万元。\n",
}


def _articles() -> dict[str, bytes]:
    files = {p.name: p.read_bytes() for p in sorted(SEEDS.glob("*.txt"))}
    files.update({k: v.encode("utf-8") for k, v in EXTRA.items()})
    return files


def _lay_out(root: Path, files: dict[str, bytes], order: list[str], nested: bool) -> Path:
    """Copy the articles into ``root`` in the given creation order, nested or flat.

    Two more files share a name in two sub-folders (``dup/a``, ``dup/b``): both are kept,
    under ids that must not depend on which was created first.
    """
    for i, name in enumerate(order):
        folder = root / f"part{i % 3}" / "deeper" if nested else root
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(files[name])
    for sub in ("ab" if nested else "ba"):
        (root / "dup" / sub).mkdir(parents=True)
        (root / "dup" / sub / "same.txt").write_text(SAME[sub], encoding="utf-8")
    return root


SAME = {"a": "甲县公安局破获一起诈骗案。\n", "b": "乙县公安局破获一起盗窃案。\n"}


def _build(inputs: Path, out: Path, seed: str, html: bool, *extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    args = [KG, "build", str(inputs), "--out", str(out), "-q", *extra]
    if not html:
        args.append("--no-html")
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=600)


def _has_jobs() -> bool:
    return "--jobs" in subprocess.run([KG, "build", "--help"], capture_output=True, text=True).stdout


def test_determinism_order_folders_hash_seed_and_jobs_do_not_change_the_output(tmp_path):
    files = _articles()
    names = sorted(files)
    a = _lay_out(tmp_path / "first copy", files, names, nested=False)
    b = _lay_out(tmp_path / "另一个 folder", files, list(reversed(names)), nested=True)
    html = (Path(__file__).resolve().parent.parent / "kg" / "viz.py").exists()
    first = _build(a, tmp_path / "out1", "1", html)
    second = _build(b, tmp_path / "out2", "4242", html, *(["--jobs", "2"] if _has_jobs() else []))
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    one, two = (tmp_path / "out1" / "kg.ttl").read_bytes(), (tmp_path / "out2" / "kg.ttl").read_bytes()
    assert len(one) > 1000 and one == two
    from rdflib import Graph, Literal
    from kg.ns import FKG
    g = Graph().parse(data=one, format="turtle")
    assert len([a for a in g.subjects(FKG.sourceFile, Literal("same.txt")) if "/item/" not in str(a)]) == 2
    if html:
        assert (tmp_path / "out1" / "graph.html").read_bytes() == (tmp_path / "out2" / "graph.html").read_bytes()
