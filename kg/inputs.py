"""Which files a build reads: every ``.txt`` under the inputs, and why the others are skipped.

Folders are walked once each (a symbolic link back up the tree is reported, not followed
forever); pipes, sockets, devices, broken and looping links are named for what they are.
A symbolic link is followed only when it leads inside one of the input trees (or with
``follow_links``): a link to ``/etc/passwd`` dropped into a folder of articles is not read.
The same file reached by two paths (links, a folder given twice) is read once.

Each file gets a ``key``, which its article's identity is made of (:func:`kg.ingest.article_id`):
its name, so that moving files between folders changes nothing; where several files share a
name, all but the first (by relative path) are keyed by their path relative to the input they
were found under (with the input's name in front when two inputs hold the same relative
path), so that each keeps its identity when the files are edited or swapped.
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable


@dataclass(frozen=True)
class InputFile:
    """A file to read and the key its article's identity is derived from."""

    path: Path
    key: str      # its name, or its "/"-separated path relative to its input (see the module notes)


@dataclass
class InputScan:
    """What :func:`scan_inputs` found."""

    files: list[InputFile] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # inputs (or folders in them) that could not be read in full: what vanished from them is unknown
    incomplete: list[str] = field(default_factory=list)


def iter_input_files(inputs: Iterable[Path | str], *, follow_links: bool = False
                     ) -> tuple[list[Path], list[tuple[str, str]]]:
    """Every ``.txt`` file under the inputs, sorted; and (path, reason) for inputs skipped."""
    scan = scan_inputs(inputs, follow_links=follow_links)
    return [f.path for f in scan.files], scan.skipped


def scan_inputs(inputs: Iterable[Path | str], *, follow_links: bool = False) -> InputScan:
    """The ``.txt`` files under ``inputs`` (sorted by name, then path; each file once), with
    their keys, the skipped paths and why, and the inputs that could not be read in full."""
    inputs = [Path(p) for p in inputs]
    scan = InputScan()
    roots = [_real(p) for p in inputs if p.is_dir()]
    found: list[tuple[Path, str, str]] = []        # (path, key, input name)
    for p in inputs:
        if p.is_file():
            found.append((p, p.name, _real(p.parent)))
        elif p.is_dir():
            _walk(p, roots, follow_links, found, scan)
        else:
            scan.skipped.append((str(p), _not_a_file(p)))
            scan.incomplete.append(str(p))
    found.sort(key=lambda f: (f[0].name, str(f[0])))
    seen: dict[tuple[int, int], Path] = {}
    unique: list[tuple[Path, str, str]] = []      # (path, key, the real path of its input)
    for path, key, root in found:
        try:
            st = path.stat()
        except OSError as e:
            scan.skipped.append((str(path), f"cannot be read: {e.strerror or e}"))
            continue
        ident = (st.st_dev, st.st_ino)
        if ident in seen:           # the same file by another path: one article
            continue
        seen[ident] = path
        unique.append((path, key, root))
    scan.files = sorted(_keyed(unique), key=lambda f: (f.path.name, str(f.path)))
    return scan


def _keyed(found: list[tuple[Path, str, str]]) -> list[InputFile]:
    """Each file with its key: its name, when no other file has that name (so the id does not
    depend on the folders); else a key from its path (:func:`_distinct_keys`), except for the
    first of them in that order, which keeps its name."""
    by_name: dict[str, list[tuple[Path, str, str]]] = {}
    for f in found:
        by_name.setdefault(f[0].name, []).append(f)
    files = []
    for name, group in by_name.items():
        if len(group) == 1:
            files.append(InputFile(group[0][0], name))
            continue
        keyed = sorted((key, path) for path, key in _distinct_keys(group))
        files.append(InputFile(keyed[0][1], name))
        files.extend(InputFile(path, key) for key, path in keyed[1:])
    return files


