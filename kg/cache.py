"""A cache of plain data (dicts of strings and tuples) derived from data files, so that a new
process loads an index in a fraction of the time building it takes.

Files live under ``$FRAUDKG_CACHE`` (set it empty to turn the cache off) or
``$XDG_CACHE_HOME/fraudkg`` (``~/.cache/fraudkg``), named by what they hold and a key of the
data they were built from. They are written with :mod:`marshal` (plain data only, never code),
atomically; a missing, damaged or unwritable cache only means building the data again.
"""
from __future__ import annotations

import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable, Optional


def cache_file(name: str, key: str) -> Optional[Path]:
    """The file for ``name`` built from data identified by ``key``; None when turned off."""
    root = os.environ.get("FRAUDKG_CACHE")
    if root is None:
        root = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "fraudkg")
    if not root:
        return None
    version = f"{sys.version_info[0]}{sys.version_info[1]}"
    return Path(root) / f"{name}-{key}-py{version}.marshal"


def cached(name: str, key: Optional[str], build: Callable[[], dict]) -> dict:
    """``build()``, or what it gave before for the same ``key`` (None: do not cache)."""
    path = cache_file(name, key) if key else None
    if path is not None:
        try:
            value = marshal.loads(path.read_bytes())
            if isinstance(value, dict):
                return value
        except (OSError, EOFError, ValueError, TypeError):
            pass
    value = build()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(marshal.dumps(value))
                os.replace(tmp, path)
            except BaseException:
                os.unlink(tmp)
                raise
        except (OSError, ValueError):
            pass
    return value
