"""The build cache: what a build made of each source document, kept for the next build (incremental rebuilds).

Layout of ``data_dir/cache``::

    documents/<source file name>.entry   a document's result (:class:`kg.build.document.DocumentResult`)
    linksets/<digest>.entry              a part of the links between plans, mapped and validated
                                         (:class:`kg.build.linkcheck.CheckedPart`)

**What a document's result depends on**, hashed into its digest: its source file and every file beside it named
``<stem>.*`` (metadata, key registry, curation), by name and content, and what every document shares
(:func:`inputs_digest`): the ontology and concept schemes, the reference data, the shapes, the base IRI and kg
itself (every file of the installed package: its code and the layout profiles). A cached result is used only
under the digest computed now; any change rebuilds the document (it is read and validated again). The links
between plans depend on every plan and are made afresh by every build; a part of them (:mod:`kg.build.linkcheck`) is
mapped and validated again unless a part with the same links was, under the same shared inputs.

**Key registries.** A build that mints keys writes them to the registry beside the source once the build is
published; the entry is saved after that, under the digest of the registry as written, so that the next build
finds it. A reused document minted and revised no key in this build, and its report says so. A document whose
files changed while it was being built (other than by the build writing its registry) gets no entry.

**Integrity.** An entry is one file: a header line with the SHA-256 of the rest, then a pickle of the digest and
the value. An entry that cannot be read, whose checksum does not match, that holds another digest or a value of
another type is ignored (the document is rebuilt) and replaced. Entries are written after the build is
published (a failed build writes none), each to a temporary file renamed into place. The cache holds pickles: it
must be as trusted as the data folder itself.
"""

from __future__ import annotations

import glob
import hashlib
import os
import pickle
import shutil
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from kg.build.document import REGISTRY, DocumentResult
from kg.build.linkcheck import CheckedPart
from kg.settings import PACKAGE_ROOT, Settings

#: The cache's folder in the data folder.
CACHE_DIR = "cache"
#: The first line of every entry names the format; an entry of another format is ignored.
FORMAT = b"kg-cache 1"

T = TypeVar("T")


def inputs_digest(settings: Settings) -> str:
    """Return the SHA-256 (hex) of what every document's result depends on (module doc)."""
    digest = hashlib.sha256(FORMAT + b"\n" + settings.base.encode() + b"\n")
    folders = [(PACKAGE_ROOT, "**/*"), (settings.ontology_dir, "*.ttl"), (settings.vocab_dir, "*.ttl"),
               (settings.shapes_dir, "*.ttl")]
    for folder, pattern in folders:
        files = sorted(p for p in folder.glob(pattern) if p.is_file() and "__pycache__" not in p.parts)
        _add_files(digest, folder, files)
    return digest.hexdigest()


def _document_inputs(path: Path) -> tuple[str, bytes | None]:
    """The SHA-256 (hex) of the document ``path``'s file and every file ``<stem>.*`` beside it but its key
    registry, and the registry's bytes (None when there is none)."""
    registry = path.with_name(path.stem + REGISTRY)
    files = [p for p in sorted(path.parent.glob(glob.escape(path.stem) + ".*")) if p != registry and p.is_file()]
    digest = hashlib.sha256()
    _add_files(digest, path.parent, files)
    return digest.hexdigest(), registry.read_bytes() if registry.is_file() else None


def _add_files(digest: hashlib._Hash, folder: Path, files: list[Path]) -> None:
    """Add each file's name (relative to ``folder``), length and bytes to ``digest``."""
    for path in files:
        data = path.read_bytes()
        digest.update(f"{path.relative_to(folder).as_posix()}\n{len(data)}\n".encode())
        digest.update(data)


@dataclass(frozen=True)
class _Entry:
    """What an entry file holds: the digest it was saved under and the value."""

    digest: str
    value: object


