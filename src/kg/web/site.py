"""The state every handler reads: settings, the publication and what is derived from them once.

Built by :func:`kg.web.app.create_app` and injected into handlers with ``Depends(get_site)`` (so a
test builds as many apps, over as many publications, as it needs). When ``kg build`` swaps a new build
into ``data_dir/current``, the next request opens it (:class:`Sites`): a request sees the old build or
the new one, never a mix, and a failed build never changes what is served.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import jinja2
import pyoxigraph as ox
from fastapi import Depends, Request

from kg.settings import Settings
from kg.statistics import build_statistics
from kg.store import NoPublicationError, Publication, current_link, open_publication
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
        triple_count: distinct triples over all graphs, as counted at build time for VoID (``void:triples``);
            the quads of the store for a build that wrote no statistics.
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
        triple_count=_triples(publication),
    )


def _triples(publication: Publication) -> int:
    """The triple count of ``publication`` (see :attr:`Site.triple_count`)."""
    statistics = build_statistics(publication.root)
    return statistics.whole.triples if statistics is not None else len(publication.store)


def read_examples(queries_dir: Path) -> dict[str, str]:
    """Return the example queries in ``queries_dir`` (``*.rq``), file stem -> text; {} when missing."""
    if not queries_dir.is_dir():
        return {}
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(queries_dir.glob("*.rq"))}


class Sites:
    """The :class:`Site` of the build that ``settings.data_dir/current`` points at.

    Each call of :meth:`current` compares the ``current`` link's target with the build served; when a
    new build was swapped in, it is opened (once, under a lock) and served from then on. Requests that
    already hold the old :class:`Site` finish on it. If the new build cannot be opened, the old one stays.
    """

    def __init__(self, settings: Settings, publication: Publication) -> None:
        self.settings = settings
        self._site = load_site(settings, publication)
        self._lock = threading.Lock()

    def current(self) -> Site:
        """Return the Site of the current build, opening a newly published build first."""
        site = self._site
        try:
            target = current_link(self.settings.data_dir).resolve(strict=True)
        except OSError:
            return site
        if target == site.publication.root:
            return site
        with self._lock:
            if self._site.publication.root != target:
                try:
                    self._site = load_site(self.settings, open_publication(self.settings.data_dir))
                except (OSError, NoPublicationError) as error:
                    logging.getLogger(__name__).error("new build %s not opened, serving the old: %s", target, error)
            return self._site


def get_site(request: Request) -> Site:
    """FastAPI dependency: the :class:`Site` of the current build of the application serving ``request``."""
    sites = request.app.state.sites
    assert isinstance(sites, Sites)
    return sites.current()


SiteDep = Annotated[Site, Depends(get_site)]
