"""What the wording of a table row says about it: an aim (Doelstelling) or a planned result (Resultaat).

Dutch budgets follow the BBV's questions "Wat willen we bereiken?" (aims) and "Wat gaan we daarvoor doen?" /
"Wat hebben we gedaan?" (results), and the two are written differently:

- an **aim** states a direction or a desired state: an infinitive first or last and no finite verb ("Versterken
  van ...", "Het aantal ... verhogen", "... laten functioneren"), a nominalised infinitive ("Het verbeteren
  van"), a nominalisation with its object ("Verbetering van ..."), a comparative ("Meer ...", "Betere ..."), a
  normative modal ("... moeten ruimte krijgen"), or it says so ("Doel: ...", "Ons doel is ...", "Wij willen
  ...", "Wij streven ernaar ..."); or it is a bare noun phrase that names no particular thing
  ("Verkeersveiligheid", "Een energiezuinig bedrijfsleven");
- a **result** states a fact about work: a finite verb or a past participle ("is opgesteld", "zijn gezet",
  "werd uitgereikt", "geactualiseerd"), a status ("in uitvoering", "gereed", "van start", "loopt"), a
  deliverable noun ("Fietsplan ...", "Uitvoeringsprogramma ...", "... regeling"), numbers, and names of
  particular partners and places.

Verb forms are recognised with simplemma's Dutch lemma table (shipped with the package; nothing is downloaded):
a word whose lemma is another word ending in ``-en`` is an inflected verb (``werkt`` -> ``werken``, ``opgesteld``
-> ``op_stellen``), and a word ending in ``-en`` that its own third-person form lemmatises back to is an infinitive
(``versterken``, ``verhogen``). None of the cues is decisive alone: each adds its weight to the row's score
(positive: aim), and :mod:`kg.read.rows` decides a whole table at once from the scores and the table's structure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from simplemma import lemmatize

#: Phrases in which a text says it is an aim.
_SAYS_AIM = re.compile(
    r"^(doel|doelstelling|ambitie|opgave|streven)\s*:|\b(ons|het|onze) (doel|streven|ambitie) is\b|"
    r"^(wij|we) (willen|streven|beogen|zetten (ons )?in)\b|\bis (ons|het) doel\b|\bstreven (wij|we) naar\b",
    re.IGNORECASE,
)
#: Modal verbs of a norm or intention ("moeten ruimte krijgen", "blijven leefbaar").
_NORM = re.compile(r"\b(moet|moeten|dient|dienen|blijft|blijven)\b", re.IGNORECASE)
#: Status words of work done, running or in place.
_STATUS = re.compile(
    r"\b(in uitvoering|gereed|afgerond|van start|loopt|lopen|operationeel|actief|in gebruik|in werking|"
    r"opgeleverd|vastgesteld|uitgevoerd|gerealiseerd|ingericht|gestart)\b",
    re.IGNORECASE,
)
#: Finite forms of the auxiliaries and copulas (present and past).
_AUXILIARY = {"is", "zijn", "wordt", "worden", "werd", "werden", "was", "waren", "heeft", "hebben", "had", "hadden",
              "gaat", "gaan", "zal", "zullen", "kan", "kunnen", "komt", "kwam", "kwamen"}
#: Comparatives and quantities that open an aim ("Meer ...", "Betere ...").
_MORE = re.compile(r"^((een|de|het) )?(meer|minder|betere?|hogere?|lagere?|sterkere?|grotere?|kleinere?|snellere?|"
                   r"veiligere?|duurzamere?|optimale|maximale|verdere)\b", re.IGNORECASE)
#: Heads of nouns that name a deliverable (a plan, a programme, a fund, a study ...), alone or at the end of a
#: compound ("Fietsplan", "Uitvoeringsprogramma", "Jeugdcultuurfonds").
_DELIVERABLE = re.compile(
    r"^\w*(plan|programma|agenda|regeling|fonds|project|projecten|pilot|visie|strategie|onderzoek|evaluatie|"
    r"monitor|convenant|overeenkomst|akkoord|nota|rapport|rapportage|platform|campagne|prijs|subsidie|deal|"
    r"impuls|kaart|scan|verkenning|aanvraag|bijeenkomst|bijeenkomsten|conferentie|loket)$",
    re.IGNORECASE,
)
#: A nominalisation with its object ("Verbetering van", "Profilering van", "Inzet op").
#: A row that names a thing, a colon, then what was done with it ("N381: evaluatie afgerond").
_LABELLED = re.compile(r"^[^:]{2,60}:\s+\S")
_NOMINAL = re.compile(r"^\w+(ing|atie|tie|heid|ering)\s+(van|voor|op|in|met)\b", re.IGNORECASE)
_NOMINAL_INFINITIVE = re.compile(r"^het \w+en (van|voor|op)\b", re.IGNORECASE)
#: Words that open a subordinate or relative clause; Dutch puts its verb last there, so a verb after one says
#: nothing of the row as a whole ("een arbeidsmarkt die klaar is voor de toekomst", "de wenselijkheid om de
#: aandelen over te nemen").
_SUBORDINATE = {"die", "dat", "waar", "waarin", "waarmee", "waardoor", "welke", "zodat", "omdat", "als",
                "wanneer", "indien", "doordat", "terwijl", "waarbij", "om"}
_WORD = re.compile(r"[\wÀ-ÿ][\wÀ-ÿ'\-]*")
_YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass(frozen=True)
class Cue:
    """One thing the wording says: its name in the reading's reason, and its weight (positive: aim)."""

    name: str
    weight: float


