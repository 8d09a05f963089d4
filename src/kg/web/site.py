"""The state every handler reads: settings, the publication and what is derived from them once.

Built by :func:`kg.web.app.create_app` and injected into handlers with ``Depends(get_site)`` (so a
test builds as many apps, over as many publications, as it needs).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import jinja2
import pyoxigraph as ox
from fastapi import Depends, Request

from kg.settings import Settings
from kg.store import Publication
from kg.web import describe


@dataclass(frozen=True)
class Site:
    """Everything a request handler needs, read once at start-up.

    Attributes:
        settings: the deployment settings (``settings.base`` is the base IRI).
        publication: the published build (read-only store, dumps, sources, report).
        templates: the Jinja2 environment (autoescaping on).
        parent_properties: properties linking a concept to its parent (see
            :func:`kg.web.describe.parent_properties`).
        examples: the example queries, file stem -> query text.
        triple_count: number of quads in the store.
    """

    settings: Settings
    publication: Publication
    templates: jinja2.Environment
    parent_properties: tuple[str, ...]
    examples: dict[str, str]
    triple_count: int

    @property
    def store(self) -> ox.Store:
        """The read-only pyoxigraph store."""
        return self.publication.store

    @property
    def base(self) -> str:
        """The base IRI, without a trailing slash."""
        return self.settings.base

    def render(self, template: str, **context: Any) -> str:
        """Render ``template`` (in ``kg/web/templates``) with ``context``; returns HTML."""
        return self.templates.get_template(template).render(site=self, **context)


def load_site(settings: Settings, publication: Publication) -> Site:
    """Build the :class:`Site` for ``publication``: templates, parent properties, example queries."""
    templates = jinja2.Environment(
        loader=jinja2.PackageLoader("kg.web", "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Site(
        settings=settings,
        publication=publication,
        templates=templates,
        parent_properties=tuple(describe.parent_properties(publication.store)),
        examples=read_examples(settings.queries_dir),
        triple_count=len(publication.store),
    )


def read_examples(queries_dir: Path) -> dict[str, str]:
    """Return the example queries in ``queries_dir`` (``*.rq``), file stem -> text; {} when missing."""
    if not queries_dir.is_dir():
        return {}
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(queries_dir.glob("*.rq"))}


def get_site(request: Request) -> Site:
    """FastAPI dependency: the :class:`Site` of the application serving ``request``."""
    site = request.app.state.site
    assert isinstance(site, Site)
    return site


SiteDep = Annotated[Site, Depends(get_site)]
