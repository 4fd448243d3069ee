"""The command-line entry point: `main_report(year, warehouse)`, for the lead to wire into `tryghed`.

Also runnable on its own: `python -m assets.statusrapport [--year 2025] [--warehouse DIR]`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assets.statusrapport.build import build_report
from assets.statusrapport.data import ReportError, latest_year
from orchestration.config import settings_from_env

REPORTS_DIR = "reports"


def report_dir(warehouse: Path) -> Path:
    """Reports go beside the marts, not inside a release (a published release is never written to)."""
    return Path(warehouse) / REPORTS_DIR


def main_report(year: int | None = None, warehouse: Path | None = None) -> int:
    """Build the status report for status year `year` (default: the newest survey edition, decision 9).

    Prints the written path and returns 0; on a missing publication or a year without figures prints one
    line to stderr and returns 1.
    """
    settings = settings_from_env().with_paths(None, warehouse)
    try:
        if year is None:
            year = latest_year(settings.marts_dir)
            if year is None:
                raise ReportError(f"no safety or crime figures published in {settings.marts_dir}")
        path = build_report(settings.marts_dir, year, report_dir(settings.warehouse))
    except ReportError as error:
        print(f"statusrapport: {error}", file=sys.stderr)
        return 1
    print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assets.statusrapport",
                                     description="Build the yearly status report from the published marts.")
    parser.add_argument("--year", type=int, help="the status year (default: the newest survey edition)")
    parser.add_argument("--warehouse", type=Path, help="the warehouse folder (default: TRYGHED_WAREHOUSE/warehouse)")
    args = parser.parse_args(argv)
    return main_report(args.year, args.warehouse)
