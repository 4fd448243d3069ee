"""The report as a command: `main_report(settings, year)`, wired into `tryghed report` by orchestration.

Also runnable on its own: `python -m assets.report [--year 2025] [--warehouse DIR]`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assets.foundation.settings import Settings, settings_from_env
from assets.report.build import build_reports
from assets.report.data import ReportError, latest_year


def main_report(settings: Settings, year: int | None = None, partnerskab: str | None = None) -> int:
    """Build the status reports for status year `year` (default: the newest survey edition, decision 9), one
    per partnership (or only `partnerskab`), in warehouse/reports/<code>/.

    Prints the written paths and returns 0; on a missing publication or a year without figures prints one
    line to stderr and returns 1.
    """
    try:
        if year is None:
            year = latest_year(settings.marts_dir)
            if year is None:
                raise ReportError(f"no safety or crime figures published in {settings.marts_dir}")
        paths = build_reports(settings.marts_dir, year, settings.layout.reports_dir, partnerskab=partnerskab)
    except ReportError as error:
        print(f"statusrapport: {error}", file=sys.stderr)
        return 1
    for path in paths:
        print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assets.report",
                                     description="Build the yearly status report from the published marts.")
    parser.add_argument("--year", type=int, help="the status year (default: the newest survey edition)")
    parser.add_argument("--warehouse", type=Path, help="the warehouse folder (default: TRYGHED_WAREHOUSE/warehouse)")
    args = parser.parse_args(argv)
    return main_report(settings_from_env().with_paths(None, args.warehouse), args.year)