@lru_cache(maxsize=65536)
def _lemma(word: str) -> str:
    return str(lemmatize(word.lower(), lang="nl"))


@lru_cache(maxsize=65536)
def is_infinitive(word: str) -> bool:
    """Return whether ``word`` is a Dutch infinitive (``versterken``, ``verhogen``, ``beleven``): it ends in
    ``-en``, is its own lemma, and a third-person form built from its stem lemmatises back to it."""
    word = word.lower()
    if len(word) < 5 or not word.endswith("en") or _lemma(word) != word:
        return False
    stem = word[:-2]
    stems = {stem, stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem}
    if len(stem) > 2 and stem[-2] in "aeou" and stem[-3] not in "aeiou":
        stems.add(stem[:-1] + stem[-2] + stem[-1])  # verhog -> verhoog
    stems |= {s[:-1] + {"v": "f", "z": "s"}[s[-1]] for s in list(stems) if s and s[-1] in "vz"}
    stems |= {s[:-2] + s[-2] + s[-2:] for s in list(stems) if len(s) > 2 and s[-2] in "aeou" and s[-3] not in "aeiou"}
    return any(_lemma(s + "t") == word or _lemma(s) == word for s in stems if s)


@lru_cache(maxsize=65536)
def is_inflected_verb(word: str) -> bool:
    """Return whether ``word`` is a finite verb or a past participle (``werkt``, ``opgesteld``, ``gezet``,
    ``uitgereikt``): its lemma is another word, a verb in ``-en``."""
    lower = word.lower()
    if lower in _AUXILIARY:
        return True
    lemma = _lemma(lower)
    return lemma != lower and lemma.endswith("en") and lower[-1] in "dt" and not lower.endswith("heid")


def _main_clause(words: list[str]) -> list[str]:
    """The words outside subordinate and relative clauses: such a clause runs from its opening word to its
    verb, which Dutch puts last ("Het aantal jongeren [dat voortijdig de school verlaat] verlagen"); an ``om ...
    te`` clause runs to the infinitive after ``te``."""
    main: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if index and word.lower() in _SUBORDINATE:
            end = index + 1
            while end < len(words) and not (is_inflected_verb(words[end]) or words[end - 1].lower() == "te"):
                end += 1
            index = end + 1
            continue
        main.append(word)
        index += 1
    return main


def cues(text: str, own_names: frozenset[str] = frozenset(), year: int | None = None) -> list[Cue]:
    """Return what the wording of a row says (see the module doc).

    Args:
        text: the row's text (wrapped lines joined).
        own_names: words that name the publishing body itself (``Drenthe``): not a particular name.
        year: the plan's year; a year after it in the row is a target (an aim's horizon).
    """
    found: list[Cue] = []
    words = _WORD.findall(text)
    if not words:
        return found
    lower = [w.lower() for w in words]
    says_aim = bool(_SAYS_AIM.search(text))
    if says_aim:
        found.append(Cue("says it is an aim", 6))
    main = _main_clause(words)
    inflected = [w for w in main[1:] if is_inflected_verb(w)] + ([words[0]] if is_inflected_verb(words[0]) and
                                                                  not is_infinitive(words[0]) else [])
    if _STATUS.search(text):
        found.append(Cue("a status of work", -3))
    elif inflected and not says_aim:
        found.append(Cue(f"a finite verb or participle ({inflected[0]})", -3))
    if _NORM.search(text) and not says_aim:
        found.append(Cue("a norm or intention (moeten, blijven)", 3))
    if is_infinitive(words[0]) and not inflected:
        found.append(Cue(f"an infinitive first ({words[0]})", 3))
    elif len(main) > 1 and is_infinitive(main[-1]) and not inflected:
        found.append(Cue(f"an infinitive last ({main[-1]})", 3))
    if _NOMINAL_INFINITIVE.search(text):
        found.append(Cue("a nominalised infinitive (het ...en van)", 3))
    elif _NOMINAL.search(text):
        found.append(Cue("a nominalisation with its object", 1.5))
    if more := _MORE.search(text):
        found.append(Cue(f"a comparative first ({more.group(3)})", 2))
    if any(_DELIVERABLE.search(w) for w in words[:2]):
        found.append(Cue("a deliverable named (plan, programma, fonds ...)", -2))
    if "waaronder" in lower or text.rstrip().endswith(":"):
        found.append(Cue("introduces a list", -2))
    elif _LABELLED.search(text) and not says_aim:
        found.append(Cue("a label and what was done with it (X: ...)", -1.5))
    targets = [w for w in words if _YEAR.match(w) and year is not None and int(w) > year]
    if targets and not _STATUS.search(text):
        found.append(Cue(f"a target year ({targets[0]})", 2))
    numbers = [w for w in words if any(c.isdigit() for c in w) and not _YEAR.match(w)]
    if numbers:
        found.append(Cue(f"a number ({numbers[0]})", -1.5))
    names = [w for w in words[1:] if w[0].isupper() and w not in own_names and w.lower() not in {"wij", "we", "ons"}]
    if names:
        found.append(Cue(f"a particular name ({names[0]})", -1))
    if not inflected and not numbers and not names and not any(c.weight for c in found):
        found.append(Cue("a noun phrase naming no particular thing", 1))
    return found
