"""Score the entity linker on the hand-labelled mention set (issue 18, item 5: "Measured").

The set is ``tests/link/mentions/`` (its README): eight plan texts, each with ``<name>.meta.yaml``, the mentions a
person would link (``<name>.mentions.yaml``: line, text, kind, entity, code, ambiguous, note) and the strings that
must not be linked as the entity they resemble (``<name>.not-mentions.yaml``). Each text is read and linked as a build
does (:mod:`kg.build.document`): :func:`kg.read.files.read_document`, its layout profile, its curation file (none
here), :func:`kg.read.reader.read_plan`, then :func:`kg.link.entities.link_plan` with the gazetteer of
:func:`kg.link.entities.load_reference_data` (the repository's ``vocab/`` and the ontology's themes).

**A found link** is a mention of a reference entity (partner, region, instrument; themes are not scored) on a node:
it is taken as (text, line, kind, entity IRI), the line being the source line its words are on (a node's label may
span lines) and the kind ``partner`` being the set's ``organisation``. A link counts once per line, kind and entity,
as the set labels (README, rule 9).

**How an expected entity is matched to a reference IRI** (decided, and written here, before the linker ran on the
set; the reference data is read, never the linker's output):

1. By hand, where the rules below cannot decide: ``tests/link/mentions/entities.yaml`` names the IRI (or ``null``:
   not in the reference data) of a labelled (kind, entity), with the reason. It holds only names that differ from
   the reference data's labels in more than capitals and spacing (word order, a longer or shorter official name).
2. By code. A region code (``PV20``, ``GM0014``, ``CR12``, ``LD01``) is the region (``dct:Location``) with that
   ``dct:identifier`` (CBS's code; ``GM0014`` is ``<id/gebied/gm0014>``); an organisation code (``pv20``,
   ``gm0014``, ``mnre1130``) is the organisation with that ``skos:notation`` (TOOI's code; ``gm0014`` is
   ``<https://identifier.overheid.nl/tooi/id/gemeente/gm0014>``).
3. By name, when there is no code or no entity of the reference data carries it. The names of a labelled entity
   are: its ``entity`` text; the part before a trailing ``(...)``; and, for organisations and instruments, the part
   inside it (an abbreviation or a full name: "Noordelijke Ontwikkelingsmaatschappij (NOM)") unless that part is
   itself the entity of another label (a parent body: "Campus Fryslân (Rijksuniversiteit Groningen)"). A region's
   parenthesis is a qualifier ("Groningen (gemeente)", "Limburg (België)") and never a name. Names are compared with
   the ``skos:prefLabel`` and ``skos:altLabel`` values of the reference entities of the same kind, ignoring capitals
   and runs of white space. A labelled entity that has a code the reference data lacks matches only an entity that
   carries no code of its own (so "Delfzijl (gemeente, until 2020)", GM0010, is not the place Delfzijl, WP3234, but
   "Zuidwest-Drenthe", CR09, is the hand-written region of that name, whose code is unchecked). Exactly one entity
   must match; none, or several, leaves the entity unmatched.
4. Otherwise the expected entity is **not in the reference data**: a miss that no linking rule can mend (counted in
   recall, and shown apart as "not in data").

An expected organisation that is the publishing body itself (its IRI is the ``body.iri`` of the text's metadata) is
not scored: by design the linker does not link a body to its own plan (:func:`kg.link.entities.link_plan`); these
are counted apart ("publisher").

**Figures**, per kind (region, organisation, instrument) and in total:

- labelled: the expected mentions (the publisher's own excepted); in data: those whose entity is in the reference
  data; found: the distinct links; right: links that are an expected mention;
- recall: right / labelled; recall in data: right / in data; precision: right / found;
- ambiguous: the expected mentions marked ``ambiguous`` (also in the figures above), linked as labelled, linked to
  another entity of the kind on the line, or not linked (and how many of those are not in the reference data), and
  how many of them the linker flagged uncertain (on their line: ``LinkReport.uncertain``);
- not-mentions wrongly linked: a not-mention is wrongly linked when a link on its line whose words lie within the
  not-mention's text (a link made of those words, not of a longer name holding them) is not an expected mention of
  that line.

    python benchmarks/linking.py [--detail] [--mapping] [FOLDER]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, SKOS
from scores import percent  # benchmarks/ is no package: imported from its folder

from kg.link.entities import KIND_OF_CLASS, Gazetteer, LinkReport, link_plan, load_reference_data
from kg.model.plan import LinkKind, Mention, Node, Plan
from kg.read.curation import load_curation
from kg.read.files import read_document
from kg.read.reader import load_layout, read_plan
from kg.settings import Settings
from kg.validate.shacl import read_turtle_dir

REPO = Path(__file__).resolve().parents[1]
FOLDER = REPO / "tests" / "link" / "mentions"
#: The hand-made part of the mapping of labelled entities to reference IRIs (module doc, rule 1).
OVERRIDES = "entities.yaml"

#: The set's kinds, in the order of the table.
KINDS = ("region", "organisation", "instrument")
#: The set's kind of each kind of link the linker makes.
KIND_OF_LINK = {LinkKind.REGION: "region", LinkKind.PARTNER: "organisation", LinkKind.INSTRUMENT: "instrument"}

_TRAILING = re.compile(r"^(?P<outer>.*?)\s*\((?P<inner>[^()]*)\)\s*$")


def _key(name: str) -> str:
    """A name as names are compared: capitals ignored, white space collapsed."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class Expected:
    """One labelled mention and the reference entity it is matched to (module doc)."""

    text: str
    line: int
    kind: str
    entity: str
    code: str
    ambiguous: bool
    words: str
    iri: str | None
    how: str
    publisher: bool = False


