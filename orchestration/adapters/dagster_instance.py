"""The Dagster instance `tryghed run` records into: the warehouse's own, persistent one (SQLite).

Every CLI run, with its materializations and check results, stays visible in the Dagster UI: `make ui`
starts `dagster dev` with DAGSTER_HOME on the same folder (`<warehouse>/.dagster`,
`WarehouseLayout.dagster_home`). The folder and its `dagster.yaml` are created on the first run; an
explicit DAGSTER_HOME in the environment wins (Dagster's own convention).

SQLite costs ~10 ms per stored event here (a new engine per event), against ~1 ms in memory, so the run
emits fewer events instead (orchestration/dbt_assets.py: only the yearly marts are partitioned, so a run
over 13 years stores one materialization per year for those and one for everything else).
"""

from __future__ import annotations

import os
from pathlib import Path

DAGSTER_YAML = """\
# The Dagster instance of this warehouse (written by `tryghed run` when missing; edit freely).
# `tryghed run` records every run here; `make ui` (dagster dev) shows them.
# Storage: SQLite files in this folder (Dagster's default for a DAGSTER_HOME).
telemetry:
  enabled: false
nux:
  enabled: false  # no "join the community" dialog in the UI
"""


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
    """The persistent instance in `home` (see instance_home), created with a dagster.yaml if missing."""
    import dagster as dg

    return dg.DagsterInstance.from_config(str(ensure_home(home)))
