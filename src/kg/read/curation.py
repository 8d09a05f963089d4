"""The curation file: a reviewer's decisions on objective-or-result rows, named by what the rows say.

A curation file beside the source (``<name>.curation.yaml``) holds one entry per reviewed row::

    decisions:
      - text: "Ontwikkelruimte voor vernieuwende en bestaande recreatieve/toeristische bedrijven"
        within: "2.5"          # optional: the notation or label of a node above the row
        level: doelstelling    # what the row is: doelstelling or resultaat
        reason: "why the reviewer decided so"
        reviewed: 2026-11-29

An entry names its row by the row's text (white space collapsed, case ignored; a wrapped row by its joined
lines), and, when that text is not unique in the document, by ``within``: the notation or label of a node
above it (its product, say). Lines added, removed or re-wrapped elsewhere leave every entry on its row. An
entry whose level is the reader's own confirms the reading; one with the other level overrides it. Either
way the decision counts as reviewed.

An entry that matches no row, or several, fails the read naming the entry (:meth:`Curation.check_used`).
:func:`write_curation` writes the file back, as ``kg review`` does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kg.model.plan import Level
from kg.model.source import Rule, SourceDocument, SourceError
from kg.read.files import YamlFile

#: The file name suffix of a curation file beside its source document.
SUFFIX = ".curation.yaml"
#: The levels a table row can have: the only ones a curation entry may give it.
ROW_LEVELS = Rule("doelstelling|resultaat", "doelstelling or resultaat")
#: The fields of an entry, in the order they are written.
FIELDS = ("text", "within", "level", "reason", "reviewed")


def row_key(text: str) -> str:
    """Return the form a row's text is matched by: white space collapsed, case folded."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class Entry:
    """One reviewed decision of the curation file.

    Attributes:
        text: the row's text, as the reviewer saw it.
        level: what the row is.
        reason: why, in the reviewer's words.
        reviewed: the day of the review.
        within: the notation or label of a node above the row, or "" when the text alone is unique.
        where: ``<file>:<line>`` of the entry, for messages ("" for an entry not read from a file).
    """

    text: str
    level: Level
    reason: str
    reviewed: dt.date
    within: str = ""
    where: str = ""

    def matches(self, text: str, above: Sequence[str]) -> bool:
        """Return whether the entry names a row with ``text`` under nodes whose notations and labels are
        ``above``."""
        if row_key(self.text) != row_key(text):
            return False
        return not self.within or row_key(self.within) in {row_key(a) for a in above}


@dataclass
class Curation:
    """The entries of one curation file and the rows each matched while reading.

    Attributes:
        path: the curation file.
        entries: its entries, in file order.
        matched: per entry (by index), the first lines of the rows it matched.
    """

    path: Path
    entries: list[Entry] = field(default_factory=list)
    matched: dict[int, list[int]] = field(default_factory=dict)

    def decide(self, line: int, text: str, above: Sequence[str]) -> Entry | None:
        """Return the entry that names the row at ``line`` with ``text`` under ``above`` (see
        :meth:`Entry.matches`), and remember the match; None when no entry names it."""
        found = None
        for index, entry in enumerate(self.entries):
            if entry.matches(text, above):
                self.matched.setdefault(index, []).append(line)
                found = found or entry
        return found

    def check_used(self) -> None:
        """Check that every entry named exactly one row.

        Raises:
            SourceError: naming the entry (file and line) that matched no row, or the rows of one that matched
                several (then ``within`` must tell them apart).
        """
        for index, entry in enumerate(self.entries):
            lines = self.matched.get(index, [])
            if not lines:
                raise SourceError(f"{entry.where}: decisions[{index}] names no row of the document: "
                                  f"no table row reads {entry.text!r}" + (f" within {entry.within!r}" if entry.within
                                                                          else ""))
            if len(lines) > 1:
                raise SourceError(f"{entry.where}: decisions[{index}] names {len(lines)} rows (lines "
                                  f"{', '.join(map(str, lines))}): add `within` (the notation or label of a node "
                                  "above the row, e.g. its product) to name one")


