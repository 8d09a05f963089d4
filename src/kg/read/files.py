"""Read stage: source documents and their sidecar files.

A source document is a plain-text file in the seeds folder (``<name>.txt``) with a metadata sidecar
(``<name>.meta.yaml``) that says which body published it, for which year, its title, kind and layout.
Besides it live the key registry (``<name>.keys.csv``, see :mod:`kg.rdf.keys`) and the curation file
(``<name>.curation.yaml``, see :mod:`kg.read.reader`).

Every sidecar is checked before it is used: a malformed one raises :class:`SourceError` naming the file
and, where it can be known, the line and the field, so a build fails rather than publish a wrong graph.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kg.model.source import (
    BODY_CODE,
    DOCUMENT_KEY,
    HTTP_IRI,
    NON_EMPTY,
    PLAIN_NAME,
    Body,
    Rule,
    SourceDocument,
    SourceError,
    show_value,
)


def read_text(path: Path) -> str:
    """Return the text of the file ``path``, decoded as UTF-8.

    Raises:
        SourceError: when the file is missing or is not valid UTF-8 (naming the line).
    """
    if not path.is_file():
        raise SourceError(f"{path}: file missing")
    return _decode(path, path.read_bytes())


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise SourceError(f"{path}:{line}: not valid UTF-8 ({err.reason})") from err


class _Loader(yaml.SafeLoader):
    """The safe loader, with a line for a malformed date (``2026-13-01``) instead of a bare ValueError."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as err:
            raise yaml.constructor.ConstructorError(None, None, f"not a date ({err})", node.start_mark) from err


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


@dataclass(frozen=True)
class YamlFile:
    """A YAML sidecar file, read with the lines of its values so that errors can name them.

    A value is addressed by its path ``at``: mapping keys and (0-based) list indexes, e.g.
    ``("body", "code")`` or ``("overrides", 2, "level")``; the empty path is the whole file.

    Attributes:
        path: the file.
        data: its content, as ``yaml.safe_load`` reads it.
        root: its YAML node tree (None for an empty file).
    """

    path: Path
    data: Any
    root: yaml.Node | None

    @classmethod
    def load(cls, path: Path) -> YamlFile:
        """Read and parse the YAML file ``path``.

        Raises:
            SourceError: when the file is missing, not UTF-8 or not valid YAML (naming the line), or a
                mapping holds a key twice (naming both lines).
        """
        loader = _Loader(read_text(path))
        try:
            root = loader.get_single_node()
            data = None if root is None else loader.construct_document(root)
        except yaml.MarkedYAMLError as err:
            line = f":{err.problem_mark.line + 1}" if err.problem_mark is not None else ""
            context = f" ({err.context} at line {err.context_mark.line + 1})" if err.context_mark else ""
            raise SourceError(f"{path}{line}: not valid YAML: {err.problem}{context}") from err
        except yaml.YAMLError as err:
            raise SourceError(f"{path}: not valid YAML: {err}") from err
        finally:
            loader.dispose()
        _check_unique_keys(path, root, set())
        return cls(path, data, root)

    def line(self, *at: str | int) -> int | None:
        """Return the line of the value at ``at`` (of its key, in a mapping), or None when it is not there."""
        node, line = self.root, None
        for step in at:
            if isinstance(node, yaml.MappingNode):
                pairs = [(k, v) for k, v in node.value if k.value == step]
                if not pairs:
                    return None
                key, node = pairs[0]
                line = key.start_mark.line + 1
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                node = node.value[step]
                line = node.start_mark.line + 1
            else:
                return None
        return line

    def where(self, *at: str | int) -> str:
        """Return ``<path>:<line>`` of the value at ``at``, or of the nearest value around it that is there."""
        for depth in range(len(at), 0, -1):
            if (line := self.line(*at[:depth])) is not None:
                return f"{self.path}:{line}"
        return str(self.path)

    def value(self, *at: str | int) -> Any:
        """Return the value at ``at``.

        Raises:
            SourceError: when it is not there (naming the line of the value around it).
        """
        value = self.data
        for depth, step in enumerate(at):
            in_list = isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value)
            if not (in_list or (isinstance(value, dict) and step in value)):
                raise SourceError(f"{self.where(*at[:depth])}: missing field {_name(at)}")
            value = value[step]
        return value

    def mapping(self, *at: str | int, fields: tuple[str, ...]) -> dict[str, Any]:
        """Return the mapping at ``at``, which may hold no other keys than ``fields``.

        Raises:
            SourceError: when the value is missing or no mapping, or holds another key (naming file and line).
        """
        value = self.value(*at)
        if not isinstance(value, dict):
            what = f"{_name(at) if at else 'the file'} must be a mapping of {', '.join(fields)}"
            raise SourceError(f"{self.where(*at)}: {what} (got {show_value(value)})")
        for key in value:
            if key not in fields:
                raise SourceError(f"{self.where(*at, key)}: unknown field {_name((*at, key))}")
        return value

    def text(self, *at: str | int, rule: Rule = NON_EMPTY) -> str:
        """Return the string at ``at``, which must satisfy ``rule`` (default: any non-blank text).

        Raises:
            SourceError: when it is missing, no string or breaks the rule (naming the file, line and field).
        """
        return rule.check(self.value(*at), self.where(*at), _name(at))

    def integer(self, *at: str | int, low: int, high: int) -> int:
        """Return the integer at ``at``, from ``low`` to ``high`` (a boolean is no integer here).

        Raises:
            SourceError: when it is missing, no integer or out of range (naming the file, line and field).
        """
        value = self.value(*at)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            where, field = self.where(*at), _name(at)
            raise SourceError(f"{where}: {field} must be an integer from {low} to {high} (got {show_value(value)})")
        return value


