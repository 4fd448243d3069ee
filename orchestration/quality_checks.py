"""Great Expectations suites as Dagster asset checks: one multi-check over the raw tables, one over the marts.

One check op per stage, because every validation pays for importing GX (~15 s, once per process) and for a
GX context: validating a stage's tables together keeps that cost to one import and one context per run.

Per table there is a blocking check `gx_kontrakt` (every error-severity expectation) and one non-blocking
WARN check per warning note (e.g. `gx_ukortlagt_gerningskode`), so the run summary names the warning.
Dagster itself skips dbt (downstream of the raw tables) and publishing (downstream of the marts) when a
blocking check fails with ERROR severity; the op also raises after reporting every result, so the step's
failure reason — which `tryghed run` prints — names the file, line and column instead of only the check
(a raw table's failure is raised as the loaders' ContractError, so it reads like theirs).
Data Docs: `<warehouse>/docs/quality/index.html` links the raw and the mart stage's sites (one each); the
worker writes it after building a stage's site.
"""

import importlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import dagster as dg

from assets.foundation.database import connect
from assets.foundation.dbt_project import parse_ahead
from assets.ingest.contract import ContractError
from expectations.naming import CONTRACT_CHECK, check_names
from expectations.record import write_records
from expectations.results import TableResult
from expectations.suites import MART, RAW, SUITES, Suite
from expectations.worker import ValidationWorker
from orchestration.dbt_assets import tryghed_dbt_assets
from orchestration.partitions import years_from_tags
from orchestration.resources import TryghedResource


class QualityError(Exception):
    """A table breaks an error-severity expectation; the message names file, line and column (or the mart)."""


def _raw_key(suite: Suite) -> dg.AssetKey:
    return dg.AssetKey(["raw", suite.name])


_MART_KEYS = {key.path[-1]: key for key in tryghed_dbt_assets.keys}


def _mart_key(suite: Suite) -> dg.AssetKey:
    return _MART_KEYS[suite.name]


def _specs(suites: tuple[Suite, ...], key_for: Callable[[Suite], dg.AssetKey]) -> list[dg.AssetCheckSpec]:
    specs = []
    for suite in suites:
        for name in check_names(suite):
            contract = name == CONTRACT_CHECK
            specs.append(
                dg.AssetCheckSpec(
                    name,
                    asset=key_for(suite),
                    blocking=contract,
                    description=(
                        f"Great Expectations suite for {suite.table} (expectations/suites.py): "
                        + (
                            "every error-severity expectation; blocks downstream assets."
                            if contract
                            else f"warning '{name[3:]}', shown without stopping the run."
                        )
                    ),
                )
            )
    return specs


DOCS_SITES = {"raw": "Rå tabeller (inputkontrakten)", "marts": "Marts (outputkontrakten)"}


def _validate(
    context,
    tryghed: TryghedResource,
    stage: str,
    suites: tuple[Suite, ...],
    key_for: Callable[[Suite], dg.AssetKey],
) -> Iterator[dg.AssetCheckResult]:
    settings = tryghed.settings()
    root = settings.layout.quality_docs_dir
    site = root / stage
    worker = ValidationWorker.get(settings.layout.logs_dir)
    if stage == "marts":  # the report's drawing modules (matplotlib) load while the worker validates
        threading.Thread(target=importlib.import_module, args=("assets.report.build",), daemon=True).start()
    if stage == "raw":  # dbt parses the project for the run's build while the worker validates (~2 s)
        vars_ = settings.dbt_vars(years_from_tags(context.run.tags))
        parse_ahead(context.run.run_id, vars_, settings.layout.dbt_target)
    # a passing stage's Data Docs are built while the run goes on (dbt, publishing: expectations/worker.py)
    results = worker.validate(settings.database, [s.table for s in suites], site, settings.thresholds(),
                              docs_index=(root, DOCS_SITES), docs_later=True)
    # what passed is recorded, so the next run validates only what changed (expectations/record.py)
    passed = [r.record for r in results.values() if r.record is not None and r.passed]
    if passed:
        with connect(settings.database) as con:
            write_records(con, passed)
    context.log.info(_timing_line(stage, results, worker.last_timings))
    errors = []
    for suite in suites:
        result = results[suite.table]
        errors += result.errors
        yield from to_check_results(result, key_for(suite), docs_index=site / "index.html")
    context.log.info(f"Data Docs: {site / 'index.html'}")
    if errors:
        first = errors[0]
        more = (
            f" (and {len(errors) - 1} more failed expectation(s); see {site / 'index.html'})"
            if len(errors) > 1
            else ""
        )
        if first.kildefil:
            # a raw row breaking the input contract: reported exactly like the loaders report theirs
            raise ContractError(
                first.kildefil, first.reason + more, line=first.kildelinje, column=first.column
            )
        raise QualityError(f"{first.description}{more}")


