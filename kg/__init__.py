"""FraudKG: Chinese police and news reports on telecom fraud → an RDF knowledge graph."""

__version__ = "0.1.0"
