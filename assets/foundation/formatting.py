"""Danish number and date formatting for the status report.

The readers are Danish politicians and officials: decimal comma, thousands dot, shares as percent with a
space before the sign ("74,9 %"), as the city's own publications write them. Kept apart from the HTML so
the charts (axis labels) and the table use the same rules.
"""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo

MISSING = "–"
COPENHAGEN = ZoneInfo("Europe/Copenhagen")
MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december")


def is_missing(value) -> bool:
    """None, NaN and pandas' NA all mean "no value" in a mart read through pyarrow/pandas."""
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):  # pandas.NA refuses bool()
        return True


def number(value, decimals: int = 1) -> str:
    """1234.5 → '1.234,5'; missing → '–'."""
    if is_missing(value):
        return MISSING
    text = f"{float(value):,.{decimals}f}"
    text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    # "-0,0" reads as a sign error to a reader; a true minus sign reads better than a hyphen
    if text.startswith("-"):
        text = "−" + text[1:] if any(c not in "-0,." for c in text) else text[1:]
    return text


def percent(share, decimals: int = 1) -> str:
    """A share 0–1 as percent: 0.7491 → '74,9 %'."""
    if is_missing(share):
        return MISSING
    return f"{number(100 * float(share), decimals)} %"


def points(value, decimals: int = 1) -> str:
    """Percentage points with an explicit sign: -11.79 → '−11,8 point'."""
    if is_missing(value):
        return MISSING
    sign = "+" if float(value) > 0 and number(value, decimals) != number(0, decimals) else ""
    return f"{sign}{number(value, decimals)} point"


def by_unit(value, unit: str | None, decimals: int | None = None) -> str:
    """Format a goal's value by the mart's `enhed`: shares as percent, counts whole, rates with decimals."""
    unit = unit or ""
    if unit.startswith("andel"):
        return percent(value, 1 if decimals is None else decimals)
    if unit.startswith("antal"):
        return number(value, 0 if decimals is None else decimals)
    return number(value, 2 if decimals is None else decimals)


def value_and_target(value, target, unit: str | None) -> tuple[str, str]:
    """Format a goal's value and target so that two different numbers never print the same.

    A reader who sees "22,24" beside "22,24" and "ikke opfyldt" would rightly distrust the report, so the
    precision grows (up to three extra decimals) until the two texts differ or the numbers are equal.
    """
    base = 1 if (unit or "").startswith("andel") else 0 if (unit or "").startswith("antal") else 2
    for extra in range(4):
        a, b = by_unit(value, unit, base + extra), by_unit(target, unit, base + extra)
        if a != b or is_missing(value) or is_missing(target) or float(value) == float(target):
            return a, b
    return a, b


def timestamp(iso: str | None) -> str:
    """An ISO timestamp (UTC) as Copenhagen time: '27. november 2026 kl. 00.05'."""
    if not iso:
        return MISSING
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone(COPENHAGEN)
    return f"{moment.day}. {MONTHS[moment.month - 1]} {moment.year} kl. {moment:%H.%M}"


def count_text(n: int, singular: str, plural: str) -> str:
    """'1 værdi' / '3 værdier', with a thousands dot for large counts."""
    return f"{number(n, 0)} {singular if n == 1 else plural}"
