"""The command line: `tryghed run`, `backfill`, `report`, `sample`, `fetch` and `baseline freeze`.

Imports are deferred to the command that needs them: `tryghed sample` never loads Dagster or dbt, and
`tryghed run` loads them once, in this process (the in-process executor; no process per step).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tryghed", description="Amager Partnerskab's indicator pipeline.")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="load the inbox, build and test every mart, publish them")
    run.add_argument("--inbox", type=Path, help="inbox folder (default: data/sample or $TRYGHED_INBOX)")
    run.add_argument("--warehouse", type=Path, help="output folder (default: warehouse or $TRYGHED_WAREHOUSE)")

    backfill = commands.add_parser(
        "backfill", help="rebuild the yearly figures of a range of years in one run (other years stay as published)"
    )
    backfill.add_argument("--from", dest="first_year", type=int, required=True, help="first year, e.g. 2014")
    backfill.add_argument("--to", dest="last_year", type=int, required=True, help="last year, e.g. 2024")
    backfill.add_argument("--inbox", type=Path, help="inbox folder (default: data/sample or $TRYGHED_INBOX)")
    backfill.add_argument("--warehouse", type=Path, help="output folder (default: warehouse or $TRYGHED_WAREHOUSE)")

    report = commands.add_parser("report", help="the yearly status report (HTML + PDF) from the published marts")
    report.add_argument("--year", type=int,
                        help="status year (default: the newest survey edition in the inbox; goal 1 on its survey, "
                             "goals 2 and 3 on the year before)")
    report.add_argument("--warehouse", type=Path, help="warehouse with the published marts")

    sample = commands.add_parser("sample", help="write a deterministic sample inbox")
    sample.add_argument("--out", type=Path, required=True, help="folder to write the inbox into")
    sample.add_argument("--seed", type=int, default=2025)
    sample.add_argument("--years", default="2014-2026",
                        help="first-last survey/police year, e.g. 2014-2026 (2026 and later: police preliminary only)")
    sample.add_argument("--scale", type=float, default=1.0, help="volume factor (1.0 = the bundled sample)")
    sample.add_argument("--respondents", type=int, help="survey respondents a year (default: 3,300 x scale)")
    sample.add_argument("--gzip", action=argparse.BooleanOptionalAction, default=None,
                        help="gzip the police deliveries (default: only up to scale 1, the committed sample)")

    fetch = commands.add_parser("fetch", help="fetch extracts from their publishers into the inbox")
    fetch.add_argument("publisher", choices=["dst"], help="dst = Danmarks Statistik's StatBank API")
    fetch.add_argument("tables", nargs="+", help="table names, e.g. STRAF11 FOLK1A")
    fetch.add_argument("--from", dest="first_year", type=int, default=2014, help="first year (default 2014)")
    fetch.add_argument("--inbox", type=Path, help="inbox folder (default: data/sample or $TRYGHED_INBOX)")

    baseline = commands.add_parser("baseline", help="the 2024 baseline of the agreement")
    baseline_commands = baseline.add_subparsers(dest="action", required=True)
    freeze = baseline_commands.add_parser("freeze", help="freeze the computed baseline as a named version")
    freeze.add_argument("--version", required=True, help="version name, e.g. v1")
    freeze.add_argument("--warehouse", type=Path, help="warehouse with the published marts")

    args = parser.parse_args(argv)
    if args.command == "report":
        from assets.statusrapport.cli import main_report

        return main_report(args.year, args.warehouse)
    if args.command == "baseline":
        from assets.baseline import main_baseline_freeze

        return main_baseline_freeze(args.version, args.warehouse)
    if args.command == "fetch":
        from assets.dst_fetch import main_fetch
        from orchestration.config import settings_from_env

        inbox = settings_from_env().with_paths(args.inbox, None).inbox
        return main_fetch([t.upper() for t in args.tables], inbox, args.first_year)
    if args.command == "run":
        return command_run(args.inbox, args.warehouse)
    if args.command == "backfill":
        return command_run(args.inbox, args.warehouse, years=(args.first_year, args.last_year))
    if args.command == "sample":
        return command_sample(args.out, args.seed, args.years, args.scale, args.respondents, args.gzip)
    return 2


def command_sample(out: Path, seed: int, years: str, scale: float, respondents: int | None = None,
                   gz: bool | None = None) -> int:
    from samplegen import generate

    try:
        first, last = (int(y) for y in years.split("-", 1))
    except ValueError:
        print(f"tryghed: --years must look like 2014-2025, not {years!r}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    summary = generate(out, seed=seed, years=(first, last), scale=scale, respondents=respondents, gz=gz)
    for folder, count in summary.items():
        print(f"  {folder}: {count}")
    print(f"sample written to {out} in {time.perf_counter() - started:.1f} s")
    return 0


def command_run(inbox: Path | None, warehouse: Path | None, years: tuple[int, int] | None = None) -> int:
    """A whole run (every year, every table rebuilt) or, with `years`, a backfill of those years only."""
    started = time.perf_counter()
    from orchestration.config import settings_from_env
    from orchestration.partitions import all_years, check_range

    if years is not None:
        try:
            check_range(*years)
        except ValueError as exc:
            print(f"tryghed: {exc}", file=sys.stderr)
            return 2
    settings = settings_from_env().with_paths(inbox, warehouse)
    if not settings.inbox.is_dir():
        print(f"tryghed: run failed: inbox {settings.inbox} is not a folder", file=sys.stderr)
        return 1
    first, last = years or all_years()
    what = "every year, full rebuild" if years is None else "backfill, one run"
    print(f"tryghed: starting {first}–{last} ({what}; loading Dagster and dbt)…", flush=True)
    previous = published_files(settings)
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
    print(f"\nPublished to {settings.marts_dir} (catalog {settings.catalog}) in {elapsed:.0f} s")
    reports = sorted((settings.warehouse / "reports").glob("status_*.html"), key=lambda p: p.stat().st_mtime)
    if reports:
        print(f"Status report: {reports[-1]}")
    print(f"dbt docs: {settings.warehouse / 'docs' / 'dbt' / 'static_index.html'}")
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

    from orchestration.dbt import FULL_REFRESH_TAG
    from orchestration.definitions import alt_job, build_definitions
    from orchestration.instance import run_instance
    from orchestration.partitions import all_years, range_tags
    from orchestration.progress import ProgressHandler, progress_logger

    handler = ProgressHandler(stream=sys.stdout)
    defs = build_definitions(settings)
    defs = dg.Definitions.merge(defs, dg.Definitions(loggers={"fremdrift": progress_logger(handler)}))
    job = defs.resolve_job_def(alt_job.name)
    instance = run_instance()
    log_dir = settings.warehouse / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    with (log_dir / "run.log").open("w", encoding="utf-8") as log, contextlib.redirect_stdout(log):
        result = job.execute_in_process(
            instance=instance, raise_on_error=False, run_config={"loggers": {"fremdrift": {}}},
            tags={**range_tags(*(years or all_years())), FULL_REFRESH_TAG: str(full_refresh).lower()},
        )
    return result, handler


def published_files(settings) -> set[str]:
    """The input files of the marts published before this run (so the summary can say what is new)."""
    from orchestration.triggers import published_state

    return set(published_state(settings.marts_dir))


def revision_summary(settings, previous_files: set[str], years: tuple[int, int]) -> str:
    """How many reports later police deliveries changed, per year; and which of them this run brought.

    The counts are the ones the run just wrote into the published manifest ("revisioner"), not recounted.
    """
    import duckdb

    from assets.publish import read_manifest
    from assets.revisions import summarise

    counted = read_manifest(settings.marts_dir).get("revisioner")
    con = duckdb.connect(str(settings.database), read_only=True)
    try:
        return summarise(con, previous_files, years, counted)
    finally:
        con.close()


def goal_table(settings) -> str:
    """The status of the newest status year, from the published marts (what the Finance Committee sees).

    The newest status year is the newest survey edition in the inbox (decision 9): it judges the survey of
    that year and the police year and plan before it, so a preliminary police delivery or next year's plan
    never moves it. Below it, the sources' coverage, naming preliminary years and gaps (decisions 10, 11).
    """
    import duckdb

    path = settings.marts_dir / "fct_maalopfyldelse.parquet"
    con = duckdb.connect()
    rows = con.execute(
        f"""select status_aar, maal_id, maalingsaar, vaerdi, maalvaerdi, enhed, opfyldt, begrundelse
            from read_parquet('{path}')
            where status_aar = (select max(status_aar) from read_parquet('{path}'))
            order by sortering, maal_id"""
    ).fetchall()
    coverage = _coverage_lines(con, settings.marts_dir / "fct_datadaekning.parquet")
    con.close()
    if not rows:
        return "Målopfyldelse: no data (no survey edition in the inbox)"
    lines = [f"Målopfyldelse, status {rows[0][0]} (fct_maalopfyldelse)",
             f"{'mål':<4} {'målt':<5} {'værdi':>9} {'mål':>9}  {'opfyldt':<13} begrundelse"]
    for _aar, maal_id, maalingsaar, vaerdi, maalvaerdi, enhed, opfyldt, begrundelse in rows:
        status = {True: "ja", False: "nej"}.get(opfyldt, "ikke vurderet" if vaerdi is not None else "ingen data")
        lines.append(
            f"{maal_id:<4} {maalingsaar:<5} {_fmt(vaerdi, enhed):>9} {_fmt(maalvaerdi, enhed):>9}  {status:<13} "
            f"{begrundelse or ''}"
        )
    return "\n".join(lines + coverage)


def _coverage_lines(con, path) -> list[str]:
    """One line per source: its years, with the preliminary years and the gaps named."""
    if not path.exists():
        return []
    rows = con.execute(
        f"""select kilde, min(aar), max(aar),
                   string_agg(aar::varchar, ', ' order by aar) filter (where status = 'foreloebig'),
                   -- the national survey is not yearly: its missing years are no gap
                   string_agg(aar::varchar, ', ' order by aar)
                       filter (where status = 'mangler' and kilde <> 'tryghed_jm')
            from read_parquet('{path}') group by kilde order by kilde"""
    ).fetchall()
    lines = ["", "Datadækning (fct_datadaekning)"]
    for kilde, first, last, prelim, gaps in rows:
        text = f"  {kilde:<22} {first}–{last}"
        if prelim:
            text += f"; foreløbig: {prelim}"
        if gaps:
            text += f"; ingen levering: {gaps} (tomt, ikke nul)"
        lines.append(text)
    return lines


def _fmt(value, unit) -> str:
    """Danish number format: decimal comma, thousands dot; shares as percent, counts whole."""
    if value is None:
        return "–"
    unit = unit or ""
    if unit.startswith("andel"):
        text, suffix = f"{100 * value:,.1f}", " %"
    elif unit.startswith("antal"):
        text, suffix = f"{value:,.0f}", ""
    else:
        text, suffix = f"{value:,.1f}", ""
    return text.replace(",", "X").replace(".", ",").replace("X", ".") + suffix


if __name__ == "__main__":
    sys.exit(main())
