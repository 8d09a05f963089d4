"""What the scorers of benchmarks/ (reading.py, linking.py) share: a count as a fraction and a percentage."""

from __future__ import annotations


def percent(part: int, whole: int) -> str:
    """Return ``part/whole (p %)``, or ``-`` when ``whole`` is 0."""
    return f"{part}/{whole} ({100 * part / whole:.1f} %)" if whole else "-"
