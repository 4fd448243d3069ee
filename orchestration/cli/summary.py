"""The run's summary for the data team, from the published release only (manifest and marts).

Danish, like the marts: the police revisions and the goal table.
"""

from __future__ import annotations

from assets.publish.release import read_manifest
from assets.publish.revisions import summarise
from orchestration.goal_table import as_text, latest_goals


def revision_summary(settings, previous_files: set[str], years: tuple[int, int]) -> str:
    """How many reports later police deliveries changed, per year; and which of them this run brought.

    The counts are the ones the run just wrote into the published manifest, not recounted.
    """
    return summarise(read_manifest(settings.marts_dir), previous_files, years)


def goal_table(settings) -> str:
    """The goal status of the latest year, from the published mart (what the Finance Committee sees)."""
    return as_text(latest_goals(settings.marts_dir))
