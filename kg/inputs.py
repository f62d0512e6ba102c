"""Which files a build reads: every ``.txt`` under the inputs, and why the others are skipped.

Folders are walked once each (a symbolic link back up the tree is reported, not followed
forever); pipes, sockets, devices, broken and looping links are named for what they are.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Iterable


def iter_input_files(inputs: Iterable[Path | str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Every ``.txt`` file under the inputs, sorted; and (path, reason) for inputs skipped."""
    files: set[Path] = set()
    skipped: list[tuple[str, str]] = []
    for inp in inputs:
        p = Path(inp)
        if p.is_file():
            files.add(p)
        elif p.is_dir():
            _walk(p, files, skipped)
        else:
            skipped.append((str(p), _not_a_file(p)))
    return sorted(files, key=lambda x: (x.name, str(x))), skipped


def _walk(root: Path, files: set[Path], skipped: list[tuple[str, str]]) -> None:
    """Add the ``.txt`` files under ``root``; folders reached twice (link loops) are skipped."""
    seen_dirs: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        d = stack.pop()
        try:
            st = d.stat()
        except OSError as e:
            skipped.append((str(d), f"cannot be read: {e.strerror or e}"))
            continue
        if (st.st_dev, st.st_ino) in seen_dirs:
            skipped.append((str(d), "symbolic link loop (a folder that contains itself), skipped"))
            continue
        seen_dirs.add((st.st_dev, st.st_ino))
        try:
            entries = sorted(d.iterdir())
        except OSError as e:
            skipped.append((str(d), f"folder cannot be listed: {e.strerror or e}"))
            continue
        for c in entries:
            if c.is_dir():
                stack.append(c)
            elif c.suffix.lower() == ".txt":
                if c.is_file():
                    files.add(c)
                else:
                    skipped.append((str(c), _not_a_file(c)))


def _not_a_file(p: Path) -> str:
    """Why ``p`` is neither a regular file nor a folder, in words."""
    try:
        st = p.stat()
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "is a symbolic link loop"
        if p.is_symlink():
            return f"is a broken symbolic link (to {os.readlink(p)})"
        return "does not exist" if e.errno == errno.ENOENT else f"cannot be read: {e.strerror or e}"
    if stat.S_ISFIFO(st.st_mode):
        return "is a named pipe (FIFO), not a regular file"
    if stat.S_ISSOCK(st.st_mode):
        return "is a socket, not a regular file"
    return "is a device or other special file, not a regular file"
