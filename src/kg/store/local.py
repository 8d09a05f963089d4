"""Store stage: write a validated dataset as a new build and swap it in atomically.

Layout of ``data_dir``::

    builds/<build-id>/store/        pyoxigraph on-disk store (bulk loaded, then opened read-only)
    builds/<build-id>/dumps/        kg.trig, kg.nq (the whole dataset, one named graph per source)
    builds/<build-id>/sources/      the source documents as read (served as the provenance targets)
    builds/<build-id>/report.json   the build report (ledger counts, decisions, validation)
    current -> builds/<build-id>    symlink, replaced with one ``rename`` so readers see old or new

A failed build never touches ``current`` (design notes, section 6; issue "foundation", item 7).

The build hands over its named graphs as N-Quads (:func:`nquads`); the store is bulk loaded from them in one pass
(:func:`parse_parts`; ``bulk_extend`` keeps the blank nodes' stable labels, where ``bulk_load`` would rename them,
so the same build gives the same dumps), and the dumps are written from the store (literals in its canonical
forms).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox
from rdflib import Graph

T = TypeVar("T")

#: Dump files written with every build: file name -> (pyoxigraph format, media type).
DUMPS: dict[str, tuple[ox.RdfFormat, str]] = {
    "kg.trig": (ox.RdfFormat.TRIG, "application/trig"),
    "kg.nq": (ox.RdfFormat.N_QUADS, "application/n-quads"),
}


#: Builds kept on disk: the current one and the ones before it, which a server may still be reading.
KEEP_BUILDS = 3
#: Quads handed to pyoxigraph's bulk loader at once: it holds a batch in memory while it sorts and writes it,
#: so the batch bounds the build's peak memory (at 1M quads one batch: ~1.4 GB; batches of 100k: ~0.94 GB).
LOAD_BATCH = 100_000


#: Folders and files the build writes beside the store for discovery (see :mod:`kg.store.discovery`).
DISCOVERY_DIR = "discovery"
VOCABULARIES_DIR = "vocabularies"
CATALOG_FILE = "catalog.ttl"
VOID_FILE = "void.ttl"
STATISTICS_FILE = "statistics.json"


def discovery_dir(root: Path) -> Path:
    """The folder of the discovery documents (catalog, VoID, statistics) of the build in ``root``."""
    return root / DISCOVERY_DIR


def vocabularies_dir(root: Path) -> Path:
    """The folder of the published vocabularies (ontology, concept schemes, shapes) of the build in ``root``."""
    return root / VOCABULARIES_DIR


class NoPublicationError(RuntimeError):
    """Raised when ``data_dir`` holds no published build yet."""


@dataclass
class Publication:
    """A published build, opened read-only.

    Attributes:
        root: the build folder (``data_dir/builds/<build-id>``).
        store: the pyoxigraph store, opened read-only.
        report: the build report as written by the build (a JSON object).
    """

    root: Path
    store: ox.Store
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def dumps_dir(self) -> Path:
        """Folder of the dump files named in :data:`DUMPS`."""
        return self.root / "dumps"

    @property
    def sources_dir(self) -> Path:
        """Folder of the source documents the build read."""
        return self.root / "sources"

    @property
    def store_path(self) -> Path:
        """Folder of the pyoxigraph store (query workers open it read-only themselves)."""
        return self.root / "store"

    @property
    def build_id(self) -> str:
        """The build's identifier (its folder name), usable as an ETag."""
        return self.root.name


def current_link(data_dir: Path) -> Path:
    """Return the path of the ``current`` symlink in ``data_dir`` (it may not exist yet)."""
    return data_dir / "current"


def has_publication(data_dir: Path) -> bool:
    """Return True when ``data_dir`` holds a published build."""
    return (current_link(data_dir) / "store").is_dir()


def current_report(data_dir: Path) -> dict[str, Any] | None:
    """Return the report of the current build of ``data_dir``, or None when nothing is published."""
    return _read_report(current_link(data_dir).resolve()) if has_publication(data_dir) else None


def _read_report(root: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads((root / "report.json").read_text(encoding="utf-8"))
    return report


def open_publication(data_dir: Path) -> Publication:
    """Open the current build of ``data_dir`` read-only.

    Raises:
        NoPublicationError: when nothing has been published in ``data_dir``.
        OSError: when the store on disk cannot be opened.
    """
    if not has_publication(data_dir):
        raise NoPublicationError(f"no published build in {data_dir} (run `kg build`)")
    root = current_link(data_dir).resolve()  # resolved once: the report and the store are of one build
    return Publication(root=root, store=ox.Store.read_only(str(root / "store")), report=_read_report(root))


def nquads(graph: Graph, name: str) -> bytes:
    """Return ``graph`` as the N-Quads of the named graph ``name``: canonical, with stable blank nodes, sorted.

    rdflib names blank nodes at random and iterates a graph in no fixed order; here the graph is serialised by
    rdflib (N-Triples), put in the named graph ``name`` and canonicalised by pyoxigraph (blank node labels from
    the graph's content), each label prefixed with a digest of ``name`` (two graphs never share a blank node in
    the store; a graph loaded in several parts must hold no blank node, as the links between plans do not), and the
    lines are sorted. The same graph gives the same bytes in any process (a parallel build's dumps equal a
    sequential one's).
    """
    graph_name = ox.NamedNode(name)
    triples = ox.parse(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object, graph_name) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)  # labels c14n0, c14n1, ... in every graph
    prefix = "g" + hashlib.sha256(name.encode()).hexdigest()[:16]

    def own(term: T) -> T:
        return ox.BlankNode(prefix + term.value) if isinstance(term, ox.BlankNode) else term  # type: ignore[return-value]

    quads = (ox.Quad(own(q.subject), q.predicate, own(q.object), graph_name) for q in dataset)
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""  # bytes, as no output file is given
    return b"".join(sorted(data.splitlines(keepends=True)))