@dataclass(frozen=True)
class Link:
    """One link the linker made, as the set is scored: the line of its words, its kind and entity."""

    line: int
    kind: str
    iri: str
    words: str


class EntityIndex:
    """The reference entities by kind, label and code: what the labelled entities are matched to (module doc).

    Args:
        graph: the reference data.
        base: the deployment's base IRI (for the relative IRIs of the overrides file).
        overrides: by (kind, entity), the IRI (absolute, or relative to ``base``) or None, from the overrides file.
    """

    def __init__(self, graph: Graph, base: str, overrides: dict[tuple[str, str], str | None]) -> None:
        self.base = base
        self.overrides = overrides
        self.labels: dict[str, dict[str, set[str]]] = {kind: {} for kind in KINDS}
        self.codes: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
        self.coded: set[str] = set()
        self.names: dict[str, str] = {}
        for cls, link_kind in KIND_OF_CLASS.items():
            if link_kind not in KIND_OF_LINK:
                continue
            kind = KIND_OF_LINK[link_kind]
            for entity in set(graph.subjects(RDF.type, cls)):
                iri = str(entity)
                for prop in (SKOS.prefLabel, SKOS.altLabel):
                    for label in graph.objects(entity, prop):
                        if isinstance(label, Literal) and label.language in (None, "nl"):
                            self.labels[kind].setdefault(_key(str(label)), set()).add(iri)
                            if prop == SKOS.prefLabel:
                                self.names[iri] = str(label)
                code_prop = DCTERMS.identifier if kind == "region" else SKOS.notation
                for code in graph.objects(entity, code_prop):
                    self.codes[kind][str(code).casefold()] = iri
                    self.coded.add(iri)

    def resolve(self, kind: str, entity: str, code: str, other_entities: set[str]) -> tuple[str | None, str]:
        """The IRI a labelled (kind, entity, code) is matched to and how (module doc, rules 1-4); None when the
        entity is not in the reference data (or its names match several entities: the reason says so)."""
        if (kind, entity) in self.overrides:
            iri = self.overrides[(kind, entity)]
            if iri is None:
                return None, "by hand: not in the reference data"
            return (iri if "://" in iri else f"{self.base}/{iri}"), "by hand"
        if code and (iri := self.codes[kind].get(code.casefold())):
            return iri, "by code"
        names = [entity]
        if m := _TRAILING.match(entity):
            names.append(m.group("outer"))
            inner = m.group("inner")
            if kind != "region" and inner not in other_entities:
                names.append(inner)
        found = {iri for name in names for iri in self.labels[kind].get(_key(name), set())}
        if code:
            found -= self.coded
        if len(found) == 1:
            return found.pop(), "by name" + (f" (code {code} not in the data)" if code else "")
        if found:
            return None, f"several entities of the name: {', '.join(sorted(found))}"
        return None, "not in the reference data" + (f" (code {code} neither)" if code else "")


