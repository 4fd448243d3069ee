"""dbt wiring: one dbt project, one `dbt build` per run (models, seeds and tests together).

dbt tests become Dagster asset checks through dagster-dbt; a failing test fails the dbt step, so nothing
downstream of it (publishing) runs. The manifest is parsed once and reused until a dbt file changes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from orchestration.config import DBT_PROJECT_DIR
from orchestration.resources import TryghedResource

MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"
_DBT_INPUTS = ("dbt_project.yml", "profiles.yml", "models", "seeds", "macros", "tests")


def _newest_input_mtime() -> float:
    newest = 0.0
    for name in _DBT_INPUTS:
        path = DBT_PROJECT_DIR / name
        paths = [path] if path.is_file() else path.rglob("*") if path.exists() else []
        for p in paths:
            if p.is_file():
                newest = max(newest, p.stat().st_mtime)
    return newest


def ensure_manifest() -> Path:
    """Parse the dbt project when the manifest is missing or older than any dbt file (a few seconds)."""
    if MANIFEST.exists() and MANIFEST.stat().st_mtime >= _newest_input_mtime():
        return MANIFEST
    from dbt.cli.main import dbtRunner

    os.environ.setdefault("TRYGHED_DUCKDB", str(DBT_PROJECT_DIR.parent / "warehouse" / "tryghed.duckdb"))
    result = dbtRunner().invoke(
        ["parse", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR), "--quiet"]
    )
    if not result.success:
        raise RuntimeError(f"dbt parse failed: {result.exception}")
    return MANIFEST


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


@dbt_assets(manifest=ensure_manifest(), project=dbt_project, name="tryghed_dbt")
def tryghed_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource, tryghed: TryghedResource):
    settings = tryghed.settings()
    # the profile reads the database path from the environment (profiles.yml only knows env_var)
    os.environ["TRYGHED_DUCKDB"] = str(settings.database)
    yield from dbt.cli(["build", "--vars", json.dumps(settings.dbt_vars())], context=context).stream()


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR))