def pack(data: bytes) -> bytes:
    """Compress N-Quads (zlib, level 1) for the time a build holds them: every graph's N-Quads stay in memory
    (and in the build cache) until the store is written, and compressed they take about a twentieth of the
    room (12 MB for the 210 MB of a 1M-triple build; :func:`parse_parts` reads them)."""
    return zlib.compress(data, 1)


def parse_parts(parts: Iterable[bytes]) -> Iterator[ox.Quad]:
    """The quads of several parts of :func:`pack` ed N-Quads (each of whole lines, e.g. from :func:`nquads`),
    unpacked and parsed one after the other as they are consumed (:func:`publish` bulk loads them in one pass).

    Raises:
        SyntaxError: when a part is not valid N-Quads.
        zlib.error: when a part is not packed.
    """
    for part in parts:
        yield from ox.parse(zlib.decompress(part), ox.RdfFormat.N_QUADS)


def publish(
    quads: Iterable[ox.Quad],
    sources: Iterable[Path],
    report: dict[str, Any],
    data_dir: Path,
    extend: Callable[[Path, ox.Store, Callable[[], None]], None] | None = None,
) -> Path:
    """Write a new build from ``quads`` and make it the current one.

    Args:
        quads: the whole validated dataset (quads in named graphs), e.g. :func:`parse_parts` of every graph's
            :func:`nquads`; blank nodes keep their labels.
        sources: source document files to keep beside the build.
        report: the build report, written as ``report.json``; its ``triples`` is set to the quads stored.
        data_dir: the data folder (created when missing).
        extend: called with the build folder, its complete store and a function that returns once the dumps
            are written (they are written meanwhile, in threads: pyoxigraph releases the GIL while it writes),
            before the build is swapped in, to add files of its own (e.g. :func:`kg.store.discovery.write_discovery`);
            an exception from it leaves ``current`` unchanged.

    Returns:
        The new build folder.

    Raises:
        OSError: when writing fails; ``current`` then still points at the previous build.
        SyntaxError: when ``quads`` parses N-Quads that are not valid; ``current`` is unchanged too.
    """
    build_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%f") + "-" + uuid.uuid4().hex[:6]
    builds = data_dir / "builds"
    root = builds / build_id
    staging = builds / f".{build_id}.{os.getpid()}.partial"  # the pid tells a crashed build's leftovers
    (staging / "dumps").mkdir(parents=True)
    (staging / "sources").mkdir()
    try:
        store = ox.Store(str(staging / "store"))
        quads = iter(quads)
        while batch := list(islice(quads, LOAD_BATCH)):
            store.bulk_extend(batch)
        store.flush()
        report["triples"] = len(store)
        with ThreadPoolExecutor(len(DUMPS)) as pool:
            dumps = [pool.submit(store.dump, str(staging / "dumps" / name), fmt)
                     for name, (fmt, _media_type) in DUMPS.items()]

            def dumps_written() -> None:
                for dump in dumps:
                    dump.result()

            if extend is not None:
                extend(staging, store, dumps_written)
            dumps_written()
        del store
        for source in sources:
            shutil.copyfile(source, staging / "sources" / source.name)
        (staging / "report.json").write_text(
            json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8"
        )
        staging.rename(root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_current(data_dir, root)
    _prune(builds, keep=_newest(builds, KEEP_BUILDS))
    return root


def _swap_current(data_dir: Path, root: Path) -> None:
    link = current_link(data_dir)
    tmp = data_dir / f".current-{uuid.uuid4().hex[:6]}"
    tmp.symlink_to(root.relative_to(data_dir), target_is_directory=True)
    os.replace(tmp, link)


def _newest(builds: Path, count: int) -> set[str]:
    """Names of the ``count`` newest builds (build ids sort by time)."""
    return set(sorted(p.name for p in builds.iterdir() if not p.name.startswith("."))[-count:])


def _prune(builds: Path, keep: set[str]) -> None:
    """Remove the builds not in ``keep`` (older builds a server may still be finishing requests on are kept),
    and the partial builds left by build processes that no longer run (killed mid-build)."""
    for path in builds.iterdir():
        if (path.name not in keep and not path.name.startswith(".")) or _abandoned(path):
            shutil.rmtree(path, ignore_errors=True)


def _abandoned(path: Path) -> bool:
    """True for a partial build (``.<id>.<pid>.partial``) whose build process has ended."""
    name = path.name
    pid = name.removesuffix(".partial").rsplit(".", 1)[-1]
    if not (name.startswith(".") and name.endswith(".partial") and pid.isdigit()):
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # a live process of another user
        return False
    return False