@dg.multi_asset_check(
    specs=_specs(RAW, _raw_key),
    name="gx_raw_tabeller",
    compute_kind="great_expectations",
    description="Great Expectations suites over every raw table (the input contract).",
)
def gx_raw_tabeller(context: dg.AssetCheckExecutionContext, tryghed: TryghedResource):
    yield from _validate(context, tryghed, "raw", RAW, _raw_key)


@dg.multi_asset_check(
    specs=_specs(MART, _mart_key),
    name="gx_marts",
    compute_kind="great_expectations",
    description="Great Expectations suites over every mart (the output contract).",
)
def gx_marts(context: dg.AssetCheckExecutionContext, tryghed: TryghedResource):
    yield from _validate(context, tryghed, "marts", MART, _mart_key)


def _timing_line(stage: str, results: dict[str, TableResult], timings: dict[str, float]) -> str:
    """Where the stage's time went, for the run's log: the worker's phases and each validated table's."""
    modes = {m: sum(r.mode == m for r in results.values()) for m in ("all", "new_files", "unchanged")}
    tables = "; ".join(f"{t} {r.mode} {r.validated_rows}/{r.rows} rows "
                       + " ".join(f"{k} {v:.2f} s" for k, v in r.seconds.items())
                       for t, r in results.items() if r.mode != "unchanged")
    return (f"GX {stage}: " + ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()) + " | "
            + ", ".join(f"{n} {m}" for m, n in modes.items() if n) + (f" | {tables}" if tables else ""))


def to_check_results(result: TableResult, asset_key=None, docs_index: Path | None = None) -> list:
    """Dagster check results for one table: the blocking contract check (ERROR) and each warning (WARN)."""
    suite = SUITES.get(result.table)
    names = (
        check_names(suite) if suite else sorted({o.check_name for o in result.outcomes} | {CONTRACT_CHECK})
    )
    checks = []
    for name in names:
        outcomes = [o for o in result.outcomes if o.check_name == name]
        failed = [o for o in outcomes if not o.success]
        warn = name != CONTRACT_CHECK
        checks.append(
            dg.AssetCheckResult(
                asset_key=asset_key,
                check_name=name,
                passed=not failed,
                severity=dg.AssetCheckSeverity.WARN if warn else dg.AssetCheckSeverity.ERROR,
                description="; ".join(o.description for o in failed[:3]) or None,
                metadata={
                    "dagster/row_count": dg.MetadataValue.int(result.rows),
                    # "unchanged": the outcomes recorded when the same rows passed (expectations/record.py)
                    "validering": dg.MetadataValue.text(result.mode),
                    "validerede_raekker": dg.MetadataValue.int(result.validated_rows),
                    "expectations": dg.MetadataValue.int(len(outcomes)),
                    "failed": dg.MetadataValue.int(len(failed)),
                    "failures": dg.MetadataValue.json(
                        [
                            {
                                "expectation": o.expectation,
                                "column": o.column,
                                "unexpected": o.unexpected_count,
                                "file": o.kildefil,
                                "line": o.kildelinje,
                                "message": o.description,
                            }
                            for o in failed
                        ]
                    ),
                    **({"data_docs": dg.MetadataValue.path(str(docs_index))} if docs_index else {}),
                },
            )
        )
    return checks


RAW_CHECKS: list[dg.AssetChecksDefinition] = [gx_raw_tabeller]
MART_CHECKS: list[dg.AssetChecksDefinition] = [gx_marts]