class BuildCache:
    """The cache of one data folder (module doc).

    Args:
        data_dir: the data folder; the cache is its folder :data:`CACHE_DIR`.
        inputs: the digest of the shared inputs of this build (:func:`inputs_digest`).
        reuse: False to rebuild every document and validate every part (``kg build --full``); the entries are
            still written afresh.
    """

    def __init__(self, data_dir: Path, inputs: str, reuse: bool = True) -> None:
        self.folder = data_dir / CACHE_DIR
        self.inputs = inputs
        self.reuse = reuse
        self._before: dict[Path, tuple[str, bytes | None]] = {}  # a document's inputs when it was looked up

    def document(self, path: Path) -> DocumentResult | None:
        """Return the cached result of the document ``path`` when it is current, marked reused, else None."""
        files, registry = self._before[path] = _document_inputs(path)
        result = self._read(self._document_file(path), self._digest(path, files, registry), DocumentResult)
        if result is None:
            return None
        result.plan.document = replace(result.plan.document, path=path)  # the folder may have moved
        report = {**result.report, "cache": "reused", "keys": {"minted": 0, "revised": []}}
        return replace(result, report=report, seconds={})

    def save_document(self, path: Path, result: DocumentResult, registry_saved: bool) -> None:
        """Keep ``result`` of the document ``path`` (looked up with :meth:`document` before it was built) under the
        digest of its files as they are now: call it after the build is published and the registry saved.

        Args:
            path: the source document.
            result: what the build made of it.
            registry_saved: whether the build wrote the document's key registry.
        """
        files, registry = _document_inputs(path)
        before = self._before.get(path)
        if before is None or before[0] != files or (not registry_saved and before[1] != registry):
            return  # changed while it was being built: what was built may not be what is there now
        self._write(self._document_file(path), self._digest(path, files, registry), result)

    def part(self, digest: str) -> CheckedPart | None:
        """Return the cached mapping and validation of the part of the links with ``digest``
        (:attr:`kg.build.linkcheck.Part.digest`), or None."""
        return self._read(self._part_file(digest), self._part_digest(digest), CheckedPart)

    def save_part(self, digest: str, checked: CheckedPart) -> None:
        """Keep the mapping and validation of the part of the links with ``digest``."""
        self._write(self._part_file(digest), self._part_digest(digest), checked)

    def prune(self, documents: list[Path], parts: set[str]) -> None:
        """Remove the entries of documents not in ``documents`` and of parts of links whose digest is not in
        ``parts``, and what interrupted writes left."""
        keep = {self._document_file(path).name for path in documents} | {self._part_file(d).name for d in parts}
        for kind in ("documents", "linksets"):
            folder = self.folder / kind
            for path in folder.iterdir() if folder.is_dir() else ():
                if path.name in keep:
                    continue
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)

    def _document_file(self, path: Path) -> Path:
        return self.folder / "documents" / f"{path.name}.entry"

    def _part_file(self, digest: str) -> Path:
        return self.folder / "linksets" / f"{digest}.entry"

    def _digest(self, path: Path, files: str, registry: bytes | None) -> str:
        """The digest of a document's result: shared inputs, file name, the files beside it and the key registry
        (the folder is not part of it: a result names its source by file name only)."""
        head = f"{self.inputs}\n{path.name}\n{files}\n".encode()
        return hashlib.sha256(head + (b"-" if registry is None else b"+" + registry)).hexdigest()

    def _part_digest(self, digest: str) -> str:
        """The digest of a part of the links' mapping and validation: shared inputs and the part's content."""
        return hashlib.sha256(f"{self.inputs}\n{digest}".encode()).hexdigest()

    def _read(self, file: Path, digest: str, kind: type[T]) -> T | None:
        """The value of the entry ``file`` when it is intact, saved under ``digest`` and of type ``kind``."""
        if not self.reuse:
            return None
        try:
            header, checksum, payload = file.read_bytes().split(b"\n", 2)
            if header != FORMAT or checksum.decode() != hashlib.sha256(payload).hexdigest():
                return None
            entry = pickle.loads(payload)
        except Exception:  # missing, truncated or corrupt: never trusted, rebuilt
            return None
        if not isinstance(entry, _Entry) or entry.digest != digest or not isinstance(entry.value, kind):
            return None
        return entry.value

    def _write(self, file: Path, digest: str, value: object) -> None:
        """Write an entry atomically (a temporary file renamed)."""
        payload = pickle.dumps(_Entry(digest, value), protocol=pickle.HIGHEST_PROTOCOL)
        file.parent.mkdir(parents=True, exist_ok=True)
        partial = file.with_name(f".{file.name}.{uuid.uuid4().hex[:8]}")
        try:
            partial.write_bytes(FORMAT + b"\n" + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
            os.replace(partial, file)
        finally:
            partial.unlink(missing_ok=True)
