"""Extractors: one small module per concern, registered by name.

An extractor factory takes the shared :class:`~kg.pipeline.Resources` and returns a
callable ``Doc -> Doc`` that adds annotations. Register one with::

    @register("places", assigns=("Place", "links"))
    def make_places(resources):
        gaz = resources.gazetteer
        def places(doc): ...
        return places

``DEFAULT_PIPELINE`` is the order a build runs them in; later extractors may read what
earlier ones added (units read places, cases read everything).
"""
from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from typing import Callable, Iterable

# What extractors add to and read from a Doc: mention (and entity) labels, and Doc fields.
ANNOTATIONS = frozenset({
    "Place", "PoliceUnit", "PoliceOfficer", "Victim", "Suspect", "PersonRef", "Organization",
    "CriminalGroup", "Money", "Date", "CrimeCue",            # mention and entity labels
    "links", "cases", "figures", "home_city",                # Doc fields
})


@dataclass(frozen=True)
class Factory:
    """A registered extractor: how to make it, what it reads and what it adds."""

    name: str
    make: Callable
    requires: frozenset[str]
    assigns: frozenset[str]


_FACTORIES: dict[str, Factory] = {}

# name -> module that registers it (imported on first use, so nothing loads at import time)
_MODULES = {
    "crime_types": "kg.extract.crimetypes",
    "places": "kg.extract.places",
    "police_units": "kg.extract.police",
    "home_city": "kg.extract.homecity",
    "persons": "kg.extract.persons",
    "organizations": "kg.extract.organizations",
    "groups": "kg.extract.groups",
    "money": "kg.extract.money",
    "dates": "kg.extract.dates",
    "relations": "kg.extract.relations",
    "cases": "kg.extract.cases",
}

DEFAULT_PIPELINE = tuple(_MODULES)


def register(name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = ()) -> Callable[[Callable], Callable]:
    """Decorator: make an extractor factory available under ``name``, declaring the
    annotations (:data:`ANNOTATIONS`) it reads and the ones it adds."""
    requires, assigns = frozenset(requires), frozenset(assigns)
    unknown = (requires | assigns) - ANNOTATIONS
    if unknown:
        raise ValueError(f"extractor {name!r} declares unknown annotations {sorted(unknown)}; known: {sorted(ANNOTATIONS)}")

    def deco(factory: Callable) -> Callable:
        _FACTORIES[name] = Factory(name, factory, requires, assigns)
        return factory
    return deco


def available() -> list[str]:
    """Names of extractors whose module exists."""
    out = []
    for name, mod in _MODULES.items():
        if importlib.util.find_spec(mod) is not None:
            out.append(name)
    return out


def factory(name: str) -> Factory:
    """The registration of extractor ``name``; unknown names raise KeyError."""
    if name not in _FACTORIES:
        mod = _MODULES.get(name)
        if mod is None:
            raise KeyError(f"unknown extractor {name!r}; known: {', '.join(_MODULES)}")
        importlib.import_module(mod)
    return _FACTORIES[name]


def create(name: str, resources) -> Callable:
    """The extractor ``name`` built with ``resources``; unknown names raise KeyError."""
    return factory(name).make(resources)


def check_order(names: Iterable[str], given: Iterable[str] = ()) -> None:
    """Raise KGError when an extractor in ``names`` reads an annotation that neither
    ``given`` (already on the docs, as in a test that supplies them) nor an extractor before
    it adds (spaCy checks a pipeline's ``requires`` the same way)."""
    from ..errors import KGError
    added: set[str] = set(given)
    for name in names:
        f = factory(name)
        missing = f.requires - added
        if missing:
            givers = sorted(n for n in _MODULES if factory(n).assigns & missing)
            raise KGError(f"extractor {name!r} needs {', '.join(sorted(missing))}, which no extractor before it adds",
                          hint=f"put {' or '.join(givers) or 'an extractor that adds it'} before {name!r}")
        added |= f.assigns