def load_overrides(folder: Path) -> dict[tuple[str, str], str | None]:
    """Read the overrides file of ``folder`` (module doc, rule 1): by (kind, entity), the IRI or None.

    Raises:
        ValueError: when an entry lacks ``kind``, ``entity``, ``iri`` or ``reason``, or names a (kind, entity) twice.
    """
    path = folder / OVERRIDES
    if not path.is_file():
        return {}
    overrides: dict[tuple[str, str], str | None] = {}
    for i, entry in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or []):
        if not isinstance(entry, dict) or set(entry) != {"kind", "entity", "iri", "reason"}:
            raise ValueError(f"{path}: entry {i + 1} must have kind, entity, iri and reason")
        key = (entry["kind"], entry["entity"])
        if key in overrides:
            raise ValueError(f"{path}: entry {i + 1} names {key} twice")
        overrides[key] = entry["iri"]
    return overrides


@dataclass(frozen=True)
class Linker:
    """What the texts are linked with: the reference data as a build loads it, and its index for the scorer."""

    reference_graph: Graph
    index: EntityIndex
    gazetteer: Gazetteer
    base: str


def load_linker(folder: Path = FOLDER, vocab_dir: Path | None = None) -> Linker:
    """Load the reference data and the ontology's themes as a build does (:func:`kg.build.document.load_context`)
    and index the reference entities for matching the labels of ``folder``."""
    settings = Settings()
    ontology = read_turtle_dir(settings.ontology_dir)
    reference = load_reference_data(vocab_dir or settings.vocab_dir, settings.base, ontology)
    return Linker(reference.graph, EntityIndex(reference.graph, settings.base, load_overrides(folder)),
                  reference.gazetteer, settings.base)


