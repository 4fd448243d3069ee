"""Contract rules several sources share (codes, ranges, Copenhagen's bounding box)."""

from __future__ import annotations

from pathlib import Path

from assets.foundation.files import year_of_file
from assets.ingest.contract import Check

# Copenhagen in ETRS89 / UTM 32N with a margin; lon/lat (12.6, 55.7) falls far outside and is caught.
KBH_BBOX = {"x": (700_000, 740_000), "y": (6_160_000, 6_190_000)}

ANSWER_CODES = "(1, 2, 3, 4, 5, 9)"


def coordinates_in_copenhagen(x: str = "x_utm32", y: str = "y_utm32") -> tuple[Check, ...]:
    (x0, x1), (y0, y1) = KBH_BBOX["x"], KBH_BBOX["y"]
    hint = "coordinate outside Copenhagen in EPSG:25832 (metres, easting/northing; lon/lat given?)"
    return (
        Check(x, f"{x} is null or {x} between {x0} and {x1}", hint),
        Check(y, f"{y} is null or {y} between {y0} and {y1}", hint),
        Check(x, f"({x} is null) = ({y} is null)", "only one of the two coordinates is given"),
    )


def column_equals_file_year(column: str, expression: str | None = None):
    """A per-file rule: the year column (or a date's year) matches the year in the file name."""

    def checks(path: Path) -> tuple[Check, ...]:
        year = year_of_file(path)
        if year is None:
            return ()
        expr = expression or f'"{column}"'
        return (Check(column, f"{expr} is null or {expr} = {year}",
                      f"outside the file's year {year}"),)

    return checks
