"""The reader on texts it was not tuned for: the scores of the development and held-out sets, pinned
(benchmarks/reading.py).

The texts of ``tests/read/devset/`` and ``tests/read/heldout/`` and their readings were written by hand before the
reader ran on them (see their READMEs); the held-out texts were not looked at while the rule was tuned. A change
that reads fewer rows right, or flags fewer wrong ones, fails here; a change that reads more right updates the
pins (and the closing note's table) on purpose.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import reading  # benchmarks/ is no package: imported from its folder

DEVSET = REPO / "tests" / "read" / "devset"
HELDOUT = REPO / "tests" / "read" / "heldout"

#: Per text: rows at the right level, objectives with exactly the right results, results under the right
#: objective, sub-items under the right result, wrong rows flagged, right rows flagged.
PINNED = {
    "cultuur": (29, 5, 20, 6, 0, 3),
    "energie": (26, 6, 20, 3, 0, 2),
    "mobiliteit": (32, 7, 25, 8, 0, 6),
    "natuur": (30, 3, 18, 5, 1, 2),
    "seed-reordered": (60, 14, 46, 15, 0, 8),
    "seed-voices-a": (76, 12, 55, 15, 2, 4),
    "seed-voices-b": (72, 8, 49, 15, 6, 7),
    "wonen": (25, 6, 19, 7, 0, 0),
}
#: The same figures on the held-out set.
PINNED_HELDOUT = {
    "energie": (27, 1, 14, 3, 2, 1),
    "vitaal-platteland": (29, 7, 22, 5, 0, 2),
    "water-en-bodem": (31, 4, 20, 6, 1, 1),
}


@pytest.fixture(scope="module")
def scores() -> dict[str, reading.Score]:
    return {score.name: score for score in reading.score_folder(DEVSET)}


def test_every_text_of_the_development_set_is_scored(scores: dict[str, reading.Score]) -> None:
    assert sorted(scores) == sorted(PINNED)
    assert all(not score.error for score in scores.values())
    assert sum(s.rows for s in scores.values()) == 361 and sum(s.results for s in scores.values()) == 286


@pytest.mark.parametrize("name", sorted(PINNED))
def test_scores_per_text(scores: dict[str, reading.Score], name: str) -> None:
    s = scores[name]
    assert (s.rows_right, s.objectives_right, s.results_right, s.subitems_right, s.wrong_flagged,
            s.right_flagged) == PINNED[name]


def test_the_targets_on_the_development_set(scores: dict[str, reading.Score]) -> None:
    """At least 95 % of rows at the right level (met: 350 of 361); results under the right objective at 252 of
    286 (88.1 %), short of the 90 % target (see the closing note)."""
    total = reading.Score("total")
    for score in scores.values():
        total.add(score)
    assert total.rows_right / total.rows >= 0.95
    assert (total.rows_right, total.results_right, total.wrong_rows, total.wrong_flagged) == (350, 252, 11, 9)


def test_scores_on_the_held_out_set() -> None:
    """87 of 93 rows at the right level (93.5 %), 56 of 71 results under the right objective (78.9 %); 3 of the 6
    wrong rows flagged, 4 right rows flagged."""
    scores = {score.name: score for score in reading.score_folder(HELDOUT)}
    assert {name: (s.rows_right, s.objectives_right, s.results_right, s.subitems_right, s.wrong_flagged,
                   s.right_flagged) for name, s in scores.items()} == PINNED_HELDOUT
    assert sum(s.rows for s in scores.values()) == 93 and sum(s.results for s in scores.values()) == 71


def test_the_scorer_counts_a_misreading(tmp_path: Path) -> None:
    """A reading that says the second row is an objective costs the row, both objectives and the result."""
    text = tmp_path / "plan.txt"
    meta = (DEVSET / "wonen.meta.yaml").read_text(encoding="utf-8").replace("devset-wonen", "proef")
    (tmp_path / "plan.meta.yaml").write_text(meta, encoding="utf-8")
    text.write_text("Programma 9\n\nProef\n\nProduct 9.1. Proef\n\nBeleidsopgave\n\nEen proef\n\nDoelstelling\n\n"
                    "Resultaat 2016\n\nVersterken van de proef\n\nDe proefregeling is vastgesteld\n\n"
                    "Het rapport is aangeboden aan PS\n", encoding="utf-8")
    (tmp_path / "plan.expected.yaml").write_text(
        'text: plan.txt\nproducts:\n  - heading: "Product 9.1. Proef"\n    objectives:\n'
        '      - text: "Versterken van de proef"\n        results:\n'
        '          - text: "De proefregeling is vastgesteld"\n'
        '          - text: "Het rapport is aangeboden aan PS"\n', encoding="utf-8")
    right = reading.score_text(text)
    assert (right.rows_right, right.objectives_right, right.results_right) == (3, 1, 2)
    (tmp_path / "plan.expected.yaml").write_text(
        'text: plan.txt\nproducts:\n  - heading: "Product 9.1. Proef"\n    objectives:\n'
        '      - text: "Versterken van de proef"\n        results:\n'
        '          - text: "De proefregeling is vastgesteld"\n'
        '      - text: "Het rapport is aangeboden aan PS"\n        results: []\n', encoding="utf-8")
    wrong = reading.score_text(text)
    assert (wrong.rows_right, wrong.objectives_right, wrong.results_right, wrong.wrong_rows) == (2, 0, 1, 1)
