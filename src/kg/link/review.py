"""The review file of proposed links between bodies (``seeds/link-review.yaml``): read, merge and write.

``kg link`` writes the proposals of :mod:`kg.link.proposals` to this file and a reviewer decides each one; the next
build publishes the accepted ones as asserted links (``skos:relatedMatch``), leaves the rejected ones out and
publishes the rest as proposals (``pb:mogelijkVerwant``). The file is YAML (read with ``yaml.safe_load``
rules); ``kg link`` rewrites it, keeping every entry's ``decision`` and ``note``::

    proposals:
      - id: https://kg.example.org/id/koppeling/0123456789abcdef   # statement IRI of the link
        decision: open          # open | accepted | rejected
        note: "..."             # optional: the reviewer's reason, published with an accepted link
        score: 0.55             # the rest is written by kg link for the reviewer; builds ignore it:
        subject: {iri: ..., label: ..., plan: ..., source: <file>:<line>}
        object: {iri: ..., label: ..., plan: ..., source: ...}
        evidence:
          - {iri: ..., label: ..., kind: theme, why: named by both, weight: 0.4}
        stale: "..."            # only when the entry no longer fits the build (a node is gone, or it is no
                                # longer proposed); kept, never dropped

An entry is identified by its subject and object: the ``level/key`` ends of their IRIs (so that a build under
another base IRI still finds it); ``id`` must be the statement IRI of that pair (its digest is checked). A
malformed file fails with the file, the line and the field (:class:`kg.model.source.SourceError`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from rdflib import URIRef

from kg.model.iris import statement_iri
from kg.model.plan import Node
from kg.model.source import HTTP_IRI, Rule, SourceError
from kg.read.files import YamlFile
from kg.settings import ONTOLOGY_NS

#: The review file's name in the seeds folder.
REVIEW_FILE = "link-review.yaml"

#: The predicate of a proposed link, whose statement IRI is an entry's ``id``.
MOGELIJK_VERWANT = URIRef(ONTOLOGY_NS + "mogelijkVerwant")

#: The IRI of a plan node: ``{base}/id/{level}/{key}``.
NODE_IRI = Rule(r"https?://\S+/id/[a-z]+/[A-Za-z0-9._-]+", "the IRI of a plan node ({base}/id/{level}/{key})")

_ENTRY_FIELDS = ("id", "decision", "note", "score", "subject", "object", "evidence", "stale")
_END_FIELDS = ("iri", "label", "plan", "source")

_HEADER = """\
# Proposed links between plans of different bodies, for review (written by `kg link`; README, "Links between
# bodies: proposals and review"). Set each entry's `decision` to `accepted` or `rejected` (new ones are
# `open`) and give a reason in `note` if you like. The next `kg build` publishes accepted links as
# skos:relatedMatch (graph {base}/graph/koppelingen/vastgesteld, with your note), leaves rejected ones out, and
# publishes the open ones as pb:mogelijkVerwant (graph {base}/graph/koppelingen/voorstellen).
# `kg link` rewrites this file: it keeps `decision` and `note` of every entry, adds new proposals as `open`,
# and marks an entry `stale` when a node is gone or it is no longer proposed (it never drops one). A build
# uses only `id`, `subject.iri`, `object.iri`, `decision` and `note`; comments are not kept.
"""


class Decision(StrEnum):
    """A reviewer's decision on a proposed link."""

    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class End:
    """One end of a proposed link as the file shows it: the node's IRI, label, plan and source line."""

    iri: str
    label: str = ""
    plan: str = ""
    source: str = ""


@dataclass(frozen=True)
class Entry:
    """One proposal of the review file.

    Attributes:
        id: the statement IRI of the link (:func:`kg.model.iris.statement_iri` with ``pb:mogelijkVerwant``).
        subject: the link's subject node.
        object: the link's object node.
        decision: the reviewer's decision.
        note: the reviewer's note, or None.
        score: the score when ``kg link`` last wrote the entry (informative).
        evidence: the shared entities, each ``{iri, label, kind, why, weight}`` (informative).
        stale: why the entry no longer fits the build, or None.
        line: the entry's line in the file it was read from (None for a new entry).
    """

    id: str
    subject: End
    object: End
    decision: Decision = Decision.OPEN
    note: str | None = None
    score: float | None = None
    evidence: tuple[dict[str, Any], ...] = ()
    stale: str | None = None
    line: int | None = field(default=None, compare=False)

    @property
    def pair(self) -> tuple[str, str]:
        """The ``level/key`` references of subject and object (:func:`iri_ref`): what identifies the entry."""
        return iri_ref(self.subject.iri), iri_ref(self.object.iri)

    def as_yaml(self) -> dict[str, Any]:
        """Return the entry as the file writes it (empty optional fields left out)."""
        data: dict[str, Any] = {"id": self.id, "decision": self.decision.value}
        if self.note:
            data["note"] = self.note
        if self.score is not None:
            data["score"] = round(self.score, 3)
        for name, end in (("subject", self.subject), ("object", self.object)):
            data[name] = {key: value for key, value in vars(end).items() if value}
        if self.evidence:
            data["evidence"] = [dict(item) for item in self.evidence]
        if self.stale:
            data["stale"] = self.stale
        return data


