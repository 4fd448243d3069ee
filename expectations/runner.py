"""Running the suites with Great Expectations 1.x (dagster-ge only supports GX < 1.0, so this does it).

Built around two costs: importing GX takes ~15 s here, so GX is imported inside `validate_tables` only
(and that runs in the worker process, expectations/worker.py), and a GX context is not free either, so
one call validates every table of a stage in one ephemeral context (one pandas batch per table). Tables
are read from the working DuckDB database read-only (expectations/prefilter.py), so the pipeline's own
connections are never held up.
"""

from __future__ import annotations

import logging
from pathlib import Path

from assets.foundation.database import connect
from assets.foundation.settings import Settings
from assets.ingest.raw_schema import RAW_TABLES
from expectations.messages import outcome
from expectations.naming import CONTRACT_CHECK, check_name
from expectations.prefilter import LINEAGE, read_table
from expectations.results import Outcome, TableResult
from expectations.suites import SUITES, Suite, resolve


def _file_headers(table: str) -> dict[str, str]:
    """Raw column name -> the name in the delivered file (OMRÅDE, År, ...): messages use the file's words."""
    for raw in RAW_TABLES:
        if f"raw.{raw.name}" == table:
            return {c.name: c.header for c in raw.all_columns}
    return {}


def validate_tables(
    database: Path, tables: list[str], docs_dir: Path | None = None, suites: dict[str, Suite] | None = None,
    thresholds: dict | None = None,
) -> dict[str, TableResult]:
    """Validate the named tables (`raw.police`, `marts.fct_tryghed`, ...) against their suites in one context.

    `thresholds` are the run's (Settings.thresholds; default: the documented defaults); the suites'
    placeholders take them and the dbt seeds' values here. Data Docs are (re)built into `docs_dir` when
    given. Returns one TableResult per table.
    """
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.data_context.types.base import ProgressBarsConfig

    thresholds = Settings().thresholds() if thresholds is None else thresholds  # the documented defaults
    suites = {t: resolve(s, thresholds) for t, s in (suites or SUITES).items() if t in tables}
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    if docs_dir is not None:
        Path(docs_dir).mkdir(parents=True, exist_ok=True)
        context.add_data_docs_site(
            "kvalitet",
            {
                "class_name": "SiteBuilder",
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir),
                },
            },
        )
    datasources: dict[str, object] = {}
    results: dict[str, TableResult] = {}

    with connect(database, read_only=True) as con:
        frames = {t: read_table(con, suites[t]) for t in tables}

    for table in tables:
        suite = suites[table]
        frame, has_lineage, problems, rows = frames[table]
        result = TableResult(table, rows)
        results[table] = result
        for problem in problems:
            result.outcomes.append(Outcome("read_table", None, "error", CONTRACT_CHECK, False, None, problem))
        if frame is None:
            continue
        if suite.schema not in datasources:
            datasources[suite.schema] = context.data_sources.add_pandas(suite.schema)
        batch_def = (
            datasources[suite.schema]
            .add_dataframe_asset(suite.name)
            .add_batch_definition_whole_dataframe("hele_tabellen")
        )
        expectations = []
        for number, entry in enumerate(suite.expectations):
            cls_name, kwargs, severity = entry[:3]
            meta = {"nr": number, "severity": severity, "check": check_name(entry)}
            if len(entry) > 3 and entry[3]:
                meta["note"] = entry[3]
            expectations.append(getattr(gxe, cls_name)(**kwargs, meta=meta))
        # built whole, then added once: adding expectations to a stored suite re-serialises it every time
        gx_suite = context.suites.add(gx.ExpectationSuite(name=table, expectations=expectations))
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=table, data=batch_def, suite=gx_suite)
        )
        result_format = {"result_format": "SUMMARY", "partial_unexpected_count": 1}
        if has_lineage:
            result_format["unexpected_index_column_names"] = list(LINEAGE)
        run = definition.run(batch_parameters={"dataframe": frame}, result_format=result_format)
        headers = _file_headers(table)
        for evr in sorted(run.results, key=lambda r: r.expectation_config.meta["nr"]):
            entry = suite.expectations[evr.expectation_config.meta["nr"]]
            result.outcomes.append(outcome(evr, entry, suite, headers, frame))

    if docs_dir is not None:
        context.build_data_docs(site_names=["kvalitet"])
    return results
