"""kg: publish Dutch government policy plans (begroting, jaarverslag) as validated linked data.

The package is one pipeline, a package per stage, in the direction of flow: :mod:`kg.model` (the plan model
every stage speaks) -> :mod:`kg.read` -> :mod:`kg.link` -> :mod:`kg.rdf` -> :mod:`kg.validate` -> :mod:`kg.store`,
run by :mod:`kg.build` and served by :mod:`kg.web`; :mod:`kg.cli` is the ``kg`` command. Each package imports only
those before it (``tests/test_architecture.py``).
"""

__version__ = "0.1.0"
