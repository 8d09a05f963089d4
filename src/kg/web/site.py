"""The state every handler reads: settings, the publication and what is derived from them once.

Built by :func:`kg.web.app.create_app` and injected into handlers with ``Depends(get_site)`` (so a
test builds as many apps, over as many publications, as it needs). When ``kg build`` swaps a new build
into ``data_dir/current``, the next request opens it (:class:`Sites`): a request sees the old build or
the new one, never a mix, and a failed build never changes what is served.

With the setting ``sparql_endpoint`` the triples come from a remote store instead (:mod:`kg.store.remote`):
:attr:`Site.store` is then a :class:`~kg.store.remote.RemoteStore` reading the named graphs of the build served
(from its statistics) from that endpoint, and the build folder only gives the metadata, dumps and sources.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import jinja2
import pyoxigraph as ox
from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from kg.settings import Settings
from kg.store.local import NoPublicationError, Publication, current_link, open_publication
from kg.store.remote import ReadableStore, RemoteStore, SparqlEndpoint
from kg.store.statistics import build_statistics
from kg.web.http.page_cache import PageCache
from kg.web.querying import describe


@dataclass(frozen=True)
class Site:
    """Everything a request handler needs, read once at start-up.

    Attributes:
        settings: the deployment settings (``settings.base`` is the base IRI).
        publication: the published build (read-only store, dumps, sources, report).
        templates: the Jinja2 environment (autoescaping on).
        parent_properties: properties linking a concept to its parent (see
            :func:`kg.web.querying.describe.parent_properties`).
        examples: the example queries, file stem -> query text.
        triple_count: distinct triples over all graphs, as counted at build time for VoID (``void:triples``);
            the quads of the store for a build that wrote no statistics.
        remote: the remote store the triples are read from, or None for the build's embedded store.
        pages: the representations of resources rendered from this build (:mod:`kg.web.http.page_cache`); a new
            build gets a new, empty cache with its new Site.
    """

    settings: Settings
    publication: Publication
    templates: jinja2.Environment
    parent_properties: tuple[str, ...]
    examples: dict[str, str]
    triple_count: int
    remote: RemoteStore | None = None
    pages: PageCache = field(default_factory=PageCache, compare=False, repr=False)

    @property
    def store(self) -> ReadableStore:
        """The store every triple is read from: the remote one when configured, else the build's read-only
        pyoxigraph store."""
        return self.remote if self.remote is not None else self.publication.store

    @property
    def base(self) -> str:
        """The base IRI, without a trailing slash."""
        return self.settings.base

    def render(self, template: str, **context: Any) -> str:
        """Render ``template`` (in ``kg/web/templates``) with ``context``; returns HTML."""
        return self.templates.get_template(template).render(site=self, **context)


def load_site(settings: Settings, publication: Publication, endpoint: SparqlEndpoint | None = None) -> Site:
    """Build the :class:`Site` for ``publication``: templates, parent properties, example queries.

    Args:
        settings: the deployment settings.
        publication: the build served.
        endpoint: the SPARQL endpoint of the remote store holding the build's graphs, or None to read the
            build's embedded store.

    Raises:
        OSError: when the store cannot be read (a :class:`kg.store.remote.RemoteError` for a remote store).
    """
    templates = jinja2.Environment(
        loader=jinja2.PackageLoader("kg.web", "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    remote = None
    if endpoint is not None:
        remote = RemoteStore.open(endpoint, build_graphs(publication), timeout=settings.sparql_endpoint_timeout)
    store: ReadableStore = remote if remote is not None else publication.store
    return Site(
        settings=settings,
        publication=publication,
        templates=templates,
        parent_properties=tuple(describe.parent_properties(store)),
        examples=read_examples(settings.queries_dir),
        triple_count=_triples(publication, store),
        remote=remote,
    )


def _triples(publication: Publication, store: ReadableStore) -> int:
    """The triple count of ``publication`` (see :attr:`Site.triple_count`), counted on ``store`` when the
    build wrote no statistics."""
    statistics = build_statistics(publication.root)
    return statistics.whole.triples if statistics is not None else len(store)


def build_graphs(publication: Publication) -> list[str]:
    """The IRIs of the named graphs of ``publication``: from its statistics, else from its store's list of
    graphs (both part of the build folder, never read from a remote store)."""
    statistics = build_statistics(publication.root)
    if statistics is not None and statistics.graphs:
        return sorted(statistics.graphs)
    return sorted(graph.value for graph in publication.store.named_graphs() if isinstance(graph, ox.NamedNode))


def remote_differences(site: Site) -> list[str]:
    """How the remote store of ``site`` differs from its build: a line per graph of the build it holds
    another number of triples in (the build's statistics count them), e.g. because the build was not
    published there (``kg publish --to``); [] when they agree, or for the embedded store.

    Raises:
        kg.store.remote.RemoteError: when the remote store cannot be read.
    """
    statistics = build_statistics(site.publication.root)
    if site.remote is None or statistics is None:
        return []
    held = site.remote.graph_sizes()
    return [f"<{graph}> holds {held.get(graph, 0)} triples at {site.remote.endpoint.url}, build "
            f"{site.publication.build_id} has {count}: publish the build there with `kg publish --to ...`"
            for graph, count in sorted(statistics.graphs.items()) if held.get(graph, 0) != count]


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
    With a remote store (``endpoint``), a new build's graphs are read from the same endpoint: publish it
    there (``kg publish --to``) before or right after it is built.
    """

    def __init__(self, settings: Settings, publication: Publication, endpoint: SparqlEndpoint | None = None) -> None:
        """Serve ``publication`` (from ``endpoint``'s store when given; see :func:`load_site`).

        Raises:
            OSError: when the store cannot be read (a :class:`kg.store.remote.RemoteError` for a remote store).
        """
        self.settings = settings
        self.endpoint = endpoint
        self._site = load_site(settings, publication, endpoint)
        self._lock = threading.Lock()
        self._link: tuple[str, Path | None] = ("", None)

    def current(self) -> Site:
        """Return the Site of the current build, opening a newly published build first."""
        target = self._target()
        if target is None or target == self._site.publication.root:
            return self._site
        with self._lock:
            if self._site.publication.root != target:
                try:
                    self._site = load_site(self.settings, open_publication(self.settings.data_dir), self.endpoint)
                except (OSError, NoPublicationError) as error:
                    logging.getLogger(__name__).error("new build %s not opened, serving the old: %s", target, error)
            return self._site

    def served(self) -> Site | None:
        """The Site served when it is that of the current build (or no current build is found); None when
        a newly published build is to be opened first (:meth:`current` opens it). Costs a ``readlink``."""
        site = self._site
        target = self._target()
        return site if target is None or target == site.publication.root else None

    def _target(self) -> Path | None:
        """The build folder the ``current`` link points at, or None when there is none (resolved again only
        when the link's text changed: one ``readlink`` per request)."""
        link = current_link(self.settings.data_dir)
        try:
            text = os.readlink(link)
            if text != self._link[0]:
                self._link = (text, link.resolve(strict=True))
        except OSError:
            return None
        return self._link[1]


async def get_site(request: Request) -> Site:
    """FastAPI dependency: the :class:`Site` of the current build of the application serving ``request``.

    Answered on the event loop when the build served is current (a sync dependency would cost a hop to a
    worker thread on every request); opening a newly published build runs in a worker thread.
    """
    sites = request.app.state.sites
    assert isinstance(sites, Sites)
    site = sites.served()
    return site if site is not None else await run_in_threadpool(sites.current)


SiteDep = Annotated[Site, Depends(get_site)]
