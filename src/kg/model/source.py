"""Plan model: a source document and its metadata, and the rules its fields must meet.

Every node of a plan points to the source document it was read from (its provenance). Reading the
document and its sidecar files from disk is the read stage's (:mod:`kg.read.files`); the types here
hold what was read, and :class:`SourceError` is the one error every stage raises for bad input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class SourceError(ValueError):
    """A source document or sidecar file that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Rule:
    """What a text field must be: text that ``pattern`` matches in full, said in words as ``what``."""

    pattern: str
    what: str

    def check(self, value: Any, where: str, field: str) -> str:
        """Return ``value`` when it is a string that the rule's pattern matches in full.

        Args:
            value: the value read.
            where: the file (and line) it was read from, for the message.
            field: the field's name, for the message.

        Raises:
            SourceError: ``<where>: <field> must be <what> (got <value>)``.
        """
        if not isinstance(value, str) or not re.fullmatch(self.pattern, value):
            raise SourceError(f"{where}: {field} must be {self.what} (got {show_value(value)})")
        return value


#: A document key, used as the last segment of IRIs (``pv22-2016-programma-2``).
DOCUMENT_KEY = Rule(r"[a-z0-9][a-z0-9-]*", "lower-case letters, digits and hyphens, not starting with a hyphen")
#: A body's CBS/TOOI code: ``pv22`` (province), ``gm0114`` (municipality), ``ws0155`` (water board).
BODY_CODE = Rule(r"[a-z]{2}[0-9]{2,4}", "a CBS/TOOI code: two lower-case letters and 2 to 4 digits, as pv22")
#: An http(s) IRI: no spaces and none of the characters an IRI may not hold.
HTTP_IRI = Rule(r"https?://[^\s<>\"{}|\\^`]+", "an http(s) IRI")
#: A plain name such as a layout's (a file name without folder or suffix).
PLAIN_NAME = Rule(r"[a-z0-9-]+", "a plain name of lower-case letters, digits and hyphens")
#: Any text that is not blank.
NON_EMPTY = Rule(r"(?s).*\S.*", "a non-empty text")


def show_value(value: Any) -> str:
    """Return the value's repr, shortened to 60 characters for a message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:56] + " ..."


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
        cut_off: the text is an excerpt that ends mid-text (meta ``cut_off: true``): its last non-blank line
            is a fragment, which the reader reports instead of reading.
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
    cut_off: bool = False

    def sidecar(self, suffix: str) -> Path:
        """Return the path of the sidecar file ``<name><suffix>`` next to the document."""
        return self.path.with_name(self.path.stem + suffix)
