"""The web layer: a read-only FastAPI application over a published build (design notes, section 5).

Layered as Prez is, each part importing only those before it: :mod:`.vocab` (terms), :mod:`.http` (HTTP
mechanics and representations), :mod:`.querying` (store access), :mod:`.site` (the state every handler
reads), :mod:`.services` (what a page shows), :mod:`.routes` (HTTP in and out), then :mod:`.app` and
:mod:`.server`. Outside itself it imports only :mod:`kg.store` (what it serves) and :mod:`kg.settings`.
"""

from kg.web.app import create_app

__all__ = ["create_app"]
