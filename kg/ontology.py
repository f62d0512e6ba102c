"""The ontology files shipped with the package: loading them, and what code needs from them."""
from __future__ import annotations

import importlib.resources
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from .errors import OntologyError

ONTOLOGY_FILES = ("fraudkg.ttl", "crime-types.ttl")
SHAPES_FILE = "shapes.ttl"


def ontology_path(name: str) -> Path:
    """Path of one file of ``ontology/`` as installed with the package."""
    p = importlib.resources.files("kg").joinpath("ontology", name)
    path = Path(str(p))
    if not path.is_file():
        raise OntologyError(f"ontology file {name} is missing", path=str(path), hint="reinstall the package")
    return path


@lru_cache(maxsize=None)
def _graph(*names: str) -> Graph:
    g = Graph()
    for name in names:
        g.parse(ontology_path(name), format="turtle")
    return g


def ontology_graph() -> Graph:
    """The OWL ontology and the crime-type scheme (read once per process)."""
    return _graph(*ONTOLOGY_FILES)


def shapes_graph() -> Graph:
    return _graph(SHAPES_FILE)


def crime_types() -> dict[str, URIRef]:
    """Crime-type label (skos:prefLabel, Chinese) → concept IRI."""
    g = _graph("crime-types.ttl")
    out = {}
    for concept in g.subjects(RDF.type, SKOS.Concept):
        for label in g.objects(concept, SKOS.prefLabel):
            if getattr(label, "language", None) in ("zh", None):
                out[str(label)] = concept
    return out


def scheme_triples() -> set[tuple]:
    """The crime-type scheme, written into every graph so its concepts carry their labels."""
    return set(_graph("crime-types.ttl"))
