"""Shared helpers of the benchmarks: the generated corpus, timing, peak memory of a process tree."""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "seeds", ROOT.parent / "shared" / "corpus" / "dev" / "articles",
           ROOT.parent / "shared" / "corpus" / "train" / "articles"]
KG = str(Path(sys.executable).with_name("kg"))


def source_files() -> list[Path]:
    files = sorted(f for d in SOURCES if d.is_dir() for f in d.glob("*.txt"))
    if not files:
        sys.exit(f"no articles found in {', '.join(map(str, SOURCES))}")
    return files


def make_corpus(folder: Path, megabytes: float) -> tuple[list[Path], int]:
    """Copies of the seed, dev and train articles under varied names until ``megabytes`` MB; (files, bytes)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    files, total, k = [], 0, 0
    sources = source_files()
    while total < megabytes * 1e6:
        for src in sources:
            dst = folder / f"c{k // 100:03d}" / f"copy{k:05d}_{src.name}"
            dst.parent.mkdir(exist_ok=True)
            dst.write_bytes(src.read_bytes())
            files.append(dst)
            total += dst.stat().st_size
            k += 1
            if total >= megabytes * 1e6:
                break
    return files, total


def run_measured(cmd: list[str]) -> tuple[float, int, str]:
    """Run ``cmd``; (wall seconds, peak resident memory in bytes of the process and its children,
    its standard output)."""
    import psutil
    import tempfile
    t0 = time.perf_counter()
    out = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
    ps, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        try:
            procs = [ps] + ps.children(recursive=True)
            peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.2)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr.read().decode()[-2000:]}")
    out.seek(0)
    return seconds, peak, out.read().decode("utf-8", "replace")


def percentile(values: list[float], p: float) -> float:
    s = sorted(values)
    if len(s) == 1:
        return s[0]
    return statistics.quantiles(s, n=100, method="inclusive")[int(p) - 1]


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
