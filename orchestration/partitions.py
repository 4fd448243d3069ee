"""Yearly partitions: the time-dependent assets (the dbt models, whose yearly marts are rebuilt per year).

A run covers a range of years in one process and one `dbt build` (single-run backfill policy), never one
run per year: start-up is the main cost here. The range reaches dbt as the vars `fra_aar` / `til_aar`
(macro `aarsvindue`); the yearly marts delete and re-insert only those years' rows.

The partitions run from the agreement's first comparison year (2014) to the current year, so the coming
year's safety plan, often delivered in the autumn, has a partition too.
"""

from __future__ import annotations

from datetime import date

import dagster as dg

from assets.foundation.settings import Settings
from orchestration.adapters.dagster_tags import range_tag_names

FOERSTE_AAR = Settings().foerste_aar

AAR = dg.TimeWindowPartitionsDefinition(
    cron_schedule="0 0 1 1 *",
    start=str(FOERSTE_AAR),
    fmt="%Y",
    end_offset=1,
    timezone="Europe/Copenhagen",
)


def all_years(today: date | None = None) -> tuple[int, int]:
    """The first and the last partition (the current year)."""
    return FOERSTE_AAR, (today or date.today()).year


def range_tags(first: int, last: int) -> dict[str, str]:
    """Run tags that make one run cover the years first..last (how Dagster marks a partition-range run)."""
    start, end, _ = range_tag_names()
    return {start: str(first), end: str(last)}


def check_range(first: int, last: int, today: date | None = None) -> None:
    low, high = all_years(today)
    if first > last:
        raise ValueError(f"--from {first} is after --to {last}")
    if first < low or last > high:
        raise ValueError(f"years must lie within the partitions {low}–{high}, not {first}–{last}")


def years_from_tags(tags) -> tuple[int, int]:
    """The year range a run was started for, from its tags (the dbt assets and publishing read this)."""
    start, end, single = range_tag_names()
    if start in tags:
        return int(tags[start]), int(tags[end])
    if single in tags:
        return int(tags[single]), int(tags[single])
    return all_years()
