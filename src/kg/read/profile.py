"""Layout profiles: the declarative description of how one kind of document lays out its goal tree.

A profile is a YAML file in ``kg/read/layouts/<name>.yaml`` (the README's section "Adding a province's layout"
explains the format for a newcomer; ``drenthe-begroting-2016.yaml`` is the annotated reference). It holds

- ``levels``: the document's own level names mapped to the plan model's levels (the ontology classes);
- ``rules``: line rules tried in order on every non-blank line, each a regular expression (``match``, or
  ``colon`` for a line "<label>: <text>") with one action (make a node, record a header, record a status, record a
  partner organisation of a node, skip with a reason), optionally closing open nodes or the table being read
  first (``close``), and the state it leads to;
- ``states``: what a line that no rule matches does in each state (append to a node, become a node's
  description, become a table row, be skipped with a reason); a line in a state without an entry fails the read;
- ``page``: nodes the page's header names (its ``# title:`` and ``# source:`` lines), above the body's nodes;
- ``table``: the objective-or-result table (bullets, wrapped lines, cross references, wording cues);
- ``statuses``: status vocabularies (letters or words in the source mapped to SKOS concepts);
- ``indicators``: the patterns of an indicator table (:mod:`kg.read.indicators`), read in states whose entry is
  ``indicator: true``;
- ``format``: ``text`` (the default), or ``csv``/``rdf`` for the authoring format and RDF sources.

``extends`` names profiles whose parts this one reuses: its own rules are tried before theirs, and its own
levels, states, statuses, table and indicator settings replace theirs key by key (its page nodes come before
theirs). A profile's bases are looked for beside it, then among the shipped layouts (``bbv``, the national budget
rules, and ``corpus-page``). Every mistake a profile can hold fails its loading with the profile file and the line:
an unknown field, a rule without exactly one action, an invalid regular expression, an unknown level, state,
status vocabulary or ``close`` target. This module only reads profiles; :mod:`kg.read.reader` runs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kg.model.plan import Level
from kg.model.source import PLAIN_NAME, SourceError, show_value
from kg.read.files import YamlFile
from kg.read.indicators import IndicatorSpec

LAYOUTS_DIR = Path(__file__).parent / "layouts"

_PROFILE_FIELDS = ("name", "format", "extends", "levels", "rules", "states", "table", "statuses", "indicators", "page")
_INDICATOR_FIELDS = ("column_header", "target_column", "value", "missing", "source", "item", "footnote_mark")
_INDICATOR_OPTIONAL = ("baseline_column", "source_column", "code")
#: The formats a profile can read: ``text`` (line rules), ``csv`` (the authoring format, :mod:`kg.read.authoring`)
#: or ``rdf`` (Turtle or TriG on our ontology, :mod:`kg.read.rdf_source`).
FORMATS = ("text", "csv", "rdf")
_RULE_FIELDS = ("name", "match", "colon", "in", "then", "node", "title", "header", "skip", "status", "partner",
                "vocabulary", "requires", "foreign", "close", "role")
_RULE_ACTIONS = ("node", "header", "skip", "status", "partner")
_STATE_FIELDS = ("text", "description", "row", "indicator", "skip", "then", "lines", "expect")
_PAGE_FIELDS = ("node", "title", "source")
#: The state every reading starts in.
START = "start"
#: ``close`` targets besides a level: the deepest open node, and the indicator or objective/result table being read.
CLOSE_NODE, CLOSE_TABLE = "node", "table"
_TABLE_FIELDS = ("bullet", "cross_reference", "terminal_punctuation", "row_lines", "cues")
_CUE_FIELDS = ("name", "weight", "patterns", "named_entity")
_STATUS_FIELDS = ("scheme", "values")


@dataclass(frozen=True)
class Cue:
    """A group of wording cues with one weight (positive: objective, negative: result)."""

    name: str
    weight: int
    patterns: tuple[re.Pattern[str], ...]
    named_entity: bool = False


@dataclass(frozen=True)
class Table:
    """The objective-or-result table of a layout (see ``drenthe-begroting-2016.yaml`` for the rule).

    Attributes:
        bullet: a bullet sub-item line (group ``label``).
        cross_reference: a reference to another programme in a result (group ``notation``).
        terminal_punctuation: a row line that ends without it and is followed directly by text is wrapped.
        cues: the wording cues, in order.
        row_lines: the most source lines one row may run over (more fails the read: blank lines between rows
            are missing).
    """

    bullet: re.Pattern[str]
    cross_reference: re.Pattern[str]
    terminal_punctuation: re.Pattern[str]
    cues: tuple[Cue, ...]
    row_lines: int = 3


@dataclass(frozen=True)
class Status:
    """A status vocabulary: the source's letters or words mapped to concepts of a SKOS scheme in ``ontology/``.

    Attributes:
        scheme: the scheme's name (``kleurscore``: ``{ontology base}/def/kleurscore#<concept>``).
        values: source text -> concept local name (``G`` -> ``groen``).
    """

    scheme: str
    values: dict[str, str]


@dataclass(frozen=True)
class LineRule:
    """One line rule of a profile.

    Attributes:
        name: the rule's name, used in ledger details and error messages.
        where: ``<profile file>:<line>`` of the rule, for messages.
        pattern: matched against the line with white space normalised (groups ``notation``, ``label``,
            ``value``).
        states: the states the rule applies in (empty: all).
        then: the state after the line (None: unchanged).
        action: ``node``, ``header``, ``skip``, ``status`` or ``partner`` (the line names a partner organisation
            of the open node of a level: group ``name``, and ``role`` when it gives one).
        argument: the profile level (node, partner), the ledger detail (header), the reason (skip) or the ontology
            property (status).
        title: for a node without a label group: the next non-blank line is its label.
        requires: a profile level that must be open (above the line) for the rule to apply; else the read
            fails. A status rule gives its status to the open node of this level (without it: the deepest).
        foreign: for a node: the reason to skip the line when its notation is not within its parent's
            notation (without it, such a line fails the read).
        status: the status vocabulary of a status rule.
        close: what the line ends before its action: ``node`` (the deepest open node), a profile level (its open
            node and those below), or ``table`` (the indicator table being read; a node rule, or a rule that leads
            to a state that reads no indicators, ends it too); None: nothing.
        role: for a partner rule, the role of the organisations it finds when the line gives none (group
            ``role``), such as ``verbonden partij``.
        state_lines: ``<profile file>:<line>`` of each of ``states``, for messages.
    """

    name: str
    where: str
    pattern: re.Pattern[str]
    states: tuple[str, ...]
    then: str | None
    action: str
    argument: str
    title: bool = False
    requires: str | None = None
    foreign: str | None = None
    status: Status | None = None
    close: str | None = None
    role: str | None = None
    state_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class StateAction:
    """What a line that matches no rule does in a state: one of ``text``, ``description``, ``row``,
    ``indicator``, ``skip``, or ``expect`` (nothing: the line fails the read, saying what was expected).

    Attributes:
        action: ``text`` (append to, or start, a node of a profile level), ``description`` (prose under a node:
            its description), ``row`` (a table row), ``indicator`` (a line of an indicator table), ``skip`` or
            ``expect``.
        argument: the profile level (text; description: the open node of that level, or "" for the deepest open
            node) or the reason (skip); empty for a row.
        then: the state after the line (None: unchanged).
        lines: for ``text``, the most lines of text a node takes in this state (None: any number); one more
            fails the read.
        expect: what the layout expects instead of a line that no rule matched (for ``expect``) or that is one
            too many (for ``lines``), in words for the error.
        where: ``<profile file>:<line>`` of the entry, for messages.
    """

    action: str
    argument: str
    then: str | None = None
    lines: int | None = None
    expect: str = ""
    where: str = ""


@dataclass(frozen=True)
class PageNode:
    """A node the page's header names (``page`` in a profile): its ``title`` pattern is matched against the text
    of the ``# title:`` line, its ``source`` pattern against the URL of the ``# source:`` line; their groups
    ``notation`` and ``label`` make the node, which the reader opens before the body's first line.

    Attributes:
        level: the profile level of the node.
        title: the pattern for the title, or None.
        source: the pattern for the source URL, or None.
        where: ``<profile file>:<line>`` of the entry, for messages.
    """

    level: str
    title: re.Pattern[str] | None
    source: re.Pattern[str] | None
    where: str


@dataclass(frozen=True)
class Profile:
    """A document layout, read from ``kg/read/layouts/<name>.yaml`` (see the module doc).

    Attributes:
        name: the profile's name (its file name without ``.yaml``).
        levels: profile level name -> plan model level.
        rules: the line rules, in the order they are tried.
        states: state name -> the action for a line that matches no rule.
        table: the objective-or-result table, or None when the layout has none.
        statuses: status vocabulary name -> vocabulary.
        format: ``text`` (read by the line rules), ``csv`` (the authoring format) or ``rdf`` (an RDF source);
            the last two need no rules.
        indicators: the indicator table of the layout (:mod:`kg.read.indicators`), or None.
        page: the nodes the page's header names, top down.
        path: the profile's file.
    """

    name: str
    levels: dict[str, Level]
    rules: tuple[LineRule, ...]
    states: dict[str, StateAction]
    table: Table | None
    statuses: dict[str, Status] = field(default_factory=dict)
    format: str = "text"
    indicators: IndicatorSpec | None = None
    page: tuple[PageNode, ...] = ()
    path: Path | None = None

    def level(self, name: str) -> Level:
        """Return the plan model level of the profile level ``name`` (a model level's name maps to itself)."""
        return self.levels.get(name) or Level(name)


def load_profile(name: str, directory: Path = LAYOUTS_DIR) -> Profile:
    """Load the profile ``name`` from ``directory``, with the profiles it extends (looked for in ``directory``,
    then among the shipped layouts).

    Raises:
        SourceError: when no such profile exists (listing the known ones), or the file or a profile it
            extends is malformed: an unknown field, a rule without exactly one action, an invalid regular
            expression, an unknown level, state, status vocabulary or close target (naming the file, line and
            field).
    """
    folders = (directory,) if directory == LAYOUTS_DIR else (directory, LAYOUTS_DIR)
    profile = _load(name, folders, ())
    _check_states(profile)
    return profile


def load_profile_file(path: Path) -> Profile:
    """Load the profile in the file ``path`` (any folder; its bases are looked for beside it, then among the
    shipped layouts), as :func:`load_profile` does.

    Raises:
        SourceError: as :func:`load_profile`; also when ``path`` is not a ``.yaml`` file.
    """
    if path.suffix != ".yaml" or not path.is_file():
        raise SourceError(f"{path}: no profile file (a layout profile is a .yaml file)")
    return load_profile(path.stem, path.parent)


def _find(name: str, folders: tuple[Path, ...]) -> Path:
    """The file of the profile ``name``: the first of ``folders`` that holds ``<name>.yaml``."""
    for folder in folders:
        if (folder / f"{name}.yaml").is_file():
            return folder / f"{name}.yaml"
    known = ", ".join(sorted({p.stem for folder in folders for p in folder.glob("*.yaml")}))
    raise SourceError(f"unknown layout {name!r} (known: {known})")


def _load(name: str, folders: tuple[Path, ...], chain: tuple[str, ...]) -> Profile:
    path = _find(name, folders)
    if name in chain:
        raise SourceError(f"{path}: extends itself through {' -> '.join(chain)}")
    spec = YamlFile.load(path)
    data = spec.mapping(fields=_PROFILE_FIELDS)
    bases = data.get("extends", [])
    bases = [bases] if isinstance(bases, str) else bases
    fmt = spec.text("format") if "format" in data else "text"
    if fmt not in FORMATS:
        raise SourceError(f"{spec.where('format')}: format must be one of {', '.join(FORMATS)} (got {fmt!r})")
    profile = Profile(name=spec.text("name", rule=PLAIN_NAME), levels={}, rules=(), states={}, table=None, format=fmt,
                      path=path)
    for i, base in enumerate(bases):
        PLAIN_NAME.check(base, spec.where("extends", i), "extends")
        parent = _load(base, folders, (*chain, name))
        profile = replace(
            profile,
            levels={**profile.levels, **parent.levels},
            rules=profile.rules + parent.rules,
            states={**profile.states, **parent.states},
            table=parent.table or profile.table,
            statuses={**profile.statuses, **parent.statuses},
            indicators=parent.indicators or profile.indicators,
            page=profile.page + parent.page,
        )
    levels = {key: _model_level(spec, key) for key in data.get("levels", {}) or {}}
    statuses = {key: _status(spec, key) for key in data.get("statuses", {}) or {}}
    profile = replace(profile, levels={**profile.levels, **levels}, statuses={**profile.statuses, **statuses})
    rules = tuple(_rule(spec, i, profile) for i in range(len(_sequence(spec, "rules"))))
    states = {key: _state(spec, key, profile) for key in data.get("states", {}) or {}}
    page = tuple(_page_node(spec, i, profile) for i in range(len(_sequence(spec, "page"))))
    table = _table(spec) if "table" in data else profile.table
    indicators = _indicators(spec) if "indicators" in data else profile.indicators
    return replace(profile, rules=rules + profile.rules, states={**profile.states, **states}, table=table,
                   indicators=indicators, page=page + profile.page)


def _sequence(spec: YamlFile, key: str) -> list[Any]:
    """The list under ``key`` (empty when it is absent).

    Raises:
        SourceError: when it is there but no list (naming the file and line).
    """
    value = spec.data.get(key) if isinstance(spec.data, dict) else None
    if value is None:
        return []
    if not isinstance(value, list):
        raise SourceError(f"{spec.where(key)}: {key} must be a list (got {show_value(value)})")
    return value


def _check_states(profile: Profile) -> None:
    """Refuse a state a rule applies in (``in``) or a state entry that the reading can never be in: not ``start``
    and no rule's or state's ``then`` leads to it (a typo, or a ``then`` missing).

    Raises:
        SourceError: naming the profile file and line of the rule or state.
    """
    entered = {START} | {r.then for r in profile.rules if r.then} | {a.then for a in profile.states.values() if a.then}
    for rule in profile.rules:
        for state, where in zip(rule.states, rule.state_lines, strict=True):
            if state not in entered:
                raise SourceError(f"{where}: unknown state {state!r} in rule {rule.name!r}: no rule or state leads to "
                                  f"it with then (states: {', '.join(sorted(entered))})")
    for state, action in profile.states.items():
        if state not in entered:
            where = action.where or str(profile.path)
            raise SourceError(f"{where}: unknown state {state!r}: no rule or state leads to it with then (states: "
                              f"{', '.join(sorted(entered))})")


def _indicators(spec: YamlFile) -> IndicatorSpec:
    section = spec.mapping("indicators", fields=_INDICATOR_FIELDS + _INDICATOR_OPTIONAL)
    patterns = {name: _compile(spec, "indicators", name) for name in _INDICATOR_FIELDS}
    optional = {name: _compile(spec, "indicators", name) for name in _INDICATOR_OPTIONAL if name in section}
    if "code" in optional and "notation" not in optional["code"].groupindex:
        raise SourceError(f"{spec.where('indicators', 'code')}: indicators.code needs a group (?P<notation>...)")
    return IndicatorSpec(**patterns, **optional)


def _page_node(spec: YamlFile, i: int, profile: Profile) -> PageNode:
    entry = spec.mapping("page", i, fields=_PAGE_FIELDS)
    level = _check_level(spec, profile, spec.text("page", i, "node"), "page", i, "node")
    title = _compile(spec, "page", i, "title") if "title" in entry else None
    source = _compile(spec, "page", i, "source") if "source" in entry else None
    groups = {*(title.groupindex if title else ()), *(source.groupindex if source else ())}
    if "label" not in groups:
        raise SourceError(f"{spec.where('page', i)}: page[{i}] needs a title (or source) pattern with a group "
                          "(?P<label>...): the node's label")
    return PageNode(level, title, source, spec.where("page", i))


def _model_level(spec: YamlFile, key: str) -> Level:
    value = spec.text("levels", key)
    if value not in {level.value for level in Level}:
        known = ", ".join(level.value for level in Level)
        raise SourceError(f"{spec.where('levels', key)}: levels.{key} must be one of {known} (got {value!r})")
    return Level(value)


def _status(spec: YamlFile, key: str) -> Status:
    spec.mapping("statuses", key, fields=_STATUS_FIELDS)
    values = spec.mapping("statuses", key, "values", fields=tuple(spec.value("statuses", key, "values")))
    return Status(
        scheme=spec.text("statuses", key, "scheme", rule=PLAIN_NAME),
        values={str(k): spec.text("statuses", key, "values", k, rule=PLAIN_NAME) for k in values},
    )


def _compile(spec: YamlFile, *at: str | int, flags: int = 0, text: str | None = None) -> re.Pattern[str]:
    """Compile the regular expression at ``at`` (or ``text``, made from it).

    Raises:
        SourceError: when it is missing or invalid (naming the file, line and field, and the error's position).
    """
    text = spec.text(*at) if text is None else text
    try:
        return re.compile(text, flags)
    except re.error as err:
        field = "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in at).lstrip(".")
        raise SourceError(f"{spec.where(*at)}: {field} is not a valid regular expression ({err}): {text!r}") from err


def _check_level(spec: YamlFile, profile: Profile, name: str, *at: str | int) -> str:
    try:
        profile.level(name)
    except ValueError:
        raise SourceError(f"{spec.where(*at)}: unknown level {name!r} (declare it under levels)") from None
    return name


def _rule(spec: YamlFile, i: int, profile: Profile) -> LineRule:
    rule = spec.mapping("rules", i, fields=_RULE_FIELDS)
    actions = [a for a in _RULE_ACTIONS if a in rule]
    if len(actions) != 1:
        raise SourceError(f"{spec.where('rules', i)}: rules[{i}] needs exactly one action, one of "
                          f"{', '.join(_RULE_ACTIONS)} (got {', '.join(actions) or 'none'})")
    action = actions[0]
    argument = spec.text("rules", i, action)
    states = rule.get("in", [])
    if not isinstance(states, list):
        raise SourceError(f"{spec.where('rules', i, 'in')}: rules[{i}].in must be a list of states "
                          f"(got {show_value(states)})")
    status = None
    if action in ("node", "partner"):
        _check_level(spec, profile, argument, "rules", i, action)
    if ("match" in rule) == ("colon" in rule):
        raise SourceError(f"{spec.where('rules', i)}: rules[{i}] needs exactly one of match (a regular expression) "
                          "and colon (the label of a line '<label>: <text>')")
    if "match" in rule:
        pattern = _compile(spec, "rules", i, "match")
    else:  # "Ambitie 1: <text>": the label's pattern, a colon, the text (the node's label)
        prefix = spec.text("rules", i, "colon")
        pattern = _compile(spec, "rules", i, "colon", text=rf"^(?:{prefix})\s*:\s*(?P<label>\S.*)$")
    close = spec.text("rules", i, "close") if "close" in rule else None
    if close is not None and close not in (CLOSE_NODE, CLOSE_TABLE):
        try:
            profile.level(close)
        except ValueError:
            raise SourceError(f"{spec.where('rules', i, 'close')}: rules[{i}].close must be node, table or a level "
                              f"(got {close!r}; declare a level under levels)") from None
    if action == "status":
        vocabulary = spec.text("rules", i, "vocabulary")
        if vocabulary not in profile.statuses:
            raise SourceError(f"{spec.where('rules', i, 'vocabulary')}: unknown status vocabulary {vocabulary!r}")
        status = profile.statuses[vocabulary]
    requires = rule.get("requires")
    if requires is not None:
        _check_level(spec, profile, spec.text("rules", i, "requires"), "rules", i, "requires")
    if action == "partner" and "name" not in pattern.groupindex:
        raise SourceError(f"{spec.where('rules', i, 'match')}: rules[{i}] (partner) needs a group (?P<name>...): the "
                          "organisation's name")
    return LineRule(
        name=spec.text("rules", i, "name") if "name" in rule else argument,
        where=spec.where("rules", i),
        pattern=pattern,
        states=tuple(spec.text("rules", i, "in", j) for j in range(len(states))),
        then=spec.text("rules", i, "then") if "then" in rule else None,
        action=action,
        argument=argument,
        title=bool(rule.get("title", False)),
        requires=requires,
        foreign=spec.text("rules", i, "foreign") if "foreign" in rule else None,
        status=status,
        close=close,
        role=spec.text("rules", i, "role") if "role" in rule else None,
        state_lines=tuple(spec.where("rules", i, "in", j) for j in range(len(states))),
    )


def _state(spec: YamlFile, key: str, profile: Profile) -> StateAction:
    entry = spec.mapping("states", key, fields=_STATE_FIELDS)
    then = spec.text("states", key, "then") if "then" in entry else None
    expect = spec.text("states", key, "expect") if "expect" in entry else ""
    where = spec.where("states", key)
    if "text" in entry:
        level = _check_level(spec, profile, spec.text("states", key, "text"), "states", key, "text")
        lines = spec.integer("states", key, "lines", low=1, high=1000) if "lines" in entry else None
        return StateAction("text", level, then, lines, expect, where)
    if "description" in entry:
        target = entry["description"]
        if target is True:  # the deepest open node
            return StateAction("description", "", then, where=where)
        level = _check_level(spec, profile, spec.text("states", key, "description"), "states", key, "description")
        return StateAction("description", level, then, where=where)
    if expect and not {"row", "indicator", "skip"} & set(entry):
        return StateAction("expect", "", then, expect=expect, where=where)
    if "skip" in entry:
        return StateAction("skip", spec.text("states", key, "skip"), then, where=where)
    for action in ("row", "indicator"):
        if entry.get(action) is True:
            return StateAction(action, "", then, where=where)
    raise SourceError(f"{where}: states.{key} needs one of text, description, row: true, indicator: true, skip, "
                      "expect")


def _table(spec: YamlFile) -> Table:
    table = spec.mapping("table", fields=_TABLE_FIELDS)
    cues: list[Cue] = []
    for i in range(len(table.get("cues") or [])):
        cue: dict[str, Any] = spec.mapping("table", "cues", i, fields=_CUE_FIELDS)
        patterns = cue.get("patterns", [])
        cues.append(Cue(
            name=spec.text("table", "cues", i, "name"),
            weight=spec.integer("table", "cues", i, "weight", low=-100, high=100),
            patterns=tuple(
                _compile(spec, "table", "cues", i, "patterns", j, flags=re.IGNORECASE) for j in range(len(patterns))
            ),
            named_entity=bool(cue.get("named_entity", False)),
        ))
    return Table(
        bullet=_compile(spec, "table", "bullet"),
        cross_reference=_compile(spec, "table", "cross_reference"),
        terminal_punctuation=_compile(spec, "table", "terminal_punctuation"),
        row_lines=spec.integer("table", "row_lines", low=1, high=100) if "row_lines" in table else 3,
        cues=tuple(cues),
    )
