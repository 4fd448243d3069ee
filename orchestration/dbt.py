"""dbt wiring: one dbt project, one `dbt build` per run (seeds, models and tests together), in this process.

dagster-dbt's DbtCliResource starts `dbt --version` and then dbt itself as subprocesses, and imports dbt
into the Dagster process as well; on these machines that is ~20 s of start-up for a run whose SQL takes a
few seconds. So dbt runs here through dbtRunner (dbt's documented programmatic entry point), and each dbt
result event is turned into Dagster events by dagster-dbt's own translation, so models are assets and dbt
tests are asset checks exactly as with the CLI resource. A failed test fails the step, so publishing,
downstream of every mart, does not run. The manifest is parsed once and reused until a dbt file changes.
"""

import json
import os
import queue
import threading
from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtProject, dbt_assets

from orchestration.config import DBT_PROJECT_DIR, settings_from_env
from orchestration.partitions import AAR, years_from_tags
from orchestration.resources import TryghedResource

TARGET = DBT_PROJECT_DIR / "target"
# `tryghed run` rebuilds every table from scratch (so a changed model never meets an old table's columns);
# a partition range (backfill, sensor) only replaces its years in the yearly marts
FULL_REFRESH_TAG = "tryghed/full_refresh"
MANIFEST = TARGET / "manifest.json"
_DBT_INPUTS = ("dbt_project.yml", "profiles.yml", "models", "seeds", "macros", "tests")


class DbtBuildError(Exception):
    """dbt build failed: a model error or a failing test. The message names the nodes."""


def _newest_input_mtime() -> float:
    newest = 0.0
    for name in _DBT_INPUTS:
        path = DBT_PROJECT_DIR / name
        paths = [path] if path.is_file() else path.rglob("*") if path.exists() else []
        for p in paths:
            if p.is_file():
                newest = max(newest, p.stat().st_mtime)
    return newest


def _base_args(vars_: dict) -> list[str]:
    return ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(TARGET), "--vars", json.dumps(vars_, sort_keys=True)]


def ensure_manifest() -> Path:
    """Parse the dbt project when the manifest is missing or older than any dbt file (a few seconds).

    It is parsed with the same vars as `tryghed run` passes, so the run's build can parse partially.
    """
    if MANIFEST.exists() and MANIFEST.stat().st_mtime >= _newest_input_mtime():
        return MANIFEST
    from dbt.cli.main import dbtRunner

    os.environ.setdefault("TRYGHED_DUCKDB", str(settings_from_env().database))
    result = dbtRunner().invoke(["parse", "--quiet", *_base_args(settings_from_env().dbt_vars())])
    if not result.success:
        raise RuntimeError(f"dbt parse failed: {result.exception}")
    return MANIFEST


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=TARGET)
translator = DagsterDbtTranslator()


@dbt_assets(manifest=ensure_manifest(), project=dbt_project, name="tryghed_dbt",
            dagster_dbt_translator=translator, partitions_def=AAR,
            backfill_policy=dg.BackfillPolicy.single_run())
def tryghed_dbt_assets(context: dg.AssetExecutionContext, tryghed: TryghedResource):
    settings = tryghed.settings()
    first, last = years_from_tags(context.run.tags)
    full_refresh = context.run.tags.get(FULL_REFRESH_TAG) == "true"
    context.log.info(f"dbt build for {first}–{last}" + (" (full refresh)" if full_refresh else ""))
    yield from dbt_build(context, settings.database, settings.dbt_vars(), (first, last), full_refresh)


def dbt_build(context: dg.AssetExecutionContext, database: Path, vars_: dict, years: tuple[int, int],
              full_refresh: bool = False):
    """Run `dbt build` in-process for the years given and yield Dagster events while it runs."""
    from dagster_dbt.asset_utils import get_subset_selection_for_context
    from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage
    from dbt.cli.main import dbtRunner
    from dbt_common.events.functions import msg_to_dict

    manifest = json.loads(MANIFEST.read_text())
    selection: list[str] = []
    if context.is_subset:
        selection, _ = get_subset_selection_for_context(
            context=context, manifest=manifest, select="fqn:*", exclude=None, selector=None,
            dagster_dbt_translator=translator, current_dbt_indirect_selection_env=None,
        )

    # the profile reads the database path from the environment (profiles.yml only knows env_var)
    os.environ["TRYGHED_DUCKDB"] = str(database)
    os.environ["TRYGHED_FRA_AAR"], os.environ["TRYGHED_TIL_AAR"] = (str(y) for y in years)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    results: queue.Queue = queue.Queue()
    result_names = {"LogSeedResult", "LogModelResult", "LogSnapshotResult", "LogTestResult"}

    def on_event(msg) -> None:
        if msg.info.name in result_names:
            results.put(msg_to_dict(msg))

    outcome: dict = {}

    def invoke() -> None:
        try:
            outcome["result"] = dbtRunner(callbacks=[on_event]).invoke(
                ["build", "--quiet", *(["--full-refresh"] if full_refresh else []), *_base_args(vars_),
                 *selection]
            )
        except BaseException as exc:  # surfaced in the Dagster step below
            outcome["error"] = exc
        finally:
            results.put(None)

    worker = threading.Thread(target=invoke, name="dbt-build", daemon=True)
    worker.start()
    failures: list[str] = []
    while (raw := results.get()) is not None:
        status = str(raw["data"].get("status", "")).lower()
        node = raw["data"].get("node_info", {}).get("unique_id", "")
        if status in ("error", "fail"):
            failures.append(_describe_failure(raw, node))
        if node.startswith("unit_test"):
            continue
        event = DbtCoreCliEventMessage(raw_event=raw, event_history_metadata={})
        yield from event.to_default_asset_events(
            manifest=manifest, dagster_dbt_translator=translator, context=context, target_path=TARGET,
            project=dbt_project,
        )
    worker.join()
    _release_database()
    if "error" in outcome:
        raise DbtBuildError(f"dbt build crashed: {outcome['error']}") from outcome["error"]
    result = outcome["result"]
    if not result.success:
        if failures:
            raise DbtBuildError(f"dbt build failed: {'; '.join(failures[:5])}")
        raise DbtBuildError(f"dbt build failed: {result.exception}")


def _release_database() -> None:
    """Close the DuckDB instance dbt-duckdb keeps for the process, so later steps can open the file.

    dbt-duckdb caches one environment per process (it expects one dbt command per process); without
    this, publishing (read-only) and the next run's loaders would find the file held open.
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


def _describe_failure(raw: dict, unique_id: str) -> str:
    name = unique_id.split(".")[-1] if unique_id else "?"
    data = raw["data"]
    if raw["info"]["name"] == "LogTestResult":
        return f"test {name} failed ({data.get('num_failures', '?')} rows)"
    message = (raw["info"].get("msg") or "").strip().splitlines()
    return f"{name}: {message[-1] if message else data.get('status')}"
