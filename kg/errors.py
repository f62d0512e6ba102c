"""One error hierarchy. Messages name the file (and line where there is one) and what to do.

Only the command line turns these into exit codes and ``Error: ...`` lines.
"""
from __future__ import annotations

from typing import Optional


class KGError(Exception):
    """Base of every error FraudKG raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, path: Optional[str] = None, line: Optional[int] = None,
                 hint: Optional[str] = None):
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{hint}"


class InputError(KGError):
    """An input file or folder cannot be read or used as an article."""


class QueryError(KGError):
    """A SPARQL query is malformed or a named query/parameter is unknown."""

    exit_code = 2


class OntologyError(KGError):
    """The ontology files are missing or inconsistent."""


class StoreError(KGError):
    """The persistent store or a remote endpoint cannot be used."""
