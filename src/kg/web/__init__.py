"""The web layer: a read-only FastAPI application over a published build (design notes, section 5)."""

from kg.web.app import create_app

__all__ = ["create_app"]