def _name(at: Iterable[str | int]) -> str:
    """``("overrides", 2, "level")`` -> ``overrides[2].level``."""
    return "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in at).lstrip(".")


def _check_unique_keys(path: Path, node: yaml.Node | None, seen: set[int]) -> None:
    """Refuse a mapping that holds a key twice (YAML would silently keep the last value)."""
    if node is None or id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        lines: dict[str, int] = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                line = key.start_mark.line + 1
                if key.value in lines:
                    raise SourceError(f"{path}:{line}: field {key.value} repeats line {lines[key.value]}")
                lines[key.value] = line
            _check_unique_keys(path, value, seen)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_unique_keys(path, item, seen)



def discover(seeds_dir: Path) -> list[Path]:
    """Return the source documents in ``seeds_dir``, sorted: every ``*.txt`` (a published text), every
    ``*.plan.csv`` (the authoring format, :mod:`kg.read.authoring`) and every ``*.ttl``/``*.trig`` (an RDF source,
    :mod:`kg.read.rdf_source`), each with a ``.meta.yaml`` sidecar.

    Raises:
        SourceError: when a document has no metadata sidecar (it would otherwise be silently ignored).
    """
    texts = sorted(p for pattern in ("*.txt", "*.plan.csv", "*.ttl", "*.trig") for p in seeds_dir.glob(pattern))
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
        SourceError: when the text is not UTF-8 (naming the line), or the metadata file is missing, not
            valid YAML, lacks a field, has an unknown one, or has a value that breaks its rule (naming the
            file, line and field): ``key`` a :data:`DOCUMENT_KEY`, ``body.code`` a :data:`BODY_CODE`,
            ``body.iri`` (and ``site``) an :data:`HTTP_IRI`, ``layout`` and ``kind`` (a segment of the plan's IRI) a
            :data:`PLAIN_NAME`, ``year`` an integer from 1800 to 2200, ``title``, ``body.name`` and
            ``body.own_names`` non-empty.
    """
    data = path.read_bytes()
    text = _decode(path, data)
    meta = YamlFile.load(path.with_name(path.stem + ".meta.yaml"))
    return _read_meta(meta, path, tuple(text.splitlines()), hashlib.sha256(data).hexdigest())


_META_FIELDS = ("key", "title", "kind", "year", "body", "layout", "site", "cut_off")
_BODY_FIELDS = ("code", "name", "iri", "own_names")


def _read_meta(meta: YamlFile, path: Path, lines: tuple[str, ...], sha256: str) -> SourceDocument:
    """Check the metadata's fields (``site``, ``cut_off`` and ``body.own_names`` are optional) and make the document."""
    fields = meta.mapping(fields=_META_FIELDS)
    meta.mapping("body", fields=_BODY_FIELDS)
    if "site" in fields:
        meta.text("site", rule=HTTP_IRI)
    own_names = meta.data["body"].get("own_names", [])
    if not isinstance(own_names, list):
        where = meta.where("body", "own_names")
        raise SourceError(f"{where}: body.own_names must be a list (got {show_value(own_names)})")
    cut_off = fields.get("cut_off", False)
    if not isinstance(cut_off, bool):
        raise SourceError(f"{meta.where('cut_off')}: cut_off must be true or false (got {show_value(cut_off)})")
    return SourceDocument(
        path=path,
        key=meta.text("key", rule=DOCUMENT_KEY),
        title=meta.text("title"),
        kind=meta.text("kind", rule=PLAIN_NAME),
        year=meta.integer("year", low=1800, high=2200),
        body=Body(
            code=meta.text("body", "code", rule=BODY_CODE),
            name=meta.text("body", "name"),
            iri=meta.text("body", "iri", rule=HTTP_IRI),
            own_names=tuple(meta.text("body", "own_names", i) for i in range(len(own_names))),
        ),
        layout=meta.text("layout", rule=PLAIN_NAME),
        lines=lines,
        sha256=sha256,
        cut_off=cut_off,
    )
