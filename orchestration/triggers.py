"""When runs start by themselves: the yearly spring refresh (schedule) and new or changed inbox files (sensor).

The sensor compares the inbox with the manifest of the last published marts (file → sha256), so it needs
no state of its own: an inbox that matches what was published starts nothing; a new, changed or removed
file starts one run, keyed by the inbox's state so the same state never starts two runs.
"""

from __future__ import annotations

import hashlib
import json

import dagster as dg

from assets.contract import sha256_of, source_files
from assets.sources import SOURCES
from orchestration.config import settings_from_env
from orchestration.jobs import alt_job


def inbox_state(inbox) -> dict[str, str]:
    """Every file the loaders would read, with its sha256."""
    state = {}
    for source in SOURCES:
        for path in source_files(inbox / source.folder, source.patterns):
            state[path.relative_to(inbox).as_posix()] = sha256_of(path)
    return state


def published_state(marts_dir) -> dict[str, str]:
    manifest = marts_dir / "manifest.json"
    if not manifest.exists():
        return {}
    return {f["fil"]: f["sha256"] for f in json.loads(manifest.read_text(encoding="utf-8"))["inputfiler"]}


def inbox_changes(current: dict[str, str], published: dict[str, str]) -> dict[str, list[str]]:
    return {
        "nye": sorted(set(current) - set(published)),
        "aendrede": sorted(f for f in set(current) & set(published) if current[f] != published[f]),
        "fjernede": sorted(set(published) - set(current)),
    }


@dg.sensor(
    job=alt_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Starts a run when a file in the inbox is new, changed (sha256) or removed since the last "
    "published marts. Turn it on in the Dagster UI (Automation).",
)
def indbakke_sensor(context: dg.SensorEvaluationContext):
    settings = settings_from_env()
    current = inbox_state(settings.inbox)
    changes = inbox_changes(current, published_state(settings.marts_dir))
    if not any(changes.values()):
        return dg.SkipReason("the inbox matches the published marts")
    key = hashlib.sha256(json.dumps(current, sort_keys=True).encode()).hexdigest()[:16]
    summary = ", ".join(f"{len(v)} {k}" for k, v in changes.items() if v)
    return dg.RunRequest(run_key=f"indbakke-{key}", tags={"aarsag": f"indbakke: {summary}"[:200]})


# The city's survey is published in spring; the refresh runs on 1 April at 06:00 when switched on.
aarlig_opdatering = dg.ScheduleDefinition(
    name="aarlig_opdatering",
    job=alt_job,
    cron_schedule="0 6 1 4 *",
    execution_timezone="Europe/Copenhagen",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="The yearly spring refresh (1 April, 06:00). Off by default: turn it on in the Dagster UI.",
)
