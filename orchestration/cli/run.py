"""`tryghed run` and `tryghed backfill`: the whole job in this process, then the run's summary."""

from __future__ import annotations

import sys
import time

from assets.foundation.settings import Settings
from assets.publish.release import published_inputs
from orchestration.cli.summary import goal_table, revision_summary


def command_run(settings: Settings, years: tuple[int, int] | None = None) -> int:
    """A whole run (every year, every table rebuilt) or, with `years`, a backfill of those years only."""
    started = time.perf_counter()
    from orchestration.partitions import all_years, check_range

    if years is not None:
        try:
            check_range(*years)
        except ValueError as exc:
            print(f"tryghed: {exc}", file=sys.stderr)
            return 2
    if not settings.inbox.is_dir():
        print(f"tryghed: run failed: inbox {settings.inbox} is not a folder", file=sys.stderr)
        return 1
    first, last = years or all_years()
    what = "every year, full rebuild" if years is None else "backfill, one run"
    print(f"tryghed: starting {first}–{last} ({what}; loading Dagster and dbt)…", flush=True)
    previous = set(published_inputs(settings.marts_dir))
    result, handler = execute(settings, (first, last), full_refresh=years is None)
    elapsed = time.perf_counter() - started
    if not result.success:
        reason = handler.failures[0] if handler.failures else "see the log above"
        if handler.failed_checks:
            reason += f" (failed checks: {', '.join(handler.failed_checks[:3])})"
        published = any(
            event.asset_key is not None and event.asset_key.path == ["publicerede_marts"]
            for event in result.get_asset_materialization_events()
        )
        outcome = (f"the marts were published to {settings.marts_dir}, but a later step failed" if published
                   else "nothing was published")
        print(f"tryghed: run failed after {elapsed:.0f} s, {outcome}: {reason}", file=sys.stderr)
        return 1
    print()
    print(revision_summary(settings, previous, (first, last)))
    print()
    print(goal_table(settings))
    if handler.warnings:
        print(f"\nAdvarsler ({len(handler.warnings)}):")
        for warning in handler.warnings:
            print(f"  - {warning}")
    print(f"\nPublished to {settings.marts_dir} (catalog {settings.catalog}, Excel {settings.layout.workbook}) "
          f"in {elapsed:.0f} s")
    reports = sorted(settings.layout.reports_dir.glob("*/status_*.html"), key=lambda p: p.stat().st_mtime)
    newest = {path.parent.name: path for path in reports}  # per partnership, the one this run wrote
    for path in newest.values():
        print(f"Status report: {path}")
    print(f"dbt docs: {settings.layout.dbt_docs_dir / 'static_index.html'}")
    return 0


def execute(settings, years: tuple[int, int] | None = None, full_refresh: bool = True):
    """Run the whole job in this process for a range of years (one run, however many years).

    Returns Dagster's result and the progress handler.

    dbt's own log lines (which dagster-dbt echoes on stdout) go to warehouse/logs/run.log; the terminal
    gets the compact progress lines.
    """
    import contextlib

    from expectations.worker import prewarm

    prewarm()  # Great Expectations loads in its own process while Dagster loads here
    import dagster as dg

    from assets.foundation.dbt_project import prepare_manifest

    # the dbt manifest is a build product: parsed here when a dbt file changed, before the definitions load it
    prepare_manifest(settings.dbt_vars(years))

    from orchestration.adapters.dagster_instance import run_instance
    from orchestration.cli.progress import ProgressHandler, progress_logger
    from orchestration.dbt_assets import FULL_REFRESH_TAG
    from orchestration.definitions import alt_job, build_definitions
    from orchestration.partitions import all_years, range_tags

    handler = ProgressHandler(stream=sys.stdout)
    defs = build_definitions(settings)
    defs = dg.Definitions.merge(defs, dg.Definitions(loggers={"fremdrift": progress_logger(handler)}))
    job = defs.resolve_job_def(alt_job.name)
    instance = run_instance()
    log_dir = settings.layout.logs_dir
    log_dir.mkdir(parents=True, exist_ok=True)
    with (log_dir / "run.log").open("w", encoding="utf-8") as log, contextlib.redirect_stdout(log):
        result = job.execute_in_process(
            instance=instance, raise_on_error=False, run_config={"loggers": {"fremdrift": {}}},
            tags={**range_tags(*(years or all_years())), FULL_REFRESH_TAG: str(full_refresh).lower()},
        )
    return result, handler
