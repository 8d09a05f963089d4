"""What the wording of a row says (kg.read.plan_language), on phrases from real and hand-written plans."""

from __future__ import annotations

import pytest

from kg.read.plan_language import cues, is_infinitive, is_inflected_verb


def _names(text: str, year: int | None = None) -> list[str]:
    return [cue.name for cue in cues(text, frozenset({"Drenthe", "Drentse", "Drents"}), year)]


@pytest.mark.parametrize("word", ["versterken", "verhogen", "beleven", "stimuleren", "faciliteren", "bevorderen"])
def test_infinitives(word: str) -> None:
    assert is_infinitive(word)


@pytest.mark.parametrize("word", ["bedrijven", "gemeenten", "soorten", "Drentenaren", "werkt", "opgesteld"])
def test_not_infinitives(word: str) -> None:
    assert not is_infinitive(word)


@pytest.mark.parametrize("word", ["werkt", "opgesteld", "gerealiseerd", "afgerond", "is", "zijn", "heeft"])
def test_inflected_verbs(word: str) -> None:
    assert is_inflected_verb(word)


def test_a_verb_in_a_relative_clause_does_not_make_a_result() -> None:
    """The verb of "dat voortijdig de school verlaat" is the relative clause's; the main clause ends in an
    infinitive (an aim)."""
    assert _names("Het aantal jongeren dat voortijdig de school verlaat verlagen") == ["an infinitive last (verlagen)"]


def test_om_te_is_a_clause_of_its_own() -> None:
    found = _names("Verkenning van de wenselijkheid om de aandelen NOM over te nemen")
    assert "a nominalisation with its object" in found
    assert not any(name.startswith("an infinitive") for name in found)


@pytest.mark.parametrize(("text", "expected"), [
    ("Noordelijke aanpak circulaire economie opgesteld", "a finite verb or participle (opgesteld)"),
    ("Communicatieprogramma BBE 2015-2020 in uitvoering", "a status of work"),
    ("Doel: meer bezoekers in de Drentse musea", "says it is an aim"),
    ("Wij willen dat alle kernen bereikbaar zijn met het openbaar vervoer", "says it is an aim"),
    ("Het verbeteren van het Drents imago", "a nominalised infinitive (het ...en van)"),
    ("Fietsplan Drenthe", "a deliverable named (plan, programma, fonds ...)"),
    ("N381: evaluatie na openstelling afgerond", "a status of work"),
    ("Hub Gieten: overdekte stalling en e-bike-kluizen", "a label and what was done with it (X: ...)"),
    ("Een beter imago voor Drenthe", "a comparative first (beter)"),
])
def test_cues(text: str, expected: str) -> None:
    assert expected in _names(text)


def test_a_later_year_is_a_target_and_the_plan_year_is_not() -> None:
    assert "a target year (2025)" in _names("Groei van het aantal kilometers houtwallen met 10% in 2025", 2020)
    assert not any(name.startswith("a target year") for name in _names("In 2020 zijn 12 bedrijven geholpen", 2020))