@dataclass
class Score:
    """The figures of one text (or several, added up); see the module doc."""

    name: str
    labelled: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    in_data: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    ambiguous: int = 0
    ambiguous_right: int = 0
    ambiguous_other: int = 0
    ambiguous_flagged: int = 0
    ambiguous_absent: int = 0
    publisher: int = 0
    not_mentions: int = 0
    not_mentions_linked: int = 0
    missed: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)
    wrongly_linked: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        """Add ``other``'s counts (and lists) to these."""
        for name in ("labelled", "in_data", "found", "right"):
            mine, theirs = getattr(self, name), getattr(other, name)
            for kind in KINDS:
                mine[kind] += theirs[kind]
        for name in ("ambiguous", "ambiguous_right", "ambiguous_other", "ambiguous_flagged", "ambiguous_absent",
                     "publisher",
                     "not_mentions", "not_mentions_linked"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("missed", "false", "wrongly_linked"):
            getattr(self, name).extend(getattr(other, name))


def read_and_link(text: Path, linker: Linker) -> tuple[Plan, LinkReport]:
    """Read ``text`` as a build reads it (its metadata, layout profile and curation file) and link it.

    Raises:
        kg.model.source.SourceError: when the text or its metadata cannot be read, or does not fit its layout.
    """
    document = read_document(text)
    plan = read_plan(document, load_layout(document.layout), load_curation(document))
    return plan, link_plan(plan, linker.gazetteer)


def mention_line(node: Node, mention: Mention, lines: tuple[str, ...]) -> int:
    """The source line a mention's words are on: its own ``line`` (a listed partner), else the line of the node's
    span on which the label's words at the mention's offset are (the label is the span's lines, white space
    collapsed; a line prefix the reader drops, such as a bullet, is allowed for)."""
    if mention.line is not None:
        return mention.line
    if node.start_line == node.end_line:
        return node.start_line
    span = range(node.start_line, node.end_line + 1)
    candidates = [n for n in span if mention.text in " ".join(lines[n - 1].split())]
    if len(candidates) == 1:
        return candidates[0]
    offset = 0
    for number in range(node.start_line, node.end_line + 1):
        words = " ".join(lines[number - 1].split())
        at = node.label.find(words[:20], offset) if words else -1
        if at > mention.start:
            return max(node.start_line, number - 1)
        if at >= 0:
            offset = at
    return candidates[-1] if candidates else node.end_line


def found_links(plan: Plan) -> list[Link]:
    """The distinct links of ``plan`` to partners, regions and instruments, as (line, kind, entity)."""
    lines = plan.document.lines
    links: dict[tuple[int, str, str], Link] = {}
    for node in plan.nodes():
        for mention in node.mentions:
            if mention.kind in KIND_OF_LINK:
                line = mention_line(node, mention, lines)
                links.setdefault((line, KIND_OF_LINK[mention.kind], mention.entity),
                                 Link(line, KIND_OF_LINK[mention.kind], mention.entity, mention.text))
    return list(links.values())


def _rows(text: Path) -> list[dict[str, Any]]:
    """The labelled mentions of ``text`` as written (``<name>.mentions.yaml``)."""
    return yaml.safe_load(text.with_name(text.stem + ".mentions.yaml").read_text(encoding="utf-8")) or []


def labelled_entities(folder: Path) -> set[str]:
    """The entity of every label of the set in ``folder`` (a name inside another's parenthesis that is one of these
    is a parent body, not a name: module doc, rule 3)."""
    return {str(row["entity"]) for text in sorted(folder.glob("*.txt"))
            if text.with_name(text.stem + ".mentions.yaml").is_file() for row in _rows(text)}


def expected_mentions(text: Path, index: EntityIndex, publisher: str) -> list[Expected]:
    """The labelled mentions of ``text`` matched to reference IRIs (module doc)."""
    rows: list[dict[str, Any]] = _rows(text)
    all_entities = labelled_entities(text.parent)
    expected = []
    for row in rows:
        iri, how = index.resolve(row["kind"], row["entity"], row["code"], all_entities - {row["entity"]})
        expected.append(Expected(text.stem, row["line"], row["kind"], row["entity"], row["code"], row["ambiguous"],
                                 row["text"], iri, how, publisher=iri == publisher))
    return expected


def flagged_lines(report: LinkReport) -> set[int]:
    """The source lines on which the linker flagged a link uncertain (``report.uncertain``, when it has one)."""
    return {int(entry["line"]) for entry in getattr(report, "uncertain", [])}


def score_text(text: Path, linker: Linker) -> Score:
    """Read and link ``text`` and compare its links with its labels (module doc)."""
    plan, report = read_and_link(text, linker)
    publisher = plan.document.body.iri
    expected = expected_mentions(text, linker.index, publisher)
    links = found_links(plan)
    score = Score(text.stem)
    wanted = {(e.line, e.kind, e.iri) for e in expected if e.iri is not None and not e.publisher}
    got = {(link.line, link.kind, link.iri) for link in links}
    flagged = flagged_lines(report)
    for e in expected:
        if e.publisher:
            score.publisher += 1
            continue
        score.labelled[e.kind] += 1
        score.in_data[e.kind] += e.iri is not None
        hit = e.iri is not None and (e.line, e.kind, e.iri) in got
        if not hit:
            where = "not in data" if e.iri is None else "not linked"
            score.missed.append(f"{text.stem}:{e.line} {e.kind} {e.entity!r} ({e.words!r}; {where}; {e.how})")
        if e.ambiguous:
            score.ambiguous += 1
            score.ambiguous_right += hit
            others = [link for link in links if link.line == e.line and link.kind == e.kind and link.iri != e.iri
                      and (link.line, link.kind, link.iri) not in wanted]
            score.ambiguous_other += not hit and bool(others)
            score.ambiguous_flagged += e.line in flagged
            score.ambiguous_absent += e.iri is None
    for link in links:
        score.found[link.kind] += 1
        if (link.line, link.kind, link.iri) in wanted:
            score.right[link.kind] += 1
        else:
            score.false.append(f"{text.stem}:{link.line} {link.kind} {link.iri.removeprefix(linker.base + '/')} "
                               f"({link.words!r})")
    not_path = text.with_name(text.stem + ".not-mentions.yaml")
    for row in (yaml.safe_load(not_path.read_text(encoding="utf-8")) or []) if not_path.is_file() else []:
        score.not_mentions += 1
        words = " ".join(str(row["text"]).split())
        wrong = [link for link in links if link.line == row["line"] and link.words in words
                 and (link.line, link.kind, link.iri) not in wanted]
        if wrong:
            score.not_mentions_linked += 1
            score.wrongly_linked.append(f"{text.stem}:{row['line']} {row['text']!r} linked as "
                                        f"{', '.join(w.iri.removeprefix(linker.base + '/') for w in wrong)} "
                                        f"(must not be: {row['wrong_entity']})")
    return score


def score_folder(folder: Path = FOLDER, linker: Linker | None = None) -> list[Score]:
    """Score every labelled text of ``folder``, in name order."""
    linker = linker or load_linker(folder)
    return [score_text(text, linker) for text in sorted(folder.glob("*.txt"))
            if text.with_name(text.stem + ".mentions.yaml").is_file()]


def total(scores: Iterable[Score]) -> Score:
    """The scores added up."""
    result = Score("total")
    for score in scores:
        result.add(score)
    return result


def table(scores: list[Score]) -> str:
    """The figures per kind and in total as a Markdown table, with the ambiguous mentions, the not-mentions and
    the publisher's own mentions below it."""
    t = total(scores)
    lines = ["| kind | labelled | in data | found | right | recall | recall (in data) | precision |",
             "|---|---:|---:|---:|---:|---|---|---|"]
    sums = {name: sum(getattr(t, name).values()) for name in ("labelled", "in_data", "found", "right")}
    rows = [(kind, {name: getattr(t, name)[kind] for name in sums}) for kind in KINDS] + [("**total**", sums)]
    for label, n in rows:
        lines.append(f"| {label} | {n['labelled']} | {n['in_data']} | {n['found']} | {n['right']} | "
                     f"{percent(n['right'], n['labelled'])} | {percent(n['right'], n['in_data'])} | "
                     f"{percent(n['right'], n['found'])} |")
    lines.append("")
    lines.append(f"ambiguous: {t.ambiguous} labelled; {t.ambiguous_right} linked as labelled, {t.ambiguous_other} "
                 f"linked otherwise, {t.ambiguous - t.ambiguous_right - t.ambiguous_other} not linked "
                 f"({t.ambiguous_absent} not in the reference data); {t.ambiguous_flagged} flagged uncertain")
    lines.append(f"not-mentions wrongly linked: {t.not_mentions_linked} of {t.not_mentions}")
    lines.append(f"publisher's own mentions (not linked by design, not scored): {t.publisher}")
    return "\n".join(lines)


def per_text(scores: list[Score]) -> str:
    """Recall and precision per text (all kinds), as a Markdown table."""
    lines = ["| text | recall | precision | not-mentions wrongly linked |", "|---|---|---|---|"]
    for s in scores:
        right, labelled, found = (sum(getattr(s, n).values()) for n in ("right", "labelled", "found"))
        lines.append(f"| {s.name} | {percent(right, labelled)} | {percent(right, found)} | "
                     f"{s.not_mentions_linked}/{s.not_mentions} |")
    return "\n".join(lines)


def mapping(folder: Path = FOLDER, linker: Linker | None = None) -> str:
    """Every labelled (kind, entity, code) of ``folder`` with the IRI it is matched to and how (module doc)."""
    linker = linker or load_linker(folder)
    seen: dict[tuple[str, str, str], tuple[str | None, str]] = {}
    for text in sorted(folder.glob("*.txt")):
        if text.with_name(text.stem + ".mentions.yaml").is_file():
            for e in expected_mentions(text, linker.index, ""):
                seen[(e.kind, e.entity, e.code)] = (e.iri, e.how)
    return "\n".join(f"{kind:12} {entity!r:60} {code:8} -> {iri.removeprefix(linker.base + '/') if iri else '-'} "
                     f"[{how}]" for (kind, entity, code), (iri, how) in sorted(seen.items()))


def main(argv: list[str] | None = None) -> int:
    """Print the table (and, with ``--detail``, every miss, false link and wrongly linked not-mention; with
    ``--mapping``, only how each labelled entity is matched to the reference data)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=FOLDER)
    parser.add_argument("--detail", action="store_true", help="list every miss, false link and wrong not-mention")
    parser.add_argument("--mapping", action="store_true", help="print how each labelled entity is matched, only")
    args = parser.parse_args(argv)
    linker = load_linker(args.folder)
    if args.mapping:
        print(mapping(args.folder, linker))
        return 0
    scores = score_folder(args.folder, linker)
    print(table(scores))
    print()
    print(per_text(scores))
    if args.detail:
        t = total(scores)
        for title, items in (("missed", t.missed), ("false links", t.false),
                             ("not-mentions wrongly linked", t.wrongly_linked)):
            print(f"\n{title} ({len(items)}):")
            for item in items:
                print("  " + item)
    return 0


if __name__ == "__main__":
    sys.exit(main())
