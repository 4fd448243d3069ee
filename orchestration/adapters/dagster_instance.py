"""The Dagster instance `tryghed run` records into: the warehouse's own, persistent one (SQLite).

Every CLI run, with its materializations and check results, stays visible in the Dagster UI: `make ui`
starts `dagster dev` with DAGSTER_HOME on the same folder (`<warehouse>/.dagster`,
`WarehouseLayout.dagster_home`). The folder and its `dagster.yaml` are created on the first run; an
explicit DAGSTER_HOME in the environment wins (Dagster's own convention).

A run stores ~950 events (materializations, planned and evaluated checks, step events). Dagster's SQLite
event log opens a new engine per event (~8 ms); the run writes the same files through one open
connection instead (orchestration/adapters/dagster_sqlite_events.py, ~1 ms an event), unless the
instance's dagster.yaml configures its own storage (e.g. Postgres), which is then used as it is.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

DAGSTER_YAML = """\
# The Dagster instance of this warehouse (written by `tryghed run` when missing; edit freely).
# `tryghed run` records every run here; `make ui` (dagster dev) shows them.
# Storage: SQLite files in this folder (Dagster's default for a DAGSTER_HOME).
telemetry:
  enabled: false
nux:
  enabled: false  # no "join the community" dialog in the UI
"""
STORAGE_KEYS = ("storage", "run_storage", "event_log_storage", "schedule_storage")


def instance_home(default: Path) -> Path:
    """The folder of the instance a run records into: $DAGSTER_HOME when set, else `default`."""
    explicit = os.environ.get("DAGSTER_HOME")
    return Path(explicit) if explicit else Path(default)


def ensure_home(home: Path | str) -> Path:
    """The instance's folder with its dagster.yaml, created if missing (also by `make ui`)."""
    home = Path(home).resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    return home


def run_instance(home: Path):
    """The persistent instance in `home` (see instance_home), created with a dagster.yaml if missing.

    With Dagster's default storage (no storage configured in dagster.yaml) the event log is written
    through CachedSqliteEventLogStorage, to the files and in the format Dagster's default would use.
    """
    import dagster as dg
    from dagster._core.instance.ref import InstanceRef

    home = ensure_home(home)
    configured = yaml.safe_load((home / "dagster.yaml").read_text(encoding="utf-8")) or {}
    if any(key in configured for key in STORAGE_KEYS):
        return dg.DagsterInstance.from_config(str(home))
    events = {"module": "orchestration.adapters.dagster_sqlite_events", "class": "CachedSqliteEventLogStorage",
              "config": {"base_dir": os.path.join(home, "history", "runs", "")}}
    return dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home), overrides={"event_log_storage": events}))
