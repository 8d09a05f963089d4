"""Stable identifiers: the key registry committed next to each source (design notes, section 2).

Objectives and results have no official numbers, so each gets a key that is minted once and kept in
``<name>.keys.csv`` beside the source. A rebuild reuses a registry key for a node when, among the
entries not yet claimed in this build and of the same level,

1. one has the same parent and the same text, else
2. exactly one has the same text (the node moved to another parent), else
3. one under the same parent has a text similarity of at least :data:`REVISION_SIMILARITY`
   (a typo fixed): the key is kept and the old text recorded as ``previous_text``.

Otherwise a new key is minted: 8 hex digits of a SHA-256 over body, year, level, parent, text and a
random nonce. Minting is deliberately not reproducible without the registry: the registry, not the text,
is the authority, so a removed entry yields a new IRI rather than silently re-minting the old one.
Entries that no node claims stay in the registry (a retired key is never reused for another node).
"""

from __future__ import annotations

import csv
import hashlib
import io
import uuid
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from kg.model.plan import Level, Node, Plan
from kg.model.source import Rule, SourceError
from kg.read.files import read_text

#: Similarity (difflib ratio) from which a changed text under the same parent keeps its key.
REVISION_SIMILARITY = 0.9

FIELDS = ("key", "level", "parent", "text", "previous_text")

#: A registry key: it becomes the end of an IRI (``pv22-2016-<key>``).
KEY = Rule(r"[0-9a-z][0-9a-z-]{0,63}", "1 to 64 lower-case letters, digits and hyphens, not starting with a hyphen")
#: The levels that get registry keys (programmes and products have official numbers).
_KEYED = [level.value for level in Level if level not in (Level.PROGRAMMA, Level.PRODUCT)] + ["indicator"]
KEYED_LEVELS = Rule("|".join(_KEYED), f"one of {', '.join(_KEYED)}")


@dataclass
class KeyEntry:
    """One registry row: the key of a node at ``level`` under ``parent`` with ``text``."""

    key: str
    level: str
    parent: str
    text: str
    previous_text: str = ""


@dataclass
class KeyRegistry:
    """The key registry of one source document.

    Attributes:
        entries: the rows, in the order they were minted.
        minted: keys minted in this build.
        revised: keys whose text changed in this build (kept by similarity).
    """

    entries: list[KeyEntry] = field(default_factory=list)
    minted: list[str] = field(default_factory=list)
    revised: list[str] = field(default_factory=list)
    _claimed: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: Path) -> KeyRegistry:
        """Read a registry CSV (header ``key,level,parent,text,previous_text``); a missing file is empty.

        Raises:
            kg.model.source.SourceError: naming the file and line, when the file is not UTF-8 or not valid CSV,
                the header is wrong, a row has another number of fields, a key does not match :data:`KEY`,
                a key repeats an earlier row's (naming both lines), or a level is not one a key is minted for.
        """
        if not path.is_file():
            return cls()
        reader = csv.reader(io.StringIO(read_text(path), newline=""), strict=True)
        entries: list[KeyEntry] = []
        lines: dict[str, int] = {}
        last = 0  # the last line read; a quoted text may span lines
        try:
            if tuple(next(reader, ())) != FIELDS:
                raise SourceError(f"{path}:1: header must be {','.join(FIELDS)}")
            for row in reader:
                line, last = last + 1, reader.line_num
                where = f"{path}:{line}"
                if not row:
                    continue
                if len(row) != len(FIELDS):
                    raise SourceError(f"{where}: {len(row)} fields, expected {len(FIELDS)} ({','.join(FIELDS)})")
                entry = KeyEntry(*row)
                KEY.check(entry.key, where, "key")
                KEYED_LEVELS.check(entry.level, where, "level")
                if entry.key in lines:
                    raise SourceError(f"{where}: key {entry.key} repeats line {lines[entry.key]}")
                lines[entry.key] = line
                entries.append(entry)
        except csv.Error as err:
            raise SourceError(f"{path}:{last + 1}: not valid CSV ({err})") from err
        return cls(entries=entries)

    def save(self, path: Path) -> None:
        """Write the registry as CSV (UTF-8, header row)."""
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(FIELDS)
            for e in self.entries:
                writer.writerow([e.key, e.level, e.parent, e.text, e.previous_text])

    def claim(self, level: str, parent: str, text: str, seed: str) -> str:
        """Return the key for a node, reusing a registry entry or minting one (rules in the module doc).

        Args:
            level: the node's level name.
            parent: the parent's key.
            text: the node's text.
            seed: body and year of the plan, mixed into a newly minted key.
        """
        free = [e for e in self.entries if e.level == level and e.key not in self._claimed]
        exact = [e for e in free if e.parent == parent and e.text == text]
        moved = [e for e in free if e.text == text]
        if exact or len(moved) == 1:
            return self._take((exact or moved)[0], parent)
        similar = [
            (SequenceMatcher(None, e.text, text).ratio(), i, e) for i, e in enumerate(free) if e.parent == parent
        ]
        best = max(similar, default=None)
        if best is not None and best[0] >= REVISION_SIMILARITY:
            entry = best[2]
            entry.previous_text, entry.text = entry.text, text
            self.revised.append(entry.key)
            return self._take(entry, parent)
        return self._mint(level, parent, text, seed)

    def _take(self, entry: KeyEntry, parent: str) -> str:
        entry.parent = parent
        self._claimed.add(entry.key)
        return entry.key

    def _mint(self, level: str, parent: str, text: str, seed: str) -> str:
        taken = {e.key for e in self.entries}
        while True:
            nonce = uuid.uuid4().hex
            digest = hashlib.sha256(f"{seed}|{level}|{parent}|{text}|{nonce}".encode()).hexdigest()
            key = digest[:8]
            if key not in taken:
                break
        entry = KeyEntry(key, level, parent, text)
        self.entries.append(entry)
        self.minted.append(key)
        return self._take(entry, parent)


def assign_keys(plan: Plan, registry: KeyRegistry) -> None:
    """Set ``node.key`` (the last IRI segment) of every node of ``plan``.

    Programmes and products have official numbers, so their keys derive from them
    (``pv22-2016-2``, ``pv22-2016-2-1``: a dot in a last segment would read as a file extension).
    All other levels, and indicators (under the node they measure, if any), get registry keys prefixed with body
    and year (``pv22-2016-1a2b3c4d``).
    """
    doc = plan.document
    prefix = f"{doc.body.code}-{doc.year}"
    for node in plan.nodes():
        if node.level in (Level.PROGRAMMA, Level.PRODUCT):
            assert node.notation is not None
            node.key = f"{prefix}-{node.notation.replace('.', '-')}"
        else:
            parent = node.parent.key if isinstance(node.parent, Node) else ""
            node.key = f"{prefix}-{registry.claim(node.level.value, parent, node.label, prefix)}"
    for indicator in plan.indicators:  # codes are not unique IRIs either: registry keys, under the node measured
        parent = indicator.parent.key if indicator.parent is not None else ""
        indicator.key = f"{prefix}-{registry.claim('indicator', parent, indicator.label, prefix)}"
