"""The one reader of the package's data tables (``kg/data/*.tsv``).

A table is tab-separated text: ``#`` lines and blank lines are comments, the first other
line names the columns, every later line is a row. Rows are checked as they are read, so a
bad row is reported with its file and line instead of failing later inside an extractor:
the cell count, unique ``id`` values, and the columns whose name says what they hold
(``pattern``: a regular expression; ``rank``, ``window``, ``freq``, ``min_core``: an
integer; ``weight``: a number).
"""
from __future__ import annotations

import importlib.resources
import re
from typing import Optional

from .errors import KGError

INTEGER_COLUMNS = frozenset({"rank", "window", "freq", "min_core"})
NUMBER_COLUMNS = frozenset({"weight"})
REGEX_COLUMNS = frozenset({"pattern"})


class TableError(KGError):
    """A data table is missing or has a malformed row."""


class Row(dict):
    """One row of a table: its cells by column name, and where it was read from."""

    __slots__ = ("path", "line")

    def __init__(self, cells: dict[str, str], path: str, line: int):
        super().__init__(cells)
        self.path = path
        self.line = line

    def error(self, message: str, hint: Optional[str] = None) -> TableError:
        """An error about this row, naming its file and line."""
        return TableError(message, path=self.path, line=self.line, hint=hint)


def parse_table(text: str, path: str) -> list[Row]:
    """The rows of a table's ``text`` (read from ``path``, named in errors)."""
    header: Optional[list[str]] = None
    rows: list[Row] = []
    ids: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = [c.strip() for c in cells]
            continue
        if len(cells) > len(header):
            raise TableError(f"{len(cells)} cells, but the header names {len(header)} columns",
                             path=path, line=number, hint="a tab inside a cell? cells are separated by tabs")
        if len(cells) < len(header):
            cells = cells + [""] * (len(header) - len(cells))  # trailing empty cells may be left out
        row = Row(dict(zip(header, cells)), path, number)
        _check(row, ids)
        rows.append(row)
    if header is None:
        raise TableError("the table has no header line", path=path)
    return rows


def _check(row: Row, ids: dict[str, int]) -> None:
    rid = row.get("id")
    if rid is not None:
        if not rid:
            raise row.error("the id cell is empty", hint="every rule row needs a unique id")
        if rid in ids:
            raise row.error(f"id {rid!r} is already used on line {ids[rid]}")
        ids[rid] = row.line
    for col, value in row.items():
        if col in INTEGER_COLUMNS and value and not re.fullmatch(r"-?\d+", value.strip()):
            raise row.error(f"column {col!r} must be an integer, not {value!r}")
        if col in NUMBER_COLUMNS and value and not re.fullmatch(r"-?\d+(?:\.\d+)?", value.strip()):
            raise row.error(f"column {col!r} must be a number, not {value!r}")
        if col in REGEX_COLUMNS and value:
            try:
                re.compile(value)
            except re.error as e:
                raise row.error(f"column {col!r} is not a valid regular expression: {e}") from None


def read_table(name: str, package: str = "kg.data") -> list[Row]:
    """Rows of ``<package>/<name>.tsv``."""
    path = f"{package.replace('.', '/')}/{name}.tsv"
    try:
        text = importlib.resources.files(package).joinpath(f"{name}.tsv").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TableError(f"data file {path} is missing", hint="reinstall the package") from None
    return parse_table(text, path)
