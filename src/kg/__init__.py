"""kg: publish Dutch government policy plans (begroting, jaarverslag) as validated linked data.

The package is one pipeline, a module per stage:
``sources`` (read documents) -> ``reader`` (plan model) -> ``keys`` (stable identifiers)
-> ``mapping`` (RDF) -> ``validate`` (SHACL) -> ``store`` (publish) -> ``web`` (serve).
"""

__version__ = "0.1.0"
