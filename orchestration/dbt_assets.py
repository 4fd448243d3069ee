"""dbt as Dagster assets: one dbt project, one `dbt build` per run (seeds, models and tests together).

dagster-dbt's DbtCliResource starts `dbt --version` and then dbt itself as subprocesses, and imports dbt
into the Dagster process as well; on these machines that is ~20 s of start-up for a run whose SQL takes a
few seconds. So dbt runs here in-process (assets.foundation.dbt_project.invoke, dbt's documented
dbtRunner), and each dbt result event is turned into Dagster events by dagster-dbt's own translation
(orchestration.adapters.dagster_dbt_events), so models are assets and dbt tests are asset checks exactly
as with the CLI resource. A failed test fails the step, so publishing, downstream of every mart, does not
run.

The manifest is prepared by a build step (`make manifest`, `tryghed run`, the test session), never here:
importing this module only reads it. The build writes into the warehouse's own dbt target folder
(`<warehouse>/.dbt/target`), never into dbt_project/target, so builds into different warehouses can run
at the same time.

Assets: groups by the model's folder (staging, intermediate, marts, udgivelse; seeds), owner
`team:sikker-by`, code version = dbt's checksum of the SQL. Only the yearly marts (incremental: they
delete and re-insert the run's years) are partitioned by year; everything else (rebuilt whole on every
run, or, for the police intermediates, refreshed by delivery: decision 62) has one materialization per run
rather than one per year (a run over 13 years stores ~100
materializations instead of ~600 in the warehouse's Dagster instance). Tables get `dagster/row_count`.
A failing or warning dbt test is described in Danish with its first rows (`describe_test`).
"""

import json
import queue
import threading
from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtProject, dbt_assets

from assets.foundation.dbt_project import DBT_PROJECT_DIR, MANIFEST, TARGET, DbtError, invoke
from assets.foundation.refresh import STATE_TABLE, mark_built, plan_refresh
from orchestration.adapters.dagster_dbt_events import dagster_events, subset_selection
from orchestration.dbt_messages import describe_test, first_rows, row_counts
from orchestration.ownership import OWNERS
from orchestration.partitions import AAR, years_from_tags
from orchestration.resources import TryghedResource

# "true": rebuild every table from scratch (`tryghed run --fuld`, the yearly schedule). "false": the police
# models are refreshed by delivery when the previous build allows it (assets.foundation.refresh, decision 62),
# and the yearly marts replace the run's years (`tryghed run` passes every year; a backfill its range)
FULL_REFRESH_TAG = "tryghed/full_refresh"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=TARGET)
dbt_project.prepare_if_dev()  # `dagster dev` only (Dagster's public pattern); otherwise a build step did it
if not MANIFEST.exists():
    raise RuntimeError(f"the dbt manifest {MANIFEST} is missing: run `make manifest` (or `tryghed run`) first")


class TryghedDbtTranslator(DagsterDbtTranslator):
    """Groups by folder, the team as owner, and year partitions for the yearly (incremental) marts only."""

    def get_group_name(self, dbt_resource_props) -> str:
        if dbt_resource_props.get("resource_type") == "seed":
            return "seeds"
        folders = list(dbt_resource_props.get("fqn", []))[1:-1]
        return folders[-1] if folders else "dbt"

    def get_owners(self, dbt_resource_props) -> list[str]:
        return list(OWNERS)

    def get_partitions_def(self, dbt_resource_props):
        return AAR if is_yearly(dbt_resource_props) else None


def is_yearly(dbt_resource_props) -> bool:
    """A yearly mart: incremental, it replaces only the run's years (macro aarsvindue). The incremental
    police intermediates (refreshed by delivery, decision 62) are not yearly: one materialization per run."""
    return (dbt_resource_props.get("config", {}).get("materialized") == "incremental"
            and list(dbt_resource_props.get("fqn", []))[1:2] == ["marts"])


translator = TryghedDbtTranslator()


class DbtBuildError(DbtError):
    """dbt build failed: a model error or a failing test. The message names the nodes."""


@dbt_assets(manifest=MANIFEST, project=dbt_project, name="tryghed_dbt",
            dagster_dbt_translator=translator, backfill_policy=dg.BackfillPolicy.single_run())
def tryghed_dbt_assets(context: dg.AssetExecutionContext, tryghed: TryghedResource):
    settings = tryghed.settings()
    first, last = years_from_tags(context.run.tags)
    full_refresh = context.run.tags.get(FULL_REFRESH_TAG) == "true"
    yield from dbt_build(context, settings.dbt_vars((first, last)), full_refresh, database=settings.database,
                         target_path=settings.layout.dbt_target)


