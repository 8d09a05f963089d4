"""The words around a name in Dutch plan text: what the entity linker (:mod:`kg.link.entities`) reads to decide what
a name means.

Plain text analysis, with no reference data: where a run of capitalised words (a name) begins and ends, which word
before a name makes it a body or an area ("de gemeenten ...", "uit de hele provincie ..."), which words mark a city or
a province ("stad", "provincie", a route "Emmen – Groningen"), which words join names into a list, where a text
defines an abbreviation ("Groningen Airport Eelde (GAE)") and where it gives a country code ("(DE)"). Each rule rests on
how Dutch is written: names, and only names, are capitalised mid-sentence (a sentence's first word is capitalised
whatever it is), body words and prepositions are a closed class.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: Words that may join the capitalised words of one name ("ROC van Twente", "Agenda voor Twente", "Port of Twente",
#: "Universiteit van Amsterdam"); "en" and "of" as "or" join two names, not one ("Emmen en Delfzijl").
PARTICLES = frozenset({"van", "voor", "de", "der", "den", "het", "of", "&", "aan", "op"})

#: Dutch function words (a closed class: articles, pronouns, prepositions, conjunctions, a few adverbs): a sentence
#: that starts with one does not start with a name.
FUNCTION_WORDS = frozenset({
    "de", "het", "een", "deze", "dit", "die", "dat", "onze", "ons", "zijn", "haar", "hun", "uw", "elke", "ieder",
    "iedere", "alle", "veel", "meer", "enkele", "geen", "beide", "met", "in", "op", "uit", "van", "voor", "door", "bij",
    "naar", "over", "onder", "tussen", "tot", "om", "na", "naast", "sinds", "tijdens", "vanaf", "vanuit", "via",
    "zonder", "binnen", "buiten", "langs", "rond", "rondom", "tegen", "namens", "per", "volgens", "dankzij", "en", "of",
    "maar", "want", "dus", "als", "toen", "omdat", "terwijl", "wanneer", "waar", "ook", "er", "nu", "zo", "daar",
    "hier", "daarnaast", "daarbij", "daarom", "daarmee", "verder", "bovendien", "tevens", "samen", "wij", "we", "zij",
    "ze", "hij", "u", "men", "wat", "wie", "welke", "hoe", "nog", "al", "niet",
})

#: Finite verbs that follow a sentence's subject ("Marketing Groningen heeft ..."): a subject without an article is a
#: name, so a capitalised first word before one belongs to the name.
FINITE_VERBS = frozenset({
    "heeft", "hebben", "had", "hadden", "is", "zijn", "was", "waren", "wordt", "worden", "werd", "werden", "zal",
    "zullen", "kan", "kunnen", "moet", "moeten", "gaat", "gaan", "blijft", "blijven",
})

#: A finite verb right after a name.
_FINITE = re.compile(r"^\s+(?:" + "|".join(sorted(FINITE_VERBS)) + r")\b")

#: Plural body words and the singular that starts a body's name ("de gemeenten Zwolle en Kampen": "gemeente Zwolle").
PLURAL_BODIES = {"provincies": "provincie", "gemeenten": "gemeente", "gemeentes": "gemeente",
                 "waterschappen": "waterschap"}

#: Nouns of institutions, written in lower case, that take a place's name as their own ("politie Noord-Nederland",
#: "station Zwolle", "rechtbank Noord-Nederland"): the place is part of the institution's name.
INSTITUTION_NOUNS = frozenset({"politie", "station", "rechtbank", "luchthaven", "ziekenhuis", "veiligheidsregio",
                               "omgevingsdienst", "brandweer", "universiteit", "hogeschool"})

#: A word, as name runs are made of (separators: white space, brackets, quotes and punctuation; a hyphen and an
#: apostrophe stay inside a word: "Noord-Nederland", "Aa's").
_WORD = re.compile(r"[^\s/()\[\]{},;:.!?\"‘’“”•–—]+")

#: Text before a name that makes it a body in a list: "de gemeenten " (the plural body word is the last word).
_PLURAL = re.compile(r"\b(?P<word>" + "|".join(PLURAL_BODIES) + r")\s+$", re.IGNORECASE)
#: What may stand between two names of one list: a comma, "en", "of", with white space.
_LIST_GAP = re.compile(r"^\s*(?:,\s*(?:en\s+|of\s+)?|\s(?:en|of)\s+)$")
#: What may stand between two places named together (a list, a pair or a route): ",", "/", "en", "of", a dash, "tot",
#: "naar".
_COORDINATOR = re.compile(r"^\s*(?:,|/|en|of|tot|naar|[–—-])?\s*$")
#: A preposition of place before a body word: the body's area is meant ("uit de hele provincie Groningen", "in de
#: gemeente Assen", "de hele provincie").
_AREA = re.compile(r"(?:\b(?:in|uit|binnen|buiten|naar|over)\s+de\s+(?:hele\s+)?|\bde\s+hele\s+|\bheel\s+de\s+)$",
                   re.IGNORECASE)
#: An institution noun right before a name.
_INSTITUTION = re.compile(r"\b(?P<noun>" + "|".join(sorted(INSTITUTION_NOUNS)) + r")\s+$")
#: "Full Name (ABBR)": an abbreviation in parentheses (two or more capitals, digits or "+" allowed: "GAE", "ESF+",
#: "POP3", "MUMC+").
_ABBREVIATION = re.compile(r"\((?P<abbr>[A-Z][A-Za-z0-9+&]*)\)")
#: A two-letter country code in parentheses after a word: "Altenpflege (DE)".
_COUNTRY_CODE = re.compile(r"\w\s*\((?P<code>[A-Z]{2})\)")
#: A route's dash between two names, with white space: "Emmen – Groningen", "Assen - Groningen".
_ROUTE_AFTER = re.compile(r"^\s+[–—-]\s+[A-Z]")
_ROUTE_BEFORE = re.compile(r"\w\s+[–—-]\s+$")


@dataclass(frozen=True)
class Run:
    """A run of capitalised words that is one name (module doc of :mod:`kg.link.entities`, rule 2).

    Attributes:
        start: offset of its first character.
        end: offset just past its last character.
        words: the (start, end) of each capitalised word of the run (the particles between them excepted).
    """

    start: int
    end: int
    words: tuple[tuple[int, int], ...]


def _sentence_start(text: str, at: int) -> bool:
    """Whether the word at offset ``at`` starts a sentence (the text's start, or after ".", "!", "?", ":", "--" or a
    bullet)."""
    before = text[:at].rstrip()
    return not before or before[-1] in ".!?:•" or before.endswith("--")


def name_runs(text: str, known: Iterable[tuple[int, int]] = (), places: Iterable[tuple[int, int]] = ()) -> list[Run]:
    """The runs of capitalised words of ``text``: words that start with a capital, next to each other or joined by
    :data:`PARTICLES`, with only white space between them.

    The first word of a sentence is capitalised whatever it is, so it belongs to a run only when it is written in
    capitals only (an acronym: "NOM"), lies in a ``known`` name (offsets of names found in ``text``: "Maastricht
    Aachen Airport"), or is no function word (:data:`FUNCTION_WORDS`), the rest of its run is made of ``places``
    (offsets of place names) and the run is the sentence's subject, directly followed by a finite verb
    (:data:`FINITE_VERBS`): "Marketing Groningen heeft", "Visit Zuid-Limburg heeft" (a subject without an article is
    a name, and a place takes no word of kind before it, as an organisation does in "Clusterorganisatie Greenlincs
    is actief"). So "Doorontwikkeling COCI/GREENPAC" and "In Groningen groeit" hold the runs "COCI" and "Groningen"
    only. A word at an end of a route starts a run of its own: in "De Qliner Emmen – Groningen" the name
    of the bus line does not swallow the town the route starts in.
    """
    inside = {i for start, end in known for i in range(start, end)}
    in_place = {i for start, end in places for i in range(start, end)}
    runs: list[list[tuple[int, int]]] = []
    words: list[tuple[int, int]] = []
    pending = 0  # particles seen after the last capitalised word of the run
    end = 0
    initial: set[int] = set()  # starts of first words of sentences, capitalised only as such
    for match in _WORD.finditer(text):
        word, start = match.group(), match.start()
        joined = bool(words) and text[end:start].isspace()
        if word[0].isupper():
            if _sentence_start(text, start) and not word.isupper() and start not in inside:
                if word.lower() in FUNCTION_WORDS:
                    joined, capital = False, False
                else:
                    initial.add(start)
                    capital = True
            else:
                capital = True
        else:
            capital = False
        if capital:
            if (not joined or _ROUTE_AFTER.match(text[match.end() :])) and words:  # a route's end starts a run
                runs.append(words)
                words = []
            words.append((start, match.end()))
            pending = 0
        elif joined and word in PARTICLES and pending < 2:
            pending += 1
        else:
            if words:
                runs.append(words)
            words, pending = [], 0
        end = match.end()
    if words:
        runs.append(words)
    result = []
    for run in runs:
        if run[0][0] in initial and not (_FINITE.match(text[run[-1][1] :]) and len(run) > 1 and all(
                i in in_place for start, end in run[1:] for i in range(start, end) if text[i].isalnum())):
            run = run[1:]
        if run:
            result.append(Run(run[0][0], run[-1][1], tuple(run)))
    return result


def covered(text: str, run: Run, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether every capitalised word of ``run`` is made of the ``spans`` (known names), allowing a common noun joined
    to a name by a hyphen ("MIRT-onderzoek", "Interreg-programma": a part that starts with a lower-case letter)."""
    inside = {i for start, end in spans for i in range(start, end)}
    for start, end in run.words:
        offset = start
        for part in text[start:end].split("-"):
            if part and not part[0].islower() and any(c.isalnum() and i not in inside
                                                       for i, c in enumerate(part, offset)):
                return False
            offset += len(part) + 1
    return True


def plural_body(text: str, start: int) -> str | None:
    """The singular body word ("gemeente") when the name at ``start`` directly follows a plural body word ("de
    gemeenten Zwolle"), else None."""
    match = _PLURAL.search(text[:start])
    return PLURAL_BODIES[match["word"].lower()] if match else None


def in_list(text: str, end: int, start: int) -> bool:
    """Whether the text between offsets ``end`` and ``start`` joins two names of one list (", ", " en ", " of ")."""
    return bool(_LIST_GAP.match(text[end:start]))


def coordinated(text: str, end: int, start: int) -> bool:
    """Whether the text between ``end`` and ``start`` joins two places named together (a list, a pair or a route)."""
    return bool(_COORDINATOR.match(text[end:start]))


def area_of_body(text: str, start: int) -> bool:
    """Whether the body word at ``start`` ("provincie Groningen") follows a preposition of place, so that the body's
    area is meant ("uit de hele provincie Groningen")."""
    return bool(_AREA.search(text[:start]))


def institution(text: str, start: int) -> str | None:
    """The institution noun written in lower case right before the name at ``start`` ("politie"), else None."""
    match = _INSTITUTION.search(text[:start])
    return match["noun"] if match else None


def level_cue(text: str, start: int, end: int) -> tuple[str, str] | None:
    """The level of region the words around the name at ``start``-``end`` point to, with why: ``("GM", ...)`` for a
    municipality (town) after "stad" or "gemeente", before "als stad", or at an end of a route ("Emmen – Groningen");
    ``("PV", ...)`` after "provincie"; None when the words say nothing."""
    before, after = text[:start], text[end:]
    if re.search(r"\bstad\s+$", before, re.IGNORECASE) or re.match(r"^\s+als\s+stad\b", after, re.IGNORECASE):
        return "GM", "stad"
    if re.search(r"\bgemeente\s+$", before, re.IGNORECASE):
        return "GM", "gemeente"
    if re.search(r"\bprovincie\s+$", before, re.IGNORECASE):
        return "PV", "provincie"
    if _ROUTE_AFTER.match(after) or _ROUTE_BEFORE.search(before):
        return "GM", "route"
    return None


@dataclass(frozen=True)
class Definition:
    """An abbreviation a text defines: "Groningen Airport Eelde (GAE)".

    Attributes:
        full: (start, end) of the full name.
        abbreviation: (start, end) of the abbreviation (inside the parentheses).
    """

    full: tuple[int, int]
    abbreviation: tuple[int, int]


def definitions(text: str) -> list[Definition]:
    """The abbreviations ``text`` defines: a parenthesis of capitals (and digits or "+") right after a name whose
    capitalised words' initials (each part of a hyphenated word counts: "Noord-Nederland" gives "NN"; words in lower
    case are skipped) are its letters: "Groningen Airport Eelde (GAE)", "Samenwerkingsverband Noord-Nederland (SNN)",
    "ministerie van Economische Zaken en Klimaat (EZK)". A parenthesis whose letters are not the initials ("Duitsland
    (VA)", "Verzorgende IG (NL)") defines nothing."""
    found = []
    for match in _ABBREVIATION.finditer(text):
        letters = [c for c in match["abbr"] if c.isalpha()]
        if sum(c.isupper() for c in letters) < 2 or any(c.islower() for c in letters):
            continue
        words = list(_WORD.finditer(text[: match.start()]))
        initials: list[str] = []
        full_start = None
        for word in reversed(words[-12:]):
            parts = [part[0] for part in word.group().split("-") if part and part[0].isupper()]
            if not parts:
                continue
            initials = parts + initials
            if len(initials) >= len(letters):
                full_start = word.start()
                break
        if full_start is not None and "".join(initials) == "".join(letters):
            full_end = len(text[: match.start()].rstrip())
            found.append(Definition((full_start, full_end), (match.start("abbr"), match.end("abbr"))))
    return found


def country_codes(text: str) -> list[tuple[int, int, str]]:
    """The two-letter codes in parentheses after a word ("Niedersachsen (DE)"): (start, end, code) of each."""
    return [(m.start("code"), m.end("code"), m["code"]) for m in _COUNTRY_CODE.finditer(text)]
