"""`tryghed run` and `tryghed backfill`: the whole job in this process, then the run's summary (Danish).

The run is recorded in the warehouse's own Dagster instance (`<warehouse>/.dagster`, which `make ui`
shows). Every traceback, the run's and the Great Expectations worker's, is saved under
`<warehouse>/logs/`; the terminal gets one line per problem and the path of the saved trace.
"""

from __future__ import annotations

import sys
import time
import traceback
from datetime import datetime
from pathlib import Path

from assets.foundation.settings import Settings
from assets.publish.release import published_inputs
from orchestration.cli.summary import goal_table, revision_summary


def command_run(settings: Settings, years: tuple[int, int] | None = None, full: bool = False) -> int:
    """A whole run (every year; the police reports refreshed by delivery, or with `full` every table rebuilt)
    or, with `years`, a backfill of those years only (decision 62)."""
    started = time.perf_counter()
    from orchestration.partitions import all_years, check_range

    if years is not None:
        try:
            check_range(*years)
        except ValueError as exc:
            print(f"tryghed: {exc}", file=sys.stderr)
            return 2
    if not settings.inbox.is_dir():
        print(f"tryghed: kørslen fejlede: indbakken {settings.inbox} er ikke en mappe", file=sys.stderr)
        return 1
    first, last = years or all_years()
    what = ("alle år, alt genberegnet" if full else "alle år, politiets leverancer opdateret efter levering"
            if years is None else "genberegning af årene, én kørsel")
    print(f"tryghed: starter {first}–{last} ({what}; indlæser Dagster og dbt)…", flush=True)
    previous = set(published_inputs(settings.marts_dir))
    try:
        command = "tryghed backfill" if years else "tryghed run --fuld" if full else "tryghed run"
        result, handler = execute(settings, (first, last), full_refresh=full and years is None, command=command)
    except Exception as exc:  # outside any step (definitions, instance): saved like a step's trace
        trace = save_traceback(settings.layout.logs_dir, "tryghed", traceback.format_exc())
        print(f"tryghed: kørslen fejlede, intet blev udgivet: {type(exc).__name__}: {exc}\n"
              f"  hele fejlen: {trace}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    traces = save_step_tracebacks(settings.layout.logs_dir, result)
    if not result.success:
        reason = handler.failures[0] if handler.failures else "se linjerne ovenfor"
        others = [check for check in handler.failed_checks if check not in reason]
        if others:
            reason += f" (fejlede kontroller: {'; '.join(others[:3])})"
        published = any(
            event.asset_key is not None and event.asset_key.path == ["publicerede_marts"]
            for event in result.get_asset_materialization_events()
        )
        outcome = (f"marts blev udgivet i {settings.marts_dir}, men et senere trin fejlede" if published
                   else "intet blev udgivet")
        print(f"tryghed: kørslen fejlede efter {elapsed:.0f} s, {outcome}: {reason}", file=sys.stderr)
        for trace in traces:
            print(f"  hele fejlen: {trace}", file=sys.stderr)
        print(f"  Data Docs (datakvalitet): {settings.layout.quality_docs_dir / 'index.html'}", file=sys.stderr)
        return 1
    print()
    print(revision_summary(settings, previous, (first, last)))
    print()
    print(goal_table(settings))
    if handler.warnings:
        print(f"\nAdvarsler ({len(handler.warnings)}):")
        for warning in handler.warnings:
            print(f"  - {warning}")
    print(f"\nUdgivet i {settings.marts_dir} (BI-katalog {settings.catalog}, Excel {settings.layout.workbook}) "
          f"på {elapsed:.0f} s")
    reports = sorted(settings.layout.reports_dir.glob("*/status_*.html"), key=lambda p: p.stat().st_mtime)
    newest = {path.parent.name: path for path in reports}  # per partnership, the one this run wrote
    for path in newest.values():
        print(f"Statusrapport: {path}")
    print(f"dbt-dokumentation: {settings.layout.dbt_docs_dir / 'static_index.html'}")
    print(f"Data Docs (datakvalitet): {settings.layout.quality_docs_dir / 'index.html'}")
    print(f"Kørslen i Dagster UI (make ui): run {result.run_id}")
    for trace in traces:
        print(f"Fejlspor gemt: {trace}")
    return 0


def save_traceback(log_dir: Path, what: str, text: str) -> Path:
    """Write one traceback to `<warehouse>/logs/traceback_<time>_<what>.txt`; returns its path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d_%H%M%S_%f")
    path = log_dir / f"traceback_{stamp}_{what.replace('/', '_')}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def save_step_tracebacks(log_dir: Path, result) -> list[Path]:
    """The full error (with every cause) of each failed step, one file each."""
    paths = []
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data.error is not None:
            paths.append(save_traceback(log_dir, event.step_key or "trin", event.step_failure_data.error.to_string()))
    return paths


def execute(settings, years: tuple[int, int] | None = None, full_refresh: bool = False,
            command: str = "tryghed run"):
    """Run the whole job in this process for a range of years (one run, however many years).

    `full_refresh` rebuilds every table from scratch; otherwise the dbt build refreshes the police models
    by delivery where the previous build allows it (decision 62).

    Returns Dagster's result and the progress handler.

    dbt's own log lines (which dagster-dbt echoes on stdout) go to warehouse/logs/run.log; the terminal
    gets the compact progress lines.
    """
    import contextlib

    from expectations.worker import ValidationWorker, prewarm

    log_dir = settings.layout.logs_dir
    log_dir.mkdir(parents=True, exist_ok=True)
    prewarm(log_dir)  # Great Expectations loads in its own process while Dagster loads here
    import dagster as dg

    from assets.foundation.dbt_project import prepare_manifest

    # the dbt manifest is a build product: parsed here when a dbt file changed, before the definitions load it
    prepare_manifest(settings.dbt_vars(years))

    from orchestration.adapters.dagster_instance import instance_home, run_instance
    from orchestration.cli.progress import ProgressHandler, progress_logger
    from orchestration.dbt_assets import FULL_REFRESH_TAG, tryghed_dbt_assets
    from orchestration.definitions import alt_job, build_definitions
    from orchestration.partitions import all_years, range_tags
    from orchestration.report_asset import PDF_AFTER_RUN_TAG

    # a bar for the dbt build's tests on a terminal (the step that grows with the data)
    handler = ProgressHandler(stream=sys.stdout,
                              expected_checks={tryghed_dbt_assets.op.name: len(list(tryghed_dbt_assets.check_keys))})
    defs = build_definitions(settings)
    defs = dg.Definitions.merge(defs, dg.Definitions(loggers={"fremdrift": progress_logger(handler)}))
    job = defs.resolve_job_def(alt_job.name)
    instance = run_instance(instance_home(settings.layout.dagster_home))
    try:
        with (log_dir / "run.log").open("w", encoding="utf-8") as log, contextlib.redirect_stdout(log):
            result = job.execute_in_process(
                instance=instance, raise_on_error=False, run_config={"loggers": {"fremdrift": {}}},
                tags={**range_tags(*(years or all_years())), FULL_REFRESH_TAG: str(full_refresh).lower(),
                      "tryghed/kommando": command, PDF_AFTER_RUN_TAG: "true"},
            )
    finally:
        instance.dispose()
        _finish_pdfs()
        ValidationWorker.finish_docs()  # the Data Docs built after the checks' answers
    return result, handler


def _finish_pdfs() -> None:
    """Wait for the status reports' PDFs, which print while the run's last steps go on; one warning line for
    each that could not be printed (as the report step itself would print it)."""
    from assets.report.pdf import finish_prints  # Chromium's processes only: nothing of the drawing

    for problem in finish_prints():
        print(problem, file=sys.stderr, flush=True)
