"""Read stage: source documents and their sidecar files.

A source document is a plain-text file in the seeds folder (``<name>.txt``) with a metadata sidecar
(``<name>.meta.yaml``) that says which body published it, for which year, its title, kind and layout.
Besides it live the key registry (``<name>.keys.csv``, see :mod:`kg.keys`) and the curation file
(``<name>.curation.yaml``, see :mod:`kg.reader`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class SourceError(ValueError):
    """A source document or sidecar file that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Body:
    """The government body that published a document.

    Attributes:
        code: the body's official code (CBS/TOOI), lower case, e.g. ``pv22`` for provincie Drenthe.
        name: the body's name, e.g. ``provincie Drenthe``.
        iri: the body's TOOI IRI, e.g. ``https://identifier.overheid.nl/tooi/id/provincie/pv22``.
        own_names: words that name the body itself (``Drenthe``, ``Drents``); the reader does not count
            them as mentions of another, specific entity.
    """

    code: str
    name: str
    iri: str
    own_names: tuple[str, ...]


@dataclass(frozen=True)
class SourceDocument:
    """One source document as read from disk.

    Attributes:
        path: the text file.
        key: the document's stable key, used in its graph and document IRIs (e.g. ``pv22-2016-programma-2``).
        title: a human title of the document.
        kind: ``begroting``, ``jaarverslag``, ``monitor``, ...
        year: the plan year.
        body: the publishing body.
        layout: name of the reader layout that fits the document.
        lines: the file's lines without line ends; ``lines[0]`` is line 1.
        sha256: hex SHA-256 of the file's bytes.
    """

    path: Path
    key: str
    title: str
    kind: str
    year: int
    body: Body
    layout: str
    lines: tuple[str, ...]
    sha256: str

    def sidecar(self, suffix: str) -> Path:
        """Return the path of the sidecar file ``<name><suffix>`` next to the document."""
        return self.path.with_name(self.path.stem + suffix)


def discover(seeds_dir: Path) -> list[Path]:
    """Return the source documents in ``seeds_dir``: every ``*.txt`` with a ``.meta.yaml`` sidecar, sorted.

    Raises:
        SourceError: when a ``.txt`` file has no metadata sidecar (it would otherwise be silently ignored).
    """
    texts = sorted(p for p in seeds_dir.glob("*.txt"))
    for text in texts:
        if not text.with_name(text.stem + ".meta.yaml").is_file():
            raise SourceError(f"{text}: no metadata file {text.stem}.meta.yaml beside it")
    return texts


def read_document(path: Path) -> SourceDocument:
    """Read a source document and its metadata sidecar.

    Args:
        path: the ``.txt`` file; ``<stem>.meta.yaml`` must be beside it.

    Returns:
        The document with its lines and SHA-256.

    Raises:
        SourceError: when the text is not UTF-8 (naming the line) or the metadata is missing or incomplete.
    """
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise SourceError(f"{path}:{line}: not valid UTF-8 ({err.reason})") from err
    meta = _read_meta(path.with_name(path.stem + ".meta.yaml"))
    body = meta["body"]
    return SourceDocument(
        path=path,
        key=str(meta["key"]),
        title=str(meta["title"]),
        kind=str(meta["kind"]),
        year=int(meta["year"]),
        body=Body(
            code=str(body["code"]),
            name=str(body["name"]),
            iri=str(body["iri"]),
            own_names=tuple(str(n) for n in body.get("own_names", [])),
        ),
        layout=str(meta["layout"]),
        lines=tuple(text.splitlines()),
        sha256=hashlib.sha256(data).hexdigest(),
    )


_META_FIELDS = ("key", "title", "kind", "year", "body", "layout")
_BODY_FIELDS = ("code", "name", "iri")


def _read_meta(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise SourceError(f"{path}: metadata file missing")
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise SourceError(f"{path}{where}: not valid YAML ({err})") from err
    if not isinstance(meta, dict):
        raise SourceError(f"{path}: expected a mapping of {', '.join(_META_FIELDS)}")
    missing = [f for f in _META_FIELDS if f not in meta]
    if not missing and isinstance(meta["body"], dict):
        missing = [f"body.{f}" for f in _BODY_FIELDS if f not in meta["body"]]
    if missing:
        raise SourceError(f"{path}: missing field(s) {', '.join(missing)}")
    return meta
