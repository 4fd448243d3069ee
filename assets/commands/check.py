"""`tryghed check --inbox DIR`: every contract problem of every file in an inbox, without publishing.

The team runs it when a delivery arrives. The loaders (assets/ingest/) run in their collecting mode into a
throw-away in-memory database (never the warehouse's): instead of stopping at the first violation they
record every broken rule of every file, with file, line and column; the first lines of each rule are
listed (20 by default) and the rest counted. A problem that stops a file from being read at all (an
unreadable file, a missing column, a wrong number of fields, a broken GeoJSON feature) is listed alone for
that file. Exit code 1 when there is any problem, 0 when the inbox keeps the contract.

What it does not check: the rules over whole tables that the Great Expectations suites hold (e.g. a
journalnr delivered twice with different content in two files, a DST table without Copenhagen); `tryghed
run` checks those before anything is published.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import duckdb

from assets.foundation.database import load_spatial
from assets.ingest.contract import LoadContext, Problem, Problems
from assets.ingest.loading import load_source
from assets.ingest.sources import SOURCES

LINES_PER_RULE = 20


def check_inbox(inbox: Path, cap: int = LINES_PER_RULE) -> tuple[list[Problem], int]:
    """Every contract problem of the inbox's files, and how many files were read."""
    problems = Problems(cap)
    ctx = LoadContext(Path(inbox), datetime.now().replace(microsecond=0))
    files = 0
    con = duckdb.connect()  # throw-away: in memory, gone when closed
    try:
        load_spatial(con)
        for source in SOURCES:
            stats = load_source(con, source, ctx, problems)
            files += len(stats["filer"])
    finally:
        con.close()
    return list(problems), files


def report(problems: list[Problem], files: int, inbox: Path) -> str:
    """The problems grouped by file, one line per broken rule and line, in the order of the file."""
    if not problems:
        return f"tryghed check: {files} filer i {inbox} overholder kontrakten – ingen problemer."
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems:
        by_file[problem.file].append(problem)
    total = sum(_rule_total(ps) for ps in by_file.values())
    lines = [f"tryghed check: {total} {'problem' if total == 1 else 'problemer'} i {len(by_file)} af {files} "
             f"filer i {inbox} (intet er indlæst eller udgivet)"]
    for file in sorted(by_file):
        found = by_file[file]
        lines += ["", f"{file} ({_rule_total(found)} {'problem' if _rule_total(found) == 1 else 'problemer'})"]
        ordered = sorted(found, key=lambda p: (p.line is None, p.line or 0, p.column or "", p.rule))
        listed = defaultdict(int)
        for problem in ordered:
            listed[_rule_key(problem)] += 1
        shown: dict[tuple, int] = defaultdict(int)
        for problem in ordered:
            place = [f"linje {problem.line}" if problem.line is not None else "hele filen"]
            if problem.column:
                place.append(f"kolonne '{problem.column}'")
            lines.append(f"  {', '.join(place)}: {problem.rule}")
            key = _rule_key(problem)
            shown[key] += 1
            if shown[key] == listed[key] and problem.count > listed[key]:
                column = f"kolonne '{key[1]}': " if key[1] else ""
                lines.append(f"  … og {problem.count - listed[key]} linjer mere med samme fejl ({column}{key[2]})")
    return "\n".join(lines)


def _rule_key(problem: Problem) -> tuple:
    rule = problem.rule
    if rule.startswith("value ") and " is not a valid " in rule:
        rule = "is not a valid " + rule.split(" is not a valid ", 1)[1]
    if rule.startswith("duplicate ") and "(first seen" in rule:
        rule = rule.split(" (first seen", 1)[0]
    return problem.file, problem.column, rule


def _rule_total(found: list[Problem]) -> int:
    """Lines with a problem in a file: every broken rule's count (not only the listed lines)."""
    counts: dict[tuple, int] = {}
    for problem in found:
        counts[_rule_key(problem)] = max(counts.get(_rule_key(problem), 0), problem.count)
    return sum(counts.values())


def main_check(inbox: Path) -> int:
    """CLI entry: the report on stdout; exit 1 if any problem, 2 if the inbox is not a folder."""
    if not inbox.is_dir():
        print(f"tryghed check: indbakken {inbox} er ikke en mappe", file=sys.stderr)
        return 2
    problems, files = check_inbox(inbox)
    print(report(problems, files, inbox))
    return 1 if problems else 0
