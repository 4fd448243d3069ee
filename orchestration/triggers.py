"""When runs start by themselves: the yearly spring refresh (schedule) and new or changed inbox files (sensor).

The sensor compares the inbox with the manifest of the last published marts (file → sha256), so it needs
no state of its own: an inbox that matches what was published starts nothing; new, changed or removed files
start one run for the years they affect, keyed by the inbox's state so the same state never starts two runs.

Affected years come from the file names: the contract names every yearly file with its year (and the
loaders refuse a police file whose reports lie in another year). A file without a year (Danmarks
Statistik's tables, the area polygons, the city's population table) or a removed file affects every year.
A police correction that moves a report to another year is flagged by the run summary (revisions).
"""

from __future__ import annotations

import hashlib
import json

import dagster as dg

from assets.foundation.files import year_of_file
from assets.foundation.settings import settings_from_env
from assets.ingest.sources import inbox_state
from assets.publish.release import published_inputs
from orchestration.dbt_assets import FULL_REFRESH_TAG
from orchestration.jobs import alt_job
from orchestration.partitions import all_years, range_tags


def inbox_changes(current: dict[str, str], published: dict[str, str]) -> dict[str, list[str]]:
    return {
        "nye": sorted(set(current) - set(published)),
        "aendrede": sorted(f for f in set(current) & set(published) if current[f] != published[f]),
        "fjernede": sorted(set(published) - set(current)),
    }


def affected_years(changes: dict[str, list[str]]) -> tuple[int, int]:
    """The range of years a run must rebuild for these inbox changes (one range: one run)."""
    first, last = all_years()
    if changes["fjernede"]:
        return first, last
    years = set()
    for rel in changes["nye"] + changes["aendrede"]:
        year = year_of_file(rel)
        if year is None:
            return first, last
        years.add(min(max(year, first), last))  # clipped to the partitions
    if not years:
        return first, last
    return min(years), max(years)


@dg.sensor(
    job=alt_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Starts a run when a file in the inbox is new, changed (sha256) or removed since the last "
    "published marts. Turn it on in the Dagster UI (Automation).",
)
def indbakke_sensor(context: dg.SensorEvaluationContext):
    settings = settings_from_env()
    if settings.inbox is None:
        return dg.SkipReason("no inbox configured (set `inbox` under [stier] in tryghed.toml)")
    current = inbox_state(settings.inbox)
    changes = inbox_changes(current, published_inputs(settings.marts_dir))
    if not any(changes.values()):
        return dg.SkipReason("the inbox matches the published marts")
    key = hashlib.sha256(json.dumps(current, sort_keys=True).encode()).hexdigest()[:16]
    summary = ", ".join(f"{len(v)} {k}" for k, v in changes.items() if v)
    first, last = affected_years(changes)
    return dg.RunRequest(
        run_key=f"indbakke-{key}",
        tags={**range_tags(first, last), FULL_REFRESH_TAG: "false", "aarsag": f"indbakke: {summary}"[:200]},
    )


@dg.schedule(
    name="aarlig_opdatering",
    job=alt_job,
    cron_schedule="0 6 1 4 *",
    execution_timezone="Europe/Copenhagen",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="The yearly spring refresh (1 April, 06:00): every year, every table rebuilt, as `tryghed run`."
    " Off by default: turn it on in the Dagster UI.",
)
def aarlig_opdatering(context: dg.ScheduleEvaluationContext):
    """The city's survey is published in spring; the refresh runs on 1 April at 06:00 when switched on."""
    first, last = all_years(context.scheduled_execution_time.date())
    return dg.RunRequest(tags={**range_tags(first, last), FULL_REFRESH_TAG: "true", "aarsag": "aarlig opdatering"})
