"""Extractors: one small module per concern, registered by name.

An extractor factory takes the shared :class:`~kg.pipeline.Resources` and returns a
callable ``Doc -> Doc`` that adds annotations. Register one with::

    @register("places")
    def make_places(resources):
        gaz = resources.gazetteer
        def places(doc): ...
        return places

``DEFAULT_PIPELINE`` is the order a build runs them in; later extractors may read what
earlier ones added (units read places, cases read everything).
"""
from __future__ import annotations

import importlib
from typing import Callable

_FACTORIES: dict[str, Callable] = {}

# name -> module that registers it (imported on first use, so nothing loads at import time)
_MODULES = {
    "places": "kg.extract.places",
    "police_units": "kg.extract.police",
    "home_city": "kg.extract.homecity",
    "persons": "kg.extract.persons",
    "organizations": "kg.extract.organizations",
    "crime_types": "kg.extract.crimetypes",     # before groups: they weigh a description's cues
    "groups": "kg.extract.groups",
    "money": "kg.extract.money",
    "dates": "kg.extract.dates",
    "relations": "kg.extract.relations",
    "cases": "kg.extract.cases",
}

DEFAULT_PIPELINE = tuple(_MODULES)


def register(name: str) -> Callable[[Callable], Callable]:
    """Decorator: make an extractor factory available under ``name``."""
    def deco(factory: Callable) -> Callable:
        _FACTORIES[name] = factory
        return factory
    return deco


def available() -> list[str]:
    """Names of extractors whose module exists."""
    out = []
    for name, mod in _MODULES.items():
        if importlib.util.find_spec(mod) is not None:
            out.append(name)
    return out


def create(name: str, resources) -> Callable:
    """The extractor ``name`` built with ``resources``; unknown names raise KeyError."""
    if name not in _FACTORIES:
        mod = _MODULES.get(name)
        if mod is None:
            raise KeyError(f"unknown extractor {name!r}; known: {', '.join(_MODULES)}")
        importlib.import_module(mod)
    return _FACTORIES[name](resources)