def _distinct_keys(group: list[tuple[Path, str, str]]) -> list[tuple[Path, str]]:
    """(path, key) for files of one name: the path relative to the input; where two inputs
    hold the same one, the input's name in front; where even that is shared, its full path."""
    def counts(keys: list[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for k in keys:
            out[k] = out.get(k, 0) + 1
        return out

    rel = counts([key for _, key, _ in group])
    named = counts([f"{_name(root)}/{key}" for _, key, root in group])
    return [(path, key if rel[key] == 1 else f"{_name(root)}/{key}" if named[f"{_name(root)}/{key}"] == 1
             else f"{root}/{key}") for path, key, root in group]


def _real(p: Path) -> str:
    return os.path.realpath(p)


def _name(real: str) -> str:
    return Path(real).name or "/"


def _inside(real: str, roots: list[str]) -> bool:
    return any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _walk(root: Path, roots: list[str], follow_links: bool, found: list, scan: InputScan) -> None:
    """Add the ``.txt`` files under ``root``; folders reached twice (link loops) are skipped."""
    seen_dirs: set[tuple[int, int]] = set()
    name = _real(root)
    stack = [(root, "")]
    while stack:
        d, rel = stack.pop()
        try:
            st = d.stat()
        except OSError as e:
            scan.skipped.append((str(d), _oserror(e)))
            scan.incomplete.append(str(d))
            continue
        if (st.st_dev, st.st_ino) in seen_dirs:
            scan.skipped.append((str(d), "symbolic link loop (a folder that contains itself), skipped"))
            continue
        seen_dirs.add((st.st_dev, st.st_ino))
        try:
            entries = sorted(d.iterdir())
        except OSError as e:
            scan.skipped.append((str(d), f"folder cannot be listed: {e.strerror or e}"))
            scan.incomplete.append(str(d))
            continue
        for c in entries:
            key = f"{rel}{c.name}"
            is_txt = c.suffix.lower() == ".txt"
            try:
                is_dir = c.is_dir()
                is_txt = is_txt and not is_dir
                if (is_dir or is_txt) and c.is_symlink() and not follow_links \
                        and not _inside(_real(c), roots):
                    scan.skipped.append((str(c), f"is a symbolic link to {_real(c)}, outside the input "
                                                 "folders: not followed (use --follow-links to read it)"))
                    continue
                if is_dir:
                    stack.append((c, key + "/"))
                elif is_txt:
                    if c.is_file():
                        found.append((c, key, name))
                    else:
                        scan.skipped.append((str(c), _not_a_file(c)))
            except OSError as e:      # a path past PATH_MAX, a name the file system refuses
                scan.skipped.append((str(c), _oserror(e)))
                if not is_txt:
                    scan.incomplete.append(str(c))


def _oserror(e: OSError) -> str:
    if e.errno == errno.ENAMETOOLONG:
        return "path too long for the system (past PATH_MAX or NAME_MAX), skipped: move it to a shallower folder"
    return f"cannot be read: {e.strerror or e}"


def _not_a_file(p: Path) -> str:
    """Why ``p`` is neither a regular file nor a folder, in words."""
    try:
        st = p.stat()
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "is a symbolic link loop"
        if p.is_symlink():
            return f"is a broken symbolic link (to {os.readlink(p)})"
        if e.errno == errno.ENAMETOOLONG:
            return _oserror(e)
        return "does not exist" if e.errno == errno.ENOENT else f"cannot be read: {e.strerror or e}"
    if stat.S_ISFIFO(st.st_mode):
        return "is a named pipe (FIFO), not a regular file"
    if stat.S_ISSOCK(st.st_mode):
        return "is a socket, not a regular file"
    return "is a device or other special file, not a regular file"


# An id kept as the file's stem: word characters, dots and dashes (never only dots), NFC
_PLAIN_ID = re.compile(r"(?!\.+$)[\w.-]{1,120}")


def article_id(key: str | Path) -> str:
    """The article identifier of the file with key ``key`` (its path relative to the input it
    was found under, :class:`kg.inputs.InputFile`; a path stands for its name).

    A key ``STEM.txt`` whose stem is plain (word characters, dots, dashes; NFC; at most 120
    characters) gives ``STEM``. Any other key (a subfolder, another suffix, spaces or
    symbols, undecodable bytes) gives a readable slug, ``~`` and 16 hex digits of the
    SHA-256 of the key's bytes: a plain stem never holds ``~``, so no two keys share an id.
    """
    if isinstance(key, Path):
        key = key.name
    stem = key[:-4] if key.endswith(".txt") else None
    if stem is not None and _PLAIN_ID.fullmatch(stem) and unicodedata.is_normalized("NFC", stem):
        return stem
    raw = os.fsencode(key)
    base = key[:-4] if key.lower().endswith(".txt") else key
    slug = re.sub(r"[^\w.-]+", "_", unicodedata.normalize("NFC", display_name(base))).strip("_.")[:60]
    return f"{slug or 'article'}~{hashlib.sha256(raw).hexdigest()[:16]}"


def display_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (held as surrogates) become U+FFFD."""
    return os.fsencode(name).decode("utf-8", "replace") if any("\udc80" <= c <= "\udcff" for c in name) else name