@dataclass
class Review:
    """The entries of a review file, in file order (none when the file does not exist yet)."""

    path: Path
    entries: list[Entry] = field(default_factory=list)

    def decided(self) -> dict[tuple[str, str], Entry]:
        """Return the accepted and rejected entries by :attr:`Entry.pair`."""
        return {entry.pair: entry for entry in self.entries if entry.decision is not Decision.OPEN}


def node_ref(node: Node) -> str:
    """Return ``level/key`` of a keyed node: the end of its IRI, the same under every base IRI."""
    return f"{node.level.value}/{node.key}"


def iri_ref(iri: str) -> str:
    """Return ``level/key`` of a node IRI ``{base}/id/{level}/{key}`` (as :func:`node_ref`)."""
    return "/".join(iri.rsplit("/", 2)[-2:])


def load_review(path: Path) -> Review:
    """Read the review file ``path``; a missing file is an empty review.

    Raises:
        SourceError: naming the file and line, when the file is not valid YAML, is not a mapping with a list
            ``proposals``, or an entry is not a mapping of the known fields, lacks ``id``, ``subject.iri``,
            ``object.iri`` or ``decision``, has a ``decision`` other than open, accepted or rejected, a
            ``note`` that is not text, an ``id`` that is not the statement IRI of its subject and object, or
            the same subject and object as an earlier entry.
    """
    if not path.exists():
        return Review(path)
    file = YamlFile.load(path)
    if file.data is None:
        return Review(path)
    file.mapping(fields=("proposals",))
    items = file.value("proposals")
    if items is None:
        return Review(path)
    if not isinstance(items, list):
        raise SourceError(f"{file.where('proposals')}: proposals must be a list of entries")
    review = Review(path)
    seen: dict[tuple[str, str], int | None] = {}
    for index in range(len(items)):
        entry = _read_entry(file, ("proposals", index))
        if entry.pair in seen:
            raise SourceError(f"{file.where('proposals', index)}: the link from {entry.subject.iri} to "
                              f"{entry.object.iri} is already reviewed at line {seen[entry.pair]}")
        seen[entry.pair] = entry.line
        review.entries.append(entry)
    return review


def _read_entry(file: YamlFile, at: tuple[str | int, ...]) -> Entry:
    """Read and check the entry at ``at`` (see :func:`load_review` for the checks)."""
    data = file.mapping(*at, fields=_ENTRY_FIELDS)
    identifier = file.text(*at, "id", rule=HTTP_IRI)
    decision = file.text(*at, "decision", rule=Rule("open|accepted|rejected", "open, accepted or rejected"))
    note = data.get("note")
    if note is not None:
        note = file.text(*at, "note")
    ends = {}
    for name in ("subject", "object"):
        end = file.mapping(*at, name, fields=_END_FIELDS)
        texts = (str(end.get(key, "")) for key in _END_FIELDS[1:])
        ends[name] = End(file.text(*at, name, "iri", rule=NODE_IRI), *texts)
    subject, obj = URIRef(ends["subject"].iri), URIRef(ends["object"].iri)
    expected = statement_iri(identifier.rsplit("/id/koppeling/", 1)[0], subject, MOGELIJK_VERWANT, obj)
    if identifier != str(expected):
        raise SourceError(f"{file.where(*at, 'id')}: id must be the statement IRI of the link from subject to "
                          f"object, {expected} (got {identifier})")
    score = data.get("score")
    return Entry(
        id=identifier,
        subject=ends["subject"],
        object=ends["object"],
        decision=Decision(decision),
        note=note,
        score=float(score) if isinstance(score, int | float) and not isinstance(score, bool) else None,
        evidence=tuple(item for item in data.get("evidence") or () if isinstance(item, dict)),
        stale=str(data["stale"]) if data.get("stale") else None,
        line=file.line(*at),
    )


def merge(review: Review, current: dict[tuple[str, str], Entry], gone: dict[tuple[str, str], str]) -> list[Entry]:
    """Merge freshly described entries into the review: the file's order first, then the new ones.

    Args:
        review: the review as read.
        current: by pair, the entries as they are now: every current proposal (decision open) and every
            reviewed pair whose nodes still exist, described afresh (labels, score, evidence, ``stale``).
        gone: by pair, why a reviewed entry's nodes no longer exist.

    Returns:
        Every entry of the review, with its ``decision`` and ``note`` kept and the rest taken from ``current``
        (or marked stale with the reason in ``gone``), followed by the entries of ``current`` the review did
        not hold, as open.
    """
    merged = []
    for entry in review.entries:
        if entry.pair in current:
            merged.append(replace(current[entry.pair], decision=entry.decision, note=entry.note))
        else:
            merged.append(replace(entry, stale=gone.get(entry.pair, "no longer proposed")))
    known = {entry.pair for entry in review.entries}
    merged.extend(entry for pair, entry in current.items() if pair not in known)
    return merged


def write_review(path: Path, entries: list[Entry]) -> None:
    """Write ``entries`` to the review file ``path`` (the format of the module doc, with an explaining header)."""
    body = yaml.safe_dump({"proposals": [entry.as_yaml() for entry in entries]}, sort_keys=False,
                          allow_unicode=True, width=120)
    path.write_text(_HEADER + body, encoding="utf-8")

