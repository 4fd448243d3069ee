"""Running the suites with Great Expectations 1.x (dagster-ge only supports GX < 1.0, so this does it).

Built around two costs: importing GX takes ~15 s here, so GX is imported inside `validate_tables` only
(and that runs in the worker process, expectations/worker.py), and a GX context is not free either, so
one call validates every table of a stage in one ephemeral context (one pandas batch per table). Tables
are read from the working DuckDB database read-only (expectations/prefilter.py), so the pipeline's own
connections are never held up.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from assets.foundation.database import connect
from assets.foundation.settings import Settings
from assets.ingest.raw_schema import RAW_TABLES
from expectations.file_warnings import Disagrees, findings_per_file, in_new_files
from expectations.messages import outcome
from expectations.naming import CONTRACT_CHECK, check_name
from expectations.prefilter import LINEAGE, read_table
from expectations.record import content, files_of, fingerprint, read_records, table_comment
from expectations.result_format import complete, result_format
from expectations.results import Outcome, TableResult
from expectations.suites import SUITES, Suite, resolve


def _file_headers(table: str) -> dict[str, str]:
    """Raw column name -> the name in the delivered file (OMRÅDE, År, ...): messages use the file's words."""
    for raw in RAW_TABLES:
        if f"raw.{raw.name}" == table:
            return {c.name: c.header for c in raw.all_columns}
    return {}


def _old_findings(recorded, new_files: list[str], files: list[str]) -> dict[int, dict[str, dict]]:
    """The recorded per-file findings of the warnings (expectations/file_warnings.py), for the files that
    are still there unchanged."""
    kept = set(files) - set(new_files)
    return {nr: {f: found for f, found in by_file.items() if f in kept} for nr, by_file in recorded.warnings.items()}


def _definition(gx, gxe, context, datasources: dict, suite: Suite):
    """The suite as a GX validation definition over a pandas frame (the frame comes with each run)."""
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
    gx_suite = context.suites.add(gx.ExpectationSuite(name=suite.table, expectations=expectations))
    return context.validation_definitions.add(gx.ValidationDefinition(name=suite.table, data=batch_def,
                                                                      suite=gx_suite))


def _validate_frame(definition, suite: Suite, frame, has_lineage: bool, facts, old: dict, new_files):
    """GX's outcomes on the frame, in words, and the row-local warnings' findings per file to record.
    `old`: the recorded findings of the warnings the frame holds only the new files' rows for."""
    index = list(LINEAGE) if has_lineage else None
    run = definition.run(batch_parameters={"dataframe": frame}, result_format=result_format(index))
    for evr in run.results:
        complete(evr)
    headers = _file_headers(suite.table)
    outcomes, findings = [], {}
    for evr in sorted(run.results, key=lambda r: r.expectation_config.meta["nr"]):
        number = evr.expectation_config.meta["nr"]
        entry = suite.expectations[number]
        if number in old:
            found, by_file = in_new_files(evr, entry, suite, headers, frame, facts, old[number], new_files)
        else:
            found = outcome(evr, entry, suite, headers, frame, facts)
            by_file = findings_per_file(evr, entry, suite, frame) if has_lineage else None
        outcomes.append(found)
        if by_file is not None:
            findings[number] = by_file
    return outcomes, findings




# where the last call's time went, beyond each table's own (TableResult.seconds): the worker reports it
LAST_TIMINGS: dict[str, float] = {}


def _plan(con, table: str, suite: Suite, recorded, use_record: bool):
    """What to validate of one table: "unchanged" (the recorded outcomes), "new_files" or "all"."""
    fp = fingerprint(suite, table_comment(con, table))
    try:
        files = files_of(con, table)
    except Exception:  # a missing table: validated (and reported) below
        files = None
    identity = content(con, suite, files) if use_record else None
    record = None
    if identity is not None and (files is not None or not suite.table.startswith("raw.")):
        record = {"table": table, "fingerprint": fp, "content": identity,
                  "files": {f: sha for f, (sha, _) in (files or {}).items()}}
    facts = None if files is None else {"rows": sum(n for _, n in files.values()), "files": list(files)}
    if recorded is None or recorded.fingerprint != fp:
        return "all", None, record, facts
    if identity is not None and recorded.content == identity:
        return "unchanged", None, record, facts
    if files is None:
        return "all", None, record, facts
    return "new_files", sorted(f for f, (sha, _) in files.items() if recorded.files.get(f) != sha), record, facts


def validate_tables(
    database: Path, tables: list[str], docs_dir: Path | None = None, suites: dict[str, Suite] | None = None,
    thresholds: dict | None = None, use_record: bool = True,
) -> dict[str, TableResult]:
    """Validate the named tables and build their Data Docs (see validate)."""
    results, build_docs = validate(database, tables, docs_dir, suites, thresholds, use_record)
    build_docs()
    return results


