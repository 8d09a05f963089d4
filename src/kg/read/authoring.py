"""The authoring format: a plan as CSV, one row per plan node, for bodies that export from their own systems.

The format is documented in ``authoring/README.md`` (with a template and a worked example). Columns:

``id``
    the row's reference within the file (any text without spaces; the exporter numbers the rows);
``level``
    ``programma``, ``product``, ``beleidsopgave``, ``doelstelling``, ``resultaat`` or ``deelresultaat``;
``code``
    the official number (``2``, ``2.1``, ``2.4.01``), empty when the node has none (never invent one);
``parent``
    the ``id`` of an earlier row one or more levels up; empty for a top node of the plan;
``text``
    the node's text as published;
``partners``, ``regions``, ``instruments``
    IRIs of reference entities the node names, separated by spaces; links the linker also finds in the text
    keep their evidence (the matched words), the others are asserted as plain links;
``status``
    statuses as ``property=scheme#concept`` separated by spaces (``inhoudelijkeKleurscore=kleurscore#groen``);
``see_also``
    official numbers of other programmes of the same plan the text refers to, separated by spaces;
``source``
    the line span the node was taken from in the published document (``41`` or ``41-42``); empty: the row's
    own line in the CSV file.

:func:`export_csv` writes a plan (read from any layout) in this format and :func:`read_csv_plan` reads it
back into the plan model, so that a plan exported and read back maps to the same graph.
"""

from __future__ import annotations

import csv
import io
import re

from kg.model.plan import LedgerEntry, Level, LinkKind, Node, Plan
from kg.model.source import SourceDocument, SourceError

FIELDS = ("id", "level", "code", "parent", "text", "partners", "regions", "instruments", "status", "see_also",
          "source")

#: The column of each kind of link.
LINK_COLUMNS: dict[str, LinkKind] = {
    "partners": LinkKind.PARTNER, "regions": LinkKind.REGION, "instruments": LinkKind.INSTRUMENT,
}

_SPAN = re.compile(r"(?P<start>[1-9]\d*)(?:-(?P<end>[1-9]\d*))?")
_STATUS = re.compile(r"(?P<property>[A-Za-z][A-Za-z0-9]*)=(?P<scheme>[a-z0-9-]+)#(?P<concept>[a-z0-9-]+)")
_IRI = re.compile(r"https?://\S+")


def export_csv(plan: Plan) -> str:
    """Return ``plan`` in the authoring format (header row first, rows in source order, ``\\n`` line ends).

    Links are taken from ``node.mentions`` (run :func:`kg.link.entities.link_plan` first to include them) and from
    ``node.asserted``.
    """
    ids = {id(node): str(number) for number, node in enumerate(plan.nodes(), start=1)}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for node in plan.nodes():
        links = [(m.kind, m.entity) for m in node.mentions] + node.asserted
        row = {
            "id": ids[id(node)],
            "level": node.level.value,
            "code": node.notation or "",
            "parent": ids[id(node.parent)] if node.parent else "",
            "text": node.label,
            "status": " ".join(f"{p}={s}#{c}" for p, s, c in node.statuses),
            "see_also": " ".join(node.see_also),
            "source": f"{node.start_line}" + (f"-{node.end_line}" if node.end_line != node.start_line else ""),
        }
        for column, kind in LINK_COLUMNS.items():
            row[column] = " ".join(dict.fromkeys(entity for k, entity in links if k is kind))
        writer.writerow([row[f] for f in FIELDS])
    return out.getvalue()


def read_csv_plan(document: SourceDocument) -> Plan:
    """Read a document in the authoring format into its plan.

    Returns:
        The plan, with a ledger entry for every non-blank line (the header row as a header, each row's
        lines as part of its node) and no objective-or-result decisions (the author decided).

    Raises:
        SourceError: naming the file, the line and the column, when the header is not :data:`FIELDS`, a row
            has another number of fields, an id is empty or repeats, a level is unknown, a parent is not an
            earlier row's id of a higher level, a code, list, status or source span is malformed, or the
            CSV itself is malformed.
    """
    plan = Plan(document=document)
    text = "\n".join(document.lines) + "\n"
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    nodes: dict[str, Node] = {}
    first = 1
    try:
        for record in reader:
            last = reader.line_num
            span = range(first, last + 1)
            if first == 1:
                if tuple(record) != FIELDS:
                    raise SourceError(f"{document.path}:1: header must be {','.join(FIELDS)}")
                _log(plan, span, "header", "authoring CSV header")
            elif record:
                node = _node(document, first, dict(zip(FIELDS, record, strict=False)), len(record), nodes)
                _log(plan, span, "node", node.level.value)
            first = last + 1
    except csv.Error as err:
        raise SourceError(f"{document.path}:{first}: not valid CSV ({err})") from err
    plan.programmes.extend(n for n in nodes.values() if n.parent is None)
    return plan


def _log(plan: Plan, lines: range, outcome: str, detail: str) -> None:
    for number in lines:
        if plan.document.lines[number - 1].strip():
            plan.ledger.append(LedgerEntry(number, plan.document.lines[number - 1], outcome, detail))


def _node(document: SourceDocument, line: int, row: dict[str, str], width: int, nodes: dict[str, Node]) -> Node:
    """Make the node of one row and attach it to its parent (see the module doc for the columns)."""
    where = f"{document.path}:{line}"
    if width != len(FIELDS):
        raise SourceError(f"{where}: {width} fields, expected {len(FIELDS)} ({','.join(FIELDS)})")
    key, parent_id = row["id"], row["parent"]
    if not key or " " in key or key in nodes:
        raise SourceError(f"{where}: id must be a non-empty text without spaces, not used before (got {key!r})")
    try:
        level = Level(row["level"])
    except ValueError:
        known = ", ".join(level.value for level in Level)
        raise SourceError(f"{where}: level must be one of {known} (got {row['level']!r})") from None
    parent = nodes.get(parent_id) if parent_id else None
    order = list(Level)
    if parent_id and (parent is None or order.index(parent.level) >= order.index(level)):
        raise SourceError(f"{where}: parent {parent_id!r} is not the id of an earlier row of a higher level")
    if not row["text"].strip():
        raise SourceError(f"{where}: text must not be empty")
    start, end = _span(where, row["source"], line)
    node = Node(level, " ".join(row["text"].split()), start, end, notation=row["code"] or None)
    if node.notation is not None and not re.fullmatch(r"[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*", node.notation):
        raise SourceError(f"{where}: code must be numbers separated by dots, as 2.4.01 (got {node.notation!r})")
    node.see_also = row["see_also"].split()
    node.statuses = [_status(where, item) for item in row["status"].split()]
    for column, kind in LINK_COLUMNS.items():
        for entity in row[column].split():
            if not _IRI.fullmatch(entity):
                raise SourceError(f"{where}: {column} must be IRIs separated by spaces (got {entity!r})")
            node.asserted.append((kind, entity))
    if parent is not None:
        parent.add(node)
    nodes[key] = node
    return node


def _span(where: str, text: str, line: int) -> tuple[int, int]:
    if not text:
        return line, line
    match = _SPAN.fullmatch(text)
    if match is None or (match["end"] and int(match["end"]) < int(match["start"])):
        raise SourceError(f"{where}: source must be a line or a span of lines, as 41 or 41-42 (got {text!r})")
    return int(match["start"]), int(match["end"] or match["start"])


def _status(where: str, item: str) -> tuple[str, str, str]:
    match = _STATUS.fullmatch(item)
    if match is None:
        raise SourceError(f"{where}: status must be property=scheme#concept (got {item!r})")
    return match["property"], match["scheme"], match["concept"]