def dbt_build(context: dg.AssetExecutionContext, vars_: dict, full_refresh: bool = False, *,
              target_path: Path, database: Path | None = None):
    """Run `dbt build` in-process with the run's vars and yield Dagster events while it runs.

    dbt writes into `target_path`, the run's own folder (WarehouseLayout.dbt_target).

    Without `full_refresh`, the build refreshes the police models by delivery when the previous build
    allows it, and is a full refresh otherwise (assets.foundation.refresh.plan_refresh); a selection of
    assets is always a full refresh of what it selects (decision 62).

    Passing checks are yielded as dbt reports them. The models' materializations and the failed or
    warning tests wait for the build's end: then the database is free to count the tables' rows
    (`dagster/row_count`) and to read a failed test's first rows for its message.
    """
    from dbt_common.events.functions import msg_to_dict

    manifest = json.loads(MANIFEST.read_text())
    selection = subset_selection(context, manifest, translator) if context.is_subset else []
    plan = plan_refresh(database, vars_, forced=full_refresh or bool(selection)) if database else None
    full_refresh = full_refresh or plan is None or plan.full
    context.log.info(f"dbt build for {vars_.get('fra_aar')}–{vars_.get('til_aar')}: "
                     + (plan.reason if plan else "fuld genopbygning"))
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
                vars_, target_path=target_path, database=database, callbacks=[on_event],
                ahead=context.run.run_id,  # parsed while the raw stage was validated (quality_checks)
            )
        except BaseException as exc:  # surfaced in the Dagster step below
            outcome["error"] = exc
        finally:
            results.put(None)

    worker = threading.Thread(target=run, name="dbt-build", daemon=True)
    worker.start()
    failed: list[tuple[dict, str]] = []  # (dbt result event, unique id) of failed nodes and warning tests
    held: list = []  # materializations and not-passed checks, completed once the build is over
    while (raw := results.get()) is not None:
        status = str(raw["data"].get("status", "")).lower()
        node = raw["data"].get("node_info", {}).get("unique_id", "")
        if status in ("error", "fail", "warn"):
            failed.append((raw, node))
        if node.startswith("unit_test"):
            continue
        for event in dagster_events(raw, manifest=manifest, translator=translator, context=context,
                                    target_path=target_path, project=dbt_project):
            if isinstance(event, dg.Output) or (isinstance(event, dg.AssetCheckResult) and not event.passed):
                held.append((event, node))
            else:
                yield event
    worker.join()
    if plan is not None and "result" in outcome and STATE_TABLE in _built_models(outcome["result"]):
        mark_built(database, plan)
    if "error" in outcome:
        yield from (event for event, _ in held)
        raise DbtBuildError(f"dbt build kunne ikke køre: {outcome['error']}") from outcome["error"]
    compiled = _compiled_code(outcome["result"])
    messages = {node: _describe_failure(raw, node, manifest, compiled.get(node), database)
                for raw, node in failed}
    counts = row_counts(database, [manifest["nodes"][n] for _, n in held
                                   if n in manifest.get("nodes", {})]) if database else {}
    for event, node in held:
        if isinstance(event, dg.Output):
            if node in counts:
                event = event.with_metadata({**event.metadata, "dagster/row_count": dg.MetadataValue.int(counts[node])})
        elif node in messages:
            event = dg.AssetCheckResult(
                asset_key=event.asset_key, check_name=event.check_name, passed=event.passed,
                severity=event.severity, description=messages[node], metadata=event.metadata,
            )
        yield event
    result = outcome["result"]
    if not result.success:
        errors = [messages[node] for raw, node in failed if str(raw["data"].get("status")).lower() != "warn"]
        if errors:
            raise DbtBuildError(f"dbt build fejlede: {'; '.join(errors[:5])}")
        raise DbtBuildError(f"dbt build fejlede: {result.exception}")


def _built_models(result) -> set[str]:
    """The names of the models the build made successfully (dbt's result objects)."""
    return {node_result.node.name for node_result in getattr(getattr(result, "result", None), "results", None) or []
            if getattr(node_result, "node", None) is not None and str(node_result.status).lower() == "success"}


def _compiled_code(result) -> dict[str, str]:
    """unique id -> the compiled SQL of every node the build ran (dbt's result objects)."""
    found = {}
    for node_result in getattr(getattr(result, "result", None), "results", None) or []:
        node = getattr(node_result, "node", None)
        if node is not None and getattr(node, "compiled_code", None):
            found[node.unique_id] = node.compiled_code
    return found


def _describe_failure(raw: dict, unique_id: str, manifest: dict, compiled: str | None,
                      database: Path | None) -> str:
    """One Danish line a person can act on: what the test checks, how many rows, the first of them."""
    name = unique_id.split(".")[-1] if unique_id else "?"
    data = raw["data"]
    if raw["info"]["name"] == "LogTestResult":
        node = manifest.get("nodes", {}).get(unique_id, {"name": name})
        rows = first_rows(database, compiled) if database and compiled else None
        return describe_test(node, data.get("num_failures"), rows)
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