def _no_docs() -> None:
    pass


def validate(
    database: Path, tables: list[str], docs_dir: Path | None = None, suites: dict[str, Suite] | None = None,
    thresholds: dict | None = None, use_record: bool = True,
) -> tuple[dict[str, TableResult], Callable[[], None]]:
    """Validate the named tables (`raw.police`, `marts.fct_tryghed`, ...) against their suites in one context.

    `thresholds` are the run's (Settings.thresholds; default: the documented defaults); the suites'
    placeholders take them and the dbt seeds' values here. Data Docs are (re)built into `docs_dir` when
    given. With `use_record`, what the record (expectations/record.py) says already passed is not
    validated again: an unchanged table gets its recorded outcomes, a raw table with new or changed files
    is validated on what those files' rows can make fail. Returns one TableResult per table (each passing
    one carries in `record` what the caller records: the worker's database connection is read-only), and
    the function that builds the Data Docs, so the worker can answer first (expectations/worker.py).
    """
    clock = time.perf_counter()
    LAST_TIMINGS.clear()
    thresholds = Settings().thresholds() if thresholds is None else thresholds  # the documented defaults
    suites = {t: resolve(s, thresholds) for t, s in (suites or SUITES).items() if t in tables}
    results: dict[str, TableResult] = {}
    frames = {}

    with connect(database, read_only=True) as con:
        records = read_records(con) if use_record else {}
        for table in tables:
            started = time.perf_counter()
            suite = suites[table]
            mode, new_files, record, facts = _plan(con, table, suite, records.get(table), use_record)
            planned = time.perf_counter()
            if mode == "unchanged":
                recorded = records[table]
                results[table] = TableResult(table, recorded.rows, [Outcome(**o) for o in recorded.outcomes],
                                             mode, 0, [], None, {"plan": planned - started})
                continue
            removed = mode == "new_files" and bool(set(records[table].files) - set(facts["files"]))
            # the warnings whose findings in the old files are recorded: looked for in the new files only
            old = {} if new_files is None else _old_findings(records[table], new_files, facts["files"])
            reading = (suite, new_files, removed, frozenset(old))
            read = read_table(con, suite) if new_files is None else read_table(con, *reading)
            frames[table] = (*read, facts, old, reading)
            frame, rows = read[0], read[3]
            results[table] = TableResult(table, rows, [], mode, 0 if frame is None else len(frame), new_files or [],
                                         record, {"plan": planned - started, "read": time.perf_counter() - planned})
    LAST_TIMINGS["read"] = time.perf_counter() - clock
    if not frames:
        LAST_TIMINGS["total"] = time.perf_counter() - clock
        return results, _no_docs  # nothing changed: no context, no Data Docs rebuild (the site shows these)

    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.data_context.types.base import ProgressBarsConfig

    from expectations.gx_docs import HeldResults, open_site

    clock_gx = time.perf_counter()
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    if docs_dir is not None:
        open_site(context, docs_dir, list(frames), [t for t in tables if t not in frames])
    held = HeldResults(context)  # stored once, completed, when the Data Docs are built
    datasources: dict[str, object] = {}
    LAST_TIMINGS["context"] = time.perf_counter() - clock_gx

    for table in frames:
        started = time.perf_counter()
        suite = suites[table]
        frame, has_lineage, problems, rows, facts, old, reading = frames[table]
        result = results[table]
        for problem in problems:
            result.outcomes.append(Outcome("read_table", None, "error", CONTRACT_CHECK, False, None, problem))
        if frame is None:
            continue
        definition = _definition(gx, gxe, context, datasources, suite)
        try:
            outcomes, findings = _validate_frame(definition, suite, frame, has_lineage, facts, old, reading[1])
        except Disagrees:  # a per-file warning pandas reads otherwise than GX: the whole table, as before
            with connect(database, read_only=True) as con:
                frame, has_lineage, _, rows = read_table(con, *reading[:3])
            outcomes, findings = _validate_frame(definition, suite, frame, has_lineage, facts, {}, reading[1])
            result.validated_rows = len(frame)
        result.outcomes += outcomes
        result.seconds["gx"] = time.perf_counter() - started
        if result.record is not None:
            result.record = {**result.record, "rows": rows, "outcomes": [asdict(o) for o in result.outcomes],
                             "warnings": findings}

    for result in results.values():  # a failing table records nothing (its files are validated again)
        if not result.passed:
            result.record = None
    LAST_TIMINGS["total"] = time.perf_counter() - clock
    if docs_dir is None:
        held.release()
        return results, _no_docs

    def build_docs() -> None:
        started = time.perf_counter()
        held.build()
        LAST_TIMINGS["docs"] = time.perf_counter() - started

    return results, build_docs
