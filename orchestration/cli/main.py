"""The command line's parsing: `tryghed run`, `backfill`, `report`, `sample`, `fetch` and `baseline freeze`.

Imports are deferred to the command that needs them: `tryghed sample` never loads Dagster or dbt, and
`tryghed run` loads them once, in this process (the in-process executor; no process per step). Settings
come from assets.foundation.settings (environment defaults) and the options; commands get them as
arguments.
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

    check = commands.add_parser(
        "check", help="list every contract problem of every file in an inbox (file, line, column, rule); "
        "loads nothing into the warehouse, publishes nothing; exit 1 if any")
    check.add_argument("--inbox", type=Path, help="inbox folder (default: data/sample or $TRYGHED_INBOX)")

    backfill = commands.add_parser(
        "backfill", help="rebuild the yearly figures of a range of years in one run (other years stay as published)"
    )
    backfill.add_argument("--from", dest="first_year", type=int, required=True, help="first year, e.g. 2014")
    backfill.add_argument("--to", dest="last_year", type=int, required=True, help="last year, e.g. 2024")
    backfill.add_argument("--inbox", type=Path, help="inbox folder (default: data/sample or $TRYGHED_INBOX)")
    backfill.add_argument("--warehouse", type=Path, help="output folder (default: warehouse or $TRYGHED_WAREHOUSE)")

    report = commands.add_parser("report", help="the yearly status report (HTML + PDF) from the published marts")
    report.add_argument("--year", type=int, help="report year (default: the latest with safety or crime figures)")
    report.add_argument("--warehouse", type=Path, help="warehouse with the published marts")

    sample = commands.add_parser("sample", help="write a deterministic sample inbox")
    sample.add_argument("--out", type=Path, required=True, help="folder to write the inbox into")
    sample.add_argument("--seed", type=int, default=2025)
    sample.add_argument("--years", default="2014-2025", help="first-last survey/police year, e.g. 2014-2025")
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
    from assets.foundation.settings import settings_from_env

    settings = settings_from_env().with_paths(getattr(args, "inbox", None), getattr(args, "warehouse", None))
    if args.command == "report":
        from assets.report.cli import main_report

        return main_report(settings, args.year)
    if args.command == "baseline":
        from assets.commands.baseline import main_baseline_freeze

        return main_baseline_freeze(settings, args.version)
    if args.command == "fetch":
        from assets.commands.dst_fetch import main_fetch

        return main_fetch([t.upper() for t in args.tables], settings.inbox, args.first_year)
    if args.command == "check":
        from assets.commands.check import main_check

        return main_check(settings.inbox)
    if args.command == "run":
        from orchestration.cli.run import command_run

        return command_run(settings)
    if args.command == "backfill":
        from orchestration.cli.run import command_run

        return command_run(settings, years=(args.first_year, args.last_year))
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


if __name__ == "__main__":
    sys.exit(main())
