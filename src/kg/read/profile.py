"""Layout profiles: the declarative description of how one kind of document lays out its goal tree.

A profile is a YAML file in ``kg/read/layouts/<name>.yaml`` (the README's section "Adding a province's layout"
explains the format for a newcomer; ``drenthe-begroting-2016.yaml`` is the annotated reference). It holds

- ``levels``: the document's own level names mapped to the plan model's levels (the ontology classes);
- ``rules``: line rules tried in order on every non-blank line, each a regular expression with one action
  (make a node, record a header, record a status, skip with a reason) and the state it leads to;
- ``states``: what a line that no rule matches does in each state (append to a node, become a table row,
  be skipped with a reason); a line in a state without an entry fails the read;
- ``table``: the objective-or-result table (bullets, wrapped lines, cross references, wording cues);
- ``statuses``: status vocabularies (letters or words in the source mapped to SKOS concepts);
- ``indicators``: the patterns of an indicator table (:mod:`kg.read.indicators`), read in states whose entry is
  ``indicator: true``;
- ``format``: ``text`` (the default), or ``csv``/``rdf`` for the authoring format and RDF sources.

``extends`` names profiles whose parts this one reuses: its own rules are tried before theirs, and its own
levels, states, statuses, table and indicator settings replace theirs key by key. This module only reads profiles;
:mod:`kg.read.reader` runs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kg.model.plan import Level
from kg.model.source import PLAIN_NAME, SourceError
from kg.read.files import YamlFile
from kg.read.indicators import IndicatorSpec

LAYOUTS_DIR = Path(__file__).parent / "layouts"

_PROFILE_FIELDS = ("name", "format", "extends", "levels", "rules", "states", "table", "statuses", "indicators")
_INDICATOR_FIELDS = ("column_header", "target_column", "value", "missing", "source", "item", "footnote_mark")
#: The formats a profile can read: ``text`` (line rules), ``csv`` (the authoring format, :mod:`kg.read.authoring`)
#: or ``rdf`` (Turtle or TriG on our ontology, :mod:`kg.read.rdf_source`).
FORMATS = ("text", "csv", "rdf")
_RULE_FIELDS = ("name", "match", "in", "then", "node", "title", "header", "skip", "status", "vocabulary", "requires",
                "foreign")
_RULE_ACTIONS = ("node", "header", "skip", "status")
_STATE_FIELDS = ("text", "row", "indicator", "skip", "then", "lines", "expect")
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
        action: ``node``, ``header``, ``skip`` or ``status``.
        argument: the profile level (node), the ledger detail (header), the reason (skip) or the ontology
            property (status).
        title: for a node without a label group: the next non-blank line is its label.
        requires: a profile level that must be open (above the line) for the rule to apply; else the read
            fails. A status rule gives its status to the open node of this level (without it: the deepest).
        foreign: for a node: the reason to skip the line when its notation is not within its parent's
            notation (without it, such a line fails the read).
        status: the status vocabulary of a status rule.
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


@dataclass(frozen=True)
class StateAction:
    """What a line that matches no rule does in a state: one of ``text``, ``row``, ``indicator``, ``skip``,
    or ``expect`` (nothing: the line fails the read, saying what was expected).

    Attributes:
        action: ``text`` (append to, or start, a node of a profile level), ``row`` (a table row),
            ``indicator`` (a line of an indicator table), ``skip`` or ``expect``.
        argument: the profile level (text) or the reason (skip); empty for a row.
        then: the state after the line (None: unchanged).
        lines: for ``text``, the most lines of text a node takes in this state (None: any number); one more
            fails the read.
        expect: what the layout expects instead of a line that no rule matched (for ``expect``) or that is one
            too many (for ``lines``), in words for the error.
    """

    action: str
    argument: str
    then: str | None = None
    lines: int | None = None
    expect: str = ""


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
    """

    name: str
    levels: dict[str, Level]
    rules: tuple[LineRule, ...]
    states: dict[str, StateAction]
    table: Table | None
    statuses: dict[str, Status] = field(default_factory=dict)
    format: str = "text"
    indicators: IndicatorSpec | None = None

    def level(self, name: str) -> Level:
        """Return the plan model level of the profile level ``name`` (a model level's name maps to itself)."""
        return self.levels.get(name) or Level(name)


def load_profile(name: str, directory: Path = LAYOUTS_DIR) -> Profile:
    """Load the profile ``name`` from ``directory``, with the profiles it extends.

    Raises:
        SourceError: when no such profile exists (listing the known ones), or the file or a profile it
            extends is malformed: an unknown field, a rule without exactly one action, an invalid regular
            expression, an unknown level, state or status vocabulary (naming the file, line and field).
    """
    return _load(name, directory, ())


