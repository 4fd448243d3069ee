"""dbt as Dagster assets: one dbt project, one `dbt build` per run (seeds, models and tests together).

dagster-dbt's DbtCliResource starts `dbt --version` and then dbt itself as subprocesses, and imports dbt
into the Dagster process as well; on these machines that is ~20 s of start-up for a run whose SQL takes a
few seconds. So dbt runs here in-process (assets.foundation.dbt_project.invoke, dbt's documented
dbtRunner), and each dbt result event is turned into Dagster events by dagster-dbt's own translation
(orchestration.adapters.dagster_dbt_events), so models are assets and dbt tests are asset checks exactly
as with the CLI resource. A failed test fails the step, so publishing, downstream of every mart, does not
run.

The manifest is prepared by a build step (`make manifest`, `tryghed run`, the test session), never here:
importing this module only reads it.
"""

import json
import queue
import threading

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtProject, dbt_assets

from assets.foundation.dbt_project import DBT_PROJECT_DIR, MANIFEST, TARGET, DbtError, invoke
from orchestration.adapters.dagster_dbt_events import dagster_events, subset_selection
from orchestration.partitions import AAR, years_from_tags
from orchestration.resources import TryghedResource

# `tryghed run` rebuilds every table from scratch (so a changed model never meets an old table's columns);
# a partition range (backfill, sensor) only replaces its years in the yearly marts
FULL_REFRESH_TAG = "tryghed/full_refresh"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=TARGET)
dbt_project.prepare_if_dev()  # `dagster dev` only (Dagster's public pattern); otherwise a build step did it
if not MANIFEST.exists():
    raise RuntimeError(f"the dbt manifest {MANIFEST} is missing: run `make manifest` (or `tryghed run`) first")
translator = DagsterDbtTranslator()


class DbtBuildError(DbtError):
    """dbt build failed: a model error or a failing test. The message names the nodes."""


@dbt_assets(manifest=MANIFEST, project=dbt_project, name="tryghed_dbt",
            dagster_dbt_translator=translator, partitions_def=AAR,
            backfill_policy=dg.BackfillPolicy.single_run())
def tryghed_dbt_assets(context: dg.AssetExecutionContext, tryghed: TryghedResource):
    settings = tryghed.settings()
    first, last = years_from_tags(context.run.tags)
    full_refresh = context.run.tags.get(FULL_REFRESH_TAG) == "true"
    context.log.info(f"dbt build for {first}–{last}" + (" (full refresh)" if full_refresh else ""))
    yield from dbt_build(context, settings.dbt_vars((first, last)), full_refresh)


def dbt_build(context: dg.AssetExecutionContext, vars_: dict, full_refresh: bool = False):
    """Run `dbt build` in-process with the run's vars and yield Dagster events while it runs."""
    from dbt_common.events.functions import msg_to_dict

    manifest = json.loads(MANIFEST.read_text())
    selection = subset_selection(context, manifest, translator) if context.is_subset else []
    results: queue.Queue = queue.Queue()
    result_names = {"LogSeedResult", "LogModelResult", "LogSnapshotResult", "LogTestResult"}

    def on_event(msg) -> None:
        if msg.info.name in result_names:
            results.put(msg_to_dict(msg))

    outcome: dict = {}

    def run() -> None:
        try:
            outcome["result"] = invoke(
                ["build", "--quiet", *(["--full-refresh"] if full_refresh else []), *selection],
                vars_, callbacks=[on_event],
            )
        except BaseException as exc:  # surfaced in the Dagster step below
            outcome["error"] = exc
        finally:
            results.put(None)

    worker = threading.Thread(target=run, name="dbt-build", daemon=True)
    worker.start()
    failures: list[str] = []
    while (raw := results.get()) is not None:
        status = str(raw["data"].get("status", "")).lower()
        node = raw["data"].get("node_info", {}).get("unique_id", "")
        if status in ("error", "fail"):
            failures.append(_describe_failure(raw, node))
        if node.startswith("unit_test"):
            continue
        yield from dagster_events(raw, manifest=manifest, translator=translator, context=context,
                                  target_path=TARGET, project=dbt_project)
    worker.join()
    if "error" in outcome:
        raise DbtBuildError(f"dbt build crashed: {outcome['error']}") from outcome["error"]
    result = outcome["result"]
    if not result.success:
        if failures:
            raise DbtBuildError(f"dbt build failed: {'; '.join(failures[:5])}")
        raise DbtBuildError(f"dbt build failed: {result.exception}")


def _describe_failure(raw: dict, unique_id: str) -> str:
    name = unique_id.split(".")[-1] if unique_id else "?"
    data = raw["data"]
    if raw["info"]["name"] == "LogTestResult":
        return f"test {name} failed ({data.get('num_failures', '?')} rows)"
    message = (raw["info"].get("msg") or "").strip().splitlines()
    return f"{name}: {message[-1] if message else data.get('status')}"


def mart_keys(names) -> list[dg.AssetKey]:
    """The asset keys of the given marts (every one must be a model of the project)."""
    keys = [k for k in tryghed_dbt_assets.keys if k.path[-1] in set(names)]
    missing = set(names) - {k.path[-1] for k in keys}
    if missing:
        raise RuntimeError(f"dbt project lacks marts: {', '.join(sorted(missing))}")
    return keys


__all__ = ["FULL_REFRESH_TAG", "DbtBuildError", "dbt_build", "mart_keys", "tryghed_dbt_assets"]