def load_curation(document: SourceDocument) -> Curation:
    """Read the curation file beside ``document`` (absent or empty means no entries).

    Raises:
        SourceError: when the file is not valid YAML or not a mapping with a ``decisions`` list, or an entry is
            not a mapping of ``text``, ``level`` (``doelstelling`` or ``resultaat``), ``reason``, ``reviewed``
            (a date) and optionally ``within``, or two entries name the same row with the same ``within``
            (naming the file, the line and the field).
    """
    path = document.sidecar(SUFFIX)
    curation = Curation(path)
    if not path.is_file():
        return curation
    spec = YamlFile.load(path)
    if spec.data is None:
        return curation
    entries = spec.mapping(fields=("decisions",)).get("decisions", [])
    if not isinstance(entries, list):
        raise SourceError(f"{spec.where('decisions')}: decisions must be a list of entries with text and level")
    seen: dict[tuple[str, str], int] = {}
    for i in range(len(entries)):
        fields = spec.mapping("decisions", i, fields=FIELDS)
        for required in ("text", "level", "reason", "reviewed"):
            if required not in fields:
                raise SourceError(f"{spec.where('decisions', i)}: decisions[{i}] has no {required}")
        reviewed = fields["reviewed"]
        if not isinstance(reviewed, dt.date):
            raise SourceError(f"{spec.where('decisions', i, 'reviewed')}: decisions[{i}].reviewed must be a date "
                              f"as 2026-11-29 (got {reviewed!r})")
        entry = Entry(
            text=spec.text("decisions", i, "text"),
            level=Level(spec.text("decisions", i, "level", rule=ROW_LEVELS)),
            reason=spec.text("decisions", i, "reason"),
            reviewed=reviewed,
            within=_within(spec, i, fields),
            where=spec.where("decisions", i),
        )
        key = (row_key(entry.text), row_key(entry.within))
        if key in seen:
            raise SourceError(f"{entry.where}: decisions[{i}] names the same row as decisions[{seen[key]}] "
                              f"(line {spec.line('decisions', seen[key])})")
        seen[key] = i
        curation.entries.append(entry)
    return curation


def _within(spec: YamlFile, index: int, fields: dict[str, object]) -> str:
    """The entry's ``within`` ("" when absent); a number (YAML reads ``within: 2.1`` as one) is refused with
    the advice to quote it, since ``2.10`` would read as ``2.1``."""
    if "within" not in fields:
        return ""
    if isinstance(fields["within"], int | float):
        where = spec.where("decisions", index, "within")
        raise SourceError(f"{where}: decisions[{index}].within must be text: write a notation in quotes, as "
                          f"within: '{fields['within']}'")
    return spec.text("decisions", index, "within")


#: The comment at the top of a curation file written by :func:`write_curation`.
HEADER = """\
# Reviewed objective-or-result decisions for {name} (read by kg.read.curation; written by `kg review`).
# Each entry names its row by its text (and `within`: a node above it, when the text is not unique);
# `level` is what the row is: the reader's own reading confirmed, or overridden.
"""


class _Dumper(yaml.SafeDumper):
    """The safe dumper, writing a value shared by several entries (a review date) in full each time, not as a
    YAML alias."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def write_curation(path: Path, source_name: str, entries: Iterable[Entry]) -> None:
    """Write ``entries`` to the curation file ``path`` (replacing it; written to a temporary file first, so a
    failed write leaves the old file).

    Raises:
        OSError: when the file cannot be written.
    """
    items = []
    for entry in entries:
        item: dict[str, object] = {"text": entry.text}
        if entry.within:
            item["within"] = entry.within
        item.update(level=entry.level.value, reason=entry.reason, reviewed=entry.reviewed)
        items.append(item)
    body = yaml.dump({"decisions": items}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(HEADER.format(name=source_name) + body, encoding="utf-8")
    temporary.replace(path)