def _load(name: str, directory: Path, chain: tuple[str, ...]) -> Profile:
    path = directory / f"{name}.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in directory.glob("*.yaml")))
        raise SourceError(f"unknown layout {name!r} (known: {known})")
    if name in chain:
        raise SourceError(f"{path}: extends itself through {' -> '.join(chain)}")
    spec = YamlFile.load(path)
    data = spec.mapping(fields=_PROFILE_FIELDS)
    bases = data.get("extends", [])
    bases = [bases] if isinstance(bases, str) else bases
    fmt = spec.text("format") if "format" in data else "text"
    if fmt not in FORMATS:
        raise SourceError(f"{spec.where('format')}: format must be one of {', '.join(FORMATS)} (got {fmt!r})")
    profile = Profile(name=spec.text("name", rule=PLAIN_NAME), levels={}, rules=(), states={}, table=None, format=fmt)
    for i, base in enumerate(bases):
        PLAIN_NAME.check(base, spec.where("extends", i), "extends")
        parent = _load(base, directory, (*chain, name))
        profile = replace(
            profile,
            levels={**profile.levels, **parent.levels},
            rules=profile.rules + parent.rules,
            states={**profile.states, **parent.states},
            table=parent.table or profile.table,
            statuses={**profile.statuses, **parent.statuses},
            indicators=parent.indicators or profile.indicators,
        )
    levels = {key: _model_level(spec, key) for key in data.get("levels", {}) or {}}
    statuses = {key: _status(spec, key) for key in data.get("statuses", {}) or {}}
    profile = replace(profile, levels={**profile.levels, **levels}, statuses={**profile.statuses, **statuses})
    rules = tuple(_rule(spec, i, profile) for i in range(len(data.get("rules", []) or [])))
    states = {key: _state(spec, key, profile) for key in data.get("states", {}) or {}}
    table = _table(spec) if "table" in data else profile.table
    indicators = _indicators(spec) if "indicators" in data else profile.indicators
    return replace(profile, rules=rules + profile.rules, states={**profile.states, **states}, table=table,
                   indicators=indicators)


def _indicators(spec: YamlFile) -> IndicatorSpec:
    spec.mapping("indicators", fields=_INDICATOR_FIELDS)
    patterns = {name: _compile(spec, "indicators", name) for name in _INDICATOR_FIELDS}
    return IndicatorSpec(**patterns)


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


def _compile(spec: YamlFile, *at: str | int) -> re.Pattern[str]:
    text = spec.text(*at)
    try:
        return re.compile(text)
    except re.error as err:
        raise SourceError(f"{spec.where(*at)}: not a valid regular expression ({err})") from err


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
        raise SourceError(f"{spec.where('rules', i)}: rules[{i}] needs exactly one of {', '.join(_RULE_ACTIONS)}")
    action = actions[0]
    argument = spec.text("rules", i, action)
    states = rule.get("in", [])
    status = None
    if action == "node":
        _check_level(spec, profile, argument, "rules", i, "node")
    if action == "status":
        vocabulary = spec.text("rules", i, "vocabulary")
        if vocabulary not in profile.statuses:
            raise SourceError(f"{spec.where('rules', i, 'vocabulary')}: unknown status vocabulary {vocabulary!r}")
        status = profile.statuses[vocabulary]
    requires = rule.get("requires")
    if requires is not None:
        _check_level(spec, profile, spec.text("rules", i, "requires"), "rules", i, "requires")
    return LineRule(
        name=spec.text("rules", i, "name") if "name" in rule else argument,
        where=spec.where("rules", i),
        pattern=_compile(spec, "rules", i, "match"),
        states=tuple(spec.text("rules", i, "in", j) for j in range(len(states))),
        then=spec.text("rules", i, "then") if "then" in rule else None,
        action=action,
        argument=argument,
        title=bool(rule.get("title", False)),
        requires=requires,
        foreign=spec.text("rules", i, "foreign") if "foreign" in rule else None,
        status=status,
    )


def _state(spec: YamlFile, key: str, profile: Profile) -> StateAction:
    entry = spec.mapping("states", key, fields=_STATE_FIELDS)
    then = spec.text("states", key, "then") if "then" in entry else None
    expect = spec.text("states", key, "expect") if "expect" in entry else ""
    if "text" in entry:
        level = _check_level(spec, profile, spec.text("states", key, "text"), "states", key, "text")
        lines = spec.integer("states", key, "lines", low=1, high=1000) if "lines" in entry else None
        return StateAction("text", level, then, lines, expect)
    if expect and not {"row", "indicator", "skip"} & set(entry):
        return StateAction("expect", "", then, expect=expect)
    if "skip" in entry:
        return StateAction("skip", spec.text("states", key, "skip"), then)
    for action in ("row", "indicator"):
        if entry.get(action) is True:
            return StateAction(action, "", then)
    raise SourceError(f"{spec.where('states', key)}: states.{key} needs one of text, row: true, indicator: true, "
                      "skip, expect")


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
                re.compile(spec.text("table", "cues", i, "patterns", j), re.IGNORECASE) for j in range(len(patterns))
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
