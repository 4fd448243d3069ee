"""The command line's parsing: `tryghed run`, `backfill`, `report`, `releases`, `rollback`, `sample`, `fetch`
and `baseline freeze`.

Imports are deferred to the command that needs them: `tryghed sample` never loads Dagster or dbt, and
`tryghed run` loads them once, in this process (the in-process executor; no process per step). Settings
come from assets.foundation.settings (tryghed.toml, the environment) and the options; commands get
them as arguments. Every subcommand's --help has a description and an example.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def _command(commands, name: str, summary: str, description: str, example: str) -> argparse.ArgumentParser:
    """A subcommand with a description and an example in its --help."""
    return commands.add_parser(name, help=summary, description=description, epilog=f"example:\n  {example}",
                               formatter_class=argparse.RawDescriptionHelpFormatter)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tryghed")
    except PackageNotFoundError:
        return "ukendt"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tryghed",
        description="The indicator pipeline of the City of Copenhagen's safety partnerships (one file each in\n"
        "partnerskaber/, e.g. Amager Partnerskab and Tingbjerg-Husum Partnerskab):\n"
        "feeling safe, reported crime and collaboration, per area and year, published as Parquet marts\n"
        "with a DuckDB catalog and a yearly status report. Configuration: tryghed.toml (see README).",
        epilog="examples:\n  tryghed run --inbox data/sample\n  tryghed report --year 2026\n"
        "  tryghed <command> --help",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument("--config", type=Path, help="configuration file (default: $TRYGHED_CONFIG, ./tryghed.toml, "
                        "the project's tryghed.toml)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="<command>")
    inbox_help = "inbox folder (default: `inbox` in tryghed.toml or $TRYGHED_INBOX; none: the run stops)"
    warehouse_help = "warehouse folder (default: `warehouse` in tryghed.toml or $TRYGHED_WAREHOUSE)"

    run = _command(
        commands, "run", "load the inbox, build and test every mart, publish them",
        "Loads every source of the inbox (only new and changed files are read), checks it against the input\n"
        "contract, builds and tests every mart with dbt, validates them, and publishes a new release (Parquet\n"
        "marts, BI catalog), then the dbt docs and the status report. Every year's figures are published.\n"
        "On a warehouse built before, the police reports are refreshed by delivery: only the reports of new,\n"
        "changed and removed deliveries are de-duplicated, placed and counted again (the other years keep\n"
        "their counts); everything is rebuilt when there is no previous build, when the previous build did\n"
        "not finish, when the dbt project, its settings or the input contract changed, or with --fuld. A file\n"
        "that breaks the contract stops the run before publishing, with file, line and column; the marts\n"
        "published before stay as they were.",
        "tryghed run --inbox /srv/sikker-by/indbakke --warehouse /srv/sikker-by/lager")
    run.add_argument("--inbox", type=Path, help=inbox_help)
    run.add_argument("--warehouse", type=Path, help=warehouse_help)
    run.add_argument("--partnerskab", metavar="CODE",
                     help="compute only this partnership (its file partnerskaber/CODE.toml); default: every one")
    run.add_argument("--fuld", action="store_true",
                     help="rebuild every table from scratch instead of refreshing by delivery (as a new warehouse)")

    check = _command(
        commands, "check", "list every contract problem of every file in an inbox; loads and publishes nothing",
        "Reads every file of the inbox against the input contract, in a throw-away database (never the\n"
        "warehouse), and lists every problem grouped by file: line, column and rule (the first 20 lines per\n"
        "rule, then a count). Exit 1 if there is any. Run it when a delivery arrives.",
        "tryghed check --inbox /srv/sikker-by/indbakke")
    check.add_argument("--inbox", type=Path, help=inbox_help)

    backfill = _command(
        commands, "backfill", "rebuild the yearly figures of a range of years in one run",
        "Rebuilds the yearly marts' rows of the years given, in one run and one dbt build (other years keep\n"
        "their published rows; figures that read those years, e.g. the next year's change, are recomputed\n"
        "too), then publishes a new release.",
        "tryghed backfill --from 2014 --to 2024 --inbox /srv/sikker-by/indbakke")
    backfill.add_argument("--from", dest="first_year", type=int, required=True, help="first year, e.g. 2014")
    backfill.add_argument("--to", dest="last_year", type=int, required=True, help="last year, e.g. 2024")
    backfill.add_argument("--inbox", type=Path, help=inbox_help)
    backfill.add_argument("--warehouse", type=Path, help=warehouse_help)
    backfill.add_argument("--partnerskab", metavar="CODE", help="compute only this partnership")

    report = _command(
        commands, "report", "the yearly status report (HTML + PDF) from the published marts",
        "Writes warehouse/reports/<partnership>/status_<year>.html and .pdf, one per partnership, from the\n"
        "published release alone (the marts, the manifest and the areas' polygons), for the Finance Committee.",
        "tryghed report --year 2026")
    report.add_argument("--year", type=int,
                        help="status year (default: the newest survey edition in the inbox; goal 1 on its survey, "
                             "goals 2 and 3 on the year before)")
    report.add_argument("--warehouse", type=Path, help="warehouse with the published marts")
    report.add_argument("--partnerskab", metavar="CODE", help="only this partnership's report (default: every one)")

    releases = _command(
        commands, "releases", "list the published releases, newest first, the current marked",
        "Lists the releases kept under warehouse/udgivelser/: when, the run id, the number of input files and\n"
        "the thresholds each was computed with; * marks the current one (what BI tools and reports read).",
        "tryghed releases --warehouse /srv/sikker-by/lager")
    releases.add_argument("--warehouse", type=Path, help="warehouse with the published marts")

    rollback = _command(
        commands, "rollback", "make the release before the current one current (catalog, Excel and report included)",
        "Makes the previous release (or the one named with --to) current, atomically: the BI catalog, the\n"
        "Excel workbook and the pointer, then rebuilds the status report from it. Take the bad delivery out\n"
        "of the inbox first if the inbox sensor is on.",
        "tryghed rollback --to 20261130T190239_c2a5bf26")
    rollback.add_argument("--to", dest="release",
                          help="make this release current instead (a name from `tryghed releases`)")
    rollback.add_argument("--warehouse", type=Path, help="warehouse with the published marts")

    sample = _command(
        commands, "sample", "write a deterministic sample inbox",
        "Generates a synthetic inbox shaped like the real deliveries (same seed, same bytes). The bundled\n"
        "sample data/sample is regenerated with `make sample`.",
        "tryghed sample --out /tmp/indbakke --years 2014-2026 --scale 4.9")
    sample.add_argument("--out", type=Path, required=True, help="folder to write the inbox into")
    sample.add_argument("--seed", type=int, default=2025, help="random seed (default 2025, the bundled sample)")
    sample.add_argument("--years", default="2014-2026",
                        help="first-last survey/police year, e.g. 2014-2026 (2026 and later: police preliminary only)")
    sample.add_argument("--scale", type=float, default=1.0, help="volume factor (1.0 = the bundled sample)")
    sample.add_argument("--respondents", type=int, help="survey respondents a year (default: 3,300 x scale)")
    sample.add_argument("--gzip", action=argparse.BooleanOptionalAction, default=None,
                        help="gzip the police deliveries (default: only up to scale 1, the committed sample)")

    fetch = _command(
        commands, "fetch", "fetch extracts from their publishers into the inbox",
        "Fetches Danmarks Statistik's tables from the StatBank API (codes, CSV) into the inbox's dst/\n"
        "folder, exactly as the loaders read them. Never writes into the bundled sample.",
        "tryghed fetch dst STRAF11 FOLK1A --from 2014 --inbox /srv/sikker-by/indbakke")
    fetch.add_argument("publisher", choices=["dst"], help="dst = Danmarks Statistik's StatBank API")
    fetch.add_argument("tables", nargs="+", help="table names, e.g. STRAF11 FOLK1A")
    fetch.add_argument("--from", dest="first_year", type=int, default=2014, help="first year (default 2014)")
    fetch.add_argument("--inbox", type=Path, help=inbox_help)

    baseline = _command(
        commands, "baseline", "the agreement's baseline (freeze a version)",
        "The agreement's crime baseline, computed by the pipeline; once adopted it is frozen as a named\n"
        "version (a dbt seed to commit), and later runs judge goals 2a-2d against it.",
        "tryghed baseline freeze --version v1")
    baseline_commands = baseline.add_subparsers(dest="action", required=True, metavar="<action>")
    freeze = _command(
        baseline_commands, "freeze", "freeze the published baseline as a named version",
        "Copies the published computed baseline into dbt_project/seeds/baseline_2024_frosset.csv as a new\n"
        "version (append-only); commit the file and run again.",
        "tryghed baseline freeze --version v1")
    freeze.add_argument("--version", required=True, help="version name, e.g. v1")
    freeze.add_argument("--warehouse", type=Path, help="warehouse with the published marts")
    return parser


def console() -> None:
    """The `tryghed` command (the console script): `main`, then a quick exit.

    Tearing the interpreter down after a run (freeing the modules and objects of Dagster, dbt, DuckDB and
    pandas) took ~1.3 s on these machines, after every line was written (measured by timing each exit
    handler: they all ran within 0.05 s, the rest was the teardown). A handler registered first runs last,
    after every other exit handler (the GX worker's stop, logging's flush, temporary folders' cleanup), and
    ends the process there with main's exit code. Tests call `main`, which keeps the normal exit.
    """
    import atexit
    import os

    code = [1]  # an uncaught exception's code (its traceback is printed before the exit handlers run)

    def leave() -> None:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe (`tryghed run | head`)
                pass
        os._exit(code[0])

    atexit.register(leave)
    try:
        code[0] = main()
    except KeyboardInterrupt:
        code[0] = 130
        raise
    except SystemExit as exc:  # argparse's --help and usage errors
        code[0] = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        raise
    sys.exit(code[0])


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from assets.foundation.partnerships import load_partnerships
    from assets.foundation.settings import ConfigError, load_settings

    try:
        settings = load_settings(args.config).with_paths(getattr(args, "inbox", None),
                                                         getattr(args, "warehouse", None),
                                                         partnerskab=getattr(args, "partnerskab", None))
        if args.command in ("run", "backfill", "fetch", "check"):
            settings.require_inbox()
        if args.command in ("run", "backfill"):
            # every partnership file is checked before anything runs: a bad key stops here, naming file and key
            load_partnerships(settings.partnerskaber, settings.partnerskab)
    except ConfigError as exc:
        print(f"tryghed: {exc}", file=sys.stderr)
        return 2
    if args.command == "report":
        from assets.report.cli import main_report

        return main_report(settings, args.year, args.partnerskab)
    if args.command == "releases":
        from assets.publish.releases import main_releases

        return main_releases(settings)
    if args.command == "rollback":
        return command_rollback(settings, args.release)
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

        return command_run(settings, full=args.fuld)
    if args.command == "backfill":
        from orchestration.cli.run import command_run

        return command_run(settings, years=(args.first_year, args.last_year))
    if args.command == "sample":
        return command_sample(args.out, args.seed, args.years, args.scale, args.respondents, args.gzip)
    return 2


def command_rollback(settings, release: str | None) -> int:
    """Make another release current, then rebuild the status report from it (the report in reports/ is
    always the current release's); a report that cannot be built is a warning, the rollback stands."""
    from assets.publish.releases import main_rollback

    code = main_rollback(settings, release)
    if code != 0:
        return code
    from assets.report.cli import main_report

    print("Statusrapporten dannes igen fra den aktuelle udgivelse:", flush=True)
    if main_report(settings, None) != 0:
        print("tryghed rollback: advarsel: statusrapporten kunne ikke dannes (se ovenfor); udgivelsen er skiftet",
              file=sys.stderr)
    return 0


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
