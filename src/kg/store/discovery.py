"""Discovery documents of a build (build stage): statistics, VoID, the DCAT-AP-NL catalog, the vocabularies.

:func:`write_discovery` runs on the store the build has just written, before the build is swapped in (see
the ``extend`` argument of :func:`kg.store.local.publish`), so the documents are part of the published build::

    discovery/statistics.json   counts per dataset and per named graph (:mod:`kg.store.statistics`)
    discovery/void.ttl          VoID (:mod:`kg.store.void`), served at /.well-known/void
    discovery/catalog.ttl       DCAT-AP-NL 3.0 (:mod:`kg.store.catalog`), served at /catalog
    vocabularies/def/*.ttl|html ontology and concept schemes; vocabularies/shapes/*.ttl (:mod:`kg.rdf.vocabularies`)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.rdf.vocabularies import publish_vocabularies, vocabulary_files
from kg.settings import Settings
from kg.store.catalog import catalog_graph, dump_files
from kg.store.local import CATALOG_FILE, STATISTICS_FILE, VOID_FILE, discovery_dir, vocabularies_dir
from kg.store.statistics import count_statistics, write_statistics
from kg.store.void import void_graph


@dataclass(frozen=True)
class DiscoverySummary:
    """What :func:`write_discovery` wrote: catalogued datasets and distributions, VoID subsets, and the
    vocabulary documents."""

    datasets: int
    distributions: int
    subsets: int
    vocabularies: int

    def __str__(self) -> str:
        return (f"{self.datasets} datasets, {self.distributions} distributions, {self.subsets} subsets, "
                f"{self.vocabularies} vocabularies")


def write_discovery(
    root: Path, store: ox.Store, report: dict[str, Any], settings: Settings, dumps_written: Callable[[], None]
) -> DiscoverySummary:
    """Write the discovery documents of a build into its folder ``root``.

    Args:
        root: the build folder.
        store: the build's store, complete.
        report: the build report (see :func:`kg.store.catalog.catalog_graph`).
        settings: the deployment settings.
        dumps_written: returns once ``root/dumps`` is complete (the statistics are counted while the dumps are
            written; the catalog describes the dump files, :func:`kg.store.local.publish`).

    Returns:
        What was written.

    Raises:
        kg.rdf.vocabularies.DocumentationError: when pyLODE fails on an ontology.
    """
    folder = discovery_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    statistics = count_statistics(store, [doc["graph"] for doc in report["documents"]], settings.base)
    write_statistics(statistics, folder / STATISTICS_FILE)
    void_graph(report, statistics, settings).serialize(folder / VOID_FILE, format="turtle", encoding="utf-8")
    dumps_written()
    dumps = dump_files(root / "dumps")
    catalog = catalog_graph(report, dumps, settings)
    catalog.serialize(folder / CATALOG_FILE, format="turtle", encoding="utf-8")
    files = vocabulary_files(settings)
    publish_vocabularies(files, vocabularies_dir(root))
    datasets = len(report["documents"]) + 1
    return DiscoverySummary(
        datasets=datasets,
        distributions=len(dumps) + datasets,
        subsets=len(statistics.subsets),
        vocabularies=len(files),
    )
